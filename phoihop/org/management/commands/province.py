"""Bring a province on board.

    phoihop province init CODE [--forces CA,QS,BP] [--valid-from DD/MM/YYYY]

`init` creates the province-level command of each force (default: every force that is not a
partner; an inland province without Border Guard names `--forces CA,QS`), responsible for the
whole province, with codes `CAT-CODE`, `BCHQS-CODE`, `BDBP-CODE`: the parents the organisation
import (`import_organisation`) places its units under. Idempotent: a force that already has a
top-level unit in the province keeps it. Run as the server's operator; audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.errors import DomainError
from phoihop.core.tabular import parse_date
from phoihop.org.models import Force
from phoihop.org.services import province_by_code, province_init


class Command(BaseCommand):
    help = "Bring a province on board: `init CODE` creates its forces' province-level commands."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        init = sub.add_parser("init", help="create the province-level commands of the forces")
        init.add_argument("code", help="the province's official code (2 digits)")
        init.add_argument(
            "--forces", default="", help="force codes, comma-separated (default: all non-partner)"
        )
        init.add_argument("--valid-from", default="", help="the commands' first day, dd/mm/yyyy")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            province = province_by_code(options["code"])
            forces = self._forces(options["forces"])
            valid_from = parse_date(options["valid_from"]) if options["valid_from"] else None
            done = province_init(
                actor=None, province=province, forces=forces, valid_from=valid_from
            )
        except ValueError as exc:
            raise CommandError(f"--valid-from: not a date: {exc}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{province.name} ({province.code}):")
        for command in done:
            state = "created" if command.created else "exists "
            self.stdout.write(f"  {state} {command.unit.code:<14} {command.unit.name}")

    @staticmethod
    def _forces(raw: str) -> list[Force] | None:
        codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
        if not codes:
            return None
        found = {f.code: f for f in Force.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise CommandError(f"unknown force code(s): {', '.join(unknown)}")
        return [found[c] for c in codes]
