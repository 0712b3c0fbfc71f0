from django.apps import AppConfig


class LogbookConfig(AppConfig):
    name = "iepright.logbook"
    label = "logbook"
    verbose_name = "What happened: the daily log"
