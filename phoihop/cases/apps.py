from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "phoihop.cases"
    label = "cases"
    verbose_name = "Vụ việc, vụ án"

    def ready(self) -> None:
        from phoihop.cases.reference import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="cases-catalogue")
