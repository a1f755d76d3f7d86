"""Links found the way X's twitter-text finds them, and X's count made the way twitter-text makes it.

The checker finds links in a few windows of the draft instead of handing twitter-text the whole draft, and
counts X's weighted length itself. For ordinary drafts both must agree exactly with twitter-text's own
``extract_urls_with_indices`` and ``parse_tweet``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from twitter_text import parse_tweet
from twitter_text.extract_urls import extract_urls_with_indices

from training.checker import Draft, check
from training.checker.links import MAX_LABELS, extract_links

CORPUS = tomllib.loads((Path(__file__).parent / "corpus.toml").read_text(encoding="utf-8"))["post"]

ORDINARY = [
    "Check your bin day at kirkmoor.gov.uk/bins before you put your bin out.",
    "Read the summary at kirkmoor.gov.uk/report, the accounts at https://kirkmoor.gov.uk/accounts and more.",
    "Book now: https://www.kirkmoor.gov.uk/leisure/swimming?session=family&day=sat#times 🏊",
    "Tickets (kirkmoor.gov.uk/fair) are free. Email events@kirkmoor.gov.uk or call 0113 496 0000.",
    "See https://en.wikipedia.org/wiki/Kirkmoor_(town) and http://example.com:8080/path/to/page.html.",
    "Short links: https://t.co/abc123 and t.co/xyz, bit.ly/3abcDEF, www.gov.uk.",
    "Mixed: 詳しくはkirkmoor.gov.uk/binsへ。日本語.jp 中国.cn مصر.eg россия.рф",
    "Punycode: xn--80ak6aa92e.com and https://xn--bcher-kva.example/path",
    "Not links: e.g. i.e. U.K. 10.30am 3.5% v1.2 file.txt @kirkmoor.gov.uk #kirkmoor.gov.uk $x.com",
    "Edges: (kirkmoor.gov.uk). “kirkmoor.gov.uk/a”, 'a.co', a.co! a.co? a.co… -a.co _a.co /a.co",
    "Paths: kirkmoor.gov.uk/a/b/c/. kirkmoor.gov.uk/a-(b) kirkmoor.gov.uk/–dash kirkmoor.gov.uk/ünïcödé",
    "Long one: https://www.kirkmoor.gov.uk/services/bins-and-recycling/garden-waste/renew-your-subscription",
    "Subdomains: a.b.c.kirkmoor.gov.uk maps.google.co.uk my-site_x.example.org a-.com -a-.com",
    "Line breaks:\nkirkmoor.gov.uk\r\nwww.example.com\rexample.org\n\n",
    "Emoji around: 👋🏽kirkmoor.gov.uk👨‍👩‍👧‍👦 🇬🇧https://t.co/a 😀",
]


@pytest.mark.parametrize("text", ORDINARY + [post["text"] for post in CORPUS])
def test_links_are_the_ones_twitter_text_finds(text):
    expected = tuple((u["indices"][0], u["indices"][1], u["url"]) for u in extract_urls_with_indices(text))

    assert extract_links(text) == expected


@pytest.mark.parametrize(
    "text",
    ORDINARY
    + [post["text"] for post in CORPUS]
    + [
        "你好 こんにちは 안녕 Café e\u0301 👨‍👩‍👧‍👦 👋🏽 🇬🇧 1️⃣ ©️ ™ …",
        "a" * 279 + "你好",
        "Bins\r\nare\rlate\n" * 30,
        "See kirkmoor.gov.uk/bins " * 20,
        "\u200b\u2060\ufeff zero widths \u200d and marks \u202a",
    ],
)
def test_the_count_on_x_is_twitter_texts(text):
    assert check(Draft(text=text, platform="x")).length == parse_tweet(text).weightedLength


def test_a_domain_is_read_from_its_last_labels():
    # A domain with more labels than any real one is read from its last few: still a link, counted as 23, and the
    # labels before it as characters.
    labels = ".".join(["a"] * (MAX_LABELS + 3))
    text = f"See {labels}.uk today"

    [(_, end, url)] = extract_links(text)

    assert (end, url) == (text.index(" today"), "a." * MAX_LABELS + "uk")
    assert check(Draft(text=text, platform="x")).length == len(text) - len(url) + 23
