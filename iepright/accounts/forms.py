"""Forms for signing up, signing in, households, sharing and account settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from iepright.accounts import emails
from iepright.accounts.models import Household, Membership, Role, User

LANGUAGES = [("en", "English"), ("es", "Español")]

# Most households using IEP Right are in the US; their zones come first with plain names.
US_TIMEZONES = [
    ("America/New_York", _("Eastern time (New York)")),
    ("America/Chicago", _("Central time (Chicago)")),
    ("America/Denver", _("Mountain time (Denver)")),
    ("America/Phoenix", _("Arizona, no daylight saving (Phoenix)")),
    ("America/Los_Angeles", _("Pacific time (Los Angeles)")),
    ("America/Anchorage", _("Alaska time (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii time (Honolulu)")),
    ("America/Puerto_Rico", _("Atlantic time (Puerto Rico)")),
]

# Plain words, not the validators' HTML list: the help text sits inside a paragraph.
PASSWORD_HELP = _("At least 10 characters. Not a common password, and not only numbers.")


# Names in the time zone database that are no place a school is: offered, they are picked by
# mistake ("Factory" is UTC with "-00" as its abbreviation; "localtime" is the server's zone).
NOT_PLACES = {"Factory", "localtime", "posixrules"}


def timezone_choices() -> list[tuple[Any, Any]]:
    """Return the grouped time zone choices: common US zones, then every other IANA zone."""
    common = {value for value, _label in US_TIMEZONES}
    others = sorted(available_timezones() - common - NOT_PLACES)
    return [
        (_("Common in the United States"), US_TIMEZONES),
        (_("All time zones"), [(name, name.replace("_", " ")) for name in others]),
    ]


def _autocomplete(field: forms.Field, value: str) -> None:
    field.widget.attrs["autocomplete"] = value


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), help_text=_("You will use this to log in."), max_length=254
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput, help_text=PASSWORD_HELP
    )
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="en")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _autocomplete(self.fields["name"], "name")
        _autocomplete(self.fields["email"], "email")
        _autocomplete(self.fields["password1"], "new-password")
        _autocomplete(self.fields["password2"], "new-password")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email already exists. Log in, or reset your password.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def save(self) -> User:
        data = self.cleaned_data
        return User.objects.create_user(
            email=data["email"],
            password=data["password1"],
            name=data["name"],
            language=data["language"],
        )


class LoginForm(auth_forms.AuthenticationForm):
    """Log in with email and password; the email is matched case-insensitively."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["username"]
        email.label = _("Email")
        email.widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.fields["password"].label = _("Password")
        self.error_messages["invalid_login"] = _(
            "That email and password do not match an account. Check both and try again."
        )

    def clean(self) -> dict[str, Any]:
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = self.cleaned_data["username"].strip().lower()
        return super().clean()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Send the reset link through our email templates, with a link on SITE_URL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        emails.send(
            "password-reset",
            to_email,
            {"user": context["user"], "reset_url": settings.SITE_URL + path},
        )


class SetPasswordForm(auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("New password again")


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("New password again")


class HouseholdForm(forms.ModelForm):  # type: ignore[type-arg]
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        initial="America/Chicago",
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a time zone in the list. Choose the one where the school is."
            )
        },
        help_text=_("School days and “recorded late” are worked out in this time zone."),
    )

    class Meta:
        model = Household
        fields = ["name", "timezone"]
        labels = {"name": _("Household name")}
        help_texts = {"name": _("For example, “The Alvarez family”. Only members see it.")}


class DeleteHouseholdForm(forms.Form):
    confirm_name = forms.CharField(label=_("Type the household name to confirm"), max_length=200)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["confirm_name"].help_text = _("Type “%(name)s” exactly.") % {
            "name": household.name
        }
        _autocomplete(self.fields["confirm_name"], "off")

    def clean_confirm_name(self) -> str:
        value: str = self.cleaned_data["confirm_name"].strip()
        if value != self.household.name.strip():
            raise forms.ValidationError(_("This is not the household name. Nothing was deleted."))
        return value


def role_choices() -> list[tuple[str, Any]]:
    return list(Role.choices)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Their email"), max_length=254)
    role = forms.ChoiceField(
        label=_("What they may do"),
        choices=role_choices,
        initial=Role.EDITOR,
        help_text=_("See “What each role may do” above."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _autocomplete(self.fields["email"], "off")

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class MemberForm(forms.Form):
    """Pick one member of `household` (posted as a hidden field from the sharing page)."""

    member = forms.ModelChoiceField(queryset=Membership.objects.none(), widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=role_choices, required=False)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = household.memberships.select_related("user")


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGES, help_text=_("Pages and emails use this language.")
    )

    class Meta:
        model = User
        fields = ["name", "language"]
        labels = {"name": _("Your name")}
        help_texts = {"name": _("Other members of your households see this name.")}


# How long a new token works: days, or until revoked.
TOKEN_LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("1 year")),
    ("never", _("Until I revoke it")),
]


class TokenForm(forms.Form):
    """A new API token. Its fields' ids start with "token_": the settings page also holds the
    profile form, whose "name" would otherwise share the id (and take this label's clicks)."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Where you will use it, for example “Shortcut on my phone”."),
    )
    lifetime = forms.ChoiceField(
        label=_("Works for"),
        choices=TOKEN_LIFETIMES,
        initial="365",
        help_text=_("Then it stops working by itself. You can revoke it sooner at any time."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "token_%s")
        super().__init__(*args, **kwargs)

    def clean_lifetime(self) -> timedelta | None:
        """Return how long the token works, or None for until revoked."""
        days = self.cleaned_data["lifetime"]
        return None if days == "never" else timedelta(days=int(days))
