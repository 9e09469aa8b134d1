from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IndicatorsConfig(AppConfig):
    name = "phoihop.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, chế độ báo cáo"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from phoihop.indicators.reference import seed_after_migrate

        # Every app's `indicators.py` registers the derived indicators of its records.
        autodiscover_modules("indicators")
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="indicators-catalogue")
