from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "phoihop.access"
    label = "access"
    verbose_name = "Phân quyền"
