from django.urls import path

from iepright.plans.views import calendars, children, plans, provisions

urlpatterns = [
    # Children
    path(
        "households/<uuid:household_id>/children/new/",
        children.child_create,
        name="child_create",
    ),
    path("children/<uuid:public_id>/", children.child_detail, name="child_detail"),
    path("children/<uuid:public_id>/edit/", children.child_edit, name="child_edit"),
    # Plan versions
    path("children/<uuid:public_id>/plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<uuid:public_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<uuid:public_id>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<uuid:public_id>/copy/", plans.plan_copy, name="plan_copy"),
    path("plans/<uuid:public_id>/delete/", plans.plan_delete, name="plan_delete"),
    path("plans/<uuid:public_id>/document/", plans.plan_document, name="plan_document"),
    path(
        "plans/<uuid:public_id>/document/download/",
        plans.plan_document_download,
        name="plan_document_download",
    ),
    # Provisions
    path(
        "plans/<uuid:public_id>/provisions/new/",
        provisions.provision_create,
        name="provision_create",
    ),
    path("provisions/<uuid:public_id>/edit/", provisions.provision_edit, name="provision_edit"),
    path("provisions/<uuid:public_id>/move/", provisions.provision_move, name="provision_move"),
    path("provisions/<uuid:public_id>/end/", provisions.provision_end, name="provision_end"),
    path(
        "provisions/<uuid:public_id>/delete/",
        provisions.provision_delete,
        name="provision_delete",
    ),
    # School calendar
    path("children/<uuid:public_id>/calendar/", calendars.calendar_page, name="calendar"),
    path(
        "children/<uuid:public_id>/calendar/new/",
        calendars.calendar_create,
        name="calendar_create",
    ),
    path("calendars/<uuid:public_id>/edit/", calendars.calendar_edit, name="calendar_edit"),
    path("calendars/<uuid:public_id>/delete/", calendars.calendar_delete, name="calendar_delete"),
    path("calendars/<uuid:public_id>/import/", calendars.calendar_import, name="calendar_import"),
    path("calendars/<uuid:public_id>/days/new/", calendars.event_create, name="event_create"),
    path("calendar-days/<uuid:public_id>/edit/", calendars.event_edit, name="event_edit"),
    path("calendar-days/<uuid:public_id>/delete/", calendars.event_delete, name="event_delete"),
]
