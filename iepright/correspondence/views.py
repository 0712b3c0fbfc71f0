"""The people at the child's school: list, add, change.

Deleting one is recorded in the log entries naming them: logbook/views/removal.py.
"""

from __future__ import annotations

import re
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iepright.accounts.access import Need
from iepright.correspondence.access import get_contact
from iepright.correspondence.forms import ContactForm
from iepright.correspondence.models import Contact
from iepright.plans.access import get_child

_EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|extension)\s*(\d+)\s*$")


def tel_href(phone: str) -> str:
    """Return a tel: link for a phone number as typed; "(512) 555-0100 ext. 12" works."""
    match = _EXTENSION.search(phone)
    main = phone[: match.start()] if match else phone
    digits = re.sub(r"[^\d+]", "", main)
    if not digits:
        return ""
    return f"tel:{digits};ext={match[1]}" if match else f"tel:{digits}"


@login_required
@require_GET
def contact_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_child(request.user, public_id)
    child = access.obj
    contacts = list(child.contacts.all())
    for contact in contacts:
        contact.tel = tel_href(contact.phone)  # type: ignore[attr-defined]
    return render(
        request,
        "correspondence/contact_list.html",
        {"child": child, "contacts": contacts, "can_write": access.can_write},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    child = get_child(request.user, public_id, Need.WRITE).obj
    form = ContactForm(
        request.POST if request.method == "POST" else None, instance=Contact(child=child)
    )
    if request.method == "POST" and form.is_valid():
        contact = form.save()
        messages.success(request, _("%(name)s is added to the contacts.") % {"name": contact.name})
        return redirect("contact_list", public_id=child.public_id)
    return render(
        request, "correspondence/contact_form.html", {"form": form, "child": child, "contact": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    contact = get_contact(request.user, public_id, Need.WRITE).obj
    form = ContactForm(request.POST if request.method == "POST" else None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s's details are saved.") % {"name": contact.name})
        return redirect("contact_list", public_id=contact.child.public_id)
    return render(
        request,
        "correspondence/contact_form.html",
        {"form": form, "child": contact.child, "contact": contact},
    )
