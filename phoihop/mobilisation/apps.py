from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MobilisationConfig(AppConfig):
    name = "phoihop.mobilisation"
    label = "mobilisation"
    verbose_name = "Dân vận, phong trào"

    def ready(self) -> None:
        from phoihop.mobilisation.reference import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="mobilisation-laws")
