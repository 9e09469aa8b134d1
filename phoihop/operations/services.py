"""Writes of the joint-operation records: every one atomic, validated, audited; nothing partial
is saved.

A record is owned by the lead unit (the actor's unit or one below it). The units taking part,
of any force, are listed with what each committed (`UnitPart`); those outside the owner's tree
receive the record through the distribution, so they see it. Bad input is a DomainError naming
the field (`end_date`, `units.1.personnel`, `communes`, `day`…).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.access.models import Distribution
from phoihop.access.policy import check_classification
from phoihop.access.rules import Action, author_unit, can, require, visible
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.cases.catalogue import catalogue_item, catalogue_quantity
from phoihop.cases.enums import ParticipationRole
from phoihop.cases.models import Case, CatalogueItem
from phoihop.core import formats, qualifiers
from phoihop.core.backentry import back_entry_note, check_record_date
from phoihop.core.errors import DomainError
from phoihop.core.errors import invalid as _invalid
from phoihop.core.errors import validate as _full_clean
from phoihop.core.text import clean_text
from phoihop.core.versioning import apply_changes, audit_changes, soft_delete
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    Destruction,
    Exercise,
    OperationCommune,
    OperationRecord,
    OperationUnit,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.operations.selectors import destroyable_items, zone_categories
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import check_place

R = TypeVar("R", bound=OperationRecord)

COMMON_EDITABLE = (
    "title",
    "start_date",
    "end_date",
    "place",
    "outcome",
    "classification",
    "is_joint",
)


def _check_count(name: str, value: Any, *, nullable: bool = False) -> None:
    """A count is a whole number, zero or more (lượt, người, vụ)."""
    if value is None:
        if nullable:
            return
        raise _invalid(name, _("Phải nhập số."), code="required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(name, _("Phải là số nguyên."), code="invalid")
    if value < 0:
        raise _invalid(name, _("Không được là số âm."), code="negative_count")


def _existed(unit: Unit, start: dt.date, end: dt.date) -> bool:
    """Did the unit exist at some time between `start` and `end`? (Units of 2025 did not in
    2021; district police ended on 01/3/2025.)"""
    return (
        unit.deleted_at is None
        and (unit.valid_from is None or unit.valid_from <= end)
        and (unit.valid_until is None or unit.valid_until >= start)
    )


def _unit_period_error(field: str, unit: Unit) -> DomainError:
    return _invalid(
        field,
        _("Đơn vị %(unit)s không hoạt động trong thời gian này.") % {"unit": unit.name},
        code="inactive_unit",
    )


# --- inputs -------------------------------------------------------------------------------


@dataclass
class UnitPart:
    """A unit taking part, with the personnel and vehicles it committed (lượt)."""

    unit: Unit
    personnel: int = 0
    vehicles: int = 0
    vessels: int = 0


def _check_dates(start_date: Any, end_date: Any) -> None:
    if not isinstance(start_date, dt.date):
        raise _invalid("start_date", _("Phải nhập ngày bắt đầu."), code="required")
    if end_date is not None and not isinstance(end_date, dt.date):
        raise _invalid("end_date", _("Ngày không hợp lệ."))
    if start_date > timezone.localdate():
        raise _invalid("start_date", _("Ngày bắt đầu không được ở tương lai."), code="future_date")
    check_record_date("start_date", start_date, label=_("Ngày bắt đầu"))
    if end_date is not None and end_date < start_date:
        raise _invalid(
            "end_date", _("Ngày kết thúc không được trước ngày bắt đầu."), code="end_before_start"
        )


def _parts(owner: Unit, parts: Sequence[UnitPart], start: dt.date, end: dt.date) -> list[UnitPart]:
    """The units taking part, the owner (lead) first; checked and without duplicates."""
    chosen: dict[int, UnitPart] = {}
    for index, part in enumerate(parts):
        prefix = f"units.{index}"
        if part.unit is None:
            raise _invalid(f"{prefix}.unit", _("Phải chọn đơn vị."), code="required")
        if part.unit.pk in chosen:
            raise _invalid(
                f"{prefix}.unit",
                _("Đơn vị %(unit)s đã có trong danh sách.") % {"unit": part.unit.name},
                code="duplicate_unit",
            )
        for name in ("personnel", "vehicles", "vessels"):
            _check_count(f"{prefix}.{name}", getattr(part, name))
        if not _existed(part.unit, start, end):
            raise _unit_period_error(f"{prefix}.unit", part.unit)
        chosen[part.unit.pk] = part
    lead = chosen.pop(owner.pk, None) or UnitPart(owner)
    return [lead, *chosen.values()]


def _check_communes(
    communes: Iterable[AdministrativeArea], province: AdministrativeArea, *, on: dt.date
) -> list[AdministrativeArea]:
    """Communes of the province (or of a pre-2025 province merged into it), each once, and a
    place some report counts on the record's first day (`org.refs.check_place`): before
    1/7/2025 a province formed from several old ones needs a commune of one of them."""
    chosen: dict[int, AdministrativeArea] = {}
    for commune in communes:
        check_place(province=province, commune=commune, on=on, field="communes")
        chosen[commune.pk] = commune
    if not chosen:
        check_place(province=province, commune=None, on=on, field="communes")
    return list(chosen.values())


def _check_cases(actor: User, cases: Iterable[Case]) -> list[Case]:
    wanted = {case.pk: case for case in cases}
    if not wanted:
        return []
    seen = set(visible(Case, actor).filter(pk__in=list(wanted)).values_list("pk", flat=True))
    if seen != set(wanted):
        raise _invalid("cases", _("Có vụ việc không tồn tại hoặc bạn không được xem."))
    return list(wanted.values())


def _content_type(record: OperationRecord) -> ContentType:
    return ContentType.objects.get_for_model(type(record))


def _write_units(record: OperationRecord, parts: Sequence[UnitPart]) -> None:
    """Make the record's units exactly `parts`; units outside the owner's tree receive it."""
    ctype = _content_type(record)
    owner = record.owner_unit
    current = {row.unit_id: row for row in record.participants.all()}
    wanted = {part.unit.pk: part for part in parts}
    for unit_id in set(current) - set(wanted):
        current[unit_id].delete()
        Distribution.objects.filter(
            content_type=ctype, object_id=record.pk, unit_id=unit_id
        ).delete()
    for unit_id, part in wanted.items():
        role = ParticipationRole.LEAD if unit_id == owner.pk else ParticipationRole.COOPERATING
        numbers = {"personnel": part.personnel, "vehicles": part.vehicles, "vessels": part.vessels}
        row = current.get(unit_id)
        if row is None:
            OperationUnit.objects.create(
                content_type=ctype,
                object_id=record.pk,
                unit=part.unit,
                force_id=part.unit.force_id,
                role=role,
                **numbers,
            )
        elif any(getattr(row, k) != v for k, v in numbers.items()) or row.role != role:
            for key, value in numbers.items():
                setattr(row, key, value)
            row.role = role
            row.save()
        if not part.unit.is_within(owner):
            Distribution.objects.get_or_create(
                content_type=ctype, object_id=record.pk, unit=part.unit
            )


def _write_communes(record: OperationRecord, communes: Sequence[AdministrativeArea]) -> None:
    ctype = _content_type(record)
    current = set(record.places.values_list("commune_id", flat=True))
    wanted = {c.pk for c in communes}
    record.places.filter(commune_id__in=current - wanted).delete()
    OperationCommune.objects.bulk_create(
        [
            OperationCommune(content_type=ctype, object_id=record.pk, commune_id=pk)
            for pk in wanted - current
        ]
    )


def _describe_units(parts: Sequence[UnitPart]) -> list[dict[str, Any]]:
    return [
        {
            "unit": p.unit.code,
            "personnel": p.personnel,
            "vehicles": p.vehicles,
            "vessels": p.vessels,
        }
        for p in parts
    ]


def _clean_values(model: type[OperationRecord], values: dict[str, Any]) -> dict[str, Any]:
    for name in ("title", "place"):
        if name in values:
            values[name] = clean_text(values[name] or "")
    if "outcome" in values:
        values["outcome"] = (values["outcome"] or "").strip()
    for name in model.count_fields:
        if name in values:
            field = model._meta.get_field(name)
            _check_count(name, values[name], nullable=bool(getattr(field, "null", False)))
    return values


def _check_qualifiers(
    model: type[OperationRecord], values: dict[str, Any], record: OperationRecord | None = None
) -> None:
    """Each entered count's qualifier (trên, hơn, gần, khoảng) is one of the choices and sits
    beside a count above zero — the count as changed, or as the record has it."""
    for name in model.qualified:
        key = qualifiers.name_of(name)
        if key not in values and (record is None or name not in values):
            continue
        count = values.get(name, getattr(record, name, None))
        given = values.get(key, getattr(record, key, ""))
        values[key] = qualifiers.check_qualified(name, count, given)


def _check_zone_kind(code: Any) -> str:
    """A zone's kind: the code of an active row of the catalogue of zone kinds."""
    cleaned = str(code or "").strip()
    if not cleaned:
        raise _invalid("zone_kind", _("Phải chọn loại khu vực."), code="required")
    if not zone_categories().filter(code=cleaned).exists():
        raise _invalid(
            "zone_kind",
            _("Loại khu vực “%(code)s” không có trong danh mục.") % {"code": cleaned},
            code="unknown_zone_kind",
        )
    return cleaned


# The catalogue's rule names `quantity` and `unit`; a destruction takes them as entered.
_DESTRUCTION_FIELDS = {"quantity": "entered_quantity", "unit": "entered_unit"}


def _destroyed(item: Any, quantity: Any, unit: Any) -> dict[str, Any]:
    """The item destroyed (an explosive, ordnance or a weapon of the catalogue) and its
    quantity as entered, checked and converted to the item's canonical unit."""
    if item is None or item == "":
        raise _invalid("item", _("Phải chọn vật liệu nổ, bom mìn, vũ khí."), code="required")
    found: CatalogueItem = catalogue_item(item, field="item")
    if not destroyable_items().filter(pk=found.pk).exists():
        raise _invalid(
            "item",
            _("%(item)s không phải vật liệu nổ, bom mìn hay vũ khí.") % {"item": found.name},
            code="item_not_destroyable",
        )
    try:
        checked = catalogue_quantity(found, quantity, str(unit or ""))
    except DomainError as exc:
        fields = {_DESTRUCTION_FIELDS.get(k, k): v for k, v in exc.fields.items()}
        raise DomainError(exc.message, code=exc.code, fields=fields) from exc
    return {
        "item": found,
        "entered_quantity": checked.entered,
        "entered_unit": checked.unit,
        "quantity": checked.canonical,
    }


def _kind_values(
    model: type[OperationRecord], values: dict[str, Any], record: OperationRecord | None = None
) -> dict[str, Any]:
    """The kind's own rules: a zone's kind in the catalogue, a destruction's item and quantity,
    every qualifier beside its count."""
    changed_kind = "zone_kind" in values and (
        record is None or values["zone_kind"] != getattr(record, "zone_kind", None)
    )
    if model is ProtectedZone and changed_kind:
        values["zone_kind"] = _check_zone_kind(values["zone_kind"])
    if model is Destruction and ({"item", "entered_quantity", "entered_unit"} & set(values)):
        values.update(
            _destroyed(
                values.get("item", getattr(record, "item", None)),
                values.get("entered_quantity", getattr(record, "entered_quantity", None)),
                values.get("entered_unit", getattr(record, "entered_unit", "")),
            )
        )
    if model is Destruction and ({"quantity", "quantity_qualifier"} & set(values)):
        values["quantity_qualifier"] = qualifiers.check_qualified(
            "quantity",
            values.get("quantity", getattr(record, "quantity", None)),
            values.get("quantity_qualifier", getattr(record, "quantity_qualifier", "")),
        )
    _check_qualifiers(model, values, record)
    return values


# --- records ------------------------------------------------------------------------------


def _create(
    model: type[R],
    *,
    actor: User,
    fields: dict[str, Any],
    lead_unit: Unit | None = None,
    units: Sequence[UnitPart] = (),
    communes: Iterable[AdministrativeArea] = (),
    cases: Iterable[Case] = (),
    classification: int = 0,
    is_joint: bool = False,
) -> R:
    home = author_unit(
        actor, message=_("Chỉ cán bộ hoặc chỉ huy của đơn vị được ghi nhận hoạt động phối hợp.")
    )
    owner = lead_unit or home
    if not owner.path.startswith(home.path) or owner.deleted_at is not None:
        raise _invalid(
            "lead_unit",
            _("Đơn vị chủ trì phải là %(unit)s hoặc đơn vị cấp dưới.") % {"unit": home.name},
            code="lead_unit_not_allowed",
        )
    values = _kind_values(model, _clean_values(model, dict(fields)))
    if not values.get("title"):
        raise _invalid("title", _("Phải nhập nội dung."), code="required")
    start, end = values.get("start_date"), values.get("end_date")
    _check_dates(start, end)
    assert isinstance(start, dt.date)
    last = end or start
    if not _existed(owner, start, last):
        raise _unit_period_error("lead_unit", owner)
    check_classification(classification, actor=actor)
    record = model(
        owner_unit=owner,
        province=owner.province,
        classification=classification,
        is_joint=is_joint,
        created_by=actor,
        **values,
    )
    _full_clean(record)
    parts = _parts(owner, units, start, last)
    places = _check_communes(communes, owner.province, on=start)
    linked = _check_cases(actor, cases)
    record.save()
    _write_units(record, parts)
    _write_communes(record, places)
    if linked:
        assert isinstance(record, Patrol)
        record.cases.set(linked)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=record,
        changes={
            "units": _describe_units(parts),
            "communes": [c.code for c in places],
            **back_entry_note(start),
            **({"cases": [c.display_number for c in linked]} if linked else {}),
        },
    )
    return record


@transaction.atomic
def protection_create(
    *,
    actor: User,
    title: str,
    target: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    delegation_level: str = "",
    event_category: str = "",
    event_size: int | None = None,
    incidents: int = 0,
    place: str = "",
    outcome: str = "",
    **common: Any,
) -> Protection:
    """Bảo vệ đoàn (by level) or sự kiện (by category and size)."""
    fields = {
        "title": title,
        "target": target,
        "start_date": start_date,
        "end_date": end_date,
        "delegation_level": delegation_level or "",
        "event_category": event_category or "",
        "event_size": event_size,
        "incidents": incidents,
        "place": place,
        "outcome": outcome,
    }
    return _create(Protection, actor=actor, fields=fields, **common)


@transaction.atomic
def checkpoint_create(
    *,
    actor: User,
    title: str,
    purpose: str,
    place: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    outcome: str = "",
    **common: Any,
) -> Checkpoint:
    """Chốt kiểm soát: where, why and from when to when (no end: still operating)."""
    fields = {
        "title": title,
        "purpose": purpose,
        "place": place,
        "start_date": start_date,
        "end_date": end_date,
        "outcome": outcome,
    }
    return _create(Checkpoint, actor=actor, fields=fields, **common)


@transaction.atomic
def zone_create(
    *,
    actor: User,
    title: str,
    zone_kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    zone_count: int = 1,
    zone_count_qualifier: str = "",
    people: int | None = None,
    people_qualifier: str = "",
    place: str = "",
    outcome: str = "",
    **common: Any,
) -> ProtectedZone:
    """Khu vực phong tỏa, điều trị, cách ly, or a key target guarded: `zone_kind` is a code of
    the catalogue of zone kinds; one record may stand for `zone_count` zones ("trên 120")."""
    fields = {
        "title": title,
        "zone_kind": zone_kind,
        "start_date": start_date,
        "end_date": end_date,
        "zone_count": zone_count,
        "zone_count_qualifier": zone_count_qualifier,
        "people": people,
        "people_qualifier": people_qualifier,
        "place": place,
        "outcome": outcome,
    }
    return _create(ProtectedZone, actor=actor, fields=fields, **common)


@transaction.atomic
def patrol_create(
    *,
    actor: User,
    title: str,
    route: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    sorties: int = 1,
    sorties_qualifier: str = "",
    violations: int = 0,
    cases: Iterable[Case] = (),
    place: str = "",
    outcome: str = "",
    **common: Any,
) -> Patrol:
    """Tuần tra, kiểm soát: sorties, violations found and the cases they led to (cases the
    actor may see)."""
    fields = {
        "title": title,
        "route": route,
        "start_date": start_date,
        "end_date": end_date,
        "sorties": sorties,
        "sorties_qualifier": sorties_qualifier,
        "violations": violations,
        "place": place,
        "outcome": outcome,
    }
    return _create(Patrol, actor=actor, fields=fields, cases=cases, **common)


@transaction.atomic
def rescue_create(
    *,
    actor: User,
    title: str,
    incident_kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    people_rescued: int = 0,
    people_rescued_qualifier: str = "",
    people_evacuated: int = 0,
    people_evacuated_qualifier: str = "",
    vessels_assisted: int = 0,
    civilian_vessels: int = 0,
    civilian_vessels_qualifier: str = "",
    civilian_people: int = 0,
    civilian_people_qualifier: str = "",
    place: str = "",
    outcome: str = "",
    **common: Any,
) -> Rescue:
    """Phòng chống thiên tai, tìm kiếm cứu nạn; personnel, vehicles and vessels each force
    committed per unit in `units`; the population's vessels and people mobilised here."""
    fields = {
        "title": title,
        "incident_kind": incident_kind,
        "start_date": start_date,
        "end_date": end_date,
        "people_rescued": people_rescued,
        "people_rescued_qualifier": people_rescued_qualifier,
        "people_evacuated": people_evacuated,
        "people_evacuated_qualifier": people_evacuated_qualifier,
        "vessels_assisted": vessels_assisted,
        "civilian_vessels": civilian_vessels,
        "civilian_vessels_qualifier": civilian_vessels_qualifier,
        "civilian_people": civilian_people,
        "civilian_people_qualifier": civilian_people_qualifier,
        "place": place,
        "outcome": outcome,
    }
    return _create(Rescue, actor=actor, fields=fields, **common)


@transaction.atomic
def exercise_create(
    *,
    actor: User,
    title: str,
    exercise_kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    participants_count: int = 0,
    place: str = "",
    outcome: str = "",
    **common: Any,
) -> Exercise:
    fields = {
        "title": title,
        "exercise_kind": exercise_kind,
        "start_date": start_date,
        "end_date": end_date,
        "participants_count": participants_count,
        "place": place,
        "outcome": outcome,
    }
    return _create(Exercise, actor=actor, fields=fields, **common)


@transaction.atomic
def destruction_create(
    *,
    actor: User,
    title: str,
    item: CatalogueItem | str,
    entered_quantity: Any,
    start_date: dt.date,
    end_date: dt.date | None = None,
    entered_unit: str = "",
    quantity_qualifier: str = "",
    place: str = "",
    outcome: str = "",
    **common: Any,
) -> Destruction:
    """Tiêu hủy vật liệu nổ, bom mìn, vũ khí: an item of the catalogue (or its code) and the
    quantity destroyed in one of its units (blank: the canonical unit), e.g. 500 kg thuốc nổ."""
    fields = {
        "title": title,
        "item": item,
        "entered_quantity": entered_quantity,
        "entered_unit": entered_unit,
        "quantity_qualifier": quantity_qualifier,
        "start_date": start_date,
        "end_date": end_date,
        "place": place,
        "outcome": outcome,
    }
    return _create(Destruction, actor=actor, fields=fields, **common)


def editable_fields(model: type[OperationRecord]) -> frozenset[str]:
    return frozenset(COMMON_EDITABLE) | frozenset(model.kind_fields)


def _check_counts_inside(checkpoint: Checkpoint, start: dt.date, end: dt.date | None) -> None:
    outside = checkpoint.counts.filter(day__lt=start)
    field = "start_date"
    first = outside.order_by("day").first()
    if first is None and end is not None:
        first = checkpoint.counts.filter(day__gt=end).order_by("-day").first()
        field = "end_date"
    if first is not None:
        raise _invalid(
            field,
            _("Chốt đã có số liệu ngày %(day)s, ngoài thời gian hoạt động mới.")
            % {"day": formats.date(first.day)},
            code="counts_outside_period",
        )


def _checked_changes(
    actor: User, record: OperationRecord, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The record's own fields to change, cleaned and checked."""
    model = type(record)
    unknown = set(changes) - editable_fields(model)
    if unknown:
        name = sorted(unknown)[0]
        raise _invalid(name, _("Trường này không sửa được ở đây."), code="not_editable")
    values = _kind_values(model, _clean_values(model, dict(changes)), record)
    if "title" in values and not values["title"]:
        raise _invalid("title", _("Phải nhập nội dung."), code="required")
    if "classification" in values:
        check_classification(values["classification"], actor=actor)
    return values


def _checked_period(record: OperationRecord, values: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    """The record's period once changed (start, last day): valid, holding a checkpoint's counts,
    and one its owner existed in."""
    start = values.get("start_date", record.start_date)
    end = values.get("end_date", record.end_date)
    if "start_date" in values or "end_date" in values:
        _check_dates(start, end)
        if isinstance(record, Checkpoint):
            _check_counts_inside(record, start, end)
    last = end or start
    if not _existed(record.owner_unit, start, last):
        raise _unit_period_error("start_date", record.owner_unit)
    return start, last


def _checked_units(
    record: OperationRecord, units: Sequence[UnitPart] | None, start: dt.date, last: dt.date
) -> list[UnitPart] | None:
    """The new units taking part, checked; without new ones, the current ones must still have
    existed in the (changed) period."""
    if units is not None:
        return _parts(record.owner_unit, units, start, last)
    for index, row in enumerate(record.participants.select_related("unit")):
        if not _existed(row.unit, start, last):
            raise _unit_period_error(f"units.{index}.unit", row.unit)
    return None


def _current_parts(record: OperationRecord) -> list[UnitPart]:
    return [
        UnitPart(r.unit, r.personnel, r.vehicles, r.vessels)
        for r in record.participants.select_related("unit")
    ]


def _replace_units(record: OperationRecord, parts: Sequence[UnitPart]) -> dict[str, Any]:
    before = _describe_units(_current_parts(record))
    _write_units(record, parts)
    after = _describe_units(parts)
    return {"units": after} if before != after else {}


def _replace_communes(
    record: OperationRecord, places: Sequence[AdministrativeArea]
) -> dict[str, Any]:
    before = sorted(record.places.values_list("commune__code", flat=True))
    _write_communes(record, places)
    after = sorted(c.code for c in places)
    return {"communes": after} if before != after else {}


def _replace_cases(actor: User, patrol: Patrol, linked: Sequence[Case]) -> dict[str, Any]:
    before = set(patrol.cases.values_list("pk", flat=True))
    # A case the actor cannot see stays linked: they cannot unlink what they do not see.
    hidden = before - set(visible(Case, actor).filter(pk__in=before).values_list("pk", flat=True))
    patrol.cases.set([*linked, *Case.all_objects.filter(pk__in=hidden)])
    if before == {c.pk for c in linked} | hidden:
        return {}
    return {"cases": sorted(c.display_number for c in linked)}


def _replace_lists(
    actor: User,
    record: OperationRecord,
    parts: Sequence[UnitPart] | None,
    places: Sequence[AdministrativeArea] | None,
    linked: Sequence[Case] | None,
) -> dict[str, Any]:
    """Write the lists that were given; what changed, for the audit."""
    touched: dict[str, Any] = {}
    if parts is not None:
        touched.update(_replace_units(record, parts))
    if places is not None:
        touched.update(_replace_communes(record, places))
    if linked is not None and isinstance(record, Patrol):
        touched.update(_replace_cases(actor, record, linked))
    return touched


def _next_version(record: OperationRecord) -> None:
    """A change to the record's lists only is a change to the record: its version moves on."""
    type(record).all_objects.filter(pk=record.pk).update(
        version=record.version + 1, updated_at=timezone.now()
    )
    record.version += 1


@transaction.atomic
def operation_update(
    *,
    actor: User,
    record: R,
    expected_version: int | None,
    changes: Mapping[str, Any],
    units: Sequence[UnitPart] | None = None,
    communes: Iterable[AdministrativeArea] | None = None,
    cases: Iterable[Case] | None = None,
) -> list[str]:
    """Change a record of any kind; `units`, `communes`, `cases` replace the lists when given.
    Everything is checked before anything is written. Returns the names of what changed."""
    require(actor, Action.CHANGE, record)
    values = _checked_changes(actor, record, changes)
    start, last = _checked_period(record, values)
    parts = _checked_units(record, units, start, last)
    places = _check_communes(communes, record.province, on=start) if communes is not None else None
    linked = _check_cases(actor, cases) if cases is not None else None
    if linked is not None and not isinstance(record, Patrol):
        raise _invalid("cases", _("Chỉ tuần tra, kiểm soát mới gắn vụ việc."))
    changed = apply_changes(record, expected_version=expected_version, changes=values)
    touched: dict[str, Any] = {name: str(getattr(record, name)) for name in changed}
    touched.update(_replace_lists(actor, record, parts, places, linked))
    extra = sorted(set(touched) - set(changed))
    if extra and not changed:
        _next_version(record)
    if touched:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=record, changes=touched)
    return [*changed, *extra]


@transaction.atomic
def operation_delete(
    *, actor: User, record: OperationRecord, expected_version: int | None = None
) -> None:
    require(actor, Action.DELETE, record)
    soft_delete(record, expected_version=expected_version)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=record)


# --- checkpoint daily counts --------------------------------------------------------------


def may_record_counts(actor: User, checkpoint: Checkpoint) -> bool:
    """Who may enter a checkpoint's daily counts: whoever may change the checkpoint, and the
    officers and commanders of a unit staffing it (they are on duty there)."""
    return can(actor, Action.CHANGE, checkpoint) or can(actor, Action.RECORD, checkpoint)


def require_counting(actor: User, checkpoint: Checkpoint) -> None:
    if not can(actor, Action.CHANGE, checkpoint):
        require(
            actor,
            Action.RECORD,
            checkpoint,
            message=_("Chỉ đơn vị chủ trì hoặc đơn vị tham gia chốt được nhập số liệu của chốt."),
        )


def _check_day(checkpoint: Checkpoint, day: Any, *, exclude_pk: int | None = None) -> dt.date:
    if not isinstance(day, dt.date):
        raise _invalid("day", _("Phải nhập ngày."), code="required")
    if day > timezone.localdate():
        raise _invalid("day", _("Ngày không được ở tương lai."), code="future_date")
    if day < checkpoint.start_date or (checkpoint.end_date and day > checkpoint.end_date):
        period = (
            _("từ %(start)s đến %(end)s")
            % {
                "start": formats.date(checkpoint.start_date),
                "end": formats.date(checkpoint.end_date),
            }
            if checkpoint.end_date
            else _("từ %(start)s") % {"start": formats.date(checkpoint.start_date)}
        )
        raise _invalid(
            "day",
            _("Ngày %(day)s nằm ngoài thời gian hoạt động của chốt (%(period)s).")
            % {"day": formats.date(day), "period": period},
            code="day_outside_period",
        )
    taken = checkpoint.counts.filter(day=day)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _duplicate_day(day)
    return day


def _duplicate_day(day: dt.date) -> DomainError:
    return _invalid(
        "day",
        _("Chốt đã có số liệu ngày %(day)s; hãy sửa dòng đó thay vì nhập thêm.")
        % {"day": formats.date(day)},
        code="duplicate_day",
    )


def _save_count(count: CheckpointCount, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            count.save(**kwargs)
    except IntegrityError as exc:
        # Two people entered the same day at the same moment: the constraint decides.
        raise _duplicate_day(count.day) from exc


@transaction.atomic
def checkpoint_count_add(
    *,
    actor: User,
    checkpoint: Checkpoint,
    day: dt.date,
    vehicles: int,
    people: int,
    note: str = "",
) -> CheckpointCount:
    """One day of counts: lượt phương tiện and lượt người controlled at the checkpoint."""
    require_counting(actor, checkpoint)
    _check_day(checkpoint, day)
    _check_count("vehicles", vehicles)
    _check_count("people", people)
    count = CheckpointCount(
        checkpoint=checkpoint,
        day=day,
        vehicles=vehicles,
        people=people,
        note=clean_text(note or ""),
        created_by=actor,
    )
    _full_clean(count, exclude=["checkpoint"])
    _save_count(count)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=count,
        changes={
            "checkpoint": str(checkpoint.public_id),
            "day": day.isoformat(),
            "vehicles": vehicles,
            "people": people,
        },
    )
    return count


@transaction.atomic
def checkpoint_count_update(
    *,
    actor: User,
    count: CheckpointCount,
    expected_version: int | None,
    changes: Mapping[str, Any],
) -> list[str]:
    checkpoint = count.checkpoint
    require_counting(actor, checkpoint)
    unknown = set(changes) - {"day", "vehicles", "people", "note"}
    if unknown:
        name = sorted(unknown)[0]
        raise _invalid(name, _("Trường này không sửa được ở đây."), code="not_editable")
    values = dict(changes)
    if "day" in values:
        _check_day(checkpoint, values["day"], exclude_pk=count.pk)
    for name in ("vehicles", "people"):
        if name in values:
            _check_count(name, values[name])
    if "note" in values:
        values["note"] = clean_text(values["note"] or "")
    try:
        with transaction.atomic():
            changed = apply_changes(count, expected_version=expected_version, changes=values)
    except IntegrityError as exc:
        raise _duplicate_day(values.get("day", count.day)) from exc
    audit_changes(actor=actor, instance=count, changed=changed)
    return changed


@transaction.atomic
def checkpoint_count_delete(
    *, actor: User, count: CheckpointCount, expected_version: int | None = None
) -> None:
    require_counting(actor, count.checkpoint)
    soft_delete(count, expected_version=expected_version)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=count)
