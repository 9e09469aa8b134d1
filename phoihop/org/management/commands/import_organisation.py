"""Import a province's organisation (forces, units, users) from an XLSX or CSV file.

    phoihop manage import_organisation FILE --province CODE [--base-url URL] [--dry-run]

The file is the template of the organisation import page (also `GET
/api/v1/organisation/import/template/`). All or nothing: on any bad cell the errors are listed
(sheet / row / column: message) on stderr, nothing is saved and the exit status is 1. Every new
account's one-time password set-up link is printed once on stdout (with `--base-url`, the
address users open, e.g. https://phoihop.example); it is stored nowhere, so print or hand it
over from this output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.errors import DomainError
from phoihop.core.tabular import ImportFailed, command_file, command_refusal
from phoihop.org.imports import organisation_import
from phoihop.org.services import province_by_code


class Command(BaseCommand):
    help = "Import a province's forces, units and users from an XLSX or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        parser.add_argument("--province", required=True, help="the province's official code")
        parser.add_argument(
            "--base-url", default="", help="prefix of the set-up links, e.g. https://host"
        )
        parser.add_argument("--dry-run", action="store_true", help="check everything, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = command_file(path)
        try:
            province = province_by_code(options["province"])
            result = organisation_import(
                actor=None,
                province=province,
                content=content,
                filename=path.name,
                commit=not options["dry_run"],
            )
        except ImportFailed as exc:
            for error in exc.errors:
                where = " / ".join(
                    part for part in (error.sheet, str(error.row or ""), error.column) if part
                )
                self.stderr.write(f"{where}: {error.message}")
            raise command_refusal(exc, path.name) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "checked (dry run, nothing saved)" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{verb} for {province.name}: {len(result.forces)} forces, {len(result.units)} "
            f"units, {len(result.accounts)} users"
        )
        base = options["base_url"].rstrip("/")
        for account in result.accounts:
            unit = account.user.unit.code if account.user.unit else ""
            self.stdout.write(
                f"  {account.user.username:<24} {unit:<14} {base}{account.setup_path}"
            )
