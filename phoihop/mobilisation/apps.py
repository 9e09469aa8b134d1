from django.apps import AppConfig


class MobilisationConfig(AppConfig):
    name = "phoihop.mobilisation"
    label = "mobilisation"
    verbose_name = "Dân vận, phong trào"
