"""Every page a parent can reach has unique ids, and every reference to an id finds it.

Two forms on one page whose fields share an id (both "id_name") make a label focus the other
form's field, and screen readers read the wrong help text: axe does not report it. This test
loads the demo household, follows every link a parent can follow from the dashboard (one page
per route and set of query parameters), and checks each page's ids and the attributes that
point at them: `label for`, `aria-describedby`, `aria-labelledby`, `aria-controls`, and links
to `#fragment`s.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from iepright.accounts.models import User
from tests.clock import DEMO_EVENING
from tests.pages import ANONYMOUS, DEMO_EMAIL, crawl, read


def id_problems(url: str, html: str) -> list[str]:
    """Return what is wrong with the page's ids."""
    page = read(html)
    problems = [f"{url}: id {i!r} is used {n} times" for i, n in page.ids.items() if n > 1]
    return problems + [
        f"{url}: {what} {ref!r} names no element" for what, ref in page.refs if ref not in page.ids
    ]


@pytest.mark.frozen(DEMO_EVENING)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_has_unique_ids_and_references_that_resolve(db, media, capsys, language):
    call_command("demo")
    capsys.readouterr()
    client = Client(headers={"Accept-Language": language})
    client.force_login(User.objects.get(email=DEMO_EMAIL))
    pages = crawl(client)
    assert len(pages) > 25, f"only {len(pages)} pages were reached: {[u for u, _ in pages]}"
    anonymous = Client(headers={"Accept-Language": language})
    pages += [(url, anonymous.get(url).content.decode()) for url in ANONYMOUS]
    problems = [problem for url, html in pages for problem in id_problems(url, html)]
    assert not problems, "\n".join(problems)
