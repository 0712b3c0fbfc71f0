"""The report dashboard in real Chromium on a 390-px phone: fits, passes axe, shows progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from iepright.accounts.models import User
from iepright.plans.models import Child
from iepright.reports.views import downloads
from tests.browser_support import PageChecker
from tests.reports.reportlog import RANGE

pytestmark = pytest.mark.browser


def test_the_dashboard_fits_a_phone_passes_axe_and_shows_pdf_progress(
    phone: PageChecker,
    live_server: Any,
    owner: User,
    child: Child,
    report_log: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = Client()
    client.force_login(owner)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    phone.page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = phone.page
    page.goto(live_server.url + reverse("child_reports", args=[child.public_id]) + "?" + RANGE)
    assert page.get_by_role("img", name="Delivery rate per provision").count() == 1
    assert page.get_by_role("table", name="Delivery per provision").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.axe_check()

    class SlowPdf:
        KINDS = ("compliance", "one-pager", "binder")

        @staticmethod
        def render_report(kind: str, **_kwargs: Any) -> bytes:
            import time

            time.sleep(0.5)  # long enough to see the status while it builds
            return b"%PDF-1.7 fake"

    monkeypatch.setattr(downloads, "pdf_module", lambda: SlowPdf)
    status = page.locator("#download-status")
    with page.expect_download() as download:
        page.get_by_role("link", name="Compliance report (PDF)").click()
        assert "Preparing your report" in (status.text_content() or "")
    assert download.value.suggested_filename == (
        "maya-alvarez-compliance-2026-11-02-to-2026-11-20.pdf"
    )
    page.wait_for_function("!document.querySelector('[aria-busy]')")
    assert "ready" in (status.text_content() or "")
