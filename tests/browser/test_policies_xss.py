"""Hostile document text in a real browser: nothing an author writes runs in a reader's page.

A guidance document whose text is the whole XSS corpus (``tests/policies/xss_payloads.py``,
shared with the rendering tests) is published twice, then opened everywhere its text is
shown: the document page, the print page, the comparison of the two versions, search
results, and the editor's preview both without JavaScript (the "Preview the text" button)
and with it (the live preview). Each payload is used as written (``alert(1)``) and again
setting a canary (``window.__xss = 1``). On every page: no dialog opened, the canary is
unset, and the region holding the text has no script, frame, object, embed, style or
form element, no ``on*`` or ``style`` attribute, and no link to anything but http(s),
mailto or tel (the page's own links are http too). Every page is also checked with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from policies.models import Category, DocumentVersion
from policies.services import (
    acknowledgement_record,
    document_create,
    draft_for,
    draft_save,
    draft_start,
    version_publish,
)
from tests.policies.xss_payloads import XSS_PAYLOADS

CANARY = "window.__xss=1"
PAYLOADS = [*XSS_PAYLOADS, *(p.replace("alert(1)", CANARY) for p in XSS_PAYLOADS if "alert(1)" in p)]
# Paragraphs of their own, so each payload starts a block as an author would type it.
HOSTILE_BODY = "\n\n".join(PAYLOADS)
TITLE = "Comments <img src=x onerror=window.__xss=1> and abuse"
SLUG = "comments-and-abuse"
SUMMARY = '"><script>window.__xss=1</script> What to do about abusive comments.'
WHAT_CHANGED = "<svg onload=window.__xss=1> A closing paragraph was added."
SECOND_BODY = f"{HOSTILE_BODY}\n\n## What next\n\nAsk the communications team: click here."
INIT_SCRIPT = "**/socialgov/init*.mjs"

# Never in a document's text. The page around it has forms of its own, but no script, frame or plugin.
FORBIDDEN_IN_TEXT = "script, iframe, frame, frameset, object, embed, applet, style, link, meta, base, form, svg, math"
FORBIDDEN_IN_PAGE = "script, iframe, frame, frameset, object, embed, applet, style, link, meta, base, svg, math"

# Everything found in a region that should not be there; an empty list is the pass.
INSPECT = """([region, forbidden]) => {
    const found = [];
    for (const element of region.querySelectorAll(forbidden)) found.push(element.outerHTML.slice(0, 120));
    for (const element of [region, ...region.querySelectorAll("*")]) {
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            if (name.startsWith("on") || name === "srcdoc" || name === "formaction") {
                found.push(`${element.tagName} ${name}=${attribute.value.slice(0, 80)}`);
            }
        }
        for (const name of ["href", "src", "action", "data", "xlink:href"]) {
            const value = element.getAttribute(name);
            if (value === null) continue;
            let url = null;
            try {
                url = new URL(value, document.baseURI);
            } catch {
                // Not a URL a browser would follow: reported below all the same.
            }
            if (!url || !["http:", "https:", "mailto:", "tel:"].includes(url.protocol)) {
                found.push(`${element.tagName} ${name}=${value.slice(0, 80)}`);
            }
        }
    }
    return found;
}"""


def inspect(page, selector: str, forbidden: str) -> list[str]:
    region = page.locator(selector)
    expect(region).to_have_count(1)
    return page.evaluate(INSPECT, [region.element_handle(), forbidden])


@pytest.fixture
def dialogs(page):
    """Every alert, confirm or prompt the page opens (each is dismissed); there must be none."""
    opened = []

    def record(dialog):
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    return opened


@pytest.fixture
def hostile_document(comms_lead, staff):
    """Guidance published at 1.0 and 2.0 with the corpus as its text; staff acknowledged 1.0."""
    document = document_create(
        author=comms_lead,
        title=TITLE,
        slug=SLUG,
        summary=SUMMARY,
        category=Category.GUIDANCE,
        owner=comms_lead,
        body=HOSTILE_BODY,
    )
    first = version_publish(version=draft_for(document), actor=comms_lead)
    acknowledgement_record(version=first, person=staff)
    draft = draft_start(document=document, author=comms_lead)
    draft_save(
        version=draft,
        editor=comms_lead,
        body=SECOND_BODY,
        change=DocumentVersion.Change.MAJOR,
        what_changed=WHAT_CHANGED,
        revision=draft.revision,
    )
    second = version_publish(version=draft, actor=comms_lead)
    document.refresh_from_db()
    return document, first, second


def assert_nothing_ran(page, dialogs, region_selector=None):
    """The page is settled, no payload ran, and neither the text's region nor the page holds anything active."""
    page.wait_for_load_state("networkidle")
    assert dialogs == [], f"Dialogs opened on {page.url}: {dialogs}"
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"The canary was set on {page.url}"
    if region_selector:
        assert inspect(page, region_selector, FORBIDDEN_IN_TEXT) == [], f"Active content in {region_selector}"
        assert not page.locator(region_selector).locator("[style]").count(), f"Styles in {region_selector}"
    # Nothing elsewhere in the page either: the title, summary, "what changed" and query carry payloads too.
    assert inspect(page, "main", FORBIDDEN_IN_PAGE) == [], f"Active content in the page on {page.url}"


def test_hostile_text_is_inert_wherever_a_reader_sees_it(
    page, assert_accessible, sign_in_as, dialogs, hostile_document, staff
):
    _, first, second = hostile_document
    body = "[data-testid=document-body]"
    sign_in_as(page, staff)

    page.goto(f"/policies/{SLUG}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(body)).to_contain_text("<script>alert(1)</script>")
    expect(page.get_by_test_id("what-changed")).to_contain_text(WHAT_CHANGED)
    assert_accessible(page)
    assert_nothing_ran(page, dialogs, body)

    page.goto(f"/policies/{SLUG}/print/?version={second.pk}")
    expect(page.locator("main .sg-prose")).to_contain_text("<iframe srcdoc=")
    assert_accessible(page)
    assert_nothing_ran(page, dialogs, "main .sg-prose")

    page.goto(f"/policies/{SLUG}/compare/?from={first.pk}&to={second.pk}")
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text("<svg onload=alert(1)>")
    expect(comparison.locator("ins").first).to_contain_text("## What next")
    assert_accessible(page)
    assert_nothing_ran(page, dialogs, "[data-testid=comparison]")

    page.goto("/policies/?q=click")
    results = page.get_by_test_id("documents")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.locator("mark").first).to_have_text("click", ignore_case=True)
    assert_accessible(page)
    assert_nothing_ran(page, dialogs, "[data-testid=documents]")

    # The query itself is shown back on the page.
    page.goto("/policies/")
    assert_accessible(page)
    page.get_by_label("Search", exact=True).fill('"><img src=x onerror=window.__xss=1>')
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/policies/\?q=.+"))
    expect(page.locator("main")).to_contain_text('"><img src=x onerror=window.__xss=1>')
    assert_accessible(page)
    assert_nothing_ran(page, dialogs)

    # The list without a query shows the hostile summary.
    page.goto("/policies/")
    expect(page.get_by_test_id("documents")).to_contain_text(SUMMARY)
    assert_accessible(page)
    assert_nothing_ran(page, dialogs, "[data-testid=documents]")


def test_hostile_text_is_inert_in_the_editor_preview(page, assert_accessible, sign_in_as, dialogs, comms_lead):
    sign_in_as(page, comms_lead)
    preview = "[data-testid=preview]"

    # Without JavaScript: the "Preview the text" button renders it on the server.
    page.route(INIT_SCRIPT, lambda route: route.abort())
    page.goto("/policies/new/")
    assert_accessible(page)
    page.get_by_label("Text", exact=True).fill(f"{HOSTILE_BODY}\n\n## Button preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the text").click()
    expect(page.locator(f"{preview} h2").last).to_have_text("Button preview")
    expect(page.locator(preview)).to_contain_text("<script>alert(1)</script>")
    # The text box gives the author back exactly what they typed.
    assert page.get_by_label("Text", exact=True).input_value() == f"{HOSTILE_BODY}\n\n## Button preview"
    assert_accessible(page)
    assert_nothing_ran(page, dialogs, preview)
    page.unroute(INIT_SCRIPT)

    # With JavaScript: the live preview puts the server's answer into the page as the author types.
    page.goto("/policies/new/")
    expect(page.locator(preview)).to_contain_text("Nothing to preview yet.")
    page.get_by_label("Text", exact=True).fill(f"{HOSTILE_BODY}\n\n## Live preview")
    expect(page.locator(f"{preview} h2").last).to_have_text("Live preview")
    expect(page.locator(preview)).to_contain_text("<img src=x onerror=window.__xss=1>")
    assert_accessible(page)
    assert_nothing_ran(page, dialogs, preview)
