"""The demo's reports page on a 390×844 phone, in English and Spanish, in real Chromium.

Nothing that matters scrolls sideways: not the page, not the ledger's key columns (the service
and its minutes not delivered); the key figures are on screen; chart text is at least 12 px.
On a wide screen the tables are tables again, whole.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from iepright.plans.models import Child
from tests.browser_support import PHONE, PageChecker
from tests.clock import DEMO_EVENING, frozen
from tests.pages import demo_parent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each element: is any part outside the viewport, or inside a box that scrolls sideways?
OUTSIDE = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const box = el.getBoundingClientRect();
  let scroller = null;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && p.scrollWidth > p.clientWidth + 1) {
      scroller = p.className || p.tagName;
    }
  }
  return {text: el.textContent.trim().slice(0, 40), left: box.left, right: box.right,
          width: box.width, scroller};
}).filter((c) => c.width === 0 || c.left < 0 || c.right > innerWidth || c.scroller)"""

# How far each table's box scrolls sideways.
OVERFLOWING = """() => [...document.querySelectorAll(".table-wrap")].map((w) =>
  w.scrollWidth - w.clientWidth)"""

# The size each chart's text is drawn at on screen: its font size times the SVG's scale.
CHART_TEXT = """() => [...document.querySelectorAll("svg.chart text")].map((t) =>
  parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_reports_page_fits_a_phone_with_its_key_columns_on_screen(
    phone: PageChecker, live_server: Any, capsys: Any, language: str
) -> None:
    with frozen(DEMO_EVENING, tick=True):
        rosa = demo_parent(language)
        child = Child.objects.filter(household__memberships__user=rosa).first()
        assert child is not None
        page = phone.page
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        phone.log_in(rosa)
        page.goto(live_server.url + reverse("child_reports", args=[child.public_id]))
        assert page.locator("html").get_attribute("lang") == language
        phone.axe_check()  # as it opens, sections folded
        folded = page.evaluate("document.documentElement.scrollHeight")

        page.evaluate("document.querySelectorAll('main details').forEach((d) => (d.open = true))")
        phone.axe_check()  # every section open
        width = page.evaluate("document.documentElement.scrollWidth")
        height = page.evaluate("document.documentElement.scrollHeight")
        with capsys.disabled():
            print(
                f"\nreports page at {PHONE['width']} px ({language}): {width} px wide, "
                f"{folded} px tall as it opens, {height} px with every section open"
            )
        assert width <= page.evaluate("innerWidth")

        ledger = page.locator("#ledger")
        assert ledger.locator("tbody th").count() >= 1
        assert page.evaluate(OUTSIDE, "#ledger tbody th, #ledger td.not-delivered") == []
        assert page.evaluate(OUTSIDE, "#provision-stats tbody th, #provision-stats td") == []
        assert page.evaluate(OUTSIDE, ".chart-table tbody th, .chart-table td") == []
        # The key figures: the findings and the ledger's total minutes not delivered.
        first_finding = page.locator("ol.findings > li").first
        assert first_finding.is_visible()
        assert page.evaluate(OUTSIDE, "ol.findings > li, #ledger tfoot td.not-delivered") == []
        total = ledger.locator("tfoot td.not-delivered").first
        total.scroll_into_view_if_needed()
        assert total.is_visible() and total.bounding_box() is not None

        sizes = page.evaluate(CHART_TEXT)
        assert sizes and min(sizes) >= 12, sorted(sizes)[:5]

        # On a wide screen the cards are tables again, each whole in its box.
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.locator("#ledger thead").is_visible()
        assert max(page.evaluate(OVERFLOWING)) <= 1
