"""Account settings: name, language and personal API tokens."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from iepright.accounts.forms import ProfileForm, TokenForm
from iepright.accounts.models import ApiToken, User
from iepright.accounts.views import current_user, use_language


def _page(request: HttpRequest, profile: ProfileForm, token_form: TokenForm) -> HttpResponse:
    # Expired tokens are listed too (until revoked), so it is plain why a program stopped.
    tokens = ApiToken.objects.filter(user=current_user(request), revoked__isnull=True)
    context = {
        "form": profile,
        "token_form": token_form,
        "tokens": list(tokens),
        "now": timezone.now(),
    }
    return render(request, "accounts/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    # Edit a copy, so a rejected form does not change the name shown in the page header.
    profile = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and profile.is_valid():
        saved = profile.save()
        response = use_language(redirect("account_settings"), saved.language)
        messages.success(request, _("Your settings are saved."))
        return response
    return _page(request, profile, TokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show its raw value once, on this response.

    The raw value is never stored, not even in the session (which lives in the database), so this
    page is rendered straight from the POST instead of redirecting.
    """
    user = current_user(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, ProfileForm(instance=user), form)
    token, raw = ApiToken.issue(
        user, form.cleaned_data["name"], lifetime=form.cleaned_data["lifetime"]
    )
    return render(request, "accounts/token_created.html", {"token": token, "raw": raw})


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    token = ApiToken.objects.filter(
        user=current_user(request), public_id=public_id, revoked__isnull=True
    ).first()
    if token is None:
        raise Http404("No such token.")
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    messages.success(
        request, _("The token “%(name)s” is revoked. It no longer works.") % {"name": token.name}
    )
    return redirect("account_settings")
