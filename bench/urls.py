"""The app's URLs plus /bench/noop, the baseline served by the same gunicorn and middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from iepright.urls import urlpatterns as app_urlpatterns


def noop(request: HttpRequest) -> HttpResponse:
    """Answer at once: no database, no template — the floor of what any request costs."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/noop", noop), *app_urlpatterns]
