"""axe and the 390-px layout on every page of the demo household, in Chromium on a phone.

The flows in the other browser tests visit the pages a task needs; this one visits every page a
parent can reach (tests/pages.py): an accessibility problem or a page wider than the phone on a
page no flow opens is still found.
"""

from typing import Any

import pytest
from django.test import Client

from tests.browser_support import PageChecker
from tests.clock import DEMO_EVENING, frozen
from tests.pages import ANONYMOUS, crawl, demo_parent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Wider than the screen only inside their own scrolling box (month grid, tables).
OVERFLOW = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_passes_axe_and_fits_a_phone(
    phone: PageChecker, live_server: Any, media: Any, language: str
) -> None:
    with frozen(DEMO_EVENING, tick=True):
        rosa = demo_parent(language)
        client = Client()
        client.force_login(rosa)
        urls = [url for url, _html in crawl(client)]
        page = phone.page
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for url in ANONYMOUS:
            page.goto(live_server.url + url)
            phone.axe_check()
        phone.log_in(rosa)
        wide = []
        for url in urls:
            page.goto(live_server.url + url)
            assert page.locator("html").get_attribute("lang") == language, url
            phone.axe_check()
            if page.evaluate(OVERFLOW) > 390:
                wide.append(f"{url}: {page.evaluate(OVERFLOW)} px")
    assert len(phone.checked) == len(urls) + len(ANONYMOUS)
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)
