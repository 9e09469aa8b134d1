"""Import cases with their subjects and seized items from an XLSX or CSV file, all or nothing.

    phoihop manage import_cases cases.xlsx --as username [--dry-run]

The file is the template of the import page (Vụ việc → Nhập từ tệp). The cases are recorded as
if the named user had entered them (their unit leads by default; audited under their name).
Progress goes to stderr; on any bad row the errors are listed (sheet, row, column) on stderr,
nothing is saved and the exit status is 1.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.cases.imports import import_cases
from phoihop.core.errors import DomainError
from phoihop.core.tabular import (
    ImportFailed,
    actor_argument,
    command_actor,
    command_file,
    command_refusal,
)


class Command(BaseCommand):
    help = "Import cases (with subjects and seized items) from an XLSX or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        actor_argument(parser, help="the officer or commander the cases are recorded by")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything, save nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = command_file(path)
        actor = command_actor(options["username"])
        started = time.monotonic()
        last = [0.0]
        interactive = self.stderr.isatty()

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done not in (0, total) and now - last[0] < 1:
                return
            last[0] = now
            percent = done * 100 // total if total else 100
            line = f"{done}/{total} rows ({percent}%)"
            if interactive:
                self.stderr.write(f"\r{line}", ending="")
            else:
                self.stderr.write(line)
            self.stderr.flush()

        try:
            result = import_cases(
                actor=actor,
                content=content,
                filename=path.name,
                progress=progress,
                commit=not options["dry_run"],
            )
        except ImportFailed as exc:
            if interactive:
                self.stderr.write("")
            raise command_refusal(exc, path.name, stderr=self.stderr) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if interactive:
            self.stderr.write("")
        seconds = time.monotonic() - started
        verb = "checked (dry run, nothing saved)" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{verb} {result.cases} cases, {result.subjects} subjects, "
            f"{result.seized_items} seized items from {result.rows} rows in {seconds:.1f} s"
        )
        sys.stdout.flush()
