"""Load the positions of the communes' administrative centres (trụ sở) from a CSV or XLSX file.

    phoihop manage load_area_centres centres.xlsx

The file has one row per commune with the columns `code,latitude,longitude` (or their Vietnamese
headers "Mã xã", "Vĩ độ", "Kinh độ"): the 5-digit code of a current commune (2025) and decimal
degrees (WGS84, `18.3456` or `18,3456`). The map places a commune's records that carry no
coordinates of their own at its centre. No positions ship with PhốiHợp: an administrator fills
them with this command. All or nothing: on any bad cell every problem is listed by row and column
on stderr, nothing is saved and the exit status is 1. A later file overwrites earlier positions of
the communes it lists and leaves the others as they are.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import audit_record
from phoihop.core.tabular import (
    CellError,
    Column,
    ImportFailed,
    Row,
    Sheet,
    cell_error,
    command_file,
    command_refusal,
    read_rows,
)
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea

COMMUNE_CODE_WIDTH = 5
# The fields hold 6 decimals (about 0,1 m); spreadsheets often carry more.
_PLACES = Decimal("0.000001")
_FIELDS = ("latitude", "longitude")


def _sheet() -> Sheet:
    return Sheet(
        _("Trụ sở xã"),
        [
            Column("code", _("Mã xã"), required=True, example="18196"),
            Column("latitude", _("Vĩ độ"), required=True, example="18,412345"),
            Column("longitude", _("Kinh độ"), required=True, example="105,312345"),
        ],
    )


class _Bad(ValueError):
    pass


def _code(value: Any) -> str:
    """A commune code, also when typed into a number cell (`18196.0`, `4` → `00004`)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.zfill(COMMUNE_CODE_WIDTH) if text.isdigit() else text


def _degrees(value: Any, text: str) -> Decimal:
    raw = repr(value) if isinstance(value, float) else str(value).strip().replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise _Bad(_("“%(value)s” không phải số (ví dụ 18,412345).") % {"value": text})
    return number.quantize(_PLACES, rounding=ROUND_HALF_UP)


def load_area_centres(*, content: bytes, filename: str) -> int:
    """Set the centres the file lists; returns how many communes it listed.

    Raises ImportFailed (nothing saved) naming every bad cell by row and column.
    """
    sheet = _sheet()
    rows: list[Row] = read_rows(
        content, filename=filename, sheet=sheet, empty=_("Tệp không có dòng dữ liệu nào.")
    )
    codes = {_code(row.values["code"]) for row in rows}
    communes = {
        area.code: area
        for area in AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE, valid_until__isnull=True, code__in=codes
        )
    }
    errors: list[CellError] = []
    seen: dict[str, int] = {}
    changed: list[AdministrativeArea] = []
    changes: dict[str, list[Any]] = {}

    def bad(row: Row, key: str, message: str) -> None:
        errors.append(cell_error(sheet, row, key, message))

    for row in rows:
        code = _code(row.values["code"])
        area = communes.get(code)
        if area is None:
            message = _("Không có xã, phường đang hiệu lực mang mã “%(code)s”.")
            bad(row, "code", message % {"code": code})
        elif code in seen:
            message = _("Mã “%(code)s” đã có ở dòng %(row)s.")
            bad(row, "code", message % {"code": code, "row": seen[code]})
            area = None
        seen.setdefault(code, row.number)
        position: dict[str, Decimal] = {}
        for key in _FIELDS:
            try:
                position[key] = _degrees(row.values[key], row.text(key))
            except _Bad as exc:
                bad(row, key, str(exc))
        if area is None or len(position) < len(_FIELDS):
            continue
        before = [area.latitude, area.longitude]
        area.latitude, area.longitude = position["latitude"], position["longitude"]
        try:
            area.full_clean(
                exclude=[f.name for f in area._meta.fields if f.name not in _FIELDS],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    bad(row, key if sheet.column(key) else "latitude", message)
            continue
        if before != [area.latitude, area.longitude]:
            changed.append(area)
            changes[code] = [before, [area.latitude, area.longitude]]
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        AdministrativeArea.objects.bulk_update(changed, list(_FIELDS), batch_size=500)
        audit_record(
            actor=None,
            username="load_area_centres",
            action="update",
            object_type="org.administrativearea",
            object_repr=_("Tọa độ trụ sở xã (tệp %(file)s)") % {"file": filename},
            changes={"file": filename, "rows": len(rows), "centres": changes},
        )
    return len(rows)


class Command(BaseCommand):
    help = "Load the positions of the communes' administrative centres (code,latitude,longitude)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = command_file(path)
        try:
            count = load_area_centres(content=content, filename=path.name)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise command_refusal(exc, path.name) from exc
        self.stdout.write(f"centres: {count} communes loaded from {path.name}")
