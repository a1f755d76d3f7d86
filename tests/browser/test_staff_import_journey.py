"""HR's first job in the browser: a CSV with errors, then a good one, applied."""

from pathlib import Path

from socialgov.people.models import Department, User

DATA = Path(__file__).resolve().parent.parent / "people" / "data"


def test_hr_imports_a_file_with_errors_then_a_good_one(page, assert_accessible, sign_in_as, hr):
    sign_in_as(page, hr)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="People").click()
    page.wait_for_url("**/people/")
    assert_accessible(page)
    page.get_by_role("link", name="Import the staff list").click()
    page.wait_for_url("**/people/import/")
    assert page.get_by_test_id("no-imports").is_visible()
    assert_accessible(page)

    # Submitting without a file keeps HR on the page with a clear message.
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)

    page.set_input_files("input[type=file]", str(DATA / "staff_with_errors.csv"))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/people/import/*/")
    errors = page.get_by_test_id("import-errors")
    assert errors.is_visible()
    text = errors.inner_text()
    assert "first_name" in text
    assert "GC9999" in text
    assert page.get_by_test_id("import-apply-form").count() == 0
    assert_accessible(page)
    assert not User.objects.filter(employee_number__startswith="GC2").exists()

    page.get_by_role("link", name="Upload a corrected file").click()
    page.wait_for_url("**/people/import/")
    assert_accessible(page)
    page.set_input_files("input[type=file]", str(DATA / "staff_good.csv"))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/people/import/*/")
    new_count = int(page.get_by_test_id("count-new").inner_text())
    assert new_count > 10
    assert_accessible(page)

    page.get_by_role("button", name="Apply these changes").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("message").first.is_visible()
    assert_accessible(page)
    assert User.objects.filter(employee_number__startswith="GC1").count() == new_count
    assert Department.objects.filter(name="Tenancy team").exists()
    chief = User.objects.get(employee_number="GC1001")
    assert chief.line_manager is None
    assert User.objects.filter(line_manager=chief).exists()
