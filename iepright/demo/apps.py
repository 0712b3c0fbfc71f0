from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "iepright.demo"
    label = "demo"
    verbose_name = "The fictional demo household"
