"""Certificates in the browser: a member of staff opens theirs, downloads the PDF, and checks numbers.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory
from training.models import Completion, Course

NUMBER = "SG-7KQ4-MX2P-9TRW"


def submit(page, control):
    """Click a control that submits a form, and wait for the page the server sends back."""
    with page.expect_navigation():
        control.click()


def test_a_member_of_staff_opens_their_certificate_downloads_it_and_checks_numbers(
    page, assert_accessible, sign_in_as, staff
):
    course = Course.objects.create(
        title="Social media at work", slug="social-media-at-work", summary="Posting for the organisation."
    )
    Completion.objects.create(
        person=staff,
        course=course,
        completed_at=timezone.now() - datetime.timedelta(days=10),
        expires_on=timezone.localdate() + datetime.timedelta(days=355),
        certificate_number=NUMBER,
    )
    sign_in_as(page, staff)

    page.goto(f"/training/certificates/{NUMBER}/")
    certificate = page.get_by_test_id("certificate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate of completion")
    expect(certificate.get_by_test_id("person-name")).to_have_text("Sandy Staff")
    expect(certificate.get_by_test_id("course-title")).to_have_text("Social media at work")
    expect(certificate.get_by_test_id("certificate-number")).to_have_text(NUMBER)
    expect(certificate).to_contain_text("Valid until")
    expect(page.get_by_test_id("print-hint")).to_contain_text("print")
    assert_accessible(page)

    # Printing shows the certificate alone.
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print-hint")).to_be_hidden()
    expect(page.get_by_test_id("header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(certificate).to_be_visible()
    page.emulate_media(media="screen")

    pdf_href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    assert pdf_href == f"/training/certificates/{NUMBER}/pdf/"
    response = page.request.get(pdf_href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="certificate-{NUMBER}.pdf"'
    body = response.body()
    assert body.startswith(b"%PDF-")
    assert len(body) > 1000

    page.goto("/training/certificates/verify/")
    assert_accessible(page)

    number = page.get_by_label("Certificate number")
    number.fill("sg7kq4mx2p9trw")
    submit(page, page.get_by_role("button", name="Check certificate"))
    expect(page.get_by_test_id("valid")).to_contain_text("Valid: Sandy Staff completed Social media at work on")
    expect(page.get_by_test_id("valid")).to_contain_text("valid until")
    expect(page.get_by_label("Certificate number")).to_have_value("sg7kq4mx2p9trw")
    assert_accessible(page)

    page.get_by_label("Certificate number").fill("sg-2222-3333-4444")
    submit(page, page.get_by_role("button", name="Check certificate"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("No certificate has the number SG-2222-3333-4444: check it and try again")
    expect(page.locator("#id_number-error")).to_contain_text("No certificate has the number SG-2222-3333-4444")
    expect(page.get_by_label("Certificate number")).to_have_value("sg-2222-3333-4444")
    expect(page.get_by_test_id("result")).to_have_count(0)
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)

    page.get_by_label("Certificate number").fill("")
    submit(page, page.get_by_role("button", name="Check certificate"))
    expect(summary).to_contain_text("Enter a certificate number")
    assert_accessible(page)


def test_someone_else_s_certificate_is_not_found(page, assert_accessible, sign_in_as, staff):
    course = Course.objects.create(title="Online safety", slug="online-safety", summary="Staying safe online.")
    Completion.objects.create(person=staff, course=course, certificate_number=NUMBER)
    sign_in_as(page, UserFactory())

    response = page.goto(f"/training/certificates/{NUMBER}/")
    assert response.status == 404
    expect(page.get_by_text("Sandy Staff")).to_have_count(0)
    assert_accessible(page)
