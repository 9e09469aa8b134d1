"""Import of a province's organisation from an XLSX or CSV file: forces, units, users.

The file (the template from `organisation_template`):
- sheet “Lực lượng” (optional): partner forces to add (Cảnh sát biển, Hải quan…);
- sheet “Đơn vị”: one row per unit; its parent is named by code: a unit of the province already
  in the system (the commands made by `phoihop province init`) or one on an earlier row;
- sheet “Người dùng”: one row per account, in a unit of the province (in the system or the file).
A CSV file is the sheet “Đơn vị” alone.

Sheet names and headers are the file format, the same whatever the page language; headers are
also recognised by their column keys.

Rules:
- Every row goes through the services (`force_create`, `unit_create`, `user_create`), so an
  imported unit or user obeys the same rules as one made through the API; every problem
  becomes a `CellError` naming sheet, row and column, and while any remains nothing is saved.
- Everything lies in the one province the import is for: a parent or a user's unit of another
  province is refused, and so is an area outside it.
- A parent must come before its children: a row naming a unit defined on a later row is refused
  with the row to move it above.
- No password is read from the file: every new account gets a one-time set-up link
  (`services.password_setup_path`), handed back to the caller (the page, the API, the command)
  and never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.enums import STORABLE_CLASSIFICATIONS, Classification
from phoihop.core.errors import DomainError
from phoihop.core.tabular import (
    CellError,
    Column,
    ImportFailed,
    Row,
    Sheet,
    cell_error,
    errors_for_row,
    parse_date,
    read_table,
    template_xlsx,
)
from phoihop.core.text import fold
from phoihop.org.enums import RoleCode
from phoihop.org.models import AdministrativeArea, Force, Role, Unit, UnitLevel, User
from phoihop.org.services import (
    areas_by_code,
    force_create,
    password_setup_path,
    require_administrator,
    unit_create,
    user_create,
)

FORCES_SHEET = "Lực lượng"
UNITS_SHEET = "Đơn vị"
USERS_SHEET = "Người dùng"
_LIST_SEPARATORS = re.compile(r"[,;\n]+")

# A service's field → the column of the sheet that holds it.
_UNIT_FIELDS = {"province": "parent", "level": "level", "force": "force", "path": "code"}
_USER_FIELDS = {"password": "username"}


def _sheets(province_code: str = "") -> tuple[Sheet, Sheet, Sheet]:
    """The three sheets, with help texts in the page language (headers are fixed)."""
    suffix = f"-{province_code}" if province_code else ""
    forces = Sheet(
        FORCES_SHEET,
        [
            Column(
                "code",
                "Mã lực lượng",
                required=True,
                help=_("Mã mới, không trùng lực lượng đã có (CA, QS, BP đã có sẵn)."),
                example="CSB",
                width=14,
            ),
            Column("name", "Tên lực lượng", required=True, example="Cảnh sát biển", width=30),
            Column("short_name", "Tên ngắn", help=_("Để trống: như tên."), width=18),
            Column(
                "is_partner",
                "Cơ quan phối hợp",
                help=_("“Có” (mặc định) hoặc “Không”."),
                example="Có",
                width=14,
            ),
        ],
        help=_("Không bắt buộc: chỉ khi tỉnh có thêm lực lượng phối hợp."),
    )
    units = Sheet(
        UNITS_SHEET,
        [
            Column(
                "code",
                "Ký hiệu",
                required=True,
                help=_("Ký hiệu đơn vị, không trùng đơn vị nào đã có trong hệ thống."),
                example=f"CAX-01{suffix}",
                width=16,
            ),
            Column("name", "Tên đơn vị", required=True, example="Công an xã …", width=36),
            Column("short_name", "Tên ngắn", width=18),
            Column(
                "force",
                "Lực lượng",
                required=True,
                help=_("Mã lực lượng (sheet “Hướng dẫn” liệt kê các mã)."),
                example="CA",
                width=10,
            ),
            Column(
                "level",
                "Cấp",
                required=True,
                help=_("Mã hoặc tên cấp đơn vị (sheet “Hướng dẫn” liệt kê các cấp)."),
                example="xa",
                width=12,
            ),
            Column(
                "parent",
                "Đơn vị cấp trên",
                help=_(
                    "Ký hiệu đơn vị cấp trên: đơn vị của tỉnh đã có trong hệ thống hoặc ở một "
                    "dòng phía trên. Để trống: đơn vị cấp cao nhất."
                ),
                example=f"CAT{suffix}",
                width=16,
            ),
            Column(
                "areas",
                "Địa bàn phụ trách",
                help=_(
                    "Mã chính thức các địa bàn (tỉnh 2 chữ số, xã 5 chữ số), cách nhau bằng dấu "
                    "phẩy; thuộc tỉnh đang nhập."
                ),
                width=20,
            ),
            Column(
                "valid_from",
                "Hoạt động từ",
                help=_("Ngày dd/mm/yyyy; không bắt buộc."),
                example="01/07/2025",
                width=14,
            ),
            Column(
                "reason",
                "Căn cứ",
                help=_("Quyết định thành lập, tổ chức lại; không bắt buộc."),
                width=30,
            ),
        ],
        help=_("Mỗi dòng là một đơn vị; đơn vị cấp trên phải ở dòng phía trên."),
    )
    users = Sheet(
        USERS_SHEET,
        [
            Column(
                "username",
                "Tên đăng nhập",
                required=True,
                help=_("Không trùng tài khoản đã có. Không ghi mật khẩu vào tệp."),
                example="ca.xa01.canbo",
                width=20,
            ),
            Column("full_name", "Họ và tên", required=True, example="Nguyễn Văn An", width=24),
            Column("rank_title", "Cấp bậc, chức vụ", example="Đại úy, Phó Trưởng Công an xã"),
            Column("email", "Thư điện tử", width=22),
            Column(
                "unit",
                "Đơn vị",
                required=True,
                help=_("Ký hiệu đơn vị của tỉnh: đã có trong hệ thống hoặc ở sheet “Đơn vị”."),
                example=f"CAX-01{suffix}",
                width=16,
            ),
            Column(
                "roles",
                "Vai trò",
                required=True,
                help=_allowed(str(label) for _code, label in RoleCode.choices)
                + " "
                + _("Nhiều vai trò cách nhau bằng dấu phẩy."),
                example=str(RoleCode.OFFICER.label),
                width=22,
            ),
            Column(
                "clearance",
                "Mức tiếp cận",
                help=_allowed(str(label) for _value, label in STORABLE_CLASSIFICATIONS)
                + " "
                + _("Để trống: Thường."),
                example=str(Classification.THUONG.label),
                width=12,
            ),
        ],
        help=_("Mỗi dòng là một tài khoản; người dùng tự đặt mật khẩu qua đường dẫn được cấp."),
    )
    return forces, units, users


def _allowed(values: Any) -> str:
    return _("Một trong: %(values)s.") % {"values": ", ".join(values)}


def organisation_template(province: AdministrativeArea | None = None) -> bytes:
    """The downloadable template; its guide lists the forces and unit levels of this system."""
    forces = ", ".join(f"{f.code} ({f.name})" for f in Force.objects.order_by("order", "code"))
    levels = ", ".join(f"{lv.code} ({lv.name})" for lv in UnitLevel.objects.all())
    return template_xlsx(
        sheets=_sheets(province.code if province else ""),
        title=_("Mẫu nhập tổ chức của tỉnh: lực lượng, đơn vị, người dùng"),
        notes=[
            _(
                "Trước khi nhập, chạy `phoihop province init MÃ_TỈNH` để tạo các cơ quan cấp tỉnh "
                "của các lực lượng; các đơn vị trong tệp đặt dưới các cơ quan đó."
            ),
            _("Lực lượng: %(forces)s.") % {"forces": forces},
            _("Cấp đơn vị: %(levels)s.") % {"levels": levels},
            _("Tệp có lỗi thì không dòng nào được lưu: sửa hết lỗi rồi nhập lại."),
            _(
                "Không ghi mật khẩu vào tệp: mỗi tài khoản mới được cấp một đường dẫn dùng một "
                "lần để tự đặt mật khẩu."
            ),
        ],
    )


# --- reading and saving ---------------------------------------------------------------------


@dataclass(frozen=True)
class NewAccount:
    user: User
    # Relative: the caller makes it absolute (the page and the API from the request).
    setup_path: str


@dataclass
class OrganisationImport:
    forces: list[Force] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    accounts: list[NewAccount] = field(default_factory=list)
    rows: int = 0


class _Importer:
    """One file's rows, checked and saved in order; the units of the file by code."""

    def __init__(self, actor: User | None, province: AdministrativeArea, sheets: tuple[Sheet, ...]):
        self.actor = actor
        self.province = province
        self.forces_sheet, self.units_sheet, self.users_sheet = sheets
        self.errors: list[CellError] = []
        self.result = OrganisationImport()
        # Code → row number of every unit row of the file, and the units saved from them.
        self.unit_rows: dict[str, int] = {}
        self.saved_units: dict[str, Unit] = {}

    # --- references

    def unit_named(self, sheet: Sheet, row: Row, key: str) -> Unit | None:
        """The unit a cell names: saved from an earlier row, or of the province in the system.
        None (with the cell's error recorded) otherwise; None without error for a blank cell."""
        code = row.text(key)
        if not code:
            return None
        if code in self.saved_units:
            return self.saved_units[code]
        defined_on = self.unit_rows.get(code)
        if defined_on is not None:
            if sheet is self.units_sheet and defined_on >= row.number:
                message = _(
                    "Đơn vị “%(code)s” được khai ở dòng %(row)s, phía dưới: hãy đặt đơn vị cấp "
                    "trên lên trước."
                ) % {"code": code, "row": defined_on}
            else:
                message = _("Đơn vị “%(code)s” ở dòng %(row)s của sheet “%(sheet)s” có lỗi.") % {
                    "code": code,
                    "row": defined_on,
                    "sheet": self.units_sheet.name,
                }
            self.errors.append(cell_error(sheet, row, key, message))
            return None
        unit = Unit.objects.select_related("province").filter(code=code).first()
        if unit is None:
            message = _("Không có đơn vị mã %(code)s.") % {"code": code}
        elif unit.province_id != self.province.pk:
            message = _("Đơn vị %(unit)s thuộc %(other)s, không thuộc %(province)s.") % {
                "unit": unit.name,
                "other": unit.province.name,
                "province": self.province.name,
            }
        else:
            return unit
        self.errors.append(cell_error(sheet, row, key, message))
        return None

    def refused(self, exc: DomainError, sheet: Sheet, row: Row, fields: dict[str, str]) -> None:
        self.errors.extend(errors_for_row(exc, row, sheet, fields=fields))

    # --- the sheets

    def force_row(self, row: Row) -> None:
        sheet = self.forces_sheet
        is_partner = _yes_no(row.values.get("is_partner"), default=True)
        if is_partner is None:
            self.errors.append(
                cell_error(sheet, row, "is_partner", _("Chỉ ghi “Có” hoặc “Không”."))
            )
            return
        try:
            force = force_create(
                actor=self.actor,
                code=row.text("code"),
                name=row.text("name"),
                short_name=row.text("short_name"),
                is_partner=is_partner,
            )
        except DomainError as exc:
            self.refused(exc, sheet, row, {})
            return
        self.result.forces.append(force)

    def unit_row(self, row: Row) -> None:
        sheet = self.units_sheet
        before = len(self.errors)
        force = _lookup(sheet, row, "force", self.errors, _force)
        level = _lookup(sheet, row, "level", self.errors, _level)
        valid_from = None
        if row.values.get("valid_from") is not None:
            try:
                valid_from = parse_date(row.values["valid_from"])
            except ValueError:
                self.errors.append(
                    cell_error(
                        sheet, row, "valid_from", _("Ngày không hợp lệ; ghi dạng dd/mm/yyyy.")
                    )
                )
        parent = self.unit_named(sheet, row, "parent")
        try:
            areas = areas_by_code(_split(row.text("areas")), on=valid_from)
        except DomainError as exc:
            self.refused(exc, sheet, row, {})
            areas = []
        if len(self.errors) > before or force is None or level is None:
            return
        try:
            unit = unit_create(
                actor=self.actor,
                force=force,
                code=row.text("code"),
                name=row.text("name"),
                short_name=row.text("short_name"),
                level=level,
                parent=parent,
                province=self.province,
                areas=areas,
                valid_from=valid_from,
                reason=row.text("reason"),
            )
        except DomainError as exc:
            self.refused(exc, sheet, row, _UNIT_FIELDS)
            return
        self.saved_units[unit.code] = unit
        self.result.units.append(unit)

    def user_row(self, row: Row) -> None:
        sheet = self.users_sheet
        before = len(self.errors)
        unit = self.unit_named(sheet, row, "unit")
        roles = _roles(sheet, row, self.errors)
        clearance = _clearance(sheet, row, self.errors)
        if len(self.errors) > before or unit is None:
            return
        try:
            user = user_create(
                actor=self.actor,
                username=row.text("username"),
                password=None,
                unit=unit,
                full_name=row.text("full_name"),
                rank_title=row.text("rank_title"),
                email=row.text("email"),
                roles=roles,
                clearance=clearance,
            )
        except DomainError as exc:
            self.refused(exc, sheet, row, _USER_FIELDS)
            return
        self.result.accounts.append(NewAccount(user, ""))


def _split(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def _yes_no(value: Any, *, default: bool) -> bool | None:
    text = fold(str(value or ""))
    if not text:
        return default
    return {"co": True, "x": True, "khong": False}.get(text)


def _force(text: str) -> Force | None:
    return Force.objects.filter(code__iexact=text).first()


def _level(text: str) -> UnitLevel | None:
    wanted = fold(text)
    return next(
        (lv for lv in UnitLevel.objects.all() if wanted in (fold(lv.code), fold(lv.name))), None
    )


def _lookup(sheet: Sheet, row: Row, key: str, errors: list[CellError], find: Any) -> Any:
    text = row.text(key)
    found = find(text) if text else None
    if found is None:
        errors.append(
            cell_error(sheet, row, key, _("Không có “%(value)s” trong danh mục.") % {"value": text})
        )
    return found


def _roles(sheet: Sheet, row: Row, errors: list[CellError]) -> list[str]:
    known = {fold(str(label)): code for code, label in RoleCode.choices}
    known |= {code: code for code, _label in RoleCode.choices}
    # A role's label in the other language names it too.
    known |= {fold(role.name): role.code for role in Role.objects.all()}
    codes: list[str] = []
    for part in _split(row.text("roles")):
        code = known.get(fold(part)) or known.get(part)
        if code is None:
            errors.append(
                cell_error(
                    sheet, row, "roles", _("Không có vai trò “%(value)s”.") % {"value": part}
                )
            )
        else:
            codes.append(code)
    return codes


def _clearance(sheet: Sheet, row: Row, errors: list[CellError]) -> int:
    text = row.text("clearance")
    if not text:
        return Classification.THUONG
    known = {fold(str(label)): value for value, label in STORABLE_CLASSIFICATIONS}
    known |= {str(value): value for value, _label in STORABLE_CLASSIFICATIONS}
    value = known.get(fold(text))
    if value is None:
        errors.append(
            cell_error(
                sheet,
                row,
                "clearance",
                _allowed(str(label) for _v, label in STORABLE_CLASSIFICATIONS),
            )
        )
        return Classification.THUONG
    return int(value)


def organisation_import(
    *,
    actor: User | None,
    province: AdministrativeArea,
    content: bytes,
    filename: str,
    commit: bool = True,
) -> OrganisationImport:
    """Save every row of the file for `province`, or nothing (ImportFailed naming every bad
    cell). With `commit` False everything is checked and nothing kept (no links either)."""
    require_administrator(actor, province)
    sheets = _sheets()
    tables = read_table(content, filename=filename, sheets=[sheets[1], sheets[2], sheets[0]])
    units, users, forces = (tables[s.name] for s in (sheets[1], sheets[2], sheets[0]))
    if not (units or users or forces):
        raise ImportFailed([CellError(UNITS_SHEET, None, "", _("Tệp không có dòng nào."))])
    importer = _Importer(actor, province, sheets)
    for row in units:
        code = row.text("code")
        if code in importer.unit_rows:
            importer.errors.append(
                cell_error(
                    sheets[1],
                    row,
                    "code",
                    _("Ký hiệu “%(code)s” đã có ở dòng %(row)s.")
                    % {"code": code, "row": importer.unit_rows[code]},
                )
            )
        else:
            importer.unit_rows[code] = row.number
    with transaction.atomic():
        for row in forces:
            importer.force_row(row)
        for row in units:
            if importer.unit_rows.get(row.text("code")) == row.number:
                importer.unit_row(row)
        for row in users:
            importer.user_row(row)
        if importer.errors:
            raise ImportFailed(sorted(importer.errors, key=_order(sheets)))
        result = importer.result
        result.rows = len(units) + len(users) + len(forces)
        if not commit:
            transaction.set_rollback(True)
            return result
        result.accounts = [
            NewAccount(a.user, password_setup_path(actor=actor, user=a.user))
            for a in result.accounts
        ]
    return result


def _order(sheets: tuple[Sheet, ...]) -> Any:
    position = {sheet.name: index for index, sheet in enumerate(sheets)}
    return lambda e: (position.get(e.sheet, 99), e.row or 0)
