"""Server-rendered SVG charts for the compliance reports: no JavaScript, no inline styles.

Each chart comes with a one-sentence description computed from its data and the
data table that sits beside it, so nothing is conveyed by the picture alone.
Series differ by colour, dash pattern and marker, and are labelled where their
lines end; bars carry their value and RAG status as text. Colours come from the
GOV.UK palette and have at least 3:1 contrast against white; text is near-black.

Every piece of markup is built with ``format_html``, so labels (department names
come from users) are always escaped.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify

EMPTY_DESCRIPTION = "There is nothing to chart yet."
NO_DATA = "No data"
NOBODY = "Nobody to count"

TEXT = "#0b0c0c"  # GOV.UK black: 19.6:1 on white
GRID = "#858686"  # black tint-50: 3.7:1, so gridlines meet the 3:1 graphics minimum too
# Sizes are in viewBox units. The line chart is 480 wide and shown at most 640px wide (text 10px on
# a 320px screen, 21px at most); the bar chart, one bar a row, is 360 wide and at most 480px (13px to 21px).
FONT_SIZE = 16
CHAR_WIDTH = 0.56  # average glyph width in ems, for fitting labels
WIDTH = 480
BAR_WIDTH = 360

# (colour, dash pattern, marker shape, hollow marker). Every colour has at least 4.6:1
# contrast against white; blue and orange come first as the pair most people can tell apart.
SERIES_STYLES = [
    ("#1d70b8", None, "circle", False),  # blue, solid
    ("#b7592a", "9 5", "square", False),  # orange (shade), dashed
    ("#0b0c0c", "2 4", "triangle", False),  # black, dotted
    ("#ca357c", "12 4 2 4", "diamond", False),  # magenta, dash-dot
    ("#0f7a52", "6 3", "circle", True),  # green, short dashes
    ("#54319f", "14 6", "square", True),  # purple, long dashes
]
# A marker on every point while that stays legible; beyond it, only where each run of data starts and ends.
MAX_MARKED_POINTS = 40

RAG_COLOURS = {"green": "#0f7a52", "amber": "#b7592a", "red": "#ca3535", "none": GRID}
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "none": "Not rated"}

_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[datetime.date, float | None]]  # None: no data that day, a gap in the line


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # per cent, 0-100; None when there is nobody to count
    rag: str  # "green", "amber", "red" or "none"
    href: str | None = None  # drill-down link, put on the label in the data table


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]


# Formatting -------------------------------------------------------------------------------------


def format_percent(value: float) -> str:
    """Whole per cents where possible, one decimal otherwise; never rounds up to 100% or down to 0%."""
    shown = round(value, 1)
    if shown >= 100 and value < 100:
        shown = 99.9
    elif shown <= 0 < value:
        shown = 0.1
    return f"{_num(shown)}%"


def format_date(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _num(value: float) -> str:
    """A coordinate or value in as few characters as it needs: 12, 12.5, not 12.50000001."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# Markup -----------------------------------------------------------------------------------------


def _join(parts: Iterable) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _el(tag: str, attrs: dict, *children) -> SafeString:
    """One element; attribute values and text children are escaped, SafeString children kept as they are."""
    attributes = format_html_join(
        "", ' {}="{}"', ((k, _num(v) if isinstance(v, float) else v) for k, v in attrs.items() if v is not None)
    )
    if not children:
        return format_html("<{}{}/>", tag, attributes)
    return format_html("<{}{}>{}</{}>", tag, attributes, _join(children), tag)


def _text(x: float, y: float, *content, anchor: str = "start", **attrs) -> SafeString:
    return _el("text", {"x": float(x), "y": float(y), "text-anchor": anchor, "fill": TEXT, **attrs}, *content)


def _line(x1: float, y1: float, x2: float, y2: float, *, stroke: str = TEXT, **attrs) -> SafeString:
    coords = {"x1": float(x1), "y1": float(y1), "x2": float(x2), "y2": float(y2)}
    return _el("line", {**coords, "stroke": stroke, "stroke-width": "1", **attrs})


def _svg(ids: tuple[str, str], title: str, description: str, size: tuple[float, float], *body) -> SafeString:
    title_id, desc_id = ids
    width, height = size
    return _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "sg-chart__svg" if width == WIDTH else "sg-chart__svg sg-chart__svg--narrow",
            "viewBox": f"0 0 {_num(width)} {_num(height)}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "focusable": "false",
            "font-size": str(FONT_SIZE),
        },
        _el("title", {"id": title_id}, title),
        _el("desc", {"id": desc_id}, description),
        *body,
    )


def _chart_ids(title: str) -> tuple[str, str]:
    """Ids for the title and desc, unique on any page: the title's slug plus a process-wide counter."""
    base = f"sg-chart-{slugify(title)[:40] or 'untitled'}-{next(_ids)}"
    return f"{base}-title", f"{base}-desc"


def _marker(shape: str, cx: float, cy: float, colour: str, *, hollow: bool, r: float = 4.5) -> SafeString:
    """A point marker: its shape tells the series apart without relying on colour."""
    attrs = {
        "class": "sg-chart__marker",
        "fill": "#ffffff" if hollow else colour,
        "stroke": colour,
        "stroke-width": "2",
    }
    if shape == "circle":
        return _el("circle", {"cx": float(cx), "cy": float(cy), "r": r, **attrs})
    corners = {
        "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
        "triangle": [(0, -1.25 * r), (1.25 * r, r), (-1.25 * r, r)],
        "diamond": [(0, -1.35 * r), (1.35 * r, 0), (0, 1.35 * r), (-1.35 * r, 0)],
    }[shape]
    d = "M" + " L".join(f"{_num(cx + dx)},{_num(cy + dy)}" for dx, dy in corners) + " Z"
    return _el("path", {"d": d, **attrs})


def _empty(title: str) -> Chart:
    return Chart(title=title, description=EMPTY_DESCRIPTION, svg=SafeString(""), headers=[], rows=[])


# Line chart -------------------------------------------------------------------------------------


def line_chart(series: list[Series], *, title: str, y_label: str = "Per cent compliant", y_max: float = 100) -> Chart:
    """Compliance over time, one line per series, with gaps where a day has no data."""
    series = [Series(s.name, sorted(s.points, key=lambda point: point[0])) for s in series]
    if not any(value is not None for s in series for _, value in s.points):
        return _empty(title)

    days = sorted({day for s in series for day, _ in s.points})
    description = _line_description(series)
    headers = ["Date", *(s.name for s in series)]
    by_day = [dict(s.points) for s in series]
    rows = [
        [format_date(day), *(NO_DATA if values.get(day) is None else format_percent(values[day]) for values in by_day)]
        for day in days
    ]

    label_width = max(len(s.name) for s in series) * FONT_SIZE * CHAR_WIDTH
    left, top = 52.0, 40.0
    right = WIDTH - min(48 + label_width, 200)
    bottom = 260.0
    height = bottom + 52
    first, span = days[0], (days[-1] - days[0]).days

    def x_of(day: datetime.date) -> float:
        return (left + right) / 2 if span == 0 else left + (day - first).days / span * (right - left)

    def y_of(value: float) -> float:
        return bottom - min(max(value, 0), y_max) / y_max * (bottom - top)

    parts = [_text(0, 20, y_label, **{"font-weight": "bold"})]
    for i in range(5):
        tick = y_max * i / 4
        y = y_of(tick)
        parts.append(_line(left, y, right, y, stroke=TEXT if i == 0 else GRID, **{"class": "sg-chart__grid"}))
        parts.append(_text(left - 6, y + FONT_SIZE * 0.35, format_percent(tick), anchor="end"))
    parts.append(_line(left, top, left, bottom))
    parts.extend(_date_ticks(days[0], days[-1], x_of, bottom))

    ends = []
    for index, s in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        group, end = _series_marks(s, style, x_of, y_of)
        parts.append(group)
        if end is not None:
            ends.append((end, s.name, style))
    parts.append(_end_labels(ends, right, top, bottom))

    svg = _svg(_chart_ids(title), title, description, (WIDTH, height), *parts)
    return Chart(title=title, description=description, svg=svg, headers=headers, rows=rows)


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of months in [start, end], thinned to at most twelve and kept on round months (quarters...)."""
    months = []
    year, month = start.year, start.month
    if start.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while (year, month) <= (end.year, end.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = next(n for n in itertools.chain((1, 2, 3, 4, 6), itertools.count(12, 12)) if len(months) / n <= 12)
    if step == 1:
        return months
    return [day for day in months if ((day.year * 12 + day.month - 1) % step) == 0]


def _date_ticks(start: datetime.date, end: datetime.date, x_of, bottom: float) -> list[SafeString]:
    """Monthly ticks labelled "Dec" over "2025"; the first and last days when the range spans under two months."""
    ticks = _month_starts(start, end)
    monthly = len(ticks) >= 2
    if not monthly:
        ticks = sorted({start, end})
    # Two-line labels about three ems wide: label every tick that leaves room for them.
    spacing = (x_of(ticks[-1]) - x_of(ticks[0])) / (len(ticks) - 1) if len(ticks) > 1 else WIDTH
    every = max(1, math.ceil(3.2 * FONT_SIZE / spacing))
    parts = []
    for i, day in enumerate(ticks):
        x = x_of(day)
        parts.append(_line(x, bottom, x, bottom + 6))
        if i % every:
            continue
        first_line = f"{day:%b}" if monthly else f"{day.day} {day:%b}"
        parts.append(
            _text(
                x,
                bottom + 6 + FONT_SIZE,
                _el("tspan", {}, first_line),
                " ",
                _el("tspan", {"x": float(x), "dy": float(FONT_SIZE * 1.15)}, f"{day:%Y}"),
                anchor="middle",
            )
        )
    return parts


def _series_marks(s: Series, style, x_of, y_of) -> tuple[SafeString, tuple[float, float] | None]:
    """A series' lines (one per unbroken run of days) and markers; and where its last value sits."""
    colour, dashes, shape, hollow = style
    runs = [list(run) for has_value, run in itertools.groupby(s.points, key=lambda p: p[1] is not None) if has_value]
    count = sum(len(run) for run in runs)
    lines, markers = [], []
    for run in runs:
        coords = [(x_of(day), y_of(value)) for day, value in run]
        if len(coords) > 1:
            points = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)
            attrs = {"points": points, "fill": "none", "stroke": colour, "stroke-width": "3"}
            attrs |= {"stroke-dasharray": dashes, "stroke-linejoin": "round", "class": "sg-chart__line"}
            lines.append(_el("polyline", attrs))
        marked = coords if count <= MAX_MARKED_POINTS or len(coords) == 1 else [coords[0], coords[-1]]
        markers.extend(_marker(shape, x, y, colour, hollow=hollow) for x, y in marked)
    end = (x_of(runs[-1][-1][0]), y_of(runs[-1][-1][1])) if runs else None
    return _el("g", {"class": "sg-chart__series", "data-series": s.name}, "", *lines, *markers), end


def _end_labels(ends, right: float, top: float, bottom: float) -> SafeString:
    """Name each line beside its last value, with a sample of its line and marker, nudged apart so none overlap."""
    gap = FONT_SIZE + 4
    ends = sorted(ends, key=lambda end: end[0][1])
    ys = [end[0][1] for end in ends]
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    limit = bottom + 30  # may run into the date labels' band only if there are very many series
    for i in reversed(range(len(ys))):
        ys[i] = min(ys[i], limit if i == len(ys) - 1 else ys[i + 1] - gap)
    parts = []
    for ((_, _), name, (colour, dashes, shape, hollow)), y in zip(ends, ys, strict=True):
        x = right + 14
        parts.append(_line(x, y, x + 22, y, stroke=colour, **{"stroke-width": "3", "stroke-dasharray": dashes}))
        parts.append(_marker(shape, x + 11, y, colour, hollow=hollow))
        parts.append(_text(x + 28, y + FONT_SIZE * 0.35, name))
    return _el("g", {"class": "sg-chart__labels"}, "", *parts)


def _line_description(series: list[Series]) -> str:
    """Say how each series moved, e.g. "Courses rose from 62% to 81% between 1 Dec 2025 and 24 Nov 2026."."""
    spans = {}
    for s in series:
        known = [(day, value) for day, value in s.points if value is not None]
        if known:
            spans[s.name] = (known[0], known[-1])
    start = min(first[0] for first, _ in spans.values())
    end = max(last[0] for _, last in spans.values())
    shared, dated = [], []
    for name, ((first_day, first), (last_day, last)) in spans.items():
        was, now = format_percent(first), format_percent(last)
        direction = "stayed at" if was == now else ("rose from" if last > first else "fell from")
        if (first_day, last_day) == (start, end):
            if first_day == last_day:
                shared.append(f"{name} was {now}")
            else:
                shared.append(f"{name} {direction} {now}" if was == now else f"{name} {direction} {was} to {now}")
        elif first_day == last_day:
            dated.append(f"{name} was {now} on {format_date(last_day)}")
        elif was == now:
            dated.append(f"{name} was {now} on both {format_date(first_day)} and {format_date(last_day)}")
        else:
            dated.append(f"{name} {direction} {was} on {format_date(first_day)} to {now} on {format_date(last_day)}")
    parts = []
    if shared:
        when = f"on {format_date(start)}" if start == end else f"between {format_date(start)} and {format_date(end)}"
        parts.append(f"{_join_words(shared)} {when}")
    if dated:
        parts.append(_join_words(dated))
    sentence = "; ".join(parts)
    missing = [s.name for s in series if s.name not in spans]
    if missing:
        sentence += f"; there is no data for {_join_words(missing)} yet"
    return sentence + "."


# Bar chart --------------------------------------------------------------------------------------


def bar_chart(bars: list[Bar], *, title: str, x_label: str = "Per cent compliant") -> Chart:
    """Compliance by department as horizontal bars, each with its value and RAG status written beside it."""
    if not bars:
        return _empty(title)
    for bar in bars:
        if bar.rag not in RAG_WORDS:
            raise ValueError(f"Unknown RAG status {bar.rag!r} for {bar.label!r}")

    description = _bar_description(bars)
    headers = ["Department", x_label, "Status"]
    rows = [[_label_cell(bar), _bar_value(bar), RAG_WORDS[bar.rag]] for bar in bars]

    left, right = 2.0, BAR_WIDTH - 122.0
    row_height, bar_height = 58.0, 22.0
    bottom = 8 + row_height * len(bars)
    height = bottom + 58

    def x_of(value: float) -> float:
        return left + min(max(value, 0), 100) / 100 * (right - left)

    parts = []
    for i, bar in enumerate(bars):
        y = 8 + i * row_height
        parts.append(_text(left, y + FONT_SIZE, _truncate(bar.label)))
        bar_top = y + FONT_SIZE + 6
        text_y = bar_top + bar_height / 2 + FONT_SIZE * 0.35
        if bar.value is None:
            parts.append(_text(left + 6, text_y, NOBODY, **{"class": "sg-chart__value"}))
            continue
        end = x_of(bar.value)
        attrs = {"class": "sg-chart__bar", "data-rag": bar.rag, "x": left, "y": bar_top, "width": end - left}
        parts.append(_el("rect", {**attrs, "height": bar_height, "fill": RAG_COLOURS[bar.rag]}))
        label = f"{format_percent(bar.value)} ({RAG_WORDS[bar.rag]})"
        parts.append(_text(end + 6, text_y, label, **{"class": "sg-chart__value"}))

    parts.append(_line(left, 4, left, bottom))
    parts.append(_line(left, bottom, right, bottom))
    for tick in (0, 25, 50, 75, 100):
        x = x_of(tick)
        parts.append(_line(x, bottom, x, bottom + 6))
        anchor = "start" if tick == 0 else "middle"
        parts.append(_text(x, bottom + 6 + FONT_SIZE, f"{tick}%", anchor=anchor))
    parts.append(_text(left, bottom + 10 + FONT_SIZE * 2.2, x_label, **{"font-weight": "bold"}))

    svg = _svg(_chart_ids(title), title, description, (BAR_WIDTH, height), *parts)
    return Chart(title=title, description=description, svg=svg, headers=headers, rows=rows)


def _truncate(label: str, limit: int = int(BAR_WIDTH / (FONT_SIZE * CHAR_WIDTH)) - 1) -> str:
    """Long names are cut short in the picture; the data table beside it has them in full."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _bar_value(bar: Bar) -> str:
    return NOBODY if bar.value is None else format_percent(bar.value)


def _label_cell(bar: Bar) -> str:
    """The department's name for the data table, as its drill-down link when it has one."""
    if bar.href:
        return format_html('<a class="govuk-link" href="{}">{}</a>', bar.href, bar.label)
    return bar.label


def _bar_description(bars: list[Bar]) -> str:
    """Sum the bars up, e.g. "Across 5 departments, compliance ranges from 45% (Housing) to 98% (Finance): ..."."""
    counted = [bar for bar in bars if bar.value is not None]
    nobody = len(bars) - len(counted)
    if not counted:
        return (
            "None of the departments has anybody to count yet."
            if len(bars) > 1
            else f"{bars[0].label} has nobody to count yet."
        )
    if len(bars) == 1:
        bar = bars[0]
        return f"{bar.label} is at {format_percent(bar.value)} ({RAG_WORDS[bar.rag].lower()})."
    low = min(counted, key=lambda bar: bar.value)
    high = max(counted, key=lambda bar: bar.value)
    if len(counted) == 1:
        sentence = f"Of {len(bars)} departments, only {low.label} has anybody to count, at {format_percent(low.value)}"
    else:
        sentence = (
            f"Across {len(bars)} departments, compliance ranges from {format_percent(low.value)} ({low.label})"
            f" to {format_percent(high.value)} ({high.label})"
        )
    tally = [
        f"{n} {RAG_WORDS[rag].lower()}"
        for rag in ("green", "amber", "red")
        if (n := sum(b.rag == rag for b in counted))
    ]
    if nobody:
        tally.append(f"{nobody} with nobody to count")
    return f"{sentence}: {_join_words(tally)}." if tally and len(counted) > 1 else f"{sentence}."
