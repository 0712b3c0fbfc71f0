"""Sign up, log in, log out, password reset and password change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from iepright.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignupForm,
)
from iepright.accounts.views import INVITATION_SESSION_KEY, current_user, use_language


def _after_login_url(request: HttpRequest) -> str:
    """Return where to go after signing in: a waiting invitation link, else the dashboard."""
    token = request.session.get(INVITATION_SESSION_KEY)
    if token:
        return reverse("invitation_detail", args=[token])
    return reverse("dashboard")


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # login() keeps the session's data, so an invitation token survives signing up.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        response = use_language(redirect(_after_login_url(request)), user.language)
        messages.success(request, _("Welcome to IEP Right. Your account is ready."))
        return response
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return _after_login_url(self.request)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        return use_language(response, current_user(self.request).language)


class LogoutView(auth_views.LogoutView):
    """Log out on POST only (a link could be followed by a prefetcher)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):  # type: ignore[type-arg]
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account_settings")
    success_message = gettext_lazy("Your password is changed.")
