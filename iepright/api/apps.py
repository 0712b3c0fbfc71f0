from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "iepright.api"
    label = "api"
    verbose_name = "JSON API"
