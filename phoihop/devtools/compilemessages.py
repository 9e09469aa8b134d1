"""Compile every `.po` catalogue under the phoihop package into `.mo`, without GNU gettext.

`python -m phoihop.devtools.compilemessages` — run by `make test` and the demo; the `.mo` files
are build products (git-ignored). Babel reads and writes the catalogues, and its checkers refuse
a translation whose placeholders differ from the source text (a `%(name)s` lost in translation
would raise at run time).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def catalogues(root: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(root.glob("**/locale/*/LC_MESSAGES/*.po"))


def compile_catalogue(po_path: Path) -> tuple[Path, list[str]]:
    """Write the `.mo` next to `po_path`; the problems found (nothing is written if any)."""
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale=po_path.parent.parent.name, abort_invalid=True)
    problems = [
        f"{po_path}:{message.lineno}: {message.id!r}: {error}"
        for message, errors in catalogue.check()
        for error in errors
    ]
    mo_path = po_path.with_suffix(".mo")
    if not problems:
        with mo_path.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
    return mo_path, problems


def compile_all(paths: Iterable[Path] | None = None) -> list[str]:
    problems: list[str] = []
    for po_path in catalogues() if paths is None else paths:
        problems.extend(compile_catalogue(po_path)[1])
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    paths = [Path(arg) for arg in args] or catalogues()
    problems = compile_all(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"compiled {len(paths)} catalogue(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
