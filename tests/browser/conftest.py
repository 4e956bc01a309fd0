"""Browser fixtures: the app served on loopback over a seeded scratch database, Debian's Chromium
driven by Playwright, pages that fail their test on any console error or failed request, and
screenshots saved to a folder printed at the end of the run.

Without /usr/bin/chromium the browser tests skip, unless REQUIRE_BROWSER=1 (as on CI), when they fail.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from forecasts.storage import migrate
from forecasts.storage.accounts import create_user
from forecasts.storage.db import make_engine, transaction
from forecasts.storage.exchange import load_bundle, read_seed_dir
from tests.conftest import ROOT, SEEDS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SCREENSHOTS = ROOT / "var" / "screenshots"
PASSWORD = "correct horse battery"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
_saved: list[Path] = []


def _require_browser() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed"
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"browser tests skipped: {reason} (set REQUIRE_BROWSER=1 to make this an error)")


@pytest.fixture(scope="session")
def live_url(new_database) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app on a free loopback port, over a migrated, seeded database with an editor and an admin."""
    from werkzeug.serving import make_server

    from webapp import create_app

    url: str = new_database("forecasts_browser")
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(sessionmaker(bind=engine)) as session:
        load_bundle(session, read_seed_dir(SEEDS), by="seed")
        create_user(session, "editor@example.org", PASSWORD, role="editor")
        create_user(session, "admin@example.org", PASSWORD, role="admin")
    engine.dispose()
    # The quote-first test serves its page on loopback, which production refuses to fetch.
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "browser-tests", "TESTING": True, "LINK_PREVIEW_ALLOW_PRIVATE": True}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["sessions"].kw["bind"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's), shared by the whole run."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class PageErrors(list[str]):
    """What went wrong in a test's pages: console errors, page errors and failed requests."""

    def watch(self, page: Any) -> None:
        page.on("console", lambda msg: self.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda res: self.append(f"HTTP {res.status}: {res.url}") if res.status >= 400 else None)

    def _failed(self, request: Any) -> None:
        # A request the browser itself cancels because the page navigated away (often the favicon)
        # is not a failure of the site; anything the server answers badly shows up as a status.
        if request.failure == "net::ERR_ABORTED":
            return
        self.append(f"request failed: {request.method} {request.url} ({request.failure})")


@pytest.fixture
def page_errors() -> PageErrors:
    """The errors seen so far; a test that expects one (a 404 page) clears it."""
    return PageErrors()


@pytest.fixture
def made_pages() -> list[Any]:
    return []


@pytest.fixture
def new_page(browser: Any, page_errors: PageErrors, made_pages: list[Any]) -> Iterator[Callable[..., Any]]:
    """Make pages (``viewport`` a dict of width and height); the test fails if any of them logged an error."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None, **options: Any) -> Any:
        context = browser.new_context(viewport=viewport or DESKTOP, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page_errors.watch(page)
        made_pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert list(page_errors) == [], "errors in the browser:\n" + "\n".join(page_errors)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page."""
    return new_page()


@pytest.fixture
def screenshot(made_pages: list[Any]) -> Callable[..., Path]:
    """``screenshot(name, page=None)``: save a full-page PNG of ``page`` (default: the test's latest page) as
    var/screenshots/``name``.png; the folder is printed at the end of the run."""

    def shoot(name: str, page: Any = None) -> Path:
        page = page or made_pages[-1]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _saved.append(path)
        return path

    return shoot


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _saved:
        terminalreporter.write_sep("-", "screenshots")
        terminalreporter.write_line(f"{len(set(_saved))} screenshots in {SCREENSHOTS}")
