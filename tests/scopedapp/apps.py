from django.apps import AppConfig


class ScopedAppConfig(AppConfig):
    name = "tests.scopedapp"
    label = "scopedapp"
