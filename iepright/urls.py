from django.urls import include, path

from iepright.api.api import api
from iepright.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("iepright.accounts.urls")),
    path("", include("iepright.plans.urls")),
    path("", include("iepright.correspondence.urls")),
    path("", include("iepright.logbook.urls")),
    path("", include("iepright.logbook.urls_history")),
    path("", include("iepright.reports.urls")),
]
