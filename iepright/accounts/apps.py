from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "iepright.accounts"
    label = "accounts"
    verbose_name = "Accounts and households"
