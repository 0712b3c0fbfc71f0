"""Support for the history tests: their URLconf, and logging through the services.

The history routes live in iepright/logbook/urls_history.py until the lead includes them; the
check-in and entry pages are built elsewhere. Until they exist, this URLconf adds stand-ins for
them so the history pages can link to them; once the real routes are there it uses those.
"""

from datetime import date
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, include, path, reverse

from iepright.accounts.models import User
from iepright.logbook import services
from iepright.logbook.models import Entry, Evidence
from iepright.plans.models import Provision
from tests.clock import AFTER_NOVEMBER, at
from tests.conftest import log_entry
from tests.images import PNG

ANY = UUID(int=1)
URLCONF = __name__


def log(provision: Provision, day: date, user: User, *, late: bool = False, **fields: Any) -> Entry:
    """Record an entry: on the evening of `day`, or at AFTER_NOVEMBER (the tests' now) when late."""
    return log_entry(provision, day, user, when=AFTER_NOVEMBER if late else at(day, 18), **fields)


def attach(entry: Entry, user: User, name: str = "IMG_1.png") -> Evidence:
    """Attach a small PNG to the entry through the service."""
    upload = SimpleUploadedFile(name, PNG, content_type="image/png")
    return services.add_evidence(entry, upload, user=user)


def _exists(name: str) -> bool:
    try:
        reverse(name, urlconf="iepright.urls", kwargs={"public_id": ANY})
    except NoReverseMatch:
        return False
    return True


def _stand_in(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return HttpResponse(f"stand-in {request.path}")


urlpatterns: list[URLPattern | URLResolver] = [path("", include("iepright.urls"))]
if not _exists("log_month"):
    urlpatterns.append(path("", include("iepright.logbook.urls_history")))
for name, route in (("checkin", "checkin"), ("entry_detail", "entry")):
    if not _exists(name):
        urlpatterns.append(path(f"stand-in/{route}/<uuid:public_id>/", _stand_in, name=name))


def test_it_resolves_every_history_route(settings):
    settings.ROOT_URLCONF = __name__
    paths = {
        name: reverse(name, kwargs={"public_id": ANY})
        for name in ("log_month", "log_day", "log_list", "log_provision", "checkin", "entry_detail")
    }
    assert paths["log_month"] == f"/children/{ANY}/log/month/"
    assert paths["log_provision"] == f"/provisions/{ANY}/log/"
