"""The post checker as the organisation runs it: its house rules, its election dates, and its quiz questions.

``training.checker`` holds the rules as plain functions over a draft; this
module feeds them what comms leads have set (house rules, pre-election
periods) and keeps "spot the problem" questions honest: an option naming a
rule is correct exactly when the checker flags that rule in the sample post,
so the quiz can never teach something the checker would not say.

Spot questions are judged with the built-in rules and the house's banned and
cautioned words, but not its sign-off (sample posts are excerpts) and not
today's calendar: a question says for itself whether its post is set in a
pre-election period, so an answer key never changes with the date.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from training import checker
from training.models import ElectionPeriod, HouseRules, Option, Question

NOTHING_WRONG = "none"


def election_period_on(day: datetime.date | None = None) -> ElectionPeriod | None:
    day = day or timezone.localdate()
    return ElectionPeriod.on(day).order_by("ends_on").first()


def house_rules_for(day: datetime.date | None = None) -> checker.HouseRules:
    """The organisation's house rules as the checker takes them, with the pre-election switch for ``day``."""
    rules = HouseRules.current()
    return checker.HouseRules(
        banned=rules.banned_list(),
        cautioned=rules.cautioned_list(),
        sign_off=rules.sign_off.strip(),
        allowed_contacts=rules.allowed_contacts_list(),
        pre_election=election_period_on(day) is not None,
        mastodon_limit=rules.mastodon_limit,
    )


def post_check(
    *,
    text: str,
    platform: str,
    image_attached: bool = False,
    alt_text: str = "",
    house: checker.HouseRules | None = None,
) -> checker.Report:
    """Check a draft with the house rules (today's, unless given).

    Raises ``checker.DraftError`` for a draft that cannot be checked.
    """
    draft = checker.Draft(text=text, platform=platform, image_attached=image_attached, alt_text=alt_text)
    return checker.check(draft, house or house_rules_for())


def rule_choices() -> list[tuple[str, str]]:
    """The options an author may put on a "spot the problem" question: every rule, and "nothing is wrong"."""
    return [(rule.code, rule.quiz_label) for rule in checker.RULES] + [(NOTHING_WRONG, "Nothing is wrong")]


def spot_post_problem(sample_post: str, platform: str) -> str | None:
    """Why the checker cannot judge this sample post, or None: checked wherever spot questions are written."""
    if platform and platform not in checker.PLATFORMS:
        known = ", ".join(checker.PLATFORMS)
        return f"The platform “{platform[:30]}” is not one the post checker knows ({known})."
    try:
        checker.check(checker.Draft(text=sample_post, platform=platform or "x"))
    except checker.DraftError as problem:
        return f"The post checker cannot check its sample post: {problem}"
    return None


def _spot_house(house: checker.HouseRules | None, question: Question) -> checker.HouseRules:
    house = house or house_rules_for()
    return dataclasses.replace(house, sign_off="", pre_election=question.during_pre_election)


def spot_verdicts(question: Question, house: checker.HouseRules | None = None) -> dict[str, bool]:
    """For each rule code (and "none"), whether the checker flags it in the question's sample post."""
    draft = checker.Draft(text=question.sample_post, platform=question.platform or "x")
    report = checker.check(draft, _spot_house(house, question))
    flagged = report.rules_flagged
    verdicts = {rule.code: rule.code in flagged for rule in checker.RULES}
    verdicts[NOTHING_WRONG] = not flagged
    return verdicts


@transaction.atomic
def spot_question_sync(question: Question, house: checker.HouseRules | None = None) -> list[Option]:
    """Set each rule-naming option's "correct" flag from the checker; returns the options that changed."""
    if question.kind != Question.Kind.SPOT or spot_post_problem(question.sample_post, question.platform):
        return []  # nothing the checker can judge: the author's flags stand
    verdicts = spot_verdicts(question, house)
    options = list(question.options.all())
    # "Nothing is wrong" is wrong too when the author marked a problem the checker cannot see (tone, spelling).
    if any(option.is_correct for option in options if not option.rule):
        verdicts[NOTHING_WRONG] = False
    changed = []
    for option in options:
        if not option.rule:
            continue
        verdict = verdicts.get(option.rule)
        if verdict is not None and option.is_correct != verdict:
            option.is_correct = verdict
            changed.append(option)
    Option.objects.bulk_update(changed, ["is_correct"])
    return changed


def spot_questions_sync(house: checker.HouseRules | None = None) -> int:
    """Re-decide every spot question, after house rules change; returns how many questions changed."""
    house = house or house_rules_for()
    questions = Question.objects.filter(kind=Question.Kind.SPOT).exclude(sample_post="").prefetch_related("options")
    return sum(bool(spot_question_sync(question, house)) for question in questions)


@transaction.atomic
def house_rules_update(*, rules: HouseRules, by) -> int:
    """Save changed house rules and re-decide spot questions by them. Returns how many questions changed."""
    rules.updated_by = by
    rules.save()
    return spot_questions_sync()
