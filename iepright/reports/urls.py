"""Routes of the report pages and downloads; included at "" from iepright/urls.py."""

from django.urls import path

from iepright.reports.views import dashboard, downloads

urlpatterns = [
    path("children/<uuid:public_id>/reports/", dashboard.child_reports, name="child_reports"),
    path(
        "children/<uuid:public_id>/reports/<slug:kind>.pdf",
        downloads.child_report_pdf,
        name="child_report_pdf",
    ),
    path(
        "children/<uuid:public_id>/export.csv", downloads.child_export_csv, name="child_export_csv"
    ),
    path(
        "children/<uuid:public_id>/export.json",
        downloads.child_export_json,
        name="child_export_json",
    ),
]
