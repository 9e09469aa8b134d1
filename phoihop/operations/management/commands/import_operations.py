"""Import zones, rescues or patrols from an XLSX or CSV file, all or nothing.

    phoihop manage import_operations zones zones-2023.xlsx --as username [--dry-run]

The file is the template of the import page (Hoạt động phối hợp → the kind → Nhập từ tệp). The
records are created as if the named officer had entered them, through the kind's create service
(audited under their name). On any bad cell the errors are listed (sheet, row, column) on
stderr, nothing is saved and the exit status is 1.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.errors import DomainError
from phoihop.core.tabular import (
    ImportFailed,
    actor_argument,
    command_actor,
    command_file,
    command_refusal,
)
from phoihop.operations.record_imports import IMPORT_KINDS, import_records


class Command(BaseCommand):
    help = "Import zones, rescues or patrols from an XLSX or CSV file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS), help="the record kind")
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        actor_argument(parser, help="the officer or commander the records are entered by")
        parser.add_argument("--dry-run", action="store_true", help="check everything, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = command_file(path)
        actor = command_actor(options["username"])
        started = time.monotonic()
        try:
            result = import_records(
                actor=actor,
                kind=IMPORT_KINDS[options["kind"]],
                content=content,
                filename=path.name,
                commit=not options["dry_run"],
            )
        except ImportFailed as exc:
            raise command_refusal(exc, path.name, stderr=self.stderr) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "checked (dry run, nothing saved)" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{verb} {result.created} {options['kind']} with {result.units} participating units "
            f"from {result.rows} rows in {time.monotonic() - started:.1f} s"
        )
