from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "iepright.plans"
    label = "plans"
    verbose_name = "What the IEP promises"
