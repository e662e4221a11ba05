from django.apps import AppConfig


class ReliefConfig(AppConfig):
    name = "workflows.relief"
    label = "relief"
    verbose_name = "先行临时救助"
