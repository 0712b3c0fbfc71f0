"""Downloads of a child's record: the PDF reports, the log as CSV, the full record as JSON.

All are reads: every member may download (viewers too); an outsider gets 404. The file name
carries the child's name, but only in the response header: URLs hold UUIDs alone, so the
server's access log never shows who the child is. Responses are never cached.
"""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from iepright.logbook.services import today_for
from iepright.plans.access import get_child
from iepright.plans.models import Child
from iepright.reports import exports
from iepright.reports.forms import RangeForm, default_range, range_context


def attachment(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    """Return a response that the browser saves as `name`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


def pdf_module() -> Any:
    """Return iepright.reports.pdf (KINDS, render_report), imported when first needed."""
    return importlib.import_module("iepright.reports.pdf")


def report_language(requested: str | None) -> str:
    """Return the requested language if the site offers it, else the page's."""
    offered = {code for code, _name in settings.LANGUAGES}
    if requested in offered:
        return str(requested)
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in offered else settings.LANGUAGE_CODE


def requested_range(request: HttpRequest, child: Child) -> tuple[date, date] | str:
    """Return the range of `?from=&to=` (defaults as on the dashboard), or the error text."""
    default = default_range(range_context(child))
    data = {
        "from": request.GET.get("from") or default[0].isoformat(),
        "to": request.GET.get("to") or default[1].isoformat(),
    }
    form = RangeForm(data, default=default)
    chosen = form.range()
    if chosen is None:
        return " ".join(str(m) for errors in form.errors.values() for m in errors)
    return chosen


@login_required
@require_GET
@never_cache
def child_report_pdf(request: HttpRequest, public_id: UUID, kind: str) -> HttpResponse:
    """Return a PDF report (compliance, one-pager, binder) over `?from=&to=`, `?lang=`."""
    child = get_child(request.user, public_id).obj
    pdf = pdf_module()
    if kind not in pdf.KINDS:
        raise Http404("No such report.")
    chosen = requested_range(request, child)
    if isinstance(chosen, str):
        return HttpResponseBadRequest(chosen, content_type="text/plain; charset=utf-8")
    start, end = chosen
    content: bytes = pdf.render_report(
        kind, child=child, start=start, end=end, language=report_language(request.GET.get("lang"))
    )
    return attachment(content, "application/pdf", exports.filename(child, kind, start, end, "pdf"))


@login_required
@require_GET
@never_cache
def child_export_csv(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Return the log as CSV: every entry, or those in `?from=&to=` when both are given."""
    child = get_child(request.user, public_id).obj
    start = end = None
    if request.GET.get("from") or request.GET.get("to"):
        chosen = requested_range(request, child)
        if isinstance(chosen, str):
            return HttpResponseBadRequest(chosen, content_type="text/plain; charset=utf-8")
        start, end = chosen
    text = exports.entries_csv(child, start, end)
    name = exports.filename(child, "log", start or today_for(child), end, "csv")
    return attachment(text.encode("utf-8"), "text/csv; charset=utf-8", name)


@login_required
@require_GET
@never_cache
def child_export_json(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Return the child's full record as JSON, with the hash chain's verification."""
    child = get_child(request.user, public_id).obj
    name = exports.filename(child, "record", today_for(child), None, "json")
    return attachment(
        exports.record_json(child).encode("utf-8"), "application/json; charset=utf-8", name
    )
