"""Bulk import of operation records (zones, rescues, patrols) from XLSX or CSV, all or nothing.

One importer for every kind, driven by a table generated from the kind (`kinds.py`) and its
model, never written three times:
- the record sheet (named after the kind): “Mã dòng trong tệp” (a key the units sheet points
  at), the record's common fields and its own `kind_fields` — each column's header, whether it is
  required, how its cell is read (text, date, count, choice by code or label, yes/no, a catalogue
  entry by code) all follow the model field — then the lead unit and the communes;
- the sheet “Đơn vị tham gia” (XLSX only): one row per unit taking part in a record, named by
  its key, with what the unit committed (the fields of `services.UnitPart`).
A field the model gains (a qualifier, a catalogue) becomes a column without a change here.

The rules, on top of those of the create service every row goes through (`Kind.create`, so an
imported record obeys exactly the rules of a typed one):
- units are named by code or public id (`org.refs`) and must belong to the importer's province
  (or a province merged into it); a unit of another province is refused on its cell;
- communes are named by official code, as they were on the record's start date (`org.refs`);
  the create service decides whether that place is counted in some report (`check_place`);
- every problem is a `CellError` naming sheet, row and column; while any remains nothing is saved.

Files run in the task worker (`tasks.run_record_import`) as jobs. A job lives as a small JSON file
under MEDIA_ROOT/imports/operations/ (its owner, kind, status, progress and errors), written
atomically, so that the status page reads the progress of an import whose single transaction
hides its writes; the uploaded file beside it is deleted once the job has run. Only the owner
sees a job; anyone else gets NotFound.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.access.rules import Action, require
from phoihop.core import formats
from phoihop.core.errors import DomainError, NotFound, invalid
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
    read_table,
    template_xlsx,
)
from phoihop.core.text import fold
from phoihop.operations import services
from phoihop.operations.kinds import PATROLS, RESCUES, ZONES, Kind
from phoihop.operations.models import OperationUnit
from phoihop.operations.services import UnitPart
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import commune_by_code, units_by_ref

logger = logging.getLogger(__name__)

# The kinds imported in bulk, by slug (/operations/<slug>/import/).
IMPORT_KINDS: dict[str, Kind] = {k.slug: k for k in (ZONES, RESCUES, PATROLS)}
# An upload larger than this is refused before it is stored.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A running job writes its progress at most this often (seconds).
PROGRESS_EVERY = 0.3
Progress = Callable[[int, int], None]

KEY = "key"
UNITS_SHEET = "Đơn vị tham gia"
_YES = {"co", "x", "1", "true", "yes", "dung"}
_NO = {"khong", "0", "false", "no", "sai"}
_LIST_SPLIT = re.compile(r"[;,\n]+")


class _Bad(ValueError):
    """A cell that cannot be read; the message names what is expected."""


# --- the table of columns ------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One column of a sheet: the header users see, and how its text becomes a service value."""

    column: Column
    read: Callable[[Any], Any]


def _vi(text: Any) -> str:
    """Headers and sheet names are the file format: Vietnamese whatever the page language."""
    with translation.override("vi"):
        return str(text)


def _allowed(choices: Iterable[tuple[Any, Any]]) -> str:
    """`Mật (1); Tối mật (2)`: what a cell may hold, by label or code (blank for "")."""
    blank = _("để trống")
    return "; ".join(
        f"{_vi(label)} ({value if value != '' else blank})" for value, label in choices
    )


def _read_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_date(value: Any) -> dt.date:
    try:
        return parse_date(value)
    except ValueError:
        raise _Bad(_("Ngày không hợp lệ; ghi dạng dd/mm/yyyy.")) from None


def _read_count(value: Any) -> int:
    try:
        return parse_int(value)
    except ValueError:
        raise _Bad(_("Phải là số nguyên, không âm.")) from None


def _read_flag(value: Any) -> bool:
    folded = fold(_read_text(value))
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise _Bad(_("Ghi “Có” hoặc để trống."))


def _choice_reader(model_field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """A choice by its code or its label (Vietnamese or the page language), any case."""
    choices = list(model_field.flatchoices)
    known: dict[str, Any] = {}
    for value, label in choices:
        known[fold(str(value))] = value
        known[fold(_vi(label))] = value
        known[fold(str(label))] = value

    def read(value: Any) -> Any:
        found = known.get(fold(_read_text(value)), known.get(fold(str(value))))
        if found is None:
            raise _Bad(
                _("Giá trị không hợp lệ; chọn một trong: %(values)s.")
                % {"values": _allowed(choices)}
            )
        return found

    return read


# Fields that name an entry of an administrator-edited catalogue by its code (the field itself has
# no choices): the catalogue's model, whose rows have `code` and `name` (and may be inactive).
_CATALOGUE_CODES = {("operations.protectedzone", "zone_kind"): "operations.ZoneCategory"}


def _catalogue_of(model_field: models.Field[Any, Any]) -> type[models.Model] | None:
    label = _CATALOGUE_CODES.get((model_field.model._meta.label_lower, model_field.name))
    if label is None:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _code_reader(catalogue: type[models.Model]) -> tuple[Callable[[Any], Any], str, str]:
    """A catalogue entry's code, from its code or its name; the help listing them; an example."""
    rows = catalogue._default_manager.all()
    if any(f.name == "is_active" for f in catalogue._meta.get_fields()):
        rows = rows.filter(is_active=True)
    entries = [(str(code), str(name)) for code, name in rows.values_list("code", "name")]
    known = {fold(code): code for code, _name in entries} | {
        fold(name): code for code, name in entries
    }
    listed = _allowed((code, name) for code, name in entries)

    def read(value: Any) -> str:
        text = _read_text(value)
        code = known.get(fold(text))
        if code is None:
            raise _Bad(
                _("Không có “%(value)s” trong danh mục; chọn một trong: %(values)s.")
                % {"value": text, "values": listed}
            )
        return code

    return (
        read,
        _("Mã hoặc tên trong danh mục: %(values)s.") % {"values": listed},
        (entries[0][0] if entries else ""),
    )


def _example_day() -> dt.date:
    """The template's example date: in the past, whatever day it is downloaded."""
    return dt.date(timezone.localdate().year - 1, 7, 15)


def _model_cell(model_field: models.Field[Any, Any]) -> Cell:
    """The column of one model field: header, requirement, reading and help follow the field."""
    name = model_field.name
    header = capfirst(_vi(model_field.verbose_name))
    required = not (model_field.has_default() or model_field.blank or model_field.null)
    read: Callable[[Any], Any]
    example: Any = ""
    catalogue = _catalogue_of(model_field)
    if catalogue is not None:
        read, help_text, example = _code_reader(catalogue)
    elif model_field.choices:
        read = _choice_reader(model_field)
        help_text = _("Một trong: %(values)s.") % {"values": _allowed(model_field.flatchoices)}
        example = _vi(model_field.flatchoices[0][1]) if required else ""
    elif isinstance(model_field, models.BooleanField):
        read, help_text = _read_flag, _("Ghi “Có” nếu đúng; để trống nếu không.")
    elif isinstance(model_field, models.DateField):
        read, help_text = _read_date, _("Ngày dd/mm/yyyy, không ở tương lai, không trước năm 2019.")
        example = formats.date(_example_day()) if required else ""
    elif isinstance(model_field, models.IntegerField):
        read, help_text = (
            _read_count,
            _("Số nguyên, không âm (1.508 là một nghìn năm trăm linh tám)."),
        )
        example = model_field.get_default() if model_field.has_default() else 0
    else:
        read, help_text = _read_text, ""
        example = header if required else ""
    if not required:
        help_text = f"{help_text} {_('Không bắt buộc.')}".strip()
    column = Column(name, header, required=required, help=help_text, example=example, width=20)
    return Cell(column, read)


def _record_cells(kind: Kind) -> list[Cell]:
    """The record sheet: the key, the common fields with the kind's own after the title, then
    the lead unit and the communes."""
    model = kind.model
    names = ["title", *model.kind_fields] + [
        n for n in services.COMMON_EDITABLE if n != "title" and n not in model.kind_fields
    ]
    key = Column(
        KEY,
        _vi(gettext_lazy("Mã dòng trong tệp")),
        help=_("Không bắt buộc: ghi (ví dụ K1, K2…) khi sheet “%(units)s” có dòng của bản ghi này.")
        % {"units": UNITS_SHEET},
        example="1",
        width=12,
    )
    lead = Column(
        "lead_unit",
        _vi(gettext_lazy("Đơn vị chủ trì")),
        help=_("Mã đơn vị (đơn vị của bạn hoặc cấp dưới); để trống là đơn vị của bạn."),
    )
    communes = Column(
        "communes",
        _vi(gettext_lazy("Mã xã, phường")),
        help=_("Mã chính thức, có hiệu lực vào ngày bắt đầu; nhiều xã ngăn bằng dấu chấm phẩy."),
    )
    return [
        Cell(key, _read_text),
        *(_model_cell(model._meta.get_field(n)) for n in names),  # type: ignore[arg-type]
        Cell(lead, _read_text),
        Cell(communes, lambda v: [c for c in _LIST_SPLIT.split(_read_text(v)) if c.strip()]),
    ]


def _unit_cells() -> list[Cell]:
    """The units sheet: the key of the record, the unit, what it committed (`UnitPart`)."""
    key = Column(
        KEY,
        _vi(gettext_lazy("Mã dòng trong tệp")),
        required=True,
        help=_("Mã dòng của bản ghi trong sheet đầu."),
        example="1",
        width=12,
    )
    unit = Column(
        "unit",
        _vi(gettext_lazy("Đơn vị")),
        required=True,
        help=_("Mã đơn vị tham gia, thuộc tỉnh của bạn."),
        width=16,
    )
    numbers = [
        _model_cell(OperationUnit._meta.get_field(f.name))  # type: ignore[arg-type]
        for f in dataclasses.fields(UnitPart)
        if f.name != "unit"
    ]
    return [Cell(key, _read_text), Cell(unit, _read_text), *numbers]


@dataclass(frozen=True)
class Table:
    kind: Kind
    records: list[Cell]
    units: list[Cell]

    @property
    def record_sheet(self) -> Sheet:
        return Sheet(capfirst(_vi(self.kind.singular)), [c.column for c in self.records])

    @property
    def units_sheet(self) -> Sheet:
        return Sheet(UNITS_SHEET, [c.column for c in self.units])


def import_table(kind: Kind) -> Table:
    """The declarative table of a kind, built when used (the model may gain fields)."""
    return Table(kind, _record_cells(kind), _unit_cells())


def import_kind(slug: str) -> Kind:
    kind = IMPORT_KINDS.get(slug)
    if kind is None:
        raise NotFound()
    return kind


# --- reading the rows ----------------------------------------------------------------------


def _values(
    cells: Sequence[Cell], sheet: Sheet, row: Row
) -> tuple[dict[str, Any], list[CellError]]:
    values: dict[str, Any] = {}
    errors: list[CellError] = []
    for cell in cells:
        raw = row.values.get(cell.column.key)
        if raw is None:
            continue
        try:
            values[cell.column.key] = cell.read(raw)
        except _Bad as bad:
            errors.append(cell_error(sheet, row, cell.column.key, str(bad)))
    return values, errors


def _home_province(actor: User) -> AdministrativeArea:
    unit = actor.unit
    assert unit is not None  # `require(CREATE)` passed
    return unit.province


def _in_province(unit: Unit, province: AdministrativeArea) -> bool:
    home = unit.province
    return home.pk == province.pk or home.successors.filter(pk=province.pk).exists()


class _Resolver:
    """Units and communes named in a file, each looked up once."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.province = _home_province(actor)
        self.units: dict[str, Unit | DomainError] = {}
        # A commune by (code, day), or the refusal of its code on that day.
        self.areas: dict[tuple[str, dt.date], AdministrativeArea | str] = {}

    def unit(self, ref: str, field_name: str) -> Unit:
        found = self.units.get(ref)
        if found is None:
            try:
                unit = units_by_ref(self.actor, [ref], field=field_name)[0]
            except DomainError as exc:
                found = exc
            else:
                found = unit
                if not _in_province(unit, self.province):
                    found = invalid(
                        field_name,
                        _("Đơn vị %(unit)s thuộc %(other)s, không thuộc %(province)s.")
                        % {
                            "unit": unit.code,
                            "other": unit.province.name,
                            "province": self.province.name,
                        },
                        code="unit_outside_province",
                    )
            self.units[ref] = found
        if isinstance(found, DomainError):
            raise _Bad(found.message)
        return found

    def communes(self, codes: Sequence[str], day: dt.date) -> list[AdministrativeArea]:
        """The communes by code as they were on `day` (`org.refs`); whether the place is counted
        in a report is the create service's rule (`check_place`)."""
        chosen: list[AdministrativeArea] = []
        for code in dict.fromkeys(c.strip() for c in codes):
            if (code, day) not in self.areas:
                try:
                    found: AdministrativeArea | str = commune_by_code(
                        code, field="communes", on=day
                    )
                except DomainError as exc:
                    found = exc.message
                self.areas[code, day] = found
            commune = self.areas[code, day]
            if isinstance(commune, str):
                raise _Bad(commune)
            chosen.append(commune)
        return chosen


@dataclass
class _Planned:
    row: Row
    values: dict[str, Any]
    errors: list[CellError]
    unit_rows: list[Row] = field(default_factory=list)
    parts: list[UnitPart] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    created: int
    rows: int
    units: int


def _plan_records(
    table: Table, rows: Sequence[Row], resolve: _Resolver
) -> tuple[list[_Planned], dict[str, _Planned]]:
    sheet = table.record_sheet
    plans: list[_Planned] = []
    by_key: dict[str, _Planned] = {}
    for row in rows:
        values, errors = _values(table.records, sheet, row)
        key = values.pop(KEY, "")
        if key and key in by_key:
            errors.append(
                cell_error(
                    sheet,
                    row,
                    KEY,
                    _("Mã dòng “%(key)s” đã dùng ở dòng %(row)s.")
                    % {"key": key, "row": by_key[key].row.number},
                )
            )
        plan = _Planned(row, values, errors)
        if key and key not in by_key:
            by_key[key] = plan
        if values.get("lead_unit"):
            try:
                values["lead_unit"] = resolve.unit(values["lead_unit"], "lead_unit")
            except _Bad as bad:
                errors.append(cell_error(sheet, row, "lead_unit", str(bad)))
        start = values.get("start_date")
        if values.get("communes") and isinstance(start, dt.date):
            try:
                values["communes"] = resolve.communes(values["communes"], start)
            except _Bad as bad:
                errors.append(cell_error(sheet, row, "communes", str(bad)))
        plans.append(plan)
    return plans, by_key


def _plan_units(
    table: Table, rows: Sequence[Row], by_key: Mapping[str, _Planned], resolve: _Resolver
) -> list[CellError]:
    sheet = table.units_sheet
    errors: list[CellError] = []
    for row in rows:
        values, problems = _values(table.units, sheet, row)
        errors.extend(problems)
        plan = by_key.get(values.get(KEY, ""))
        if plan is None:
            errors.append(
                cell_error(
                    sheet,
                    row,
                    KEY,
                    _("Không có dòng mã “%(key)s” trong sheet “%(sheet)s”.")
                    % {"key": values.get(KEY, ""), "sheet": table.record_sheet.name},
                )
            )
            continue
        try:
            unit = resolve.unit(values.pop("unit", ""), "unit")
        except _Bad as bad:
            errors.append(cell_error(sheet, row, "unit", str(bad)))
            continue
        values.pop(KEY, None)
        plan.unit_rows.append(row)
        plan.parts.append(UnitPart(unit, **values))
    return errors


def _refusal(exc: DomainError, plan: _Planned, table: Table) -> list[CellError]:
    """A service's refusal of a record as cell errors: `units.N.x` on the units sheet's row of
    that unit, anything else on the record's row."""
    units_sheet = table.units_sheet
    found: list[CellError] = []
    others: dict[str, list[str]] = {}
    for name, messages in exc.fields.items():
        parts = name.split(".")
        if parts[0] == "units" and len(parts) > 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(plan.unit_rows):
                column = units_sheet.column(parts[-1])
                found.extend(
                    CellError(
                        units_sheet.name,
                        plan.unit_rows[index].number,
                        column.header if column else "",
                        message,
                    )
                    for message in messages
                )
                continue
        others[name] = messages
    if others or not found:
        rest = DomainError(exc.message, code=exc.code, fields=others)
        found = errors_for_row(rest, plan.row, table.record_sheet) + found
    return found


def _sort_key(table: Table) -> Callable[[CellError], tuple[int, int, int]]:
    sheets = [table.record_sheet, table.units_sheet]
    order = {s.name: i for i, s in enumerate(sheets)}
    columns = {(s.name, c.header): i for s in sheets for i, c in enumerate(s.columns)}
    return lambda e: (order.get(e.sheet, 0), e.row or 0, columns.get((e.sheet, e.column), -1))


class _DryRun(Exception):
    """Rolls a trial import back."""


def check_importer(actor: User, kind: Kind) -> None:
    """Refused once for the whole file (the service checks every record again)."""
    require(
        actor,
        Action.CREATE,
        message=_("Chỉ cán bộ hoặc chỉ huy của đơn vị được nhập %(kind)s.") % {"kind": kind.label},
    )


def import_records(
    *,
    actor: User,
    kind: Kind,
    content: bytes,
    filename: str,
    progress: Progress | None = None,
    commit: bool = True,
) -> ImportResult:
    """Read, check and save the records of a file through the kind's create service, all or
    nothing. Raises ImportFailed naming every bad cell; `commit=False` checks everything, saves,
    then rolls back (a trial run). `progress(done, total)` follows the record rows."""
    check_importer(actor, kind)
    table = import_table(kind)
    record_sheet, units_sheet = table.record_sheet, table.units_sheet
    tables = read_table(content, filename=filename, sheets=[record_sheet, units_sheet])
    rows = tables[record_sheet.name]
    if not rows:
        raise ImportFailed(
            [
                CellError(
                    record_sheet.name,
                    None,
                    "",
                    _("Sheet “%(sheet)s” không có dòng dữ liệu nào (giữ tên sheet như tệp mẫu).")
                    % {"sheet": record_sheet.name},
                )
            ]
        )
    resolve = _Resolver(actor)
    plans, by_key = _plan_records(table, rows, resolve)
    errors = _plan_units(table, tables.get(units_sheet.name, []), by_key, resolve)
    report = progress or (lambda done, total: None)
    report(0, len(plans))
    created = units = 0
    try:
        with transaction.atomic():
            for done, plan in enumerate(plans, start=1):
                if plan.errors:
                    errors.extend(plan.errors)
                else:
                    try:
                        kind.create(actor=actor, units=plan.parts, **plan.values)
                    except DomainError as exc:
                        errors.extend(_refusal(exc, plan, table))
                    else:
                        created += 1
                        units += len(plan.parts)
                report(done, len(plans))
            if errors:
                raise ImportFailed(sorted(errors, key=_sort_key(table)))
            if not commit:
                raise _DryRun
    except _DryRun:
        pass
    return ImportResult(created=created, rows=len(plans), units=units)


def _example_unit(actor: User) -> str:
    return actor.unit.code if actor.unit else ""


def _example_commune(actor: User) -> str:
    unit = actor.unit
    if unit is None:
        return ""
    day = _example_day()
    area = (
        AdministrativeArea.objects.filter(level=AreaLevel.COMMUNE, parent=unit.province)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("code")
        .first()
    )
    return area.code if area else ""


def import_template(*, actor: User, kind: Kind) -> bytes:
    """The downloadable template of a kind: the guide describing every column, the record sheet
    and the units sheet with an example row taken from the importer's own unit and province."""
    check_importer(actor, kind)
    table = import_table(kind)
    examples = {"lead_unit": _example_unit(actor), "communes": _example_commune(actor)}
    records = dataclasses.replace(
        table.record_sheet,
        columns=[
            dataclasses.replace(c, example=examples.get(c.key, c.example))
            for c in table.record_sheet.columns
        ],
    )
    units = dataclasses.replace(
        table.units_sheet,
        columns=[
            dataclasses.replace(c, example=_example_unit(actor)) if c.key == "unit" else c
            for c in table.units_sheet.columns
        ],
    )
    return template_xlsx(
        sheets=[records, units],
        title=_("Mẫu nhập %(kind)s") % {"kind": kind.label},
        notes=[
            _(
                "Sheet “%(records)s”: mỗi dòng một bản ghi. Sheet “%(units)s”: mỗi dòng một đơn vị "
                "tham gia một bản ghi, chỉ bản ghi bằng cột “Mã dòng trong tệp”. Dòng 2 của mỗi "
                "sheet là ví dụ: sửa hoặc xóa trước khi nhập."
            )
            % {"records": records.name, "units": units.name},
            _("Tệp CSV (UTF-8) chỉ gồm sheet “%(records)s”.") % {"records": records.name},
            _(
                "Cả tệp được kiểm tra trước: chỉ cần một ô sai là không lưu gì; danh sách lỗi nêu "
                "sheet, dòng và cột để sửa."
            ),
        ],
    )


# --- the background job --------------------------------------------------------------------


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Đang chờ xử lý")
    RUNNING = "running", gettext_lazy("Đang nhập")
    DONE = "done", gettext_lazy("Đã nhập xong")
    FAILED = "failed", gettext_lazy("Không nhập được")


@dataclass
class ImportJob:
    """One uploaded file of a kind, imported by the task worker."""

    public_id: str
    owner_id: int
    kind: str
    original_name: str
    language: str
    created_at: str
    status: str = JobStatus.QUEUED
    total_rows: int = 0
    processed_rows: int = 0
    created_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    upload: str = ""

    def get_status_display(self) -> str:
        return str(JobStatus(self.status).label)

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_at)

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return self.processed_rows * 100 // self.total_rows if self.total_rows else 0

    def cell_errors(self) -> list[CellError]:
        return [
            CellError(e.get("sheet", ""), e.get("row"), e.get("column", ""), e.get("message", ""))
            for e in self.errors
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.public_id,
            "kind": self.kind,
            "file": self.original_name,
            "status": self.status,
            "status_label": self.get_status_display(),
            "created_at": self.created_at,
            "total_rows": self.total_rows,
            "processed_rows": self.processed_rows,
            "created": self.created_count,
            "errors": self.errors,
        }


def _jobs_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "operations"


def _job_path(public_id: str) -> Path:
    return _jobs_dir() / f"{public_id}.json"


def _save(job: ImportJob) -> None:
    path = _job_path(job.public_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(dataclasses.asdict(job), ensure_ascii=False))
    os.replace(temporary, path)


def _load(public_id: str) -> ImportJob | None:
    try:
        parsed = str(uuid.UUID(str(public_id)))
        return ImportJob(**json.loads(_job_path(parsed).read_text()))
    except (ValueError, OSError, TypeError):
        return None


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"file": [message]})


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    name = PurePath(upload.name or "").name[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ("xlsx", "csv"):
        raise _refuse(_("Chỉ nhận tệp .xlsx hoặc .csv."), "import_type")
    if not upload.size:
        raise _refuse(_("Tệp %(name)s rỗng.") % {"name": name}, "import_empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("Tệp %(name)s quá lớn: tối đa %(mb)s MB.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            "import_too_large",
        )
    return name, ext


def record_import_start(
    *, actor: User, kind: Kind, upload: UploadedFile, language: str = ""
) -> ImportJob:
    """Store an upload as a queued job of `actor` and queue it for the task worker (the test
    settings run it at once); the job as it stands afterwards."""
    from phoihop.operations.tasks import run_record_import

    check_importer(actor, kind)
    name, ext = _check_upload(upload)
    public_id = str(uuid.uuid4())
    stored = _jobs_dir() / f"{public_id}.{ext}"
    stored.parent.mkdir(parents=True, exist_ok=True)
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = ImportJob(
        public_id=public_id,
        owner_id=actor.pk,
        kind=kind.slug,
        original_name=name,
        language=(language or translation.get_language() or settings.LANGUAGE_CODE)[:10],
        created_at=timezone.now().isoformat(),
        upload=stored.name,
    )
    _save(job)
    run_record_import.enqueue(public_id)
    return _load(public_id) or job


def _claim(job: ImportJob) -> bool:
    """Only one worker runs a job: the first to create its claim file."""
    try:
        descriptor = os.open(_jobs_dir() / f"{job.public_id}.claim", os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return False
    os.close(descriptor)
    return True


def _outcome(job: ImportJob, actor: User, kind: Kind) -> None:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        job.processed_rows, job.total_rows = done, total
        _save(job)

    try:
        content = (_jobs_dir() / job.upload).read_bytes()
        result = import_records(
            actor=actor, kind=kind, content=content, filename=job.original_name, progress=progress
        )
    except DomainError as exc:  # ImportFailed, or the importer may not create this kind
        job.status = JobStatus.FAILED
        failures = (
            exc.errors if isinstance(exc, ImportFailed) else [CellError("", None, "", exc.message)]
        )
        job.errors = [e.as_dict() for e in failures]
    except Exception:
        logger.exception("operations import %s failed", job.public_id)
        job.status = JobStatus.FAILED
        message = _("Lỗi hệ thống khi nhập tệp; chưa lưu dữ liệu nào. Hãy báo quản trị viên.")
        job.errors = [CellError("", None, "", message).as_dict()]
    else:
        job.status = JobStatus.DONE
        job.created_count = result.created
        job.processed_rows = job.total_rows = result.rows


def record_import_run(*, public_id: str) -> dict[str, Any]:
    """Run a queued job once: import its file, then record the result or the errors; the upload
    is not kept."""
    job = _load(public_id)
    if job is None:
        return {"status": "missing"}
    if job.status != JobStatus.QUEUED or not _claim(job):
        return {"status": job.status}
    job.status = JobStatus.RUNNING
    _save(job)
    actor = User.objects.select_related("unit__province").filter(pk=job.owner_id).first()
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if actor is None or job.kind not in IMPORT_KINDS:
                job.status = JobStatus.FAILED
                job.errors = [CellError("", None, "", _("Không tìm thấy.")).as_dict()]
            else:
                _outcome(job, actor, IMPORT_KINDS[job.kind])
    finally:
        (_jobs_dir() / job.upload).unlink(missing_ok=True)
        (_jobs_dir() / f"{job.public_id}.claim").unlink(missing_ok=True)
        job.upload = ""
        _save(job)
    return {"status": job.status, "errors": len(job.errors)}


def record_import_list(*, actor: Any, kind: Kind | None = None) -> list[ImportJob]:
    """The actor's own jobs (of one kind), newest first: nobody else's are ever shown."""
    if not getattr(actor, "is_authenticated", False) or not _jobs_dir().is_dir():
        return []
    jobs = [_load(p.stem) for p in _jobs_dir().glob("*.json")]
    mine = [
        j
        for j in jobs
        if j is not None and j.owner_id == actor.pk and (kind is None or j.kind == kind.slug)
    ]
    return sorted(mine, key=lambda j: j.created_at, reverse=True)


def record_import_get(*, actor: Any, public_id: Any) -> ImportJob:
    job = _load(str(public_id))
    if job is None or not getattr(actor, "is_authenticated", False) or job.owner_id != actor.pk:
        raise NotFound()
    return job
