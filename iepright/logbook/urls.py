from django.urls import path

from iepright.logbook.views import checkin, checkin_day, checkin_facts, entries, removal

urlpatterns = [
    # Check-in: the child's home screen, one day's provisions (?date=YYYY-MM-DD, today default)
    path("children/<uuid:public_id>/checkin/", checkin.checkin, name="checkin"),
    path("children/<uuid:public_id>/checkin/status/", checkin.set_status, name="checkin_status"),
    path(
        "children/<uuid:public_id>/checkin/details/",
        checkin.save_details,
        name="checkin_details",
    ),
    path("children/<uuid:public_id>/checkin/day/", checkin_day.mark_day, name="checkin_day"),
    path(
        "children/<uuid:public_id>/checkin/day-facts/",
        checkin_facts.save_day_facts,
        name="checkin_day_facts",
    ),
    path(
        "children/<uuid:public_id>/circumstances/new/",
        checkin.add_circumstance,
        name="circumstance_create",
    ),
    # Entries: one entry's state, evidence and revision history
    path("entries/<uuid:public_id>/", entries.entry_detail, name="entry_detail"),
    path("entries/<uuid:public_id>/delete/", entries.entry_delete, name="entry_delete"),
    path("evidence/<uuid:public_id>/", entries.evidence_download, name="evidence_download"),
    path("evidence/<uuid:public_id>/remove/", entries.evidence_remove, name="evidence_remove"),
    # Deleting what the log points at (logbook.removal keeps the log whole)
    path("contacts/<uuid:public_id>/delete/", removal.contact_delete, name="contact_delete"),
    path("children/<uuid:public_id>/delete/", removal.child_delete, name="child_delete"),
    path(
        "households/<uuid:public_id>/delete/",
        removal.household_delete,
        name="household_delete",
    ),
]
