"""The post checker page, its settings page, and how house rules and election dates reach the checks."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from training import checker
from training.models import ElectionPeriod, HouseRules, Option, Question, QuestionCategory
from training.post_checks import house_rules_for, spot_question_sync

pytestmark = pytest.mark.django_db

URL = "/training/checker/"
SETTINGS_URL = "/training/checker/settings/"


def check_as(client, person, **data):
    client.force_login(person)
    return client.post(URL, {"platform": "x", **data})


def rules_of(response) -> list[str]:
    return [finding.rule for _, finding, _, _ in response.context["findings"]]


def test_the_page_offers_every_platform(client, staff):
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 200
    platforms = [value for value, _ in response.context["form"].fields["platform"].choices]
    assert set(platforms) == set(checker.PLATFORMS)
    assert response.context["report"] is None


def test_a_draft_gets_its_findings_marked_and_explained(client, staff):
    response = check_as(client, staff, text="Pls come 2 the library open day, it is GR8!!!")

    assert response.status_code == 200
    found = rules_of(response)
    assert {"text_speak", "all_caps", "exclamations"} <= set(found)
    html = response.content.decode()
    assert '<mark class="sg-mark sg-mark--' in html
    assert 'data-rule="text_speak"' in html
    marked = "".join(s.text for s in response.context["segments"])
    assert marked == "Pls come 2 the library open day, it is GR8!!!"


def test_a_clean_draft_says_so(client, staff):
    response = check_as(client, staff, text="The library is open until 8pm on Thursday.")

    assert rules_of(response) == []
    assert 'data-testid="all-clear"' in response.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Paste or type the post you want to check"),
        ("   \n  ", "this one is only spaces"),
    ],
)
def test_empty_drafts_get_a_clear_message(client, staff, text, message):
    response = check_as(client, staff, text=text)

    assert response.status_code == 200
    assert message in response.context["form"].errors["text"][0]
    assert response.context["report"] is None


def test_an_enormous_draft_gets_a_clear_message_and_is_kept(client, staff):
    text = "word " * (checker.MAX_DRAFT_CHARS // 5 + 10)

    response = check_as(client, staff, text=text)

    assert f"takes up to {checker.MAX_DRAFT_CHARS:,}" in response.context["form"].errors["text"][0]
    assert response.context["form"]["text"].value() == text


def test_an_unknown_platform_is_refused(client, staff):
    response = check_as(client, staff, text="Hello", platform="myspace")

    assert "platform" in response.context["form"].errors


def test_an_image_without_alt_text_is_flagged(client, staff):
    response = check_as(client, staff, text="Our new park opens today.", image_attached="on")

    assert "alt_text" in rules_of(response)
    response = check_as(
        client, staff, text="Our new park opens today.", image_attached="on", alt_text="Children on a climbing frame."
    )
    assert "alt_text" not in rules_of(response)


def test_settings_are_for_comms_leads(client, staff, comms_lead):
    client.force_login(staff)
    assert client.get(SETTINGS_URL).status_code == 403
    client.force_login(comms_lead)
    assert client.get(SETTINGS_URL).status_code == 200


def save_rules(client, person, **values):
    client.force_login(person)
    data = {"rules-banned": "", "rules-cautioned": "", "rules-sign_off": "", "rules-allowed_contacts": "",
            "rules-mastodon_limit": "500"}  # fmt: skip
    data.update({f"rules-{key}": value for key, value in values.items()})
    return client.post(SETTINGS_URL, data)


def test_house_rules_set_by_a_comms_lead_apply_to_everyone(client, staff, comms_lead):
    response = save_rules(client, comms_lead, banned="rubbish\n  \nRubbish", cautioned="utilise", sign_off="^Parks")

    assert response.status_code == 302
    rules = HouseRules.current()
    assert rules.banned_list() == ("rubbish",)
    assert rules.updated_by == comms_lead
    assert rules.history.count() >= 1

    found = rules_of(check_as(client, staff, text="Please utilise the new rubbish bins."))
    assert {"banned_word", "cautioned_word", "sign_off"} <= set(found)


def test_a_bad_mastodon_limit_is_refused_and_nothing_is_lost(client, comms_lead):
    response = save_rules(client, comms_lead, banned="rubbish", mastodon_limit="0")

    assert response.status_code == 200
    assert "between 1 and 100,000" in response.context["rules_form"].errors["mastodon_limit"][0]
    assert response.context["rules_form"]["banned"].value() == "rubbish"
    assert HouseRules.current().banned == ""


def add_period(client, person, **values):
    client.force_login(person)
    return client.post(SETTINGS_URL, {f"period-{key}": value for key, value in values.items()})


def test_a_pre_election_period_flags_political_content_while_it_is_on(client, staff, comms_lead):
    text = "Remember to vote in the council election on Thursday."
    assert "pre_election" not in rules_of(check_as(client, staff, text=text))

    today = timezone.localdate()
    response = add_period(
        client, comms_lead, name="By-election", starts_on=today.isoformat(),
        ends_on=(today + datetime.timedelta(days=20)).isoformat(),
    )  # fmt: skip
    assert response.status_code == 302

    response = check_as(client, staff, text=text)
    assert "pre_election" in rules_of(response)
    assert 'data-testid="election-on"' in response.content.decode()


def test_a_period_that_ends_before_it_starts_is_refused(client, comms_lead):
    response = add_period(client, comms_lead, name="Backwards", starts_on="2027-05-06", ends_on="2027-03-01")

    assert response.status_code == 200
    assert response.context["period_form"].errors["ends_on"] == ["The end must be on or after the start"]
    assert not ElectionPeriod.objects.exists()


def test_a_period_can_be_removed_but_only_by_post(client, comms_lead):
    period = ElectionPeriod.objects.create(
        name="Old", starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2026, 5, 7)
    )
    client.force_login(comms_lead)
    url = reverse("training:election-period-delete", kwargs={"pk": period.pk})

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not ElectionPeriod.objects.exists()


def test_house_rules_for_a_day_outside_any_period_is_not_pre_election():
    ElectionPeriod.objects.create(name="May", starts_on=datetime.date(2027, 3, 15), ends_on=datetime.date(2027, 5, 6))

    assert house_rules_for(datetime.date(2027, 3, 14)).pre_election is False
    assert house_rules_for(datetime.date(2027, 3, 15)).pre_election is True
    assert house_rules_for(datetime.date(2027, 5, 6)).pre_election is True
    assert house_rules_for(datetime.date(2027, 5, 7)).pre_election is False


def spot(sample_post: str, rules: list[str], **fields) -> Question:
    category, _ = QuestionCategory.objects.get_or_create(name="Spotting")
    question = Question.objects.create(
        category=category, kind="spot", text="What is wrong?", sample_post=sample_post, **fields
    )
    for order, rule in enumerate(rules):
        # Authors' flags start wrong on purpose: the checker, not the author, decides.
        Option.objects.create(question=question, text=rule, rule=rule, is_correct=rule == "none", order=order)
    return question


def correct_rules(question: Question) -> set[str]:
    return set(question.options.filter(is_correct=True).values_list("rule", flat=True))


def test_spot_questions_are_decided_by_the_checker():
    question = spot("PLS COME 2 THE FAIR!!!", ["all_caps", "exclamations", "email", "none"])

    spot_question_sync(question)

    assert correct_rules(question) == {"all_caps", "exclamations"}


def test_a_clean_sample_post_makes_nothing_wrong_the_answer():
    question = spot("The library is open until 8pm on Thursday.", ["all_caps", "none"])

    spot_question_sync(question)

    assert correct_rules(question) == {"none"}


def test_spot_questions_set_in_a_pre_election_period_do_not_depend_on_the_calendar():
    text = "Vote for the Labour candidate in Thursday's council election."
    during = spot(text, ["pre_election", "none"], during_pre_election=True)
    outside = spot(text, ["pre_election", "none"])

    spot_question_sync(during)
    spot_question_sync(outside)

    assert "pre_election" in correct_rules(during)
    assert "pre_election" not in correct_rules(outside)


def test_changing_house_rules_re_decides_spot_questions(client, comms_lead):
    question = spot("Please utilise the car park.", ["cautioned_word", "none"])
    spot_question_sync(question)
    assert correct_rules(question) == {"none"}

    response = save_rules(client, comms_lead, cautioned="utilise", sign_off="^Comms")

    assert correct_rules(question) == {"cautioned_word"}  # the sign-off is not asked of sample posts
    assert "The answers to 1 spot-the-problem question changed" in " ".join(
        m.message for m in response.wsgi_request._messages
    )


def test_a_problem_that_is_the_whole_draft_is_still_marked(client, staff):
    response = check_as(client, staff, text="GR8")

    assert [s.severity is not None for s in response.context["segments"]] == [True]


def test_line_breaks_from_the_browser_count_once(client, staff):
    response = check_as(client, staff, text="line\r\n" * 3, platform="instagram")

    assert response.context["report"].length == len("line\n" * 3)


def test_thousands_of_findings_are_marked_in_one_pass(client, staff):
    text = "pls " * 4000

    response = check_as(client, staff, text=text)

    segments = response.context["segments"]
    assert "".join(s.text for s in segments) == response.context["report"].text
    numbers = [n for s in segments for n in s.numbers]
    marked = {n for n, f, _, _ in response.context["findings"] if f.end > f.start and not f.whole}
    assert len(numbers) == len(set(numbers))  # each number shown once, where its finding ends
    assert set(numbers) == marked
    assert len(marked) > 3000
