from phoihop.core import seeding


class IndicatorsConfig(seeding.SeededAppConfig):
    # The derived indicators are the registry's figures (phoihop.core.figures), which every app
    # declares in its `figures.py`; the catalogue is brought in line after migrate.
    name = "phoihop.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, chế độ báo cáo"
