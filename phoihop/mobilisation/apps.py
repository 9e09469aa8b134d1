from phoihop.core import seeding


class MobilisationConfig(seeding.SeededAppConfig):
    name = "phoihop.mobilisation"
    label = "mobilisation"
    verbose_name = "Dân vận, phong trào"
