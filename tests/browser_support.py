"""Browser-test fixtures (loaded for the whole suite with -p tests.browser_support).

Real Chromium (Debian's package) driven by Playwright, with axe-core on every page visited.

Browser tests skip with a loud message where no Chromium can be had; with CI=true a missing
browser is a failure. Every request the page makes must go to our own server: anything else
(a CDN, a font host, analytics) fails the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (fixtures, assertions) are still synchronous, so Django's async guard must be relaxed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844}


def _no_browser() -> None:
    message = (
        "\n!!! Debian's chromium is not installed: browser tests are SKIPPED.\n"
        "!!! Install it with `apt-get install chromium` (make test does this as root).\n"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message + "!!! CI=true: a missing browser is a failure.")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if CHROMIUM is None:
        _no_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageChecker:
    """Collect axe violations, console errors and off-site requests for the pages visited."""

    def __init__(self, page: Any, origin: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.origin = origin
        self.axe = Axe()
        self.offsite: list[str] = []
        self.console_errors: list[str] = []
        self.checked: list[str] = []
        page.on("request", self._on_request)
        page.on("console", self._on_console)

    def _on_request(self, request: Any) -> None:
        url = request.url
        if url.startswith(("data:", "blob:")):
            return
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.offsite.append(url)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def log_in(self, user: Any) -> None:
        """Give the page a session for `user`, as if they had logged in (skips the form)."""
        from django.test import Client

        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        self.page.context.add_cookies([{"name": "sessionid", "value": session, "url": self.origin}])

    def axe_check(self) -> None:
        """Run axe on the current page and fail with a readable list of violations."""
        self.page.wait_for_load_state()  # never audit a page still being replaced
        results = self.axe.run(self.page)
        self.checked.append(self.page.url)
        if results.violations_count:
            pytest.fail(f"axe violations on {self.page.url}:\n{results.generate_report()}")
        assert not self.console_errors, f"console errors on {self.page.url}: {self.console_errors}"
        assert not self.offsite, f"third-party requests: {self.offsite}"


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Iterator[PageChecker]:
    """A phone-sized page (390×844) on the live server, with checks."""
    context = chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    checker = PageChecker(page, live_server.url)
    yield checker
    context.close()


def open_details(row: Any) -> None:
    """Open a check-in row's Details form: a plain link, the page loads again with that form."""
    row.get_by_role("link", name="Details").click()
    row.locator(".details-form").wait_for()
    row.page.wait_for_load_state()
