"""The admin in a real browser: sign in, enter a claim with the suggestion and the preview, an edit
conflict between two pages, and a transcript import with a claim accepted."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.browser.conftest import PASSWORD, PageErrors

EXCERPT = (Path(__file__).parent.parent / "data" / "transcript_excerpt.txt").read_text(encoding="utf-8")


def sign_in(page: Any, live_url: str, email: str = "editor@example.org", then: str = "/admin/") -> None:
    page.goto(live_url + then)
    assert "/admin/login" in page.url
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(re.escape(live_url + then) + "$"))
    settle(page)


def settle(page: Any) -> None:
    """Wait for the page's last requests (its icon), so that leaving it aborts none of them."""
    page.wait_for_load_state("networkidle")


def expect_only(page_errors: PageErrors, status: int) -> None:
    """Drop the errors a test provoked on purpose (an HTTP status), keeping any others."""
    page_errors[:] = [e for e in page_errors if not e.startswith(f"HTTP {status}:") and f"status of {status} " not in e]


def test_sign_in_and_out(page: Any, live_url: str, screenshot: Callable[..., Any]) -> None:
    sign_in(page, live_url)
    assert page.locator("h1").inner_text() == "Claims"
    assert "editor@example.org" in page.locator(".admin-nav").inner_text()
    assert page.locator("a[href='/admin/users']").count() == 0  # not for editors
    screenshot("admin-claims")
    page.click("text=Sign out")
    page.wait_for_url(re.compile(r"/admin/login$"))
    settle(page)
    page.goto(live_url + "/admin/trash")
    assert "/admin/login?next=/admin/trash" in page.url


def test_enter_a_claim_with_the_suggestion_and_the_preview(
    page: Any, live_url: str, screenshot: Callable[..., Any]
) -> None:
    sign_in(page, live_url, then="/admin/claims/new")
    page.select_option("#speaker", "dario-amodei")
    page.fill("#said_on", "2024-04-12")
    page.fill("#quote", "I think ASL 4 could happen anywhere from 2025 to 2028, said in the browser test.")
    assert page.locator("#points").is_hidden() and page.locator("#year_low").is_visible()  # window by default
    page.click("#suggest")
    page.wait_for_selector("#suggestion mark")
    assert "2025 to 2028" in " ".join(page.locator("#suggestion mark").all_inner_texts())
    assert page.input_value("#kind") == "window"
    assert (page.input_value("#year_low"), page.input_value("#year_high")) == ("2025", "2028")
    assert page.input_value("#milestone") == "asl-4"
    page.select_option("#kind", "upper_bound")
    assert page.locator("#year_low").is_hidden() and page.locator("#year_high").is_visible()
    page.select_option("#kind", "window")
    page.click("#preview-button")
    page.wait_for_selector("#preview")
    assert page.locator("#preview svg.chart polyline.cdf").count() == 1
    assert "With this claim" in page.locator("#aggregate-move").inner_text()
    assert page.input_value("#year_high") == "2028"  # the form keeps what was entered
    screenshot("admin-claim-preview")
    page.click("#save-button")
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    assert "said in the browser test" in page.content()


def test_an_edit_conflict_between_two_pages(
    new_page: Callable[..., Any], live_url: str, page_errors: PageErrors, screenshot: Callable[..., Any]
) -> None:
    first = new_page()
    sign_in(first, live_url)
    first.fill("#q", "Amodei")
    first.click("text=Search")
    edit = first.locator("a", has_text="edit").first.get_attribute("href")
    second = first.context.new_page()
    page_errors.watch(second)
    settle(first)
    first.goto(live_url + edit)
    second.goto(live_url + edit)
    second.fill("#notes", "saved first, from the second page")
    second.click("#save-button")
    second.wait_for_url(re.compile(r"/claims/\d+$"))
    first.fill("#notes", "saved second, from the first page")
    first.click("#save-button")
    first.wait_for_selector("#conflict")
    text = first.locator("#conflict").inner_text()
    assert "saved first, from the second page" in text and "saved second, from the first page" in text
    screenshot("admin-edit-conflict", first)
    settle(first)
    first.goto(live_url + edit)
    assert first.input_value("#notes") == "saved first, from the second page"  # nothing was overwritten
    expect_only(page_errors, 409)  # the conflict page is answered 409 Conflict on purpose


def test_transcript_import_with_accept(page: Any, live_url: str, screenshot: Callable[..., Any]) -> None:
    sign_in(page, live_url, then="/admin/import")
    page.fill("#transcript", EXCERPT)
    page.fill("#said_on", "2024-04-18")
    page.select_option("#narrator", "ai-explained")
    page.fill("#source_title", "Browser test transcript")
    page.select_option("#source_kind", "video")
    page.fill("#published_on", "2024-04-18")
    page.click("#find-forecasts")
    page.wait_for_selector(".candidate")
    candidate = page.locator(".candidate", has_text="ASL 4 could happen anywhere from 2025 to 2028")
    assert "At 00:16:25" in candidate.locator("> legend").inner_text()
    candidate.locator("input[type=radio][value=accept]").check()
    candidate.locator("summary").click()
    assert candidate.locator("select[data-role=kind]").input_value() == "window"
    screenshot("admin-import-review")
    page.click("#save-accepted")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "Saved 1 unverified claims from browser-test-transcript-2024-04-18" in page.locator(".flashes").inner_text()


def test_quote_first_entry_from_a_quote_and_its_link(
    page: Any, live_url: str, page_server: str, screenshot: Callable[..., Any]
) -> None:
    """A real claim (Amodei on ASL-4, The Ezra Klein Show, 2024-04-12) entered from its words and link.

    Typed by hand: the quote, the link, the speaker and the timestamp (4 fields). Before the form
    read links and put the quote first, the same claim took 8: the speaker, the date, the quote,
    the new source's title, kind, URL and date, and the timestamp.
    """
    link = f"{page_server}/ezra-klein-amodei.html"
    sign_in(page, live_url, then="/admin/claims/new")
    typed = []

    def type_into(selector: str, value: str) -> None:
        typed.append(selector)
        page.fill(selector, value)

    type_into("#quote", "I think ASL 4 could happen anywhere from 2025 to 2028.")
    type_into("#link", link)
    page.click("#suggest")
    page.wait_for_selector("#suggestion mark")
    assert page.input_value("#milestone") == "asl-4"
    assert (page.input_value("#kind"), page.input_value("#year_low"), page.input_value("#year_high")) == (
        "window", "2025", "2028",
    )  # fmt: skip
    assert page.input_value("#said_on") == "2024-04-12"
    assert page.input_value("#new_source_title") == "What if Dario Amodei Is Right About A.I.?"
    assert page.input_value("#new_source_url") == link
    assert page.input_value("#new_source_published_on") == "2024-04-12"
    assert page.input_value("#new_source_kind") == "article"
    typed.append("#speaker")
    page.select_option("#speaker", "dario-amodei")
    type_into("#locator", "00:16:25")
    screenshot("admin-quote-first")
    page.click("#save-button")
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    assert "ASL 4 could happen anywhere from 2025 to 2028" in page.content()
    assert "What if Dario Amodei Is Right About A.I.?" in page.content()
    assert len(typed) == 4
