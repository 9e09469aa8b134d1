from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "phoihop_dev.demo"
    label = "demo"
    verbose_name = "Dữ liệu trình diễn"
