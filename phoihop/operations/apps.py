from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "phoihop.operations"
    label = "operations"
    verbose_name = "Hoạt động phối hợp"
