"""Realistic sample posts, each with exactly the findings the checker must make: no more, no fewer."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from training.checker import RULES, Draft, HouseRules, check

CORPUS = tomllib.loads((Path(__file__).parent / "corpus.toml").read_text(encoding="utf-8"))["post"]


def house_rules(values: dict) -> HouseRules:
    return HouseRules(**{key: tuple(value) if isinstance(value, list) else value for key, value in values.items()})


@pytest.mark.parametrize("post", CORPUS, ids=[post["name"] for post in CORPUS])
def test_each_sample_post_gets_exactly_its_findings(post):
    draft = Draft(
        text=post["text"],
        platform=post["platform"],
        image_attached=post.get("image", False),
        alt_text=post.get("alt_text", ""),
    )

    report = check(draft, house_rules(post.get("house", {})))

    assert [[f.rule, f.excerpt] for f in report.findings] == post["expect"]


def test_the_corpus_is_big_varied_and_mostly_realistic():
    names = [post["name"] for post in CORPUS]
    clean = [post for post in CORPUS if not post["expect"]]
    flagged = {rule for post in CORPUS for rule, _ in post["expect"]}

    assert len(CORPUS) >= 45
    assert len(names) == len(set(names))
    assert len(clean) >= 15
    assert flagged == {rule.code for rule in RULES}
    assert {post["platform"] for post in CORPUS} == {
        "x", "bluesky", "mastodon", "threads", "linkedin", "instagram", "facebook",
    }  # fmt: skip
