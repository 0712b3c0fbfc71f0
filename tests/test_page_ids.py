"""Every page a parent can reach has unique ids, and every reference to an id finds it.

Two forms on one page whose fields share an id (both "id_name") make a label focus the other
form's field, and screen readers read the wrong help text: axe does not report it. This test
loads the demo household, follows every link a parent can follow from the dashboard (one page
per route and set of query parameters), and checks each page's ids and the attributes that
point at them: `label for`, `aria-describedby`, `aria-labelledby`, `aria-controls`, and links
to `#fragment`s.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from iepright.accounts.models import User
from iepright.plans.models import Child

# Downloads, and pages that do something when opened.
SKIP_ROUTES = {"logout", "evidence_download", "plan_document_download"}
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
            self.links.append(href)


def _problems(url: str, html: str) -> tuple[list[str], list[str]]:
    """Return what is wrong with the page's ids, and the page's links."""
    page = Page()
    page.feed(html)
    problems = [f"{url}: id {i!r} is used {n} times" for i, n in page.ids.items() if n > 1]
    problems += [
        f"{url}: {what} {ref!r} names no element" for what, ref in page.refs if ref not in page.ids
    ]
    return problems, [link.split("#")[0] for link in page.links]


def _route(url: str) -> tuple[str, tuple[str, ...]] | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return match.view_name, keys


@time_machine.travel(datetime(2026, 11, 20, 19, 0, tzinfo=ZoneInfo("America/Chicago")), tick=False)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_has_unique_ids_and_references_that_resolve(
    db, settings, tmp_path, capsys, language
):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo")
    capsys.readouterr()
    client = Client(headers={"Accept-Language": language})
    client.force_login(User.objects.get(email="rosa.alvarez@example.org"))
    queue, seen, problems, pages = ["/"], set(), [], 0
    while queue:
        url = queue.pop(0)
        route = _route(url)
        if route is None or route in seen or route[0] in SKIP_ROUTES:
            continue
        seen.add(route)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages += 1
        found, links = _problems(url, response.content.decode())
        problems += found
        queue += links
    # The pages a parent sees before logging in; filtered log and report pages (GET forms).
    anonymous = Client(headers={"Accept-Language": language})
    for url in ("/login/", "/signup/", "/password-reset/"):
        problems += _problems(url, anonymous.get(url).content.decode())[0]
    child = Child.objects.get(name="Maya Alvarez").public_id
    for url in (
        f"/children/{child}/log/entries/?status=not_delivered&date_from=2026-10-01&late_only=on",
        f"/children/{child}/reports/?from=2026-09-01&to=2026-11-20",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        problems += _problems(url, response.content.decode())[0]
    assert pages > 25, f"only {pages} pages were reached: {sorted(seen)}"
    assert not problems, "\n".join(problems)
