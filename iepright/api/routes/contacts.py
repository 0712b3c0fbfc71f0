"""People at the child's school or district."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from iepright.accounts.access import Need
from iepright.api.common import Pagination, apply, client_of, save, user_of
from iepright.api.schemas import ERRORS, ContactIn, ContactOut, ContactPatch
from iepright.correspondence.access import get_contact
from iepright.correspondence.models import Contact
from iepright.logbook import removal
from iepright.plans.access import get_child

router = Router(tags=["contacts"])


@router.get("/children/{uuid:child_id}/contacts", response={200: list[ContactOut], **ERRORS})
@paginate(Pagination)
def list_contacts(request: HttpRequest, child_id: UUID) -> QuerySet[Contact]:
    """List the child's contacts by name."""
    child = get_child(user_of(request), child_id).obj
    return Contact.objects.filter(child=child).select_related("child").order_by("name", "id")


@router.post("/children/{uuid:child_id}/contacts", response={201: ContactOut, **ERRORS})
def create_contact(request: HttpRequest, child_id: UUID, payload: ContactIn) -> Status[Contact]:
    """Add a contact."""
    child = get_child(user_of(request), child_id, Need.WRITE).obj
    contact = Contact(child=child, **payload.model_dump())
    save(contact)
    return Status(201, contact)


@router.get("/contacts/{uuid:contact_id}", response={200: ContactOut, **ERRORS})
def get_contact_detail(request: HttpRequest, contact_id: UUID) -> Contact:
    """Return one contact."""
    return get_contact(user_of(request), contact_id).obj


@router.patch("/contacts/{uuid:contact_id}", response={200: ContactOut, **ERRORS})
def update_contact(request: HttpRequest, contact_id: UUID, payload: ContactPatch) -> Contact:
    """Change the fields sent."""
    contact = get_contact(user_of(request), contact_id, Need.WRITE).obj
    apply(contact, payload.model_dump(exclude_unset=True))
    return contact


@router.delete("/contacts/{uuid:contact_id}", response={204: None, **ERRORS})
def delete_contact(request: HttpRequest, contact_id: UUID) -> Status[None]:
    """Delete a contact.

    Log entries naming the contact are kept: each gets a revision that removes the link, keeps
    the name as who saw or reported it (when that was empty) and gives the reason.
    """
    user = user_of(request)
    contact = get_contact(user, contact_id, Need.WRITE).obj
    removal.delete_contact(contact, user=user, client=client_of(request))
    return Status(204, None)
