"""Forms for the people at school."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from iepright.correspondence.models import Contact
from iepright.plans.forms import ModelMessagesForm


class ContactForm(ModelMessagesForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "notes"]
        labels = {"name": _("Name"), "role": _("Role at school")}
        help_texts = {
            "role": _("For example: case manager, speech-language pathologist, principal."),
            "notes": _("For example: best time to reach them. Only your household sees this."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Enter the person's name.")
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"
        self.fields["notes"].widget.attrs["rows"] = 3
