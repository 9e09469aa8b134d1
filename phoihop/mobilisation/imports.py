"""XLSX/CSV imports of mobilisation records: forums with their opinion counts by topic, and the
items handed in during a surrender campaign.

Each import reads the file with `phoihop.core.tabular.read_table`, checks every row through the
same services as the pages (so the same rules and messages apply), and saves all rows or none:
if any row is refused, `ImportFailed` names every bad cell (sheet, row, column) and nothing is
kept.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.cases.models import CatalogueItem
from phoihop.core.errors import DomainError, PermissionDenied
from phoihop.core.tabular import (
    CellError,
    Column,
    ImportFailed,
    Row,
    Sheet,
    cell_error,
    errors_for_row,
    parse_date,
    parse_int,
    read_rows,
    template_xlsx,
)
from phoihop.core.text import fold
from phoihop.mobilisation import services
from phoihop.mobilisation.enums import OpinionTopic
from phoihop.mobilisation.models import Forum, HandedInItem, SurrenderCampaign
from phoihop.mobilisation.selectors import catalogue_items
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import commune_by_code
from phoihop.org.selectors import unit_list

_YES = {"co", "x", "1", "true", "yes"}


def _topic_key(topic: str) -> str:
    return f"topic_{topic}"


def forum_sheet() -> Sheet:
    return Sheet(
        name=_("Diễn đàn"),
        help=_("Mỗi dòng một diễn đàn “Công an lắng nghe ý kiến Nhân dân”."),
        columns=[
            Column(
                "start_date",
                _("Ngày tổ chức"),
                required=True,
                help=_("dd/mm/yyyy"),
                example="10/07/2024",
                width=14,
            ),
            Column(
                "commune",
                _("Mã xã, phường"),
                required=True,
                help=_("Mã 5 chữ số theo Quyết định 19/2025/QĐ-TTg."),
                example="18196",
                width=14,
            ),
            Column(
                "organising_unit",
                _("Ký hiệu đơn vị chủ trì"),
                help=_("Để trống: đơn vị của người nhập. Được ghi đơn vị cấp dưới."),
                example="",
                width=18,
            ),
            Column("attendees", _("Số người tham dự"), required=True, example=120, width=12),
            Column(
                "opinions",
                _("Tổng số ý kiến"),
                required=True,
                help=_("Tổng các cột ý kiến theo lĩnh vực không được lớn hơn số này."),
                example=15,
                width=12,
            ),
            *(
                Column(
                    _topic_key(topic),
                    _("Ý kiến: %(topic)s") % {"topic": label},
                    help=_("Số ý kiến về lĩnh vực này (để trống: 0)."),
                    example=6 if topic == "security" else "",
                    width=14,
                )
                for topic, label in OpinionTopic.choices
            ),
            Column("title", _("Tên diễn đàn"), help=_("Để trống: tên mặc định."), width=30),
            Column(
                "is_joint",
                _("Phối hợp chung"),
                help=_("“Có”: tham mưu tổng hợp cấp tỉnh được xem."),
                example="Có",
                width=10,
            ),
            Column("note", _("Ghi chú"), width=30),
        ],
    )


def handed_in_sheet() -> Sheet:
    codes = ", ".join(f"{i.code} ({i.name})" for i in catalogue_items())
    return Sheet(
        name=_("Giao nộp"),
        help=_("Mỗi dòng một loại vũ khí, vật liệu nổ, công cụ hỗ trợ, pháo được giao nộp."),
        columns=[
            Column(
                "commune",
                _("Mã xã, phường"),
                required=True,
                help=_("Xã, phường thuộc tỉnh của đợt vận động."),
                example="18196",
                width=14,
            ),
            Column(
                "handed_in_on",
                _("Ngày giao nộp"),
                required=True,
                help=_("dd/mm/yyyy, trong thời gian của đợt vận động."),
                example="02/07/2024",
                width=14,
            ),
            Column(
                "item",
                _("Mã loại"),
                required=True,
                help=_("Mã (hoặc tên) trong danh mục: %(codes)s.") % {"codes": codes},
                example="sung",
                width=16,
            ),
            Column(
                "quantity",
                _("Số lượng"),
                required=True,
                help=_("Dấu phẩy thập phân: 2,4; dấu chấm hàng nghìn: 1.508."),
                example=3,
                width=12,
            ),
            Column(
                "unit",
                _("Đơn vị tính"),
                help=_("Để trống: đơn vị chuẩn của loại (kg, khẩu, cái…)."),
                example="khẩu",
                width=12,
            ),
            Column("note", _("Ghi chú"), width=30),
        ],
    )


def _template_notes() -> list[str]:
    """What both templates say about filling them in."""
    return [
        _("Điền từ dòng 2 (xóa dòng ví dụ). Cũng nhận tệp CSV mã hóa UTF-8 cùng tiêu đề cột."),
        _("Tệp có một dòng lỗi thì không dòng nào được lưu; danh sách lỗi nêu dòng và cột."),
    ]


# --- forums -------------------------------------------------------------------------------------


def forum_template() -> bytes:
    return template_xlsx(
        sheets=[forum_sheet()],
        title=_("Mẫu nhập diễn đàn “Công an lắng nghe ý kiến Nhân dân”"),
        notes=_template_notes(),
    )


def _cell(row: Row, sheet: Sheet, key: str, parse: Any, message: str) -> Any:
    value = row.values.get(key)
    if value is None:
        return None
    try:
        return parse(value)
    except (ValueError, TypeError):
        raise _CellProblem(cell_error(sheet, row, key, message)) from None


def _count(row: Row, sheet: Sheet, key: str) -> int | None:
    count: int | None = _cell(row, sheet, key, parse_int, _("Phải là số nguyên không âm."))
    return count


class _CellProblem(Exception):
    def __init__(self, error: CellError) -> None:
        super().__init__(error.message)
        self.error = error


def _unit_by_code(actor: User, code: str) -> Unit:
    unit = unit_list(actor=actor).filter(code__iexact=code.strip()).first()
    if unit is None:
        message = _("Không có đơn vị ký hiệu “%(code)s”.") % {"code": code}
        raise DomainError(message, code="unknown_unit", fields={"organising_unit": [message]})
    return unit


def _commune(code: str) -> AdministrativeArea:
    return commune_by_code(code)


def import_forums(*, actor: User, content: bytes | IO[bytes], filename: str) -> list[Forum]:
    """Every row of the file as a forum, or nothing (ImportFailed names every bad cell)."""
    sheet = forum_sheet()
    rows = read_rows(
        content, filename=filename, sheet=sheet, empty=_("Tệp không có dòng dữ liệu nào.")
    )
    errors: list[CellError] = []
    created: list[Forum] = []
    mapping = {
        "topic_counts": "opinions",
        **{
            f"topic_counts.{index}.count": _topic_key(topic)
            for index, topic in enumerate(OpinionTopic.values)
        },
    }
    with transaction.atomic():
        for row in rows:
            try:
                start = _cell(
                    row, sheet, "start_date", parse_date, _("Ngày không hợp lệ (dd/mm/yyyy).")
                )
                counts = [
                    (topic, _count(row, sheet, _topic_key(topic)) or 0)
                    for topic in OpinionTopic.values
                ]
                attendees = _count(row, sheet, "attendees")
                opinions = _count(row, sheet, "opinions")
            except _CellProblem as problem:
                errors.append(problem.error)
                continue
            try:
                organiser = (
                    _unit_by_code(actor, row.text("organising_unit"))
                    if row.text("organising_unit")
                    else None
                )
                with transaction.atomic():
                    created.append(
                        services.forum_create(
                            actor=actor,
                            start_date=start,
                            commune=_commune(row.text("commune")),
                            attendees=attendees,
                            opinions=opinions,
                            topic_counts=counts,
                            title=row.text("title"),
                            organising_unit=organiser,
                            is_joint=fold(row.text("is_joint")) in _YES,
                            note=row.text("note"),
                        )
                    )
            except DomainError as exc:
                errors.extend(errors_for_row(exc, row, sheet, fields=mapping))
        if errors:
            raise ImportFailed(errors)
    return created


# --- handed-in items ----------------------------------------------------------------------------


def handed_in_template() -> bytes:
    return template_xlsx(
        sheets=[handed_in_sheet()],
        title=_("Mẫu nhập vũ khí, vật liệu nổ, công cụ hỗ trợ, pháo được giao nộp"),
        notes=_template_notes(),
    )


def _item(value: str) -> CatalogueItem | str:
    """An item by code, or by its name written out (`Súng các loại`)."""
    wanted = fold(value)
    for item in catalogue_items():
        if fold(item.name) == wanted:
            return item
    return value.strip()


def import_handed_in(
    *, actor: User, campaign: SurrenderCampaign, content: bytes | IO[bytes], filename: str
) -> list[HandedInItem]:
    """Every row of the file as handed-in items of the campaign, or nothing."""
    sheet = handed_in_sheet()
    rows = read_rows(
        content, filename=filename, sheet=sheet, empty=_("Tệp không có dòng dữ liệu nào.")
    )
    if not services.may_contribute(actor, campaign):
        raise PermissionDenied()
    errors: list[CellError] = []
    checked: list[services.HandedInData] = []
    for row in rows:
        try:
            day = _cell(
                row, sheet, "handed_in_on", parse_date, _("Ngày không hợp lệ (dd/mm/yyyy).")
            )
        except _CellProblem as problem:
            errors.append(problem.error)
            continue
        data = services.HandedInData(
            commune=None,
            handed_in_on=day,
            item=_item(row.text("item")),
            quantity=row.values.get("quantity"),
            unit=row.text("unit"),
            note=row.text("note"),
        )
        try:
            data.commune = _commune(row.text("commune"))
            services.handed_in_check(campaign=campaign, data=data)
        except DomainError as exc:
            errors.extend(errors_for_row(exc, row, sheet))
            continue
        checked.append(data)
    if errors:
        raise ImportFailed(errors)
    return services.handed_in_add(actor=actor, campaign=campaign, rows=checked)
