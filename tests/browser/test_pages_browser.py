"""The public pages in a real browser: they load cleanly, the charts draw the API's numbers, the
controls change the URL, and nothing scrolls sideways on a phone."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import PHONE

PAGES = {
    "home": "/",
    "claims": "/claims",
    "claim": "/claims/1",
    "speakers": "/speakers",
    "speaker": "/speakers/dario-amodei",
    "milestones": "/milestones",
    "milestone": "/milestones/agi",
    "movers": "/movers",
    "scores": "/scores",
    "about": "/about",
    "api": "/api",
}


def api(live_url: str, path: str) -> Any:
    with urllib.request.urlopen(live_url + path, timeout=30) as response:
        return json.load(response)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def points(page: Any, canvas: str, label: str | None = None) -> int:
    """How many points the chart on ``canvas`` draws (in the dataset ``label``, or in all of them)."""
    page.wait_for_function("id => window.Chart && Chart.getChart(id)", arg=canvas)
    return int(
        page.evaluate(
            """([id, label]) => Chart.getChart(id).data.datasets
             .filter(d => label === null || d.label === label)
             .reduce((n, d) => n + d.data.length, 0)""",
            [canvas, label],
        )
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_cleanly(page: Any, live_url: str, screenshot: Callable[..., Any], name: str) -> None:
    response = page.goto(live_url + PAGES[name])
    assert response is not None and response.status == 200
    assert page.locator("main h1").first.is_visible()
    assert page.locator("header nav a[href='/claims']").is_visible()
    assert page.locator("a[href='/admin/login']").count() == 1
    if page.locator("canvas").count():
        page.wait_for_function("() => document.documentElement.classList.contains('charts-ready')")
    screenshot(name)


@pytest.mark.parametrize("name", ["home", "claims", "claim", "speaker", "milestone", "api"])
def test_pages_fit_a_phone(
    new_page: Callable[..., Any], live_url: str, screenshot: Callable[..., Any], name: str
) -> None:
    page = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(live_url + PAGES[name])
    if page.locator("canvas").count():
        page.wait_for_function("() => document.documentElement.classList.contains('charts-ready')")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 390px wide"
    screenshot(f"phone-{name}")


def test_milestone_chart_draws_the_api_distribution(page: Any, live_url: str) -> None:
    body = api(live_url, "/api/v1/milestones/agi/distribution")
    page.goto(live_url + "/milestones/agi")
    assert points(page, "dist-chart", "Pooled forecast") == len(body["cdf"])
    assert points(page, "dist-chart", "Middle half (25–75%) of individual views") == len(body["band"])
    assert page.locator("[data-fig=counts]").inner_text() == f"{body['n_claims']} · {body['n_speakers']}"
    history = api(live_url, "/api/v1/milestones/agi/history")
    drawn = sum(1 for m in history["months"] if m["quantiles"]["0.5"] is not None)
    assert points(page, "history-chart", "Median") == drawn
    page.get_by_role("button", name="Arrival year (density)").click()
    assert points(page, "dist-chart") == len(body["cdf"]) - 1


def test_milestone_controls_redraw_and_change_the_url(page: Any, live_url: str) -> None:
    page.goto(live_url + "/milestones/agi")
    points(page, "dist-chart")
    page.select_option("#c-method", "median")
    page.wait_for_url("**/milestones/agi?method=median")
    page.select_option("#c-weighting", "equal")
    page.wait_for_function(
        "() => document.getElementById('dist-chart').dataset.loaded === 'method=median&weighting=equal'"
    )
    body = api(live_url, "/api/v1/milestones/agi/distribution?method=median&weighting=equal")
    assert page.locator("[data-fig=counts]").inner_text() == f"{body['n_claims']} · {body['n_speakers']}"
    page.fill("#c-as-of", "2020-01-01")
    page.check("#c-bounds")
    page.wait_for_function(
        "() => (document.getElementById('dist-chart').dataset.loaded || '').includes('include_bounds_only')"
    )
    assert query(page.url) == {
        "method": ["median"],
        "weighting": ["equal"],
        "as_of": ["2020-01-01"],
        "include_bounds_only": ["true"],
    }
    body = api(
        live_url,
        "/api/v1/milestones/agi/distribution?method=median&weighting=equal&as_of=2020-01-01&include_bounds_only=true",
    )
    assert page.locator("[data-fig=counts]").inner_text() == f"{body['n_claims']} · {body['n_speakers']}"
    page.reload()  # the URL alone reproduces the view
    assert page.locator("#c-method").input_value() == "median"
    assert page.locator("#c-bounds").is_checked()


def test_speaker_timeline_has_a_point_per_claim(page: Any, live_url: str) -> None:
    speaker = api(live_url, "/api/v1/speakers/dario-amodei")
    stances = [
        api(live_url, f"/api/v1/speakers/dario-amodei/stance?milestone={m['milestone']}&include_children=false")
        for m in speaker["milestones"]
    ]
    expected = sum(len(s["claims"]) for s in stances)
    left_out = sum(sum(s["left_out"].values()) for s in stances)  # claims not yet checked against a source
    page.goto(live_url + "/speakers/dario-amodei")
    assert points(page, "timeline-chart") == expected
    assert expected + left_out == speaker["claims"]
    assert page.locator("#timeline-table tbody tr").count() == expected


def test_claim_chart_draws_the_reading(page: Any, live_url: str) -> None:
    body = api(live_url, "/api/v1/claims/1")
    page.goto(live_url + "/claims/1")
    assert points(page, "claim-chart", "As the engine reads it") == len(body["interpretation"]["cdf"])


def test_claims_filters_sorting_and_pagination_change_the_url(page: Any, live_url: str) -> None:
    page.goto(live_url + "/claims?limit=10")
    total = api(live_url, "/api/v1/claims")["total"]
    assert page.locator("#result-count strong").inner_text() == str(total)
    page.get_by_role("link", name="Next page →").click()
    page.wait_for_url("**cursor=*")
    assert query(page.url)["page"] == ["2"]
    second = api(live_url, "/api/v1/claims?limit=10&cursor=" + query(page.url)["cursor"][0])
    assert page.locator("#claim-list .claim").first.get_attribute("data-claim-id") == str(second["claims"][0]["id"])

    page.goto(live_url + "/claims")
    page.select_option("#f-milestone", "agi")
    page.wait_for_url("**milestone=agi*")
    assert "cursor" not in page.url and "q=" not in page.url  # empty fields stay out of the address
    expected = api(live_url, "/api/v1/claims?milestone=agi")["total"]
    assert page.locator("#claim-list .claim").count() == min(expected, 50)
    page.select_option("#f-sort", "said_on")
    page.wait_for_url("**sort=said_on*")
    oldest = api(live_url, "/api/v1/claims?milestone=agi&sort=said_on&limit=1")["claims"][0]["id"]
    assert page.locator("#claim-list .claim").first.get_attribute("data-claim-id") == str(oldest)
    page.fill("#f-q", "decade")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**q=decade*")
    found = api(live_url, "/api/v1/claims?milestone=agi&sort=said_on&q=decade")["total"]
    assert page.locator("#result-count strong").inner_text() == str(found)
    csv = page.get_by_role("link", name="CSV").get_attribute("href") or ""
    assert query(csv)["q"] == ["decade"] and query(csv)["milestone"] == ["agi"] and query(csv)["format"] == ["csv"]


def test_unknown_pages_are_friendly(page: Any, live_url: str, page_errors: list[str]) -> None:
    response = page.goto(live_url + "/milestones/no-such-thing")
    assert response is not None and response.status == 404
    assert "No milestone" in page.locator("main").inner_text()
    page_errors.clear()  # the 404 itself is expected
