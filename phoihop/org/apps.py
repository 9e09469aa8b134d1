from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "phoihop.org"
    label = "org"
    verbose_name = "Tổ chức"
