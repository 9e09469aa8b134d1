from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "phoihop.audit"
    label = "audit"
    verbose_name = "Nhật ký kiểm tra"

    def ready(self) -> None:
        from phoihop.audit import receivers  # noqa: F401  (login, logout, failed login)
