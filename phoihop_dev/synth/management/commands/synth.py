"""`manage.py synth --provinces N --years Y --records R [--seed S]`: synthetic volumes.

Benchmark data only (see `phoihop_dev.synth.generator`): the command exists in the demo and test
modes alone, and refuses any other. Progress goes to stderr, the summary to stdout.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.errors import DomainError
from phoihop.core.formats import number as vi_count
from phoihop_dev.synth.generator import synthesize


class Command(BaseCommand):
    help: str = gettext_lazy(  # type: ignore[assignment]
        "Tạo dữ liệu tổng hợp với khối lượng lớn trên mọi phân hệ để đo hiệu năng "
        "(không ghi nhật ký kiểm toán; không dùng cho hệ thống thật)."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs a plain string: a lazy one breaks --help.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=int, default=1, help=_("Số tỉnh."))
        parser.add_argument("--years", type=int, default=1, help=_("Số năm (đã kết thúc)."))
        parser.add_argument("--records", type=int, default=10_000, help=_("Tổng số bản ghi."))
        parser.add_argument("--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên."))
        parser.add_argument(
            "--last-year", type=int, default=None, help=_("Năm cuối (mặc định: năm trước).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(message: str) -> None:
            # Running counts overwrite each other; the steps stay on their own lines.
            start = "\r" if message[:1].isspace() else "\n"
            print(f"{start}{message}", end="", file=sys.stderr, flush=True)

        try:
            counts = synthesize(
                provinces=options["provinces"],
                years=options["years"],
                records=options["records"],
                seed=options["seed"],
                last_year=options["last_year"],
                progress=progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        print(file=sys.stderr)
        for label, n in sorted(counts.items()):
            self.stdout.write(f"{label:<40} {vi_count(n):>12}")
        self.stdout.write(
            _("Đã tạo %(rows)s dòng trong %(seconds)s giây.")
            % {
                "rows": vi_count(sum(counts.values())),
                "seconds": f"{time.perf_counter() - started:.0f}",
            }
        )
