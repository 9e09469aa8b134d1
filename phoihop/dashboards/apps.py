from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "phoihop.dashboards"
    label = "dashboards"
    verbose_name = "Bảng điều khiển, bản đồ"
