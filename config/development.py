"""Which installations get the development tools (`phoihop_dev`: the demo province, synthetic
volumes). Read by config/settings.py and by the `phoihop` command before Django starts.

Both tools write made-up records, so production never installs them: only the demo and test
modes do, and only where the package is present.
"""

from __future__ import annotations

import importlib.util

# The PHOIHOP_MODE values that may hold made-up records; "production" (the default) never does.
DEVELOPMENT_MODES = frozenset({"demo", "test"})
DEVELOPMENT_APPS = ("phoihop_dev.demo", "phoihop_dev.synth")


def development_tools_present() -> bool:
    return importlib.util.find_spec("phoihop_dev") is not None


def development_apps(mode: str) -> list[str]:
    """The development apps to install in `mode`: none in production or without the package."""
    if mode not in DEVELOPMENT_MODES or not development_tools_present():
        return []
    return list(DEVELOPMENT_APPS)
