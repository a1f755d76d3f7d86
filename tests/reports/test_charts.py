"""The compliance charts: SVG structure, accessibility, escaping, data tables and descriptions. No database."""

import datetime
import itertools

import pytest
from defusedxml import ElementTree
from django.template.loader import render_to_string

from socialgov.reports.charts import EMPTY_DESCRIPTION, Bar, Series, bar_chart, format_percent, line_chart

NS = "{http://www.w3.org/2000/svg}"
START = datetime.date(2025, 12, 1)


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def parse(chart):
    return ElementTree.fromstring(str(chart.svg))


def series_group(svg, name: str):
    return next(g for g in svg.iter(f"{NS}g") if g.get("data-series") == name)


def polyline_points(polyline) -> list[tuple[float, float]]:
    return [tuple(float(n) for n in pair.split(",")) for pair in polyline.get("points").split()]


def texts(element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{NS}text")]


def markers(element):
    return [e for e in element.iter() if e.get("class") == "sg-chart__marker"]


def contrast_with_white(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.fixture
def trend():
    return line_chart(
        [
            Series("Courses", [(day(0), 62), (day(100), 70), (day(358), 81)]),
            Series("Policies", [(day(0), 90), (day(100), None), (day(200), 88), (day(358), 85)]),
        ],
        title="Compliance over time",
    )


@pytest.fixture
def departments():
    return bar_chart(
        [
            Bar("Housing", 45, "red", href="/reports/departments/2/"),
            Bar("Finance", 90, "green"),
            Bar("Roads", 72.5, "amber"),
            Bar("New team", None, "none"),
        ],
        title="Compliance by department",
    )


class TestLineChart:
    def test_it_is_an_image_named_by_its_title_and_description(self, trend):
        svg = parse(trend)
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.get("role") == "img"
        assert svg.find(f"{NS}title").get("id") == title_id
        assert svg.find(f"{NS}title").text == "Compliance over time"
        assert svg.find(f"{NS}desc").get("id") == desc_id
        assert svg.find(f"{NS}desc").text == trend.description

    def test_it_scales_with_its_column(self, trend):
        svg = parse(trend)
        assert svg.get("width") == "100%"
        assert svg.get("viewBox").startswith("0 0 480 ")
        assert parse(bar_chart([Bar("Housing", 1, "red")], title="Bars")).get("viewBox").startswith("0 0 360 ")

    def test_it_describes_the_change_in_one_sentence(self):
        chart = line_chart([Series("Courses", [(day(0), 62), (day(120), 75), (day(358), 81)])], title="Courses")
        assert chart.description == "Courses rose from 62% to 81% between 1 Dec 2025 and 24 Nov 2026."

    def test_it_describes_every_series_and_those_without_data(self, trend):
        chart = line_chart(
            [
                Series("Courses", [(day(0), 62), (day(358), 81)]),
                Series("Policies", [(day(0), 90), (day(358), 85)]),
                Series("Licence", [(day(0), 70.04), (day(358), 70)]),
                Series("Quizzes", [(day(100), 40), (day(358), 55)]),
                Series("Exemptions", [(day(0), None)]),
            ],
            title="Compliance over time",
        )
        assert chart.description == (
            "Courses rose from 62% to 81%, Policies fell from 90% to 85% and Licence stayed at 70%"
            " between 1 Dec 2025 and 24 Nov 2026; Quizzes rose from 40% on 11 Mar 2026 to 55% on 24 Nov 2026;"
            " there is no data for Exemptions yet."
        )

    def test_it_describes_a_single_day(self):
        chart = line_chart([Series("Courses", [(day(0), 62)]), Series("Policies", [(day(0), 90)])], title="Today")
        assert chart.description == "Courses was 62% and Policies was 90% on 1 Dec 2025."

    def test_it_draws_one_line_per_series_through_every_point(self, trend):
        svg = parse(trend)
        (courses,) = series_group(svg, "Courses").iter(f"{NS}polyline")
        assert len(polyline_points(courses)) == 3
        assert len(markers(series_group(svg, "Courses"))) == 3

    def test_a_day_without_data_breaks_the_line(self):
        points = [(day(0), 50), (day(1), 52), (day(2), None), (day(3), 55), (day(4), 56), (day(5), 57)]
        svg = parse(line_chart([Series("Courses", points)], title="Gaps"))
        lines = list(series_group(svg, "Courses").iter(f"{NS}polyline"))
        assert [len(polyline_points(line)) for line in lines] == [2, 3]
        assert len(markers(series_group(svg, "Courses"))) == 5
        assert polyline_points(lines[0])[-1][0] < polyline_points(lines[1])[0][0]

    def test_a_lone_day_between_gaps_is_a_marker_without_a_line(self):
        points = [(day(0), 50), (day(1), None), (day(2), 52), (day(3), None), (day(4), 55)]
        group = series_group(parse(line_chart([Series("Courses", points)], title="Dots")), "Courses")
        assert list(group.iter(f"{NS}polyline")) == []
        assert len(markers(group)) == 3

    def test_long_series_are_marked_where_each_run_starts_and_ends(self):
        points = [(day(n), None if n == 50 else 60 + n / 10) for n in range(100)]
        group = series_group(parse(line_chart([Series("Courses", points)], title="Daily")), "Courses")
        assert sum(len(polyline_points(line)) for line in group.iter(f"{NS}polyline")) == 99
        assert len(markers(group)) == 4

    def test_higher_values_sit_higher_and_later_days_further_right(self, trend):
        (line,) = series_group(parse(trend), "Courses").iter(f"{NS}polyline")
        (x0, y0), (x1, y1), (x2, y2) = polyline_points(line)
        assert x0 < x1 < x2
        assert y0 > y1 > y2

    def test_series_differ_by_more_than_colour(self, trend):
        svg = parse(trend)
        courses, policies = series_group(svg, "Courses"), series_group(svg, "Policies")
        first, second = next(courses.iter(f"{NS}polyline")), next(policies.iter(f"{NS}polyline"))
        assert first.get("stroke") != second.get("stroke")
        assert first.get("stroke-dasharray") != second.get("stroke-dasharray")
        assert markers(courses)[0].tag != markers(policies)[0].tag

    def test_each_line_is_labelled_where_it_ends(self, trend):
        svg = parse(trend)
        labels = next(g for g in svg.iter(f"{NS}g") if g.get("class") == "sg-chart__labels")
        assert sorted(texts(labels)) == ["Courses", "Policies"]

    def test_end_labels_never_overlap(self):
        chart = line_chart(
            [Series(name, [(day(0), 50), (day(30), 80)]) for name in ("Courses", "Policies", "Licence")],
            title="Tied",
        )
        labels = next(g for g in parse(chart).iter(f"{NS}g") if g.get("class") == "sg-chart__labels")
        ys = sorted(float(t.get("y")) for t in labels.iter(f"{NS}text"))
        assert all(b - a >= 16 for a, b in itertools.pairwise(ys))

    def test_it_labels_the_per_cent_axis_in_quarters(self, trend):
        labels = texts(parse(trend))
        for tick in ("0%", "25%", "50%", "75%", "100%"):
            assert tick in labels
        assert "Per cent compliant" in labels

    def test_it_labels_months_on_the_date_axis(self, trend):
        labels = texts(parse(trend))
        assert labels.count("Dec 2025") == 1
        assert "Feb 2026" in labels

    def test_it_keeps_month_ticks_to_twelve_over_long_spans(self):
        points = [(START + datetime.timedelta(days=30 * n), 50) for n in range(37)]
        svg = parse(line_chart([Series("Courses", points)], title="Three years"))
        ticks = [t for t in texts(svg) if t[:3].isalpha() and t[-4:].isdigit()]
        assert 1 < len(ticks) <= 12

    def test_short_spans_label_their_first_and_last_days(self):
        chart = line_chart([Series("Courses", [(day(2), 50), (day(9), 60)])], title="A week")
        labels = texts(parse(chart))
        assert "3 Dec 2025" in labels
        assert "10 Dec 2025" in labels

    def test_the_table_has_a_row_per_day_and_a_column_per_series(self, trend):
        assert trend.headers == ["Date", "Courses", "Policies"]
        assert trend.rows == [
            ["1 Dec 2025", "62%", "90%"],
            ["11 Mar 2026", "70%", "No data"],
            ["19 Jun 2026", "No data", "88%"],
            ["24 Nov 2026", "81%", "85%"],
        ]

    def test_it_escapes_series_names(self):
        chart = line_chart([Series("<script>alert(1)</script>", [(day(0), 1), (day(1), 2)])], title="<b>&</b>")
        assert "<script" not in chart.svg
        assert "<b>" not in chart.svg
        svg = parse(chart)
        assert svg.find(f"{NS}title").text == "<b>&</b>"
        assert "<script>alert(1)</script>" in texts(svg)

    @pytest.mark.parametrize(
        "series",
        [[], [Series("Courses", [])], [Series("Courses", [(day(0), None)]), Series("Policies", [])]],
    )
    def test_nothing_to_chart_gives_an_empty_state(self, series):
        chart = line_chart(series, title="Compliance over time")
        assert chart.svg == ""
        assert chart.description == EMPTY_DESCRIPTION
        assert chart.rows == []


class TestBarChart:
    def test_it_is_an_image_named_by_its_title_and_description(self, departments):
        svg = parse(departments)
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.get("role") == "img"
        assert svg.find(f"{NS}title").get("id") == title_id
        assert svg.find(f"{NS}desc").get("id") == desc_id
        assert svg.find(f"{NS}desc").text == departments.description

    def test_bar_widths_are_proportional_to_their_values(self, departments):
        bars = [r for r in parse(departments).iter(f"{NS}rect") if r.get("class") == "sg-chart__bar"]
        widths = [float(bar.get("width")) for bar in bars]
        assert len(widths) == 3
        assert widths[0] / 45 == pytest.approx(widths[1] / 90, abs=0.01)
        assert widths[2] / 72.5 == pytest.approx(widths[1] / 90, abs=0.01)

    def test_each_bar_shows_its_value_and_status_in_words(self, departments):
        labels = texts(parse(departments))
        assert labels[:8] == [
            "Housing",
            "45% (Red)",
            "Finance",
            "90% (Green)",
            "Roads",
            "72.5% (Amber)",
            "New team",
            "Nobody to count",
        ]

    def test_status_colours_have_enough_contrast(self, departments):
        bars = [r for r in parse(departments).iter(f"{NS}rect") if r.get("class") == "sg-chart__bar"]
        assert [bar.get("data-rag") for bar in bars] == ["red", "green", "amber"]
        assert len({bar.get("fill") for bar in bars}) == 3
        assert all(contrast_with_white(bar.get("fill")) >= 3 for bar in bars)

    def test_the_table_has_a_row_per_department_with_its_link(self, departments):
        assert departments.headers == ["Department", "Per cent compliant", "Status"]
        assert departments.rows == [
            ['<a class="govuk-link" href="/reports/departments/2/">Housing</a>', "45%", "Red"],
            ["Finance", "90%", "Green"],
            ["Roads", "72.5%", "Amber"],
            ["New team", "Nobody to count", "Not rated"],
        ]

    def test_it_describes_the_spread_and_the_statuses(self, departments):
        assert departments.description == (
            "Across 4 departments, compliance ranges from 45% (Housing) to 90% (Finance):"
            " 1 green, 1 amber, 1 red and 1 with nobody to count."
        )

    def test_it_describes_a_single_department(self):
        chart = bar_chart([Bar("Housing", 81, "green")], title="Housing")
        assert chart.description == "Housing is at 81% (green)."

    def test_it_escapes_department_names_and_links(self):
        name = "<script>alert('x')</script> & Co"
        chart = bar_chart([Bar(name, 50, "amber", href='/d/?a=1&b="2"')], title="Departments")
        assert "<script" not in chart.svg
        assert name in texts(parse(chart))
        assert name in chart.description
        assert chart.rows[0][0] == (
            '<a class="govuk-link" href="/d/?a=1&amp;b=&quot;2&quot;">'
            "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co</a>"
        )

    def test_long_names_are_shortened_in_the_picture_but_not_the_table(self):
        name = "Environment, Transport and Planning: Roads Maintenance and Winter Service"
        chart = bar_chart([Bar(name, 50, "amber")], title="Departments")
        assert texts(parse(chart))[0].endswith("…")
        assert chart.rows[0][0] == name

    def test_it_rejects_an_unknown_status(self):
        with pytest.raises(ValueError, match="purple"):
            bar_chart([Bar("Housing", 50, "purple")], title="Departments")

    def test_no_bars_gives_an_empty_state(self):
        chart = bar_chart([], title="Compliance by department")
        assert chart.svg == ""
        assert chart.description == EMPTY_DESCRIPTION


class TestBothCharts:
    def test_ids_are_unique_even_for_charts_with_the_same_title(self, trend):
        again = line_chart([Series("Courses", [(day(0), 1)])], title="Compliance over time")
        bars = bar_chart([Bar("Housing", 1, "red")], title="Compliance over time")
        ids = [e.get("id") for chart in (trend, again, bars) for e in parse(chart).iter() if e.get("id")]
        assert len(ids) == 6
        assert len(set(ids)) == 6

    def test_nothing_uses_inline_styles(self, trend, departments):
        for chart in (trend, departments):
            for element in parse(chart).iter():
                assert element.tag != f"{NS}style"
                assert "style" not in element.attrib

    def test_lines_and_text_have_enough_contrast(self, trend, departments):
        for chart in (trend, departments):
            for element in parse(chart).iter():
                for attribute in ("fill", "stroke"):
                    colour = element.get(attribute)
                    if colour and colour not in ("none", "#ffffff"):
                        minimum = 4.5 if element.tag == f"{NS}text" else 3
                        assert contrast_with_white(colour) >= minimum, (element.tag, colour)

    def test_per_cents_never_round_to_all_or_nothing(self):
        assert format_percent(99.96) == "99.9%"
        assert format_percent(0.01) == "0.1%"
        assert format_percent(100) == "100%"
        assert format_percent(62.04) == "62%"


class TestTemplate:
    def test_it_shows_the_chart_and_its_data_table(self, departments):
        html = render_to_string("reports/_chart.html", {"chart": departments})
        assert html.count("<figure") == 1
        assert str(departments.svg) in html
        assert '<caption class="govuk-table__caption govuk-table__caption--s">Compliance by department: data' in html
        assert html.count('scope="col"') == 3
        assert html.count('scope="row"') == 4
        assert '<a class="govuk-link" href="/reports/departments/2/">Housing</a>' in html
        assert "govuk-visually-hidden" not in html
        assert "hidden" not in html.split("<table")[1]

    def test_it_escapes_what_the_chart_did_not(self):
        chart = bar_chart([Bar("<script>x</script>", 50, "amber")], title="<i>Departments</i>")
        html = render_to_string("reports/_chart.html", {"chart": chart})
        assert "<script>" not in html
        assert "<i>" not in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html

    def test_an_empty_chart_shows_why_instead_of_a_table(self):
        html = render_to_string("reports/_chart.html", {"chart": bar_chart([], title="Departments")})
        assert EMPTY_DESCRIPTION in html
        assert "<svg" not in html
        assert "<table" not in html
