from django.urls import include, path

from iepright.api.api import api
from iepright.api.checkin_fast import View, entries_view
from iepright.health import healthz

api_urls = api.urls
# The daily check-in's fast path sits in front of the API's own route for the same URL and
# hands it every request it does not take (iepright/api/checkin_fast.py).
full_entries_route: View = next(
    p.callback
    for p in api_urls[0]
    if str(p.pattern) == "children/<uuidstr:child_id>/entries" and p.callback is not None
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/children/<uuid:child_id>/entries", entries_view(full_entries_route)),
    path("api/v1/", api_urls),
    path("", include("iepright.accounts.urls")),
    path("", include("iepright.plans.urls")),
    path("", include("iepright.correspondence.urls")),
    path("", include("iepright.logbook.urls")),
    path("", include("iepright.logbook.urls_history")),
    path("", include("iepright.reports.urls")),
]
