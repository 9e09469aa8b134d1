from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "phoihop_dev.synth"
    label = "synth"
    verbose_name = "Dữ liệu tổng hợp"
