"""Links as X finds them (twitter-text's rules), in time that grows with the draft's length and no faster.

twitter-text's extractor tries a link at every full stop and walks each run of dotted words to its end, so a
long run of them ("a.a.a.a…", "1.1.1.1…") takes seconds, then minutes. Every link it finds has a domain that
ends at a full stop followed by a top-level domain it knows (".uk", ".com", ".xn--…"). So this module finds
those first, in one pass; works out how far left each domain can reach (its labels) and how far right the
port, path and query can run; and hands twitter-text only those windows of the draft, each with the
character before it, so twitter-text judges where a link may start exactly as it does in the whole draft.
Nothing outside the windows can be part of a link, so the links are the ones twitter-text finds in the whole
draft, except that a domain is read from at most its last ``MAX_LABELS`` labels before the top-level domain.
"""

from __future__ import annotations

import functools
import re

from twitter_text.extract_urls import extract_urls_with_indices
from twitter_text.regexp.cyrillic_letters_and_marks import cyrillic_letters_and_marks
from twitter_text.regexp.latin_accent_chars import latin_accent_chars
from twitter_text.regexp.valid_cctld import valid_cctld
from twitter_text.regexp.valid_domain_chars import valid_domain_chars
from twitter_text.regexp.valid_general_url_path_chars import valid_general_url_path_chars
from twitter_text.regexp.valid_gtld import valid_gtld
from twitter_text.regexp.valid_url_preceding_chars import valid_url_preceding_chars
from twitter_text.regexp.valid_url_query_ending_chars import valid_url_query_ending_chars

# Real domains have a handful of labels ("www.kirkmoor.gov.uk" has three before ".uk"); the cap keeps each
# window, and twitter-text's work on it, small whatever the draft holds.
MAX_LABELS = 6
TLD_BOUNDARY = ")(?=[^0-9a-zA-Z@+-]|$))"


def _top_level_domains() -> frozenset[str]:
    """The top-level domains twitter-text knows, from its own patterns ("(?:(?:com|uk|…)(?=…))")."""
    names: set[str] = set()
    for pattern in (valid_gtld.pattern, valid_cctld.pattern):
        if not (pattern.startswith("(?:(?:") and pattern.endswith(TLD_BOUNDARY)):
            raise ValueError("twitter-text's list of top-level domains is not in the expected form")
        names.update(pattern[len("(?:(?:") : -len(TLD_BOUNDARY)].split("|"))
    return frozenset(names)


TOP_LEVEL_DOMAINS = _top_level_domains()
TLD_CHARS = "".join(sorted({c for name in TOP_LEVEL_DOMAINS for c in name + name.upper()}))
LONGEST_TLD = max(map(len, TOP_LEVEL_DOMAINS))
# A full stop followed by what could start a top-level domain; punycode ("xn--…") has no boundary after it.
TLD_START = re.compile(r"\.(?=[" + re.escape(TLD_CHARS) + "])")
TLD_RUN = re.compile(f"[{re.escape(TLD_CHARS)}]{{1,{LONGEST_TLD}}}")
PUNYCODE = re.compile(r"xn--[\-0-9a-z]+", re.IGNORECASE)
NOT_A_BOUNDARY = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@+-")
# What a link may follow: not a letter, a digit, "@", "$" or "#" (so "@name.co" and "#tag.uk" are not links).
MAY_PRECEDE = re.compile(valid_url_preceding_chars.pattern, re.IGNORECASE)
# Runs of the characters a domain's labels are made of: domain characters, hyphens and underscores.
LABEL_RUN = re.compile(r"(?:" + valid_domain_chars.pattern + r"|[_\-])+")

# After the domain: a port, a path and a query, as twitter-text matches them. A path ends with a letter, digit
# or one of a few symbols, or a bracketed part; a query with a letter, digit or one of "-_&=#/". Possessive,
# so a long path is read once.
_GENERAL = valid_general_url_path_chars.pattern
_PATH_END = r"[\+\-a-z" + cyrillic_letters_and_marks.pattern + r"0-9=_#\/" + latin_accent_chars.pattern + "]"
_PATH_MIDDLE = r"[!$%&'*,.:;@\[\]|~\u2013]"  # path characters that cannot end it
_BRACKETED = rf"\((?:{_GENERAL}++|{_GENERAL}*+\({_GENERAL}++\){_GENERAL}*+)\)"
_QUERY_MIDDLE = r"[!$%'()*+,.:;?@\[\]|~]"
TAIL = re.compile(
    rf"(?::[0-9]++)?+"
    rf"(?:/(?:{_PATH_MIDDLE}*+(?:{_PATH_END}|{_BRACKETED}))*+)?+"
    rf"(?:\?(?:{_QUERY_MIDDLE}*+{valid_url_query_ending_chars.pattern})++)?+",
    re.IGNORECASE,
)


def _tld_ends(text: str, dot: int) -> list[int]:
    """Where a top-level domain starting after the full stop at ``dot`` can end."""
    ends = []
    punycode = PUNYCODE.match(text, dot + 1)
    if punycode:
        ends.append(punycode.end())
    run = TLD_RUN.match(text, dot + 1)
    if run:
        for end in range(dot + 2, run.end() + 1):
            at_boundary = end == len(text) or text[end] not in NOT_A_BOUNDARY
            if at_boundary and text[dot + 1 : end].lower() in TOP_LEVEL_DOMAINS:
                ends.append(end)
    return ends


def _leading_hyphens(label: str) -> int:
    return len(label) - len(label.lstrip("_-"))


def _domain_start(text: str, dot: int, runs: dict[int, int]) -> tuple[int, bool] | None:
    """Where a domain ending at the full stop ``dot`` can start, leftmost first, or None when none can; and
    whether it was cut to ``MAX_LABELS`` labels.

    Labels are separated by full stops; the one before the top-level domain has letters, digits and hyphens,
    the ones before it may also have underscores; each starts and ends with a letter or digit.
    """
    start = runs.get(dot)
    if start is None or text[dot - 1] in "_-":
        return None
    after_underscore = start + text[start:dot].rfind("_") + 1  # the label before the top-level domain has none
    first = after_underscore + _leading_hyphens(text[after_underscore:dot])
    if first != start:
        return first, False
    for _ in range(MAX_LABELS - 1):
        if start < 2 or text[start - 1] != "." or text[start - 2] in "_-":
            return start, False
        previous = runs.get(start - 1)
        if previous is None:
            return start, False
        first = previous + _leading_hyphens(text[previous : start - 1])
        if first != previous:
            return first, False
        start = previous
    capped = start >= 2 and text[start - 1] == "." and text[start - 2] not in "_-" and (start - 1) in runs
    return start, capped


def _with_protocol(text: str, start: int) -> int:
    if text[max(0, start - 8) : start].lower() == "https://":
        return start - 8
    if text[max(0, start - 7) : start].lower() == "http://":
        return start - 7
    return start


def _can_start(text: str, start: int, dot: int) -> bool:
    """Whether twitter-text can start a link somewhere in the labels from ``start`` to ``dot``."""
    for position in range(start, dot):
        if text[position] not in "._-" and (position == 0 or MAY_PRECEDE.fullmatch(text[position - 1])):
            return True
    return False


def _windows(text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` twitter-text finds links in, each with the character before it."""
    runs = {m.end(): m.start() for m in LABEL_RUN.finditer(text)}
    windows: list[tuple[int, int]] = []
    taken = 0  # twitter-text reads on from the end of the last link it matched
    for dot_match in TLD_START.finditer(text):
        dot = dot_match.start()
        if dot < taken:
            continue
        ends = _tld_ends(text, dot)
        found = _domain_start(text, dot, runs) if ends else None
        if found is None:
            continue
        start, capped = found
        with_protocol = _with_protocol(text, start)
        if not (capped or with_protocol < start or _can_start(text, start, dot)):
            continue  # "@name.co", "#tag.uk": nothing here can be a link
        end = max(TAIL.match(text, tld_end).end() for tld_end in ends)
        # The character before, so twitter-text sees what the link follows; a domain cut short starts afresh.
        windows.append((start if capped else max(0, with_protocol - 1), end))
        if len(ends) == 1 and end > ends[0]:
            taken = end  # a port, path or query ends the link, whatever domains it holds
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        # Windows that overlap, or with only spaces between them, are read together: fewer calls, same links.
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=16)
def extract_links(text: str) -> tuple[tuple[int, int, str], ...]:
    """The links twitter-text finds in ``text``, as (start, end, url) in order, found in linear time."""
    if "." not in text:
        return ()
    found = []
    for start, end in _windows(text):
        for url in extract_urls_with_indices(text[start:end]):
            first, last = url["indices"]
            found.append((start + first, start + last, url["url"]))
    return tuple(found)
