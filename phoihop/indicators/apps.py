from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IndicatorsConfig(AppConfig):
    name = "phoihop.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, chế độ báo cáo"

    def ready(self) -> None:
        from phoihop.indicators.reference import seed_after_migrate

        # The derived indicators are the registry's figures (phoihop.core.figures), which every
        # app declares in its `figures.py`; the catalogue is brought in line after migrate.
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="indicators-catalogue")
