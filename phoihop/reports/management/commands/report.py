"""Draft the coordination report of an area and period.

    phoihop report --area 42 --period 2024-Q3 [--format text|json|docx|xlsx] [--output FILE]
                   [--as USERNAME]

Text goes to stdout by default; json gives every figure with its value, previous values, changes
and provenance ids; docx and xlsx need --output (or write the bytes to stdout). Without --as the
figures cover the whole area, as the server's operator sees it; with --as, only what that user
may see. Progress goes to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phoihop.access.rules import OPERATOR
from phoihop.core.errors import DomainError
from phoihop.org.models import User
from phoihop.reports.assembly import build_report
from phoihop.reports.document import Report
from phoihop.reports.render_text import render_text

FORMATS = ("text", "json", "docx", "xlsx")


def _binary(report: Report, kind: str) -> bytes:
    if kind == "docx":
        try:
            from phoihop.reports.docx import render_docx
        except ImportError as exc:
            raise CommandError(
                _("Chưa có bộ xuất báo cáo dạng DOCX trong bản cài đặt này.")
            ) from exc
        return render_docx(report)
    try:
        from phoihop.reports.xlsx import render_xlsx
    except ImportError as exc:
        raise CommandError(_("Chưa có bộ xuất phụ lục dạng XLSX trong bản cài đặt này.")) from exc
    return render_xlsx(report)


class Command(BaseCommand):
    help = "Draft the coordination report of an area and a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area", required=True, help="official code: 42, or a commune's 5 digits"
        )
        parser.add_argument(
            "--period", required=True, help="2024-07, 2024-Q3, 2024-H1, 2024-9M, 2024"
        )
        parser.add_argument("--format", choices=FORMATS, default="text")
        parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="restrict the figures to what this user may see",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor: Any = OPERATOR
        username = options.get("username") or ""
        if username:
            actor = User.objects.select_related("unit").filter(username=username).first()
            if actor is None or not actor.is_active:
                raise CommandError(
                    _("Không có tài khoản đang hoạt động “%(user)s”.") % {"user": username}
                )

        def progress(message: str) -> None:
            self.stderr.write(message)
            self.stderr.flush()

        try:
            report = build_report(
                area_code=options["area"],
                period_key=options["period"],
                actor=actor,
                as_user=username,
                progress=progress,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        kind = options["format"]
        progress(_("Đang xuất báo cáo…"))
        output: Path | None = options.get("output")
        if kind in ("text", "json"):
            text = (
                render_text(report)
                if kind == "text"
                else json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
            )
            if output is not None:
                output.write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        content = _binary(report, kind)
        if output is not None:
            output.write_bytes(content)
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
