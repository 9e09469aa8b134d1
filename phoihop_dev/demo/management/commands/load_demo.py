"""`manage.py load_demo [--print-logins]`: build the demo province and print its logins.

`phoihop demo` calls `load_demo` on an empty database and `load_demo --print-logins` otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.errors import DomainError
from phoihop.core.formats import number
from phoihop_dev.demo.builder import build, demo_password, ensure_areas
from phoihop_dev.demo.data import DEFAULT
from phoihop_dev.demo.selectors import DemoLogin, demo_logins


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Nạp kịch bản trình diễn (tỉnh Hà Tĩnh: đơn vị của ba lực lượng, người dùng mẫu) "
        "và in danh sách tài khoản. Chạy lại không thay đổi gì."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs a plain string: a lazy one breaks --help.
        self.help = str(self.help)  # type: ignore[assignment]
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help=_("Chỉ in danh sách tài khoản trình diễn, không nạp dữ liệu."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        if not options["print_logins"]:
            self._load(password)
        self._print_logins(password)

    def _load(self, password: str) -> None:
        try:
            areas = ensure_areas(DEFAULT)
            counts = build(DEFAULT, password=password)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if areas:
            self.stdout.write(
                _("Đã nạp %(count)s địa bàn hành chính của %(province)s.")
                % {"count": areas, "province": DEFAULT.province_name}
            )
        if not counts:
            self.stdout.write(
                _(
                    "Kịch bản trình diễn %(province)s đã có đủ trong cơ sở dữ liệu: "
                    "không thay đổi gì."
                )
                % {"province": DEFAULT.province_name}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã nạp kịch bản trình diễn %(province)s: %(units)s đơn vị, "
                    "%(moves)s lần thay đổi trực thuộc, %(closed)s đơn vị đã kết thúc hoạt động, "
                    "%(users)s người dùng."
                )
                % {
                    "province": DEFAULT.province_name,
                    "units": counts["units"],
                    "moves": counts["moves"],
                    "closed": counts["closed_units"],
                    "users": counts["users"],
                }
            )
        )
        records = [
            f"{number(counts[key])} {label}" for key, label in record_labels() if counts.get(key)
        ]
        if records:
            self.stdout.write(_("Hồ sơ nghiệp vụ: %(records)s.") % {"records": ", ".join(records)})

    def _print_logins(self, password: str) -> None:
        rows = demo_logins(DEFAULT, password=password)
        if not rows:
            self.stdout.write(
                _("Chưa có tài khoản trình diễn. Chạy `manage.py load_demo` để nạp kịch bản.")
            )
            return
        self.stdout.write("")
        self.stdout.write(
            _("Tài khoản trình diễn (mật khẩu chung: %(password)s)") % {"password": password}
        )
        self.stdout.write(self._table(rows))
        if any(r.needs_second_factor for r in rows):
            self.stdout.write(
                _(
                    "(*) Người dùng mức Mật, Tối mật phải xác thực hai lớp (TOTP): lần đăng nhập "
                    "đầu tiên sẽ yêu cầu thiết lập ứng dụng xác thực."
                )
            )

    @staticmethod
    def _table(rows: Sequence[DemoLogin]) -> str:
        headers = [
            _("Tên đăng nhập"),
            _("Mật khẩu"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Vai trò"),
            _("Mức tiếp cận"),
        ]
        return format_table(
            headers,
            [
                [
                    r.username,
                    r.password,
                    r.full_name,
                    r.unit,
                    r.roles,
                    f"{r.clearance} (*)" if r.needs_second_factor else r.clearance,
                ]
                for r in rows
            ],
        )


def record_labels() -> list[tuple[str, str]]:
    """What each demo step counts, in the words of the success message."""
    return [
        ("information_items", _("thông tin trao đổi")),
        ("verifications", _("yêu cầu xác minh")),
        ("cases", _("vụ việc")),
        ("wanted_persons", _("đối tượng truy nã")),
        ("protections", _("lượt bảo vệ đoàn, sự kiện")),
        ("checkpoints", _("chốt kiểm soát")),
        ("checkpoint_counts", _("ngày số liệu tại chốt")),
        ("protected_zones", _("khu vực phong tỏa, cách ly, mục tiêu")),
        ("patrols", _("đợt tuần tra")),
        ("rescues", _("vụ cứu hộ, cứu nạn")),
        ("exercises", _("cuộc diễn tập")),
        ("forums", _("buổi Công an lắng nghe ý kiến Nhân dân")),
        ("opinions", _("ý kiến ghi nhận riêng")),
        ("propaganda", _("đợt tuyên truyền pháp luật")),
        ("campaigns", _("đợt vận động giao nộp vũ khí")),
        ("launches", _("lượt phát động ở xã")),
        ("handed_in", _("dòng vật phẩm giao nộp")),
        ("programmes", _("chương trình an sinh")),
        ("report_forms", _("biểu mẫu báo cáo")),
        ("submissions", _("báo cáo định kỳ")),
    ]
