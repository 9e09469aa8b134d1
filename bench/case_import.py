"""Speed of the case import (XLSX, all or nothing) on a 10.000-row file.

    PHOIHOP_MODE=test .venv/bin/python bench/case_import.py [--rows 10000] [--seed N]
        [--database-url postgres://postgres@127.0.0.1:5432/phoihop_bench] [--keep]
        [--no-bad-row]

1. Creates a scratch database as bench/exchange_inbox.py does: an SQLite file under var/bench/ by
   default, or the PostgreSQL database named by --database-url or else by the DATABASE_URL
   environment variable (dropped first if it exists, created, dropped at the end unless --keep).
   Its name must contain "bench": it is destroyed.
2. Migrates it and builds the province of bench/exchange_inbox.py (provincial commands of the
   three forces, six communes with a unit of each force); the importer is an officer of the
   provincial police (CAT).
3. Generates an XLSX file of --rows rows in the three sheets of the import template: cases
   with 0–3 subjects (persons with citizen IDs that match their birth year and sex, now and then
   an organisation) and 0–2 seized items from the catalogue, in its allowed units and written
   the Vietnamese way (`0,05` kg, `1.508` viên), cooperating units of the other forces.
4. Imports it through `import_cases` — the services, one transaction, audit entries and history
   rows as on the page — and prints the time to read and check the cells, the time to save, rows
   per second and total seconds, and the queries per case. The progress goes to stderr.
5. Unless --no-bad-row: imports the same file again with one bad cell in the last seized row,
   and prints how long the refusal took and that nothing was saved.

Timings depend on the machine and what else runs on it: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import exchange_inbox  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Kim"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hùng", "Nam", "Phong", "Quân", "Sơn", "Tuấn", "Việt"]
GIVEN_FEMALE = ["Hoa", "Lan", "Mai", "Ngân", "Phương", "Thảo", "Trang", "Yến", "Hằng"]
VILLAGES = ["Thôn 1", "Thôn 3", "Xóm Bắc", "Xóm Đông", "Tổ dân phố 5", "Bản Giàng"]
# category label → titles, with the seized items a case of that kind holds (code, units, amounts)
KINDS: dict[str, tuple[list[str], list[tuple[str, list[str], list[str]]]]] = {
    "Ma túy": (
        [
            "Vận chuyển trái phép chất ma túy qua biên giới",
            "Tàng trữ trái phép chất ma túy",
            "Mua bán trái phép chất ma túy",
        ],
        [
            ("heroin", ["gam", "kg"], ["0,5", "11,09", "0,05", "2,35"]),
            ("ma-tuy-da", ["gam", "mg"], ["1,55", "3,2", "250"]),
            ("ma-tuy-tong-hop", ["viên"], ["12", "150", "1.508"]),
            ("can-sa", ["gam", "kg"], ["45", "1,2"]),
        ],
    ),
    "Buôn lậu, gian lận thương mại": (
        ["Buôn lậu thuốc lá điếu ngoại", "Vận chuyển hàng cấm", "Buôn lậu xăng dầu"],
        [
            ("thuoc-la", ["bao"], ["200", "1.500", "3.000"]),
            ("xang-dau", ["lít", "m3"], ["500", "2,5", "1.200"]),
        ],
    ),
    "Vũ khí, vật liệu nổ, pháo": (
        ["Tàng trữ, vận chuyển pháo nổ", "Tàng trữ trái phép vật liệu nổ", "Tàng trữ vũ khí"],
        [
            ("phao-no", ["kg", "gam"], ["94,2", "12,5", "800"]),
            ("thuoc-no", ["kg", "gam"], ["48", "2,5"]),
            ("day-chay-cham", ["m", "cm"], ["2,5", "150"]),
            ("kip-no", ["kíp"], ["50", "12"]),
            ("sung", ["khẩu"], ["1", "2"]),
        ],
    ),
    "Lâm sản": (
        ["Khai thác rừng trái phép", "Vận chuyển lâm sản trái phép"],
        [("go", ["m3"], ["16,476", "2,3", "0,85"]), ("dong-vat-hoang-da", ["kg"], ["3,5"])],
    ),
    "Xuất nhập cảnh, di cư trái phép": (
        ["Xuất cảnh trái phép", "Tổ chức cho người khác xuất cảnh trái phép"],
        [("phuong-tien", ["chiếc"], ["1", "2"])],
    ),
    "Khai thác IUU, vi phạm trên biển": (
        ["Khai thác hải sản trái phép", "Tàu cá mất kết nối thiết bị giám sát hành trình"],
        [("xang-dau", ["lít"], ["1.200", "800"])],
    ),
    "Hình sự khác": (["Cố ý gây thương tích", "Trộm cắp tài sản"], [("dao-kiem", ["cái"], ["1"])]),
    "Vi phạm hành chính": (["Vi phạm quy chế khu vực biên giới"], []),
}
DOMAINS = ["Biên giới đất liền"] * 6 + ["Nội địa"] * 3 + ["Biển"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the file (all sheets)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="postgres://… of a scratch database (default: DATABASE_URL, else an SQLite file)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--no-bad-row", action="store_true", help="skip the refused import")
    parser.add_argument("--seed", type=int, default=20240915)
    args = parser.parse_args()
    if args.database_url and "bench" not in urlsplit(args.database_url).path:
        parser.error("the scratch database is dropped: its name must contain 'bench'")
    return args


def create_database(url: str) -> Callable[[], None]:
    """The scratch database (exchange_inbox's, except for the SQLite file's name)."""
    if url:
        return exchange_inbox.create_database(url)
    path = ROOT / "var" / "bench" / "case_import.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    remove()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return remove


def _person(rng: random.Random, year_span: tuple[int, int]) -> dict[str, Any]:
    male = rng.random() < 0.8
    year = rng.randint(*year_span)
    middle = rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
    given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    century = (0 if year < 2000 else 2) + (0 if male else 1)
    place = rng.choice(["042", "040", "038", "044", "001", "079"])
    citizen_id = f"{place}{century}{year % 100:02d}{rng.randrange(10**6):06d}"
    birth = (
        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
        if rng.random() < 0.5
        else str(year)
    )
    return {
        "Loại đối tượng": "Cá nhân",
        "Họ tên / tên tổ chức": f"{rng.choice(FAMILY)} {middle} {given}",
        "Ngày sinh / năm sinh": birth,
        "Giới tính": "Nam" if male else "Nữ",
        "Số định danh cá nhân": citizen_id if rng.random() < 0.85 else "",
        "Quốc tịch": "Việt Nam" if rng.random() < 0.95 else "Lào",
        "Vai trò": rng.choice(["Bị bắt giữ", "Nghi phạm", "Bị bắt giữ"]),
        "Kết quả xử lý": rng.choice(["Bắt giữ", "Khởi tố", "Xử phạt", ""]),
    }


def generate(
    rows: int, seed: int, communes: list[str], partners: list[str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The rows of the three sheets (header → value), --rows in all."""
    rng = random.Random(seed)
    sheets: dict[str, list[dict[str, Any]]] = {"cases": [], "subjects": [], "seized": []}
    start = dt.datetime(2024, 1, 1, 6, 0)
    made = 0
    number = 0
    while made < rows:
        number += 1
        key = f"V{number}"
        category = rng.choice(list(KINDS))
        titles, items = KINDS[category]
        detected = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        occurred = detected - dt.timedelta(minutes=rng.randrange(12 * 60))
        commune = rng.choice(communes)
        sheets["cases"].append(
            {
                "Mã vụ trong tệp": key,
                "Tên vụ việc": rng.choice(titles),
                "Loại vụ việc": category,
                "Địa bàn xảy ra": rng.choice(DOMAINS),
                "Mã xã/phường": commune,
                "Thời điểm phát hiện": f"{detected:%d/%m/%Y %H:%M}",
                "Thời điểm xảy ra": f"{occurred:%d/%m/%Y %H:%M}",
                "Tóm tắt": "Phát hiện, bắt quả tang khi đang tuần tra kiểm soát trên địa bàn.",
                "Đơn vị phối hợp": ", ".join(rng.sample(partners, rng.randint(0, 2))),
                "Độ mật": "Thường",
                "Phối hợp chung": "Có" if rng.random() < 0.4 else "",
            }
        )
        made += 1
        for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
            if made >= rows:
                break
            if rng.random() < 0.03:
                subject = {
                    "Loại đối tượng": "Tổ chức",
                    "Họ tên / tên tổ chức": f"Công ty TNHH Thương mại {rng.choice(GIVEN_MALE)}",
                    "Số đăng ký kinh doanh": f"30{rng.randrange(10**8):08d}",
                    "Vai trò": "Nghi phạm",
                }
            else:
                subject = _person(rng, (1960, 2006))
            subject["Mã vụ trong tệp"] = key
            subject["Địa chỉ"] = f"{rng.choice(VILLAGES)}, Xã Thử Nghiệm {commune[-1]}"
            sheets["subjects"].append(subject)
            made += 1
        for _ in range(rng.choice([0, 1, 1, 2]) if items else 0):
            if made >= rows:
                break
            code, units, amounts = rng.choice(items)
            sheets["seized"].append(
                {
                    "Mã vụ trong tệp": key,
                    "Mặt hàng": code,
                    "Số lượng": rng.choice(amounts),
                    "Đơn vị tính": rng.choice(units),
                }
            )
            made += 1
    return sheets, {name: len(values) for name, values in sheets.items()}


def write_xlsx(template: bytes, sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    """A workbook with the template's sheets and headers, in openpyxl's streaming mode."""
    from openpyxl import Workbook, load_workbook

    from phoihop.cases.imports import CASES_SHEET, SEIZED_SHEET, SUBJECTS_SHEET

    source = load_workbook(io.BytesIO(template), read_only=True)
    book = Workbook(write_only=True)
    for name, rows in (
        (CASES_SHEET, sheets["cases"]),
        (SUBJECTS_SHEET, sheets["subjects"]),
        (SEIZED_SHEET, sheets["seized"]),
    ):
        headers = [c.value for c in next(source[name].iter_rows(max_row=1))]
        ws = book.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def spoil_last_seized_row(data: bytes) -> tuple[bytes, int]:
    from openpyxl import load_workbook

    from phoihop.cases.imports import SEIZED_SHEET

    book = load_workbook(io.BytesIO(data))
    ws = book[SEIZED_SHEET]
    headers = [c.value for c in ws[1]]
    ws.cell(row=ws.max_row, column=headers.index("Số lượng") + 1).value = "-1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), ws.max_row


class Progress:
    """Prints the import's progress on stderr and notes when the saving began."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.saving_from: float | None = None
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.saving_from is None:
            self.saving_from = now
        if done in (0, total) or now - self.last >= 1:
            self.last = now
            print(f"  {done:>6}/{total} rows", end="\r", file=sys.stderr, flush=True)


def counted(call: Callable[[], Any]) -> tuple[Any, int]:
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        return call(), queries


def main() -> None:
    args = parse_args()
    os.environ.setdefault("PHOIHOP_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    drop = create_database(args.database_url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        from phoihop.audit.models import AuditEntry
        from phoihop.cases.imports import case_import_template, import_cases
        from phoihop.cases.models import Case, SeizedItem, Subject
        from phoihop.core.tabular import ImportFailed

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        world = exchange_inbox.build_province()
        importer = world["recipient"]  # an officer of the provincial police (CAT)
        communes = sorted({a.code for u in world["units"] for a in u.areas.all() if a.parent_id})
        partners = [u.code for u in world["units"] if u.force_id != importer.unit.force_id]
        print(f"migrated and built the province in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        sheets, sizes = generate(args.rows, args.seed, communes, partners)
        data = write_xlsx(case_import_template(actor=importer), sheets)
        print(
            f"generated {sum(sizes.values())} rows ({sizes['cases']} cases, "
            f"{sizes['subjects']} subjects, {sizes['seized']} seized items), "
            f"{len(data) / 1e6:.1f} MB XLSX, in {time.perf_counter() - started:.1f} s"
        )

        progress = Progress()
        result, queries = counted(
            lambda: import_cases(
                actor=importer, content=data, filename="bench.xlsx", progress=progress
            )
        )
        finished = time.perf_counter()
        print(file=sys.stderr)
        total = finished - progress.started
        assert progress.saving_from is not None
        reading = progress.saving_from - progress.started
        saving = finished - progress.saving_from
        assert (result.cases, result.subjects, result.seized_items) == (
            sizes["cases"],
            sizes["subjects"],
            sizes["seized"],
        )
        assert Case.objects.count() == sizes["cases"]
        assert Subject.objects.count() == sizes["subjects"]
        assert SeizedItem.objects.count() == sizes["seized"]
        print(f"read and checked the cells: {reading:.1f} s")
        print(f"saved through case_create in one transaction: {saving:.1f} s")
        print(
            f"imported {result.rows} rows in {total:.1f} s: {result.rows / total:.0f} rows/s, "
            f"{result.cases / total:.0f} cases/s, {queries / result.cases:.1f} queries per case"
        )

        if not args.no_bad_row:
            bad, bad_row = spoil_last_seized_row(data)
            before = (Case.all_objects.count(), AuditEntry.objects.count())
            started = time.perf_counter()
            try:
                import_cases(actor=importer, content=bad, filename="bench-bad.xlsx")
            except ImportFailed as exc:
                seconds = time.perf_counter() - started
                errors = [(e.sheet, e.row, e.column) for e in exc.errors]
                assert errors == [("Tang vật", bad_row, "Số lượng")], errors
                assert (Case.all_objects.count(), AuditEntry.objects.count()) == before
                print(
                    f"one bad row (Tang vật, dòng {bad_row}, Số lượng): refused in "
                    f"{seconds:.1f} s, nothing saved"
                )
            else:
                raise SystemExit("the file with a bad row was imported")
        connections.close_all()
    finally:
        if args.keep:
            print(f"kept the scratch database ({os.environ['DATABASE_URL']})")
        else:
            drop()


if __name__ == "__main__":
    main()
