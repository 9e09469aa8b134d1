"""Which packages may read which apps' models: the lint behind tests/core/test_layers.py.

The coordination report (`reports`) and the dashboard (`dashboards`) read the domain apps only
through the registry of figures (`phoihop.core.figures`) and the apps' selectors, never their
models: what a record kind counts, and how, is written once in the app that owns it. This lint
finds any import of another domain app's `models` module (absolute, relative, or as an
attribute of the app package) and any `apps.get_model("<app>", …)` in those packages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DOMAIN_APPS = ("cases", "exchange", "operations", "mobilisation", "indicators")
# package -> the apps whose models it must not import
READERS: dict[str, tuple[str, ...]] = {
    "reports": DOMAIN_APPS,
    "dashboards": (*DOMAIN_APPS, "reports"),
}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    module: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: reads {self.module}; go through phoihop.core.figures "
            "and the app's selectors"
        )


def _absolute(module: str | None, level: int, package: str) -> str:
    """The absolute name of an imported module (`package`: the importing module's package)."""
    if not level:
        return module or ""
    parts = package.split(".")
    base = parts[: len(parts) - level + 1]
    return ".".join([*base, module] if module else base)


def _forbidden(module: str, apps: Iterable[str]) -> bool:
    return any(
        module == f"phoihop.{app}.models" or module.startswith(f"phoihop.{app}.models.")
        for app in apps
    )


def _imports(node: ast.AST, package: str) -> Iterator[str]:
    """The modules an import statement brings in (`from phoihop.cases import models` too)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        module = _absolute(node.module, node.level, package)
        yield module
        yield from (f"{module}.{alias.name}" for alias in node.names)


def _get_model(node: ast.AST) -> str:
    """`apps.get_model("cases", "Case")` → "phoihop.cases.models"."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get_model"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return f"phoihop.{node.args[0].value.split('.')[0]}.models"
    return ""


def violations_in_source(
    source: str, *, apps: Iterable[str], package: str = "phoihop.reports", path: str = "<source>"
) -> Iterator[Violation]:
    forbidden = tuple(apps)
    for node in ast.walk(ast.parse(source)):
        for module in [*_imports(node, package), _get_model(node)]:
            if module and _forbidden(module, forbidden):
                yield Violation(path, node.lineno, module)  # type: ignore[attr-defined]
                break


def violations_in_tree(root: Path) -> list[Violation]:
    """Every violation under `root` (the `phoihop` package directory)."""
    found: list[Violation] = []
    for reader, apps in READERS.items():
        for path in sorted((root / reader).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(root.parent).with_suffix("")
            package = ".".join(relative.parts[:-1])
            found.extend(
                violations_in_source(
                    path.read_text(encoding="utf-8"), apps=apps, package=package, path=str(path)
                )
            )
    return found
