"""Finds reads of scoped models that bypass the access rule.

Views, API, exports, reports and dashboards must read scoped records through
`phoihop.access.rules` (or the app's selectors built on it), never `Model.objects` or
`Model.all_objects` or `Model._default_manager` directly. Used by tests/access/test_lint.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MANAGER_NAMES = frozenset({"objects", "all_objects", "_default_manager", "_base_manager"})
# Module names that face the user; selectors and services are where the rule is applied.
GUARDED_FILES = frozenset(
    {"views.py", "api.py", "exports.py", "feeds.py", "figures.py", "import_views.py"}
)
GUARDED_PACKAGES = frozenset({"reports", "dashboards", "views", "api", "exports"})


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    model: str
    manager: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.model}.{self.manager} bypasses phoihop.access.rules"


def is_guarded(path: Path) -> bool:
    return path.name in GUARDED_FILES or bool(GUARDED_PACKAGES & set(path.parts[:-1]))


def violations_in_source(
    source: str, *, scoped_models: Iterable[str], path: str = "<source>"
) -> Iterator[Violation]:
    names = set(scoped_models)
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGER_NAMES
            and isinstance(node.value, ast.Name | ast.Attribute)
        ):
            base = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
            if base in names:
                yield Violation(path, node.lineno, base, node.attr)


def violations_in_tree(roots: Iterable[Path], *, scoped_models: Iterable[str]) -> list[Violation]:
    names = list(scoped_models)
    found: list[Violation] = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "migrations" in path.parts or not is_guarded(path.relative_to(root)):
                continue
            found.extend(
                violations_in_source(
                    path.read_text(encoding="utf-8"), scoped_models=names, path=str(path)
                )
            )
    return found


def scoped_model_names() -> list[str]:
    from django.apps import apps

    from phoihop.access.models import ScopedModel

    return sorted(m.__name__ for m in apps.get_models() if issubclass(m, ScopedModel))
