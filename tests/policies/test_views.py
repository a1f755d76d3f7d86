"""The policy pages through Django's test client: bad input, refusals, exports and query counts.

Query counts are asserted by comparing a small and a large organisation: a
page whose count grows with the number of documents or people fails.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import Acknowledgement, Category, Document, DocumentVersion
from policies.services import (
    acknowledgement_record,
    document_retire,
    draft_for,
    draft_save,
    draft_start,
    draft_submit,
    version_publish,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.policies.conftest import BODY, document_draft, publish_document, publish_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(second_comms_lead):
    return second_comms_lead


def page_text(response) -> str:
    return response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Query counts -----------------------------------------------------------------


def test_the_list_runs_the_same_queries_for_three_documents_or_thirty(client, staff, comms_lead):
    for n in range(3):
        publish_document(comms_lead, title=f"Guide {n}")
    client.force_login(staff)
    url = reverse("policies:list")
    client.get(url)
    small = count_queries(client, url)
    for n in range(3, 30):
        publish_document(comms_lead, title=f"Guide {n}")
    assert count_queries(client, url) == small
    assert count_queries(client, url + "?q=guide") == count_queries(client, url + "?q=comms")


def test_the_report_runs_the_same_queries_for_ten_people_or_sixty(client, comms_lead):
    document = document_draft(comms_lead, title="Policy")
    version = publish_draft(document, author=comms_lead)
    tree = [DepartmentFactory() for _ in range(2)]
    people = UserFactory.create_batch(10, department=tree[0])
    acknowledgement_record(version=version, person=people[0])
    client.force_login(comms_lead)
    url = reverse("policies:report", kwargs={"slug": document.slug})
    client.get(url)
    small = count_queries(client, url)
    more = UserFactory.create_batch(50, department=tree[1])
    for person in more[:20]:
        acknowledgement_record(version=version, person=person)
    for n in range(5):
        DepartmentFactory(name=f"Extra {n}")
    assert count_queries(client, url) == small
    response = client.get(url)
    report = response.context["report"]
    assert report.total == 61  # 60 staff and the comms lead
    assert report.acknowledged == 21


def test_the_home_page_runs_the_same_queries_whatever_is_owed(client, staff, comms_lead):
    client.force_login(staff)
    publish_document(comms_lead, title="First")
    client.get("/")
    small = count_queries(client, "/")
    for n in range(10):
        publish_document(comms_lead, title=f"Another {n}")
    assert count_queries(client, "/") == small
    assert page_text(client.get("/")).count("Read and acknowledge") == 11


# --- Acknowledging ------------------------------------------------------------------


def test_acknowledging_records_the_exact_version_and_clears_the_home_page(client, staff, comms_lead):
    document = document_draft(comms_lead)
    version = publish_draft(document, author=comms_lead)
    client.force_login(staff)
    assert "Read and acknowledge Social media policy" in page_text(client.get("/"))
    response = client.post(
        reverse("policies:acknowledge", kwargs={"slug": document.slug}), {"version": version.pk, "confirm": "on"}
    )
    assert response.status_code == 302
    acknowledgement = Acknowledgement.objects.get(person=staff)
    assert acknowledgement.version == version
    assert acknowledgement.kind == Acknowledgement.Kind.READ
    assert "Read and acknowledge" not in page_text(client.get("/"))


def test_confirming_without_the_tick_explains_what_to_do(client, staff, comms_lead):
    document = document_draft(comms_lead)
    version = publish_draft(document, author=comms_lead)
    client.force_login(staff)
    response = client.post(reverse("policies:acknowledge", kwargs={"slug": document.slug}), {"version": version.pk})
    assert response.status_code == 400
    assert "Tick the box to confirm you have read it" in page_text(response)
    assert not Acknowledgement.objects.exists()


def test_a_superseded_or_retired_version_cannot_be_acknowledged(client, staff, comms_lead):
    document = document_draft(comms_lead)
    first = publish_draft(document, author=comms_lead)
    draft = draft_start(document=document, author=comms_lead)
    draft_save(version=draft, editor=comms_lead, body=BODY + "\n\nMore.", change="minor", what_changed="",
               revision=draft.revision)  # fmt: skip
    publish_draft(document, author=comms_lead)
    client.force_login(staff)
    url = reverse("policies:acknowledge", kwargs={"slug": document.slug})
    response = client.post(url, {"version": first.pk, "confirm": "on"}, follow=True)
    assert "is superseded: only the current published version can be acknowledged" in page_text(response)
    document.refresh_from_db()
    document_retire(document=document, actor=comms_lead, reason="Replaced by the new code of conduct.")
    current = DocumentVersion.objects.get(document=document, major=1, minor=1)
    response = client.post(url, {"version": current.pk, "confirm": "on"}, follow=True)
    assert "is retired" in page_text(response)
    assert not Acknowledgement.objects.exists()


def test_a_major_version_shows_what_changed_to_people_who_read_the_last_one(client, staff, comms_lead):
    document = document_draft(comms_lead)
    first = publish_draft(document, author=comms_lead)
    acknowledgement_record(version=first, person=staff)
    draft = draft_start(document=document, author=comms_lead)
    draft_save(version=draft, editor=comms_lead, body=BODY + "\n\n## Elections\n\nTake care.", change="major",
               what_changed="A new section on elections.", revision=draft.revision)  # fmt: skip
    second = publish_draft(document, author=comms_lead)
    client.force_login(staff)
    text = page_text(client.get(reverse("policies:detail", kwargs={"slug": document.slug})))
    assert "You acknowledged version 1.0" in text
    assert "A new section on elections." in text
    compare = reverse("policies:compare", kwargs={"slug": document.slug})
    assert f"{compare}?from={first.pk}&amp;to={second.pk}" in text
    text = page_text(client.get(f"{compare}?from={first.pk}&to={second.pk}"))
    assert '<ins><span class="govuk-visually-hidden">Added: </span>## Elections</ins>' in text


# --- Writing ------------------------------------------------------------------------


def test_a_new_document_form_keeps_what_was_typed_when_it_is_wrong(client, comms_lead):
    document_draft(comms_lead, title="House style")
    client.force_login(comms_lead)
    response = client.post(
        reverse("policies:create"),
        {"title": "House style", "summary": "", "category": "guidance", "owner": "nobody@example.org",
         "is_for_everyone": "", "acknowledge_within_days": "14", "body": "## Kept\n\nMy careful words."},
    )  # fmt: skip
    assert response.status_code == 400
    text = page_text(response)
    for message in [
        "A document called House style already exists: choose another title",
        "Enter a one-sentence summary",
        "Nobody with the email address nobody@example.org is in the staff list",
        "Choose who it is for: everyone, or at least one department, role or public-facing staff",
    ]:
        assert message in text
    assert "My careful words." in text
    assert Document.objects.count() == 1


def test_a_title_that_is_also_a_page_address_gets_its_own_slug(client, comms_lead):
    client.force_login(comms_lead)
    response = client.post(
        reverse("policies:create"),
        {"title": "Drafts", "summary": "On drafts.", "category": "guidance", "owner": comms_lead.email,
         "is_for_everyone": "on", "acknowledge_within_days": "14", "body": "Text."},
    )  # fmt: skip
    assert response.status_code == 302
    assert Document.objects.get().slug == "drafts-document"


def test_the_preview_button_renders_without_saving(client, comms_lead):
    document = document_draft(comms_lead)
    client.force_login(comms_lead)
    url = reverse("policies:draft", kwargs={"slug": document.slug})
    response = client.post(url, {"action": "preview", "body": "## Fresh heading\n\n<script>alert(1)</script>",
                                 "revision": 1})  # fmt: skip
    assert response.status_code == 200
    text = page_text(response)
    assert '<h2 id="section-fresh-heading">Fresh heading</h2>' in text
    assert "<script>alert(1)</script>" not in text
    assert draft_for(document).body == BODY


def test_the_live_preview_sanitises_like_saving(client, comms_lead):
    client.force_login(comms_lead)
    response = client.post(reverse("policies:preview"), {"body": "[x](javascript:alert(1)) <img src=x onerror=y>"})
    assert response.status_code == 200
    text = page_text(response)
    assert "javascript:" not in text.split("[x]")[0]
    assert "<img" not in text
    assert 'href="javascript' not in text


def test_a_major_change_without_a_summary_is_refused_and_the_text_kept(client, comms_lead):
    document = document_draft(comms_lead)
    publish_draft(document, author=comms_lead)
    draft = draft_start(document=document, author=comms_lead)
    client.force_login(comms_lead)
    url = reverse("policies:draft", kwargs={"slug": document.slug})
    response = client.post(url, {"action": "save", "body": "Rewritten entirely.", "change": "major",
                                 "what_changed": "", "revision": draft.revision})  # fmt: skip
    assert response.status_code == 400
    assert "Say what changed: a major change needs a short summary" in page_text(response)
    assert "Rewritten entirely." in page_text(response)
    draft.refresh_from_db()
    assert draft.body == BODY


def test_the_second_of_two_editors_is_refused_and_loses_nothing(client, comms_lead, approver):
    document = document_draft(comms_lead)
    draft = draft_for(document)
    url = reverse("policies:draft", kwargs={"slug": document.slug})
    client.force_login(comms_lead)
    first = client.post(url, {"action": "save", "body": "First editor's words.", "revision": draft.revision})
    assert first.status_code == 302
    client.force_login(approver)
    second = client.post(url, {"action": "save", "body": "Second editor's words.", "revision": draft.revision})
    assert second.status_code == 409
    text = page_text(second)
    assert "saved this draft at" in text
    assert "Your text has not been saved" in text
    assert "Second editor&#x27;s words." in text  # still in the box
    # Their saved text is shown against what was typed, word by word.
    assert '<del><span class="govuk-visually-hidden">removed: </span>First</del>' in text
    assert '<ins><span class="govuk-visually-hidden">added: </span>Second</ins>' in text
    draft.refresh_from_db()
    assert draft.body == "First editor's words."
    # Having seen both, their next save goes through.
    again = client.post(
        url, {"action": "save", "body": "Merged words.", "revision": second.context["form"].data["revision"]}
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Merged words."


def test_a_policy_cannot_be_published_without_its_approver(client, comms_lead, approver):
    document = document_draft(comms_lead, category=Category.POLICY)
    client.force_login(comms_lead)
    publish_url = reverse("policies:publish", kwargs={"slug": document.slug})
    response = client.post(publish_url, follow=True)
    assert "A policy needs approval: send it to an approver first." in page_text(response)
    draft_submit(version=draft_for(document), actor=comms_lead, approver=approver)
    response = client.post(publish_url, follow=True)
    assert "You cannot approve your own draft" in page_text(response)
    assert Document.objects.get().current_version is None
    client.force_login(approver)
    response = client.post(publish_url, follow=True)
    assert "is published" in page_text(response)
    assert Document.objects.get().current_version.number == "1.0"


def test_the_approver_list_leaves_out_the_author(client, comms_lead, approver):
    document = document_draft(comms_lead, category=Category.POLICY)
    client.force_login(comms_lead)
    response = client.get(reverse("policies:submit", kwargs={"slug": document.slug}))
    approvers = list(response.context["form"].fields["approver"].queryset)
    assert approvers == [approver]
    response = client.post(reverse("policies:submit", kwargs={"slug": document.slug}), {"approver": comms_lead.pk})
    assert response.status_code == 400
    assert "Choose an approver from the list" in page_text(response)


# --- Oversight ---------------------------------------------------------------------


def test_the_not_acknowledged_list_downloads_as_csv(client, hr, comms_lead):
    document = document_draft(comms_lead)
    version = publish_draft(document, author=comms_lead)
    department = DepartmentFactory(name="Libraries")
    readers = UserFactory.create_batch(3, department=department)
    acknowledgement_record(version=version, person=readers[0])
    client.force_login(hr)
    response = client.get(reverse("policies:report", kwargs={"slug": document.slug}) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Name", "Email address", "Employee number", "Department", "Line manager"]
    emails = {row[1] for row in rows[1:]}
    assert {readers[1].email, readers[2].email} <= emails
    assert readers[0].email not in emails


def test_recording_for_someone_needs_a_known_person_and_a_reason(client, hr, staff, comms_lead):
    document = document_draft(comms_lead)
    publish_draft(document, author=comms_lead)
    client.force_login(hr)
    url = reverse("policies:record", kwargs={"slug": document.slug})
    response = client.post(url, {"person": "ghost@example.org", "kind": "exempt", "reason": ""})
    assert response.status_code == 400
    text = page_text(response)
    assert "Nobody with the email address ghost@example.org is in the staff list" in text
    assert "Give a reason: it is kept with the record" in text
    response = client.post(url, {"person": staff.email, "kind": "exempt", "reason": "On long-term leave."})
    assert response.status_code == 302
    record = Acknowledgement.objects.get(person=staff)
    assert (record.kind, record.recorded_by, record.reason) == ("exempt", hr, "On long-term leave.")
    history = page_text(client.get(reverse("policies:history", kwargs={"slug": document.slug})))
    assert "Recorded for someone: Exempt" in history
    assert "On long-term leave." in history


def test_the_owner_sees_the_report_without_a_role(client, comms_lead):
    owner = UserFactory()
    document = document_draft(comms_lead)
    document.owner = owner
    document.save(update_fields=["owner"])
    publish_draft(document, author=comms_lead)
    client.force_login(owner)
    assert client.get(reverse("policies:report", kwargs={"slug": document.slug})).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("policies:report", kwargs={"slug": document.slug})).status_code == 403


def test_the_print_page_has_the_text_and_version_without_navigation(client, staff, comms_lead):
    document = document_draft(comms_lead)
    publish_draft(document, author=comms_lead)
    client.force_login(staff)
    text = page_text(client.get(reverse("policies:print", kwargs={"slug": document.slug})))
    assert "Version 1.0, published" in text
    assert '<h2 id="section-purpose">Purpose</h2>' in text
    assert "govuk-service-navigation" not in text


def test_drafts_are_not_shown_to_staff(client, staff, comms_lead):
    document = document_draft(comms_lead)
    client.force_login(staff)
    assert client.get(reverse("policies:detail", kwargs={"slug": document.slug})).status_code == 403
    draft_url = reverse("policies:version", kwargs={"slug": document.slug, "pk": draft_for(document).pk})
    assert client.get(draft_url).status_code == 403


def test_a_draft_waiting_for_approval_is_on_the_approvers_home_page_until_decided(client, comms_lead, approver):
    document = document_draft(comms_lead, category=Category.POLICY)
    draft_submit(version=draft_for(document), actor=comms_lead, approver=approver)
    client.force_login(approver)
    assert "Approve or return Social media policy" in page_text(client.get("/"))
    client.force_login(comms_lead)
    assert "Approve or return" not in page_text(client.get("/"))
    version_publish(version=draft_for(document), actor=approver)
    client.force_login(approver)
    assert "Approve or return" not in page_text(client.get("/"))


def test_a_draft_waiting_for_approval_cannot_be_saved_over(client, comms_lead, approver):
    document = document_draft(comms_lead, category=Category.POLICY)
    draft = draft_for(document)
    draft_submit(version=draft, actor=comms_lead, approver=approver)
    client.force_login(comms_lead)
    url = reverse("policies:draft", kwargs={"slug": document.slug})
    response = client.post(url, {"action": "save", "body": "Sneaky change.", "revision": draft.revision}, follow=True)
    assert "This draft is waiting for approval: withdraw it before you change it." in page_text(response)
    draft.refresh_from_db()
    assert draft.body == BODY


def test_the_report_downloads_as_a_workbook_with_figures_and_names(client, hr, comms_lead):
    from openpyxl import load_workbook

    document = publish_document(comms_lead)
    department = DepartmentFactory(name="Libraries")
    readers = UserFactory.create_batch(3, department=department)
    acknowledgement_record(version=document.current_version, person=readers[0])
    client.force_login(hr)
    response = client.get(reverse("policies:report", kwargs={"slug": document.slug}) + "?format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="social-media-policy-v1.0-not-acknowledged.xlsx"'
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["By department", "Not acknowledged"]
    figures = list(workbook["By department"].iter_rows(values_only=True))
    assert ("Libraries", 3, 1, 2, 33) in figures
    assert figures[-1][0] == "Everyone"
    names = [row[1] for row in workbook["Not acknowledged"].iter_rows(min_row=2, values_only=True)]
    assert set(names) >= {readers[1].email, readers[2].email}
    assert readers[0].email not in names


def test_previewing_an_unfinished_new_document_judges_nothing_yet(client, comms_lead):
    client.force_login(comms_lead)
    response = client.post(reverse("policies:create"), {"preview": "1", "body": "## Only the text so far"})
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" not in text
    assert '<h2 id="section-only-the-text-so-far">Only the text so far</h2>' in text
    assert not Document.objects.exists()


def test_the_record_link_is_only_offered_to_those_who_may_record(client, comms_lead, hr):
    owner = UserFactory()
    document = publish_document(comms_lead, owner=owner)
    UserFactory()
    url = reverse("policies:report", kwargs={"slug": document.slug})
    record = reverse("policies:record", kwargs={"slug": document.slug})
    client.force_login(owner)
    assert record not in page_text(client.get(url))
    client.force_login(hr)
    assert record in page_text(client.get(url))
