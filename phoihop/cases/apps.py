from phoihop.core import seeding


class CasesConfig(seeding.SeededAppConfig):
    name = "phoihop.cases"
    label = "cases"
    verbose_name = "Vụ việc, vụ án"
