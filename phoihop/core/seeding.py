"""Reference data an app starts with (forces, the item catalogue, laws, indicators), seeded again
after every `migrate` and every test flush, which empties the tables.

The rule: each such app's `reference.py` has an idempotent `seed(apps)` (rows administrators changed
are left as they are) and `seed_after_migrate = after_migrate(seed, ...)`, which seeds only when the
app's tables exist (a migration back to an earlier state may not have them); its config is a
`SeededAppConfig`, which connects that receiver to `post_migrate`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def after_migrate(seed: Callable[[Any], None], app_label: str, *models: str) -> Callable[..., None]:
    """A `post_migrate` receiver that runs `seed(apps)` once `app_label`'s `models` exist."""

    def receiver(sender: Any, apps: Any = None, using: str = "default", **kwargs: Any) -> None:
        registry = apps or global_apps
        try:
            for model in models:
                registry.get_model(app_label, model)
        except LookupError:
            return
        seed(registry)

    return receiver


class SeededAppConfig(AppConfig):
    """An app with reference data: `<app>.reference.seed_after_migrate` runs after every migrate.

    Subclassed as `seeding.SeededAppConfig`: Django takes an `apps.py` module's config for the app
    only when it is the one config class the module holds."""

    def ready(self) -> None:
        reference = import_module(f"{self.name}.reference")
        uid = f"{self.label}-reference-data"
        post_migrate.connect(reference.seed_after_migrate, sender=self, dispatch_uid=uid)
