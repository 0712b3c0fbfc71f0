"""`manage.py report`: write one PDF report of a child's log, for scripts and batch use.

    python manage.py report --child <id or full name> --kind compliance|one-pager|binder \
        --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.pdf [--lang en|es]

The report is rendered in full before anything is written, so a failure leaves no file; the
file is written to a temporary name beside FILE and renamed over it.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from iepright.plans.models import Child
from iepright.reports.pdf import KINDS, render_report


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from None


def find_child(value: str) -> Child:
    """Return the child with this public id, or the one child with exactly this full name."""
    children = Child.objects.select_related("household")
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        matches = list(children.filter(name=value.strip())[:2])
        if not matches:
            raise CommandError(f"No child is named {value!r}.") from None
        if len(matches) > 1:
            raise CommandError(
                f"More than one child is named {value!r}; give the child's id (UUID) instead."
            ) from None
        return matches[0]
    child = children.filter(public_id=public_id).first()
    if child is None:
        raise CommandError(f"No child with id {value}.")
    return child


class Command(BaseCommand):
    help = "Write a PDF report (compliance, one-pager or binder) of a child's log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", required=True, help="The child's id (UUID) or full name.")
        parser.add_argument("--kind", required=True, help=f"One of: {', '.join(KINDS)}.")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        parser.add_argument("--lang", default="en", help="Language: en or es (default en).")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind not in KINDS:
            raise CommandError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}.")
        languages = [code for code, _name in settings.LANGUAGES]
        if options["lang"] not in languages:
            raise CommandError(
                f"--lang must be one of {', '.join(languages)}, not {options['lang']!r}."
            )
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        if end < start:
            raise CommandError(f"--to ({end.isoformat()}) is before --from ({start.isoformat()}).")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"The folder {str(out.parent)!r} does not exist.")
        child = find_child(options["child"])
        pdf = render_report(kind, child=child, start=start, end=end, language=options["lang"])
        handle, temp = tempfile.mkstemp(dir=out.parent, prefix=".report-", suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(pdf)
            os.replace(temp, out)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {out} ({len(pdf):,} bytes): {kind}, {start} to {end}.")
