"""`python -m bench page`: what the check-in page weighs on a parent's first visit.

A throwaway SQLite database gets the demo household (`manage.py demo`); the demo parent's
check-in page for today is fetched through Django's test client, and so is every stylesheet,
script, image, icon and manifest it names, from our own server (whitenoise serving the app's
static folders, as in development). Prints the bytes of each kind (uncompressed), how many
requests a first visit makes, and every address that is not our own — there must be none: the
app makes no third-party request.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit


class Assets(HTMLParser):
    """The addresses a page loads by itself: stylesheets, scripts, images, icons, manifest."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (kind, address)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("href"):
            rel = values.get("rel", "")
            if "stylesheet" in rel:
                self.found.append(("css", values["href"]))
            elif any(word in rel for word in ("icon", "manifest", "preload")):
                self.found.append(("other", values["href"]))
        elif tag == "script" and values.get("src"):
            self.found.append(("js", values["src"]))
        elif tag == "img" and values.get("src"):
            self.found.append(("other", values["src"]))


def setup_django(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "iepright.settings"
    # Development mode only so that whitenoise serves the app's static folders without a
    # collectstatic; the page and its files are the same as in production.
    os.environ["DEBUG"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(folder / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    import django

    django.setup()


def body(response: object) -> bytes:
    """Return a response's bytes, streamed (whitenoise's files) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


def measure() -> dict[str, object]:
    """Return the check-in page's weight by kind, its request count and foreign addresses."""
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from iepright.accounts.models import User

    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=io.StringIO())
    parent = User.objects.get(email="rosa.alvarez@example.org")
    child = parent.memberships.get().household.children.order_by("pk").first()
    assert child is not None, "the demo household has no child"
    client = Client()
    client.force_login(parent)
    page = client.get(reverse("checkin", args=[child.public_id]))
    if page.status_code != 200:
        raise SystemExit(f"the check-in page answered {page.status_code}")
    html = body(page)
    parser = Assets()
    parser.feed(html.decode())
    weight = {"html": len(html), "css": 0, "js": 0, "other": 0}
    foreign: list[str] = []
    requests = 1
    for kind, address in dict.fromkeys(parser.found):
        parts = urlsplit(address)
        if parts.scheme or parts.netloc:
            foreign.append(address)
            continue
        response = client.get(address)
        if response.status_code != 200:
            raise SystemExit(f"{address} answered {response.status_code}")
        weight[kind] += len(body(response))
        requests += 1
    return {"weight": weight, "requests": requests, "foreign": foreign}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench page", description=__doc__)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="iepright-bench-page-") as tmp:
        setup_django(Path(tmp))
        result = measure()
    weight = result["weight"]
    assert isinstance(weight, dict)
    total = sum(weight.values())
    print("check-in page, first visit (uncompressed bytes)")
    for kind in ("html", "css", "js", "other"):
        print(f"  {kind:<6} {weight[kind]:>8,}")
    print(f"  {'total':<6} {total:>8,}  ({total / 1024:.1f} KiB)")
    print(f"requests: {result['requests']}")
    foreign = result["foreign"]
    assert isinstance(foreign, list)
    print(f"third-party requests: {len(foreign)}" + (f" {foreign}" if foreign else ""))
    return 1 if foreign else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
