from django.urls import path

from iepright.accounts.views import auth, dashboard, households, settings, sharing

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Signing up and in
    path("signup/", auth.signup, name="signup"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("settings/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    # Settings and API tokens
    path("settings/", settings.account_settings, name="account_settings"),
    path("settings/tokens/", settings.token_create, name="token_create"),
    path("settings/tokens/<uuid:public_id>/revoke/", settings.token_revoke, name="token_revoke"),
    # Households
    path("households/new/", households.household_create, name="household_create"),
    path("households/<uuid:public_id>/edit/", households.household_edit, name="household_edit"),
    # Sharing
    path(
        "households/<uuid:public_id>/sharing/",
        sharing.household_sharing,
        name="household_sharing",
    ),
    path("households/<uuid:public_id>/members/role/", sharing.member_role, name="member_role"),
    path(
        "households/<uuid:public_id>/members/remove/", sharing.member_remove, name="member_remove"
    ),
    path("households/<uuid:public_id>/leave/", sharing.household_leave, name="household_leave"),
    path(
        "households/<uuid:public_id>/invitations/<uuid:invitation_id>/revoke/",
        sharing.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", sharing.invitation_detail, name="invitation_detail"),
    path("invitations/<str:token>/accept/", sharing.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/decline/", sharing.invitation_decline, name="invitation_decline"),
]
