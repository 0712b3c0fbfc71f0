from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "iepright.correspondence"
    label = "correspondence"
    verbose_name = "What was said"
