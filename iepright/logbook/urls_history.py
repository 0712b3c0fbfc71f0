"""Routes of the log's history pages; the lead includes them next to iepright.logbook.urls."""

from django.urls import path

from iepright.logbook.views import history

urlpatterns = [
    path("children/<uuid:public_id>/log/month/", history.log_month, name="log_month"),
    path("children/<uuid:public_id>/log/day/", history.log_day, name="log_day"),
    path("children/<uuid:public_id>/log/entries/", history.log_list, name="log_list"),
    path("provisions/<uuid:public_id>/log/", history.log_provision, name="log_provision"),
]
