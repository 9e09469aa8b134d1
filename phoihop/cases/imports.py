"""Import of cases with their subjects and seized items from an XLSX or CSV file.

The file (the template from `case_import_template`):
- sheet “Vụ việc”: one row per case, keyed by “Mã vụ trong tệp” (any text unique in the file);
- sheet “Đối tượng” and sheet “Tang vật”: rows pointing at a case by that key.
A CSV file is the sheet “Vụ việc” alone: cases without subjects or seized items.

Sheet names and headers are the file format, the same whatever the page language (a file made
in one language imports in the other); headers are also recognised by their column keys.

Every row is checked: first its cells (lists of values, dates, codes, keys), then each case with
its rows through `case_create` — the one place the case rules live. Every problem becomes a
`CellError` naming sheet, row and column. Everything is saved in one transaction, all or nothing:
one bad row anywhere and `ImportFailed` lists them all while nothing is saved.

Large files run in the task worker (`tasks.run_case_import`) as a `CaseImport` job. Its single
transaction hides its writes from other connections, so the running import publishes its
progress in a small JSON file under MEDIA_ROOT, which the status page reads; the job row gets the
figures once the transaction has ended.

While that transaction is open it holds what every `case_create` takes until commit: the
case-number lock of the lead unit, the audit chain's lock on PostgreSQL, and on SQLite the
database's write lock. Other audited writes (and on SQLite every write, session saves included)
wait for the import to end: a cost of all-or-nothing that grows with the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from phoihop.access.rules import Action, require
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.cases.enums import (
    CaseCategory,
    CaseDomain,
    Sex,
    SubjectKind,
    SubjectResult,
    SubjectRole,
)
from phoihop.cases.measures import MEASURES
from phoihop.cases.models import CaseImport, CatalogueItem
from phoihop.cases.selectors import catalogue_items
from phoihop.cases.services import SeizedData, SubjectData, case_create
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.tabular import (
    CellError,
    Column,
    ImportFailed,
    Row,
    Sheet,
    cell_error,
    errors_for_row,
    parse_date,
    parse_datetime,
    parse_int,
    read_table,
    template_xlsx,
)
from phoihop.core.text import fold
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import commune_by_code
from phoihop.org.selectors import unit_list

logger = logging.getLogger(__name__)

# An upload larger than this is refused before it is stored (a 10.000-case file is ~2 MB).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# The running job writes its progress at most this often (seconds).
PROGRESS_EVERY = 0.3
# A case may point at this many cooperating units at most (a typo guard, not a rule).
MAX_COOPERATING = 20

Progress = Callable[[int, int], None]

# --- the file format ------------------------------------------------------------------------

CASES_SHEET = "Vụ việc"
SUBJECTS_SHEET = "Đối tượng"
SEIZED_SHEET = "Tang vật"
KEY_HEADER = "Mã vụ trong tệp"


def _sheets() -> tuple[Sheet, Sheet, Sheet]:
    """The three sheets, with help texts in the page language (headers are fixed)."""
    key_help = _(
        "Mã tự đặt cho từng vụ trong tệp (ví dụ V1, V2…), không trùng nhau; các dòng ở sheet "
        "“Đối tượng” và “Tang vật” dùng mã này để chỉ vụ việc. Không lưu vào hệ thống."
    )
    cases = Sheet(
        CASES_SHEET,
        [
            Column("key", KEY_HEADER, required=True, help=key_help, example="V1", width=14),
            Column(
                "title",
                "Tên vụ việc",
                required=True,
                help=_("Tên ngắn gọn của vụ việc."),
                example="Vận chuyển trái phép chất ma túy qua biên giới",
                width=40,
            ),
            Column(
                "category",
                "Loại vụ việc",
                required=True,
                help=_("Một trong các loại ở mục “Loại vụ việc” phía trên."),
                example=str(_vi(CaseCategory.DRUGS.label)),
                width=24,
            ),
            Column(
                "domain",
                "Địa bàn xảy ra",
                required=True,
                help=_allowed(CaseDomain),
                example=str(_vi(CaseDomain.LAND_BORDER.label)),
                width=20,
            ),
            Column(
                "commune",
                "Mã xã/phường",
                required=True,
                help=_(
                    "Mã 5 chữ số của xã, phường, đặc khu nơi xảy ra (theo Quyết định "
                    "19/2025/QĐ-TTg), thuộc tỉnh của đơn vị chủ trì."
                ),
                example="",
                width=14,
            ),
            Column(
                "detected_at",
                "Thời điểm phát hiện",
                required=True,
                help=_("Ngày giờ phát hiện, dạng dd/mm/yyyy HH:MM (ví dụ 15/08/2024 21:30)."),
                example="15/08/2024 21:30",
                width=18,
            ),
            Column(
                "occurred_at",
                "Thời điểm xảy ra",
                help=_("Không bắt buộc; dạng dd/mm/yyyy HH:MM, không sau thời điểm phát hiện."),
                example="15/08/2024 20:00",
                width=18,
            ),
            Column(
                "summary",
                "Tóm tắt",
                help=_("Tóm tắt nội dung vụ việc."),
                example="Bắt quả tang đối tượng vận chuyển heroin qua đường mòn biên giới.",
                width=40,
            ),
            Column(
                "lead_unit",
                "Đơn vị chủ trì",
                help=_(
                    "Ký hiệu đơn vị chủ trì (ví dụ CAX-SK1): đơn vị của người nhập hoặc đơn vị "
                    "cấp dưới. Để trống: đơn vị của người nhập."
                ),
                width=16,
            ),
            Column(
                "detecting_unit",
                "Đơn vị phát hiện",
                help=_("Ký hiệu đơn vị phát hiện. Để trống: đơn vị chủ trì."),
                width=16,
            ),
            Column(
                "cooperating_units",
                "Đơn vị phối hợp",
                help=_(
                    "Ký hiệu các đơn vị phối hợp (mọi lực lượng), cách nhau bằng dấu phẩy, ví dụ "
                    "DBP-SK, BCHQSX-SK1."
                ),
                width=22,
            ),
            Column(
                "classification",
                "Độ mật",
                help=_allowed_values(
                    [_vi(c.label) for c in Classification if c is not Classification.TUYET_MAT]
                )
                + " "
                + _("Để trống: Thường."),
                example=str(_vi(Classification.THUONG.label)),
                width=10,
            ),
            Column(
                "is_joint",
                "Phối hợp chung",
                help=_(
                    "“Có” nếu tham mưu tổng hợp cấp tỉnh của các lực lượng được xem vụ việc; "
                    "để trống hoặc “Không” nếu không."
                ),
                example="Có",
                width=12,
            ),
            Column(
                "latitude",
                "Vĩ độ",
                help=_("Không bắt buộc; số thập phân, ví dụ 18,412345. Cần cả vĩ độ và kinh độ."),
                width=12,
            ),
            Column("longitude", "Kinh độ", help=_("Không bắt buộc; ví dụ 105,312345."), width=12),
        ],
        help=_("Mỗi dòng là một vụ việc."),
    )
    case_key = Column(
        "case",
        KEY_HEADER,
        required=True,
        help=_("Mã vụ ở sheet “Vụ việc” mà dòng này thuộc về."),
        example="V1",
        width=14,
    )
    subjects = Sheet(
        SUBJECTS_SHEET,
        [
            case_key,
            Column(
                "kind",
                "Loại đối tượng",
                help=_allowed(SubjectKind) + " " + _("Để trống: Cá nhân."),
                example=str(_vi(SubjectKind.PERSON.label)),
                width=14,
            ),
            Column(
                "name",
                "Họ tên / tên tổ chức",
                required=True,
                help=_("Họ và tên đối tượng, hoặc tên tổ chức."),
                example="Nguyễn Văn An",
                width=26,
            ),
            Column("other_names", "Tên gọi khác", help=_("Không bắt buộc."), width=16),
            Column(
                "birth",
                "Ngày sinh / năm sinh",
                help=_("Ngày sinh dd/mm/yyyy, hoặc chỉ năm sinh (ví dụ 1990)."),
                example="1990",
                width=16,
            ),
            Column(
                "sex",
                "Giới tính",
                help=_allowed(Sex),
                example=str(_vi(Sex.MALE.label)),
                width=10,
            ),
            Column(
                "citizen_id",
                "Số định danh cá nhân",
                help=_(
                    "12 chữ số (số CCCD); nhập dạng văn bản để giữ số 0 ở đầu. Phải khớp năm "
                    "sinh và giới tính."
                ),
                example="042090001234",
                width=18,
            ),
            Column("passport", "Số hộ chiếu", help=_("Không bắt buộc."), width=14),
            Column(
                "nationality",
                "Quốc tịch",
                help=_("Để trống: Việt Nam."),
                example="Việt Nam",
                width=14,
            ),
            Column(
                "registration_number",
                "Số đăng ký kinh doanh",
                help=_("Chỉ cho tổ chức."),
                width=18,
            ),
            Column(
                "address",
                "Địa chỉ",
                help=_("Nơi cư trú hoặc trụ sở."),
                example="Thôn 1, xã Sơn Kim 1, tỉnh Hà Tĩnh",
                width=30,
            ),
            Column("phone", "Số điện thoại", help=_("Không bắt buộc."), width=14),
            Column(
                "role",
                "Vai trò",
                help=_allowed(SubjectRole) + " " + _("Để trống: Nghi phạm."),
                example=str(_vi(SubjectRole.ARRESTED.label)),
                width=16,
            ),
            Column(
                "result",
                "Kết quả xử lý",
                help=_allowed(SubjectResult) + " " + _("Không bắt buộc."),
                example=str(_vi(SubjectResult.ARRESTED.label)),
                width=14,
            ),
        ],
        help=_("Mỗi dòng là một đối tượng (cá nhân hoặc tổ chức) của một vụ việc."),
    )
    seized = Sheet(
        SEIZED_SHEET,
        [
            case_key,
            Column(
                "item",
                "Mặt hàng",
                required=True,
                help=_(
                    "Mã hoặc tên mặt hàng trong danh mục tang vật (xem mục “Danh mục tang vật” "
                    "phía trên)."
                ),
                example="heroin",
                width=22,
            ),
            Column(
                "quantity",
                "Số lượng",
                required=True,
                help=_(
                    "Số lượng theo cách viết Việt Nam: dấu phẩy thập phân, dấu chấm ngăn hàng "
                    "nghìn (11,09 hoặc 1.508). Phải lớn hơn 0."
                ),
                example="11,09",
                width=12,
            ),
            Column(
                "unit",
                "Đơn vị tính",
                help=_(
                    "Một đơn vị được phép của mặt hàng; để trống: đơn vị chuẩn. Số lượng được "
                    "quy đổi chính xác về đơn vị chuẩn."
                ),
                example="gam",
                width=12,
            ),
            Column("note", "Ghi chú", help=_("Không bắt buộc."), width=30),
        ],
        help=_("Mỗi dòng là một tang vật thu giữ của một vụ việc."),
    )
    return cases, subjects, seized


def _vi(label: Any) -> str:
    """A choice label as the file writes it: Vietnamese, whatever the page language."""
    with translation.override("vi"):
        return str(label)


def _allowed_values(values: Iterable[str]) -> str:
    return _("Giá trị được phép: %(values)s.") % {"values": "; ".join(values)}


def _allowed(choices: type[models.Choices]) -> str:
    return _allowed_values(_vi(label) for label in choices.labels)


# Columns read as text even when a spreadsheet made them numbers (leading zeros matter).
_TEXT_COLUMNS = {
    CASES_SHEET: ("key", "commune", "lead_unit", "detecting_unit", "cooperating_units"),
    SUBJECTS_SHEET: ("case", "citizen_id", "passport", "phone"),
    SEIZED_SHEET: ("case",),
}


# --- reading values -------------------------------------------------------------------------


class _Bad(ValueError):
    """A cell that cannot be read; its message is shown against the cell."""


@functools.cache
def _choice_map_in(choices: type[models.Choices], language: str | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        found[fold(str(value))] = str(value)
        found[fold(_vi(label))] = str(value)
        found[fold(str(label))] = str(value)
    return found


def _choice_map(choices: type[models.Choices]) -> dict[str, str]:
    """Folded label (Vietnamese and the page language) or code → stored value."""
    return _choice_map_in(choices, translation.get_language())


def _choice(row: Row, key: str, choices: type[models.Choices], default: str = "") -> str:
    text = row.text(key)
    if not text:
        return default
    found = _choice_map(choices).get(fold(text))
    if found is None:
        raise _not_allowed(text, _allowed(choices))
    return found


def _not_allowed(text: str, allowed: str) -> _Bad:
    return _Bad(_("“%(value)s” không hợp lệ. %(allowed)s") % {"value": text, "allowed": allowed})


def _code_text(value: Any, width: int = 0) -> str:
    """A code typed into a number cell: `18196.0` → `18196`, zeros put back in front."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number == number.to_integral_value() and number >= 0:
            text = str(int(number))
            return text.zfill(width) if width else text
    return str(value).strip()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _moment(row: Row, key: str) -> dt.datetime | None:
    value = row.values.get(key)
    if value is None:
        return None
    try:
        return _aware(parse_datetime(value))
    except ValueError:
        raise _Bad(
            _("“%(value)s” không phải ngày giờ dạng dd/mm/yyyy HH:MM.") % {"value": row.text(key)}
        ) from None


def _coordinate(row: Row, key: str) -> Decimal | None:
    value = row.values.get(key)
    if value is None:
        return None
    text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise _Bad(_("“%(value)s” không phải số (ví dụ 18,412345).") % {"value": row.text(key)})
    return number


_YES = {"co", "x", "1", "true", "yes", "dung"}
_NO = {"khong", "0", "false", "no", "sai"}


def _flag(row: Row, key: str) -> bool:
    text = fold(row.text(key))
    if not text or text in _NO:
        return False
    if text in _YES:
        return True
    raise _Bad(_("Ghi “Có” hoặc “Không” (hoặc để trống)."))


def _classification(row: Row, key: str) -> int:
    text = row.text(key)
    if not text:
        return Classification.THUONG
    found = _choice_map(Classification).get(fold(text))
    if found is None:
        raise _not_allowed(
            text,
            _allowed_values(
                _vi(c.label) for c in Classification if c is not Classification.TUYET_MAT
            ),
        )
    # Tuyệt mật goes on to the service, which refuses it with the law's explanation.
    return int(found)


def _birth(row: Row) -> tuple[dt.date | None, int | None]:
    value = row.values.get("birth")
    if value is None:
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return None, parse_int(value)
        except ValueError:
            pass
    text = row.text("birth")
    if re.fullmatch(r"\d{4}", text):
        return None, int(text)
    try:
        return parse_date(value), None
    except ValueError:
        raise _Bad(
            _("“%(value)s” không phải ngày sinh dd/mm/yyyy hoặc năm sinh.") % {"value": text}
        ) from None


# Spellings of units seen in files beside the catalogue's own codes.
_UNIT_ALIASES = {
    "g": "gam",
    "gram": "gam",
    "gr": "gam",
    "kilogam": "kg",
    "kilogram": "kg",
    "m³": "m3",
    "met khoi": "m3",
    "l": "lít",
    "met": "m",
}


def _unit(text: str) -> str:
    """The catalogue code of a unit as typed (`Kg`, `lit`, `m³`); unknown ones pass through to
    the service, which names them."""
    folded = fold(text)
    if not folded:
        return ""
    by_fold = {fold(code): code for code in MEASURES}
    return by_fold.get(folded) or _UNIT_ALIASES.get(folded) or text


# --- the plan of an import ------------------------------------------------------------------


@dataclass
class _PlannedCase:
    row: Row
    values: dict[str, Any] | None  # keyword arguments of case_create; None if a cell is bad
    subjects: list[tuple[Row, SubjectData | None]] = field(default_factory=list)
    seized: list[tuple[Row, SeizedData | None]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return 1 + len(self.subjects) + len(self.seized)


@dataclass(frozen=True)
class ImportResult:
    cases: int
    subjects: int
    seized_items: int
    rows: int


# The cells of a case row read by a function of their own, each error shown against its cell.
_CASE_CELLS: tuple[tuple[str, Callable[[Row, str], Any]], ...] = (
    ("category", functools.partial(_choice, choices=CaseCategory)),
    ("domain", functools.partial(_choice, choices=CaseDomain)),
    ("detected_at", _moment),
    ("occurred_at", _moment),
    ("classification", _classification),
    ("is_joint", _flag),
    ("latitude", _coordinate),
    ("longitude", _coordinate),
)


class _Reader:
    """Turns the rows of the three sheets into case_create calls, collecting every cell error."""

    def __init__(self, actor: User, sheets: tuple[Sheet, Sheet, Sheet]) -> None:
        self.actor = actor
        self.cases_sheet, self.subjects_sheet, self.seized_sheet = sheets
        self.errors: list[CellError] = []
        self._units: dict[str, Unit] | None = None
        self._communes: dict[tuple[str, int], AdministrativeArea] = {}
        self._commune_errors: dict[tuple[str, int], DomainError] = {}
        self._items: dict[str, CatalogueItem] | None = None

    def bad(self, sheet: Sheet, row: Row, key: str, message: str) -> None:
        self.errors.append(cell_error(sheet, row, key, message))

    # lookups, each loaded once per file

    def unit(self, code: str) -> Unit | None:
        if self._units is None:
            self._units = {
                fold(u.code): u for u in unit_list(actor=self.actor).select_related("province")
            }
        return self._units.get(fold(code))

    def commune(self, code: str, province: AdministrativeArea) -> AdministrativeArea:
        key = (code, province.pk)
        if key in self._commune_errors:
            raise self._commune_errors[key]
        if key not in self._communes:
            try:
                self._communes[key] = commune_by_code(code, province=province)
            except DomainError as exc:
                self._commune_errors[key] = exc
                raise
        return self._communes[key]

    def item(self, text: str) -> CatalogueItem | None:
        if self._items is None:
            self._items = {}
            for item in catalogue_items():
                self._items.setdefault(fold(item.name), item)
            # Codes win over names.
            self._items.update({fold(item.code): item for item in catalogue_items()})
        return self._items.get(fold(text))

    # rows

    def case(self, row: Row) -> dict[str, Any] | None:
        sheet = self.cases_sheet
        before = len(self.errors)
        values: dict[str, Any] = {
            "title": row.text("title"),
            "summary": row.text("summary"),
        }

        for key, reader in _CASE_CELLS:
            try:
                values[key] = reader(row, key)
            except _Bad as exc:
                self.bad(sheet, row, key, str(exc))
                values[key] = None

        lead = self.actor.unit
        for key in ("lead_unit", "detecting_unit"):
            code = _code_text(row.values.get(key))
            if not code:
                continue
            unit = self.unit(code)
            if unit is None:
                self.bad(sheet, row, key, _unknown_unit(code))
            else:
                values[key] = unit
                if key == "lead_unit":
                    lead = unit
        codes = [c.strip() for c in re.split(r"[,;\n]", row.text("cooperating_units"))]
        partners = []
        for code in filter(None, codes):
            unit = self.unit(code)
            if unit is None:
                self.bad(sheet, row, "cooperating_units", _unknown_unit(code))
            else:
                partners.append(unit)
        if len(partners) > MAX_COOPERATING:
            self.bad(
                sheet,
                row,
                "cooperating_units",
                _("Tối đa %(n)s đơn vị phối hợp.") % {"n": MAX_COOPERATING},
            )
        values["cooperating_units"] = partners

        commune_code = _code_text(row.values.get("commune"), width=5)
        if commune_code and lead is not None:
            try:
                values["commune"] = self.commune(commune_code, lead.province)
            except DomainError as exc:
                self.errors.extend(errors_for_row(exc, row, sheet))
        if len(self.errors) > before:
            return None
        return values

    def subject(self, row: Row) -> SubjectData | None:
        sheet = self.subjects_sheet
        before = len(self.errors)
        data = SubjectData(name=row.text("name"))
        for key, choices, default in (
            ("kind", SubjectKind, SubjectKind.PERSON),
            ("sex", Sex, ""),
            ("role", SubjectRole, SubjectRole.SUSPECT),
            ("result", SubjectResult, ""),
        ):
            try:
                setattr(data, key, _choice(row, key, choices, str(default)))
            except _Bad as exc:
                self.bad(sheet, row, key, str(exc))
        try:
            data.birth_date, data.birth_year = _birth(row)
        except _Bad as exc:
            self.bad(sheet, row, "birth", str(exc))
        citizen_id = _code_text(row.values.get("citizen_id"))
        if citizen_id.isdigit() and isinstance(row.values.get("citizen_id"), int | float):
            # A number cell drops the leading zero of the province code.
            citizen_id = citizen_id.zfill(12)
        data.citizen_id = citizen_id
        phone = _code_text(row.values.get("phone"))
        if isinstance(row.values.get("phone"), int | float) and len(phone) == 9:
            phone = "0" + phone
        data.phone = phone
        data.passport = _code_text(row.values.get("passport"))
        data.nationality = row.text("nationality") or "Việt Nam"
        for key in ("other_names", "registration_number", "address"):
            setattr(data, key, row.text(key))
        return data if len(self.errors) == before else None

    def seized(self, row: Row) -> SeizedData | None:
        sheet = self.seized_sheet
        text = row.text("item")
        item = self.item(text)
        if item is None:
            self.bad(
                sheet,
                row,
                "item",
                _("Mặt hàng “%(item)s” không có trong danh mục tang vật (xem sheet “Hướng dẫn”).")
                % {"item": text},
            )
            return None
        return SeizedData(
            item=item,
            quantity=row.values.get("quantity"),
            unit=_unit(row.text("unit")),
            note=row.text("note"),
            localized=True,
        )


def _unknown_unit(code: str) -> str:
    return _("Không có đơn vị ký hiệu “%(code)s”.") % {"code": code}


def _key(row: Row, name: str) -> str:
    return fold(_code_text(row.values.get(name)))


def _plan(
    actor: User, tables: dict[str, list[Row]], sheets: tuple[Sheet, Sheet, Sheet]
) -> tuple[list[_PlannedCase], list[CellError], int]:
    """Every row read and grouped under its case; the cell errors; the number of rows."""
    cases_sheet, subjects_sheet, seized_sheet = sheets
    reader = _Reader(actor, sheets)
    planned: dict[str, _PlannedCase] = {}
    first_row: dict[str, int] = {}
    rows = 0
    for row in tables.get(cases_sheet.name, []):
        rows += 1
        key = _key(row, "key")
        values = reader.case(row)
        if key in first_row:
            reader.bad(
                cases_sheet,
                row,
                "key",
                _("Mã vụ “%(key)s” đã dùng ở dòng %(row)s.")
                % {"key": row.text("key"), "row": first_row[key]},
            )
            continue
        first_row[key] = row.number
        planned[key] = _PlannedCase(row=row, values=values)
    if not tables.get(cases_sheet.name):
        reader.errors.append(
            CellError(cases_sheet.name, None, "", _("Sheet không có vụ việc nào để nhập."))
        )
    for sheet, attach in (
        (subjects_sheet, lambda p, r, d: p.subjects.append((r, d))),
        (seized_sheet, lambda p, r, d: p.seized.append((r, d))),
    ):
        read = reader.subject if sheet is subjects_sheet else reader.seized
        for row in tables.get(sheet.name, []):
            rows += 1
            target = planned.get(_key(row, "case"))
            data = read(row)
            if target is None:
                reader.bad(
                    sheet,
                    row,
                    "case",
                    _("Không có vụ mã “%(key)s” ở sheet “%(sheet)s”.")
                    % {"key": row.text("case"), "sheet": cases_sheet.name},
                )
                continue
            attach(target, row, data)
    return list(planned.values()), reader.errors, rows


# --- saving ---------------------------------------------------------------------------------

_NESTED = re.compile(r"^(subjects|seized_items)\.(\d+)\.(.+)$")
_CASE_FIELDS = {"owner_unit": "lead_unit", "province": "lead_unit", "lead_force": "lead_unit"}
_SUBJECT_FIELDS = {"birth_date": "birth", "birth_year": "birth"}
_SEIZED_FIELDS = {"entered_unit": "unit", "entered_quantity": "quantity"}


def _create(
    actor: User, plan: _PlannedCase, sheets: tuple[Sheet, Sheet, Sheet]
) -> tuple[bool, list[CellError]]:
    """Create one case through the service. A refused subject or seized row is reported and
    left out, and the case tried again, so that every bad row of the case is named."""
    cases_sheet, subjects_sheet, seized_sheet = sheets
    assert plan.values is not None
    subjects = [(row, data) for row, data in plan.subjects if data is not None]
    seized = [(row, data) for row, data in plan.seized if data is not None]
    errors: list[CellError] = []
    while True:
        try:
            case_create(
                actor=actor,
                **plan.values,
                subjects=[data for _row, data in subjects],
                seized=[data for _row, data in seized],
            )
        except DomainError as exc:
            nested = _NESTED.match(next(iter(exc.fields), ""))
            if nested is None:
                errors.extend(errors_for_row(exc, plan.row, cases_sheet, fields=_CASE_FIELDS))
                return False, errors
            kind, index = nested.group(1), int(nested.group(2))
            pool: list[Any] = subjects if kind == "subjects" else seized
            sheet = subjects_sheet if kind == "subjects" else seized_sheet
            mapping = _SUBJECT_FIELDS if kind == "subjects" else _SEIZED_FIELDS
            prefix = f"{kind}.{index}."
            own = DomainError(
                exc.message,
                code=exc.code,
                fields={
                    name.removeprefix(prefix): messages
                    for name, messages in exc.fields.items()
                    if name.startswith(prefix)
                },
            )
            errors.extend(errors_for_row(own, pool[index][0], sheet, fields=mapping))
            del pool[index]
            continue
        return not errors, errors


def _sort_key(sheets: Sequence[Sheet]) -> Callable[[CellError], tuple[int, int, int]]:
    order = {s.name: i for i, s in enumerate(sheets)}
    columns = {(s.name, c.header): i for s in sheets for i, c in enumerate(s.columns)}

    def key(error: CellError) -> tuple[int, int, int]:
        return (
            order.get(error.sheet, len(order)),
            error.row or 0,
            columns.get((error.sheet, error.column), -1),
        )

    return key


class _DryRun(Exception):
    """Rolls the transaction of a trial import back."""


def _check_importer(actor: User) -> None:
    """Refused once for the whole file rather than once per case (the service checks again)."""
    require(
        actor, Action.CREATE, message=_("Chỉ cán bộ hoặc chỉ huy của đơn vị được nhập vụ việc.")
    )


def import_cases(
    *,
    actor: User,
    content: bytes,
    filename: str,
    progress: Progress | None = None,
    commit: bool = True,
) -> ImportResult:
    """Read, check and save the cases of a file, all or nothing.

    `progress(done, total)` is called with (0, total) once the file is read, before the
    transaction opens, then as rows are saved. Raises ImportFailed naming every bad cell;
    with `commit=False` everything is checked and saved, then rolled back (a trial run).
    """
    _check_importer(actor)
    sheets = _sheets()
    tables = read_table(content, filename=filename, sheets=sheets)
    plans, errors, total = _plan(actor, tables, sheets)
    report = progress or (lambda done, total: None)
    report(0, total)
    # Rows pointing at no case are already reported: they count as handled.
    done = total - sum(plan.rows for plan in plans)
    created = subjects = seized = 0
    try:
        with transaction.atomic():
            for plan in plans:
                if plan.values is not None:
                    ok, problems = _create(actor, plan, sheets)
                    errors.extend(problems)
                    if ok:
                        created += 1
                        subjects += len(plan.subjects)
                        seized += len(plan.seized)
                done += plan.rows
                report(done, total)
            if errors:
                raise ImportFailed(sorted(errors, key=_sort_key(sheets)))
            if not commit:
                raise _DryRun
    except _DryRun:
        pass
    report(total, total)
    return ImportResult(cases=created, subjects=subjects, seized_items=seized, rows=total)


# --- the template ---------------------------------------------------------------------------


def _example_commune(actor: User) -> str:
    unit = actor.unit
    if unit is None:
        return ""
    area = (
        unit.areas.filter(level=AreaLevel.COMMUNE, valid_until__isnull=True)
        .order_by("code")
        .first()
        or AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE, parent=unit.province, valid_until__isnull=True
        )
        .order_by("code")
        .first()
    )
    return area.code if area else ""


def _guide_notes() -> list[str]:
    notes = [
        _(
            "Tệp XLSX gồm ba sheet: “%(cases)s” (mỗi dòng một vụ việc), “%(subjects)s” và "
            "“%(seized)s” (mỗi dòng chỉ vụ việc của mình bằng cột “%(key)s”). Dòng 2 của mỗi sheet "
            "là ví dụ: sửa hoặc xóa trước khi nhập."
        )
        % {
            "cases": CASES_SHEET,
            "subjects": SUBJECTS_SHEET,
            "seized": SEIZED_SHEET,
            "key": KEY_HEADER,
        },
        _(
            "Tệp CSV (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy) chỉ gồm sheet “%(cases)s”: "
            "dòng đầu là tiêu đề cột như sheet đó; không nhập được đối tượng và tang vật bằng CSV."
        )
        % {"cases": CASES_SHEET},
        _(
            "Cả tệp được kiểm tra trước: chỉ cần một dòng sai là không lưu gì; danh sách lỗi nêu "
            "sheet, dòng và cột để sửa. Vụ việc được nhập ở trạng thái “Mới phát hiện”."
        ),
        "",
        _("Loại vụ việc: %(values)s.")
        % {"values": "; ".join(_vi(label) for label in CaseCategory.labels)},
        _("Địa bàn xảy ra: %(values)s.")
        % {"values": "; ".join(_vi(label) for label in CaseDomain.labels)},
        _("Đơn vị tính: %(values)s.") % {"values": ", ".join(MEASURES)},
        "",
        _("Danh mục tang vật (mã — tên: đơn vị chuẩn; đơn vị khác được nhập):"),
    ]
    for item in catalogue_items():
        others = [u for u in item.input_units if u != item.canonical_unit]
        line = f"{item.code} — {item.name}: {item.canonical_unit}"
        if others:
            line += f"; {', '.join(others)}"
        notes.append(line)
    return notes


def case_import_template(*, actor: User) -> bytes:
    """The downloadable XLSX template: the guide (every column, allowed values, the item
    catalogue with its units) and the three sheets with an example row each."""
    cases, subjects, seized = _sheets()
    commune = _example_commune(actor)
    cases = replace(
        cases,
        columns=[replace(c, example=commune) if c.key == "commune" else c for c in cases.columns],
    )
    data = template_xlsx(
        sheets=[cases, subjects, seized],
        title=_("Mẫu nhập vụ việc, đối tượng và tang vật"),
        notes=_guide_notes(),
    )
    # Code columns are text, so that a spreadsheet keeps their leading zeros.
    book = load_workbook(io.BytesIO(data))
    for sheet in (cases, subjects, seized):
        ws = book[sheet.name]
        for position, column in enumerate(sheet.columns, start=1):
            if column.key in _TEXT_COLUMNS[sheet.name]:
                letter = get_column_letter(position)
                ws.column_dimensions[letter].number_format = "@"
                ws.cell(row=2, column=position).number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the background job ---------------------------------------------------------------------

_EXTENSIONS = {"xlsx": b"PK\x03\x04", "csv": b""}


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"file": [message]})


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    name = PurePath(upload.name or "").name[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in _EXTENSIONS:
        raise _refuse(_("Chỉ nhận tệp .xlsx hoặc .csv."), "import_type")
    if not upload.size:
        raise _refuse(_("Tệp %(name)s rỗng.") % {"name": name}, "import_empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("Tệp %(name)s quá lớn: tối đa %(mb)s MB.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            "import_too_large",
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if _EXTENSIONS[ext] and not head.startswith(_EXTENSIONS[ext]):
        raise _refuse(
            _("Nội dung tệp %(name)s không phải bảng tính .xlsx.") % {"name": name},
            "import_content",
        )
    return name, ext


@transaction.atomic
def case_import_create(*, actor: User, upload: UploadedFile, language: str = "") -> CaseImport:
    """Store an uploaded file as a queued import job of `actor` (`case_import_start` runs it)."""
    _check_importer(actor)
    name, ext = _check_upload(upload)
    job = CaseImport(
        owner=actor,
        original_name=name,
        language=(language or translation.get_language() or settings.LANGUAGE_CODE)[:10],
    )
    job.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    stored = job.file.name
    try:
        job.full_clean(exclude=["file"])
        job.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=job,
            changes={"file": name, "size": upload.size},
        )
    except Exception:
        job.file.storage.delete(stored)
        raise
    return job


def case_import_start(*, actor: User, upload: UploadedFile, language: str = "") -> CaseImport:
    """Store the upload and queue it for the task worker (the test settings run it at once)."""
    from phoihop.cases.tasks import run_case_import

    job = case_import_create(actor=actor, upload=upload, language=language)
    run_case_import.enqueue(str(job.public_id))
    job.refresh_from_db()
    return job


def _progress_path(job: CaseImport) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{job.public_id}.json"


class _ProgressFile:
    """Where a running job says how far it is, readable from outside its transaction."""

    def __init__(self, job: CaseImport) -> None:
        self.job = job
        self.path = _progress_path(job)
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if done == 0:
            # Before the transaction opens: the row can say it, durably.
            CaseImport.objects.filter(pk=self.job.pk).update(total_rows=total)
        now = time.monotonic()
        if done not in (0, total) and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"processed": done, "total": total}))
        os.replace(temporary, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def case_import_progress(job: CaseImport) -> tuple[int, int]:
    """(processed rows, total rows) of a job, live while it runs."""
    if job.status == CaseImport.Status.RUNNING:
        try:
            data = json.loads(_progress_path(job).read_text())
            return int(data["processed"]), int(data["total"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return job.processed_rows, job.total_rows


def _system_error() -> list[dict[str, Any]]:
    message = _("Lỗi hệ thống khi nhập tệp; chưa lưu dữ liệu nào. Hãy báo quản trị viên.")
    return [CellError("", None, "", message).as_dict()]


def _import_job_file(job: CaseImport, progress: Progress) -> dict[str, Any]:
    """What the job row records once its file has been imported or refused."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            with job.file.open("rb") as handle:
                content = handle.read()
            result = import_cases(
                actor=job.owner, content=content, filename=job.original_name, progress=progress
            )
        except DomainError as exc:  # ImportFailed, or the importer may not record cases
            errors = (
                [e.as_dict() for e in exc.errors]
                if isinstance(exc, ImportFailed)
                else [CellError("", None, "", exc.message).as_dict()]
            )
            return {"status": CaseImport.Status.FAILED, "errors": errors}
        except Exception:
            logger.exception("case import %s failed", job.public_id)
            return {"status": CaseImport.Status.FAILED, "errors": _system_error()}
    return {
        "status": CaseImport.Status.DONE,
        "created_count": result.cases,
        "processed_rows": result.rows,
        "total_rows": result.rows,
        "errors": [],
    }


def case_import_run(*, public_id: str) -> dict[str, Any]:
    """Run a queued job once: import its file, then record the result or the errors."""
    job = CaseImport.objects.select_related("owner__unit").filter(public_id=public_id).first()
    if job is None:
        return {"status": "missing"}
    claimed = CaseImport.objects.filter(pk=job.pk, status=CaseImport.Status.QUEUED).update(
        status=CaseImport.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return {"status": job.status}
    job.status = CaseImport.Status.RUNNING
    progress = _ProgressFile(job)
    try:
        outcome = _import_job_file(job, progress)
        # The upload holds personal data that now lives in the records (or was refused): it
        # is not kept.
        stored = job.file.name
        CaseImport.objects.filter(pk=job.pk).update(finished_at=timezone.now(), file="", **outcome)
        if stored:
            job.file.storage.delete(stored)
    finally:
        # Only now: until the row says done or failed, the status page reads the file.
        progress.remove()
    return {"status": outcome["status"], "errors": len(outcome["errors"])}


def case_import_list(*, actor: Any) -> QuerySet[CaseImport]:
    """The actor's own import jobs: nobody else's are ever shown."""
    if not getattr(actor, "is_authenticated", False):
        return CaseImport.objects.none()
    return CaseImport.objects.filter(owner=actor)


def case_import_get(*, actor: Any, public_id: Any) -> CaseImport:
    try:
        return case_import_list(actor=actor).get(public_id=public_id)
    except (CaseImport.DoesNotExist, ValueError):
        raise NotFound() from None


def case_import_errors(job: CaseImport) -> list[CellError]:
    return [
        CellError(e.get("sheet", ""), e.get("row"), e.get("column", ""), e.get("message", ""))
        for e in job.errors or []
    ]
