"""Who you are and who you share with: users, households, memberships, invitations, API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import available_timezones

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as dj_tz
from django.utils.translation import gettext_lazy as _

INVITATION_DAYS = 14


def validate_timezone(value: str) -> None:
    """Raise ValidationError unless `value` is an IANA time zone name."""
    if value not in _timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as America/Chicago."),
            params={"value": value},
        )


_TZ_CACHE: set[str] = set()


def _timezones() -> set[str]:
    if not _TZ_CACHE:
        _TZ_CACHE.update(available_timezones())
    return _TZ_CACHE


def hash_secret(raw: str) -> str:
    """Return the SHA-256 hex digest of a secret token; only the digest is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("en", "English"), ("es", "Español")], default="en"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.name or self.email

    def display_name(self) -> str:
        """Return the name to show to other household members."""
        return self.name or self.email


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


ROLE_HELP = {
    Role.OWNER: _("Everything, including sharing and deleting the household."),
    Role.EDITOR: _("Read and write records (for a co-parent)."),
    Role.VIEWER: _("Read and export only (for an advocate or attorney)."),
}


class Household(models.Model):
    """The unit of privacy: every child and record belongs to exactly one household."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("household name"), max_length=200)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="America/Chicago", validators=[validate_timezone]
    )
    created = models.DateTimeField(default=dj_tz.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def owner_count(self) -> int:
        """Return how many owners the household has."""
        return self.memberships.filter(role=Role.OWNER).count()


class Membership(models.Model):
    household = models.ForeignKey(Household, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created = models.DateTimeField(default=dj_tz.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "user"], name="one_membership_per_user")
        ]
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.user} in {self.household} ({self.role})"

    def can_write(self) -> bool:
        """Return True if this member may change records."""
        return self.role in (Role.OWNER, Role.EDITOR)

    def can_manage(self) -> bool:
        """Return True if this member may share, rename or delete the household."""
        return self.role == Role.OWNER


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(default=dj_tz.now)
    expires = models.DateTimeField()
    responded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.household}"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """Return (raw token for the email link, its hash for the database)."""
        raw = secrets.token_urlsafe(32)
        return raw, hash_secret(raw)

    @staticmethod
    def default_expiry() -> Any:
        return dj_tz.now() + timedelta(days=INVITATION_DAYS)

    def is_open(self) -> bool:
        """Return True if the invitation can still be accepted or declined."""
        return self.status == self.Status.PENDING and self.expires > dj_tz.now()


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the raw value is shown once."""

    PREFIX = "iep_"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("token name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created = models.DateTimeField(default=dj_tz.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    # None: until revoked. A token on a phone that is lost, or in a script long forgotten,
    # stops working by itself on this day.
    expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(
        cls, user: User, name: str, *, lifetime: timedelta | None = None
    ) -> tuple[ApiToken, str]:
        """Create a token for `user`, valid for `lifetime` (None: until revoked); return it
        with the raw key, which is never stored."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        now = dj_tz.now()
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_secret(raw),
            hint=raw[:8],
            created=now,
            expires=now + lifetime if lifetime is not None else None,
        )
        return token, raw

    def is_expired(self, now: datetime | None = None) -> bool:
        """Return True if the token's end date has passed."""
        return self.expires is not None and self.expires <= (now or dj_tz.now())

    def is_active(self) -> bool:
        """Return True if the token has not been revoked and has not expired."""
        return self.revoked is None and not self.is_expired()
