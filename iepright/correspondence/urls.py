from django.urls import path

from iepright.correspondence import views

urlpatterns = [
    path("children/<uuid:public_id>/contacts/", views.contact_list, name="contact_list"),
    path("children/<uuid:public_id>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<uuid:public_id>/edit/", views.contact_edit, name="contact_edit"),
]
