"""Reference data an app starts with (forces, the item catalogue, laws, indicators), seeded again
after every `migrate` and every test flush, which empties the tables.

The rule: each app's `reference.py` has an idempotent `seed(apps)` (rows administrators changed are
left as they are) and connects `after_migrate(seed, ...)` to `post_migrate`. The receiver seeds only
when the app's tables exist: a migration back to an earlier state may not have them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps as global_apps


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
