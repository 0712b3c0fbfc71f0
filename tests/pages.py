"""Every page of the demo household a parent can reach, for checks that run on all of them.

`crawl` follows the links a logged-in parent can follow from the dashboard, one page per route
and set of query parameters, plus the pages before logging in and a few GET-form results
(filtered log, a report range) no link leads to. tests/test_page_ids.py checks their ids;
tests/browser/test_every_page_browser.py runs axe on each in Chromium at phone width.
"""

from __future__ import annotations

import io
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from iepright.accounts.models import User
from iepright.plans.models import Child

DEMO_EMAIL = "rosa.alvarez@example.org"
# Downloads, and pages that do something when opened.
SKIP_ROUTES = {"logout", "evidence_download", "plan_document_download"}
ANONYMOUS = ("/login/", "/signup/", "/password-reset/")
REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


class Page(HTMLParser):
    """The ids of a page, what refers to ids, and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.refs: list[tuple[str, str]] = []  # (what refers, the id)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if found.get("id"):
            self.ids[found["id"]] += 1
        if tag == "label" and found.get("for"):
            self.refs.append(("label for", found["for"]))
        for name in REFERENCES:
            for ref in found.get(name, "").split():
                self.refs.append((name, ref))
        href = found.get("href", "")
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.refs.append(("a href", href[1:]))
        elif tag == "a" and href.startswith("/"):
            self.links.append(href.split("#")[0])


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def _route(url: str) -> tuple[str, tuple[str, ...]] | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return match.view_name, keys


def crawl(client: Client) -> list[tuple[str, str]]:
    """Return (url, html) of every page the logged-in `client` reaches from the dashboard,
    then the GET-form results no link leads to."""
    queue, seen, found = ["/"], set(), []
    while queue:
        url = queue.pop(0)
        route = _route(url)
        if route is None or route in seen or route[0] in SKIP_ROUTES:
            continue
        seen.add(route)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        found.append((url, html))
        queue += read(html).links
    child = Child.objects.get(name="Maya Alvarez").public_id
    for url in (
        f"/children/{child}/log/entries/?status=not_delivered&date_from=2026-10-01&late_only=on",
        f"/children/{child}/reports/?from=2026-09-01&to=2026-11-20",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        found.append((url, response.content.decode()))
    return found


def demo_parent(language: str) -> User:
    """Load the demo household and return its parent, who reads the site in `language`.

    The demo's printed login is kept out of the test's output.
    """
    call_command("demo", stdout=io.StringIO())
    parent = User.objects.get(email=DEMO_EMAIL)
    parent.language = language
    parent.save(update_fields=["language"])
    return parent
