from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "iepright.reports"
    label = "reports"
    verbose_name = "What is shown: findings, ledger, reports"
