from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgConfig(AppConfig):
    name = "phoihop.org"
    label = "org"
    verbose_name = "Tổ chức"

    def ready(self) -> None:
        from phoihop.org.reference import seed_after_migrate

        # Also runs after the flush of a transactional test, which empties every table.
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="org_reference_data")
