"""Writes of the case registry: every one atomic, validated, audited; nothing partial is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.access.models import Distribution
from phoihop.access.policy import check_classification
from phoihop.access.rules import Action, author_unit, require
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.cases.catalogue import catalogue_item, catalogue_quantity
from phoihop.cases.enums import (
    CASE_TRANSITIONS,
    CaseOutcome,
    CaseStatus,
    ParticipationRole,
    SubjectKind,
    WantedStatus,
)
from phoihop.cases.models import (
    Case,
    CaseTransition,
    CaseUnit,
    CatalogueItem,
    SeizedItem,
    Subject,
    WantedPerson,
)
from phoihop.core.backentry import back_entry_note, check_record_date
from phoihop.core.errors import DomainError
from phoihop.core.errors import invalid as _invalid
from phoihop.core.errors import prefixed as _prefixed
from phoihop.core.errors import validate as _full_clean
from phoihop.core.identifiers import citizen_id_problem
from phoihop.core.numbering import next_number, numbering_year
from phoihop.core.text import clean_text
from phoihop.core.versioning import apply_changes, audit_changes, soft_delete
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import check_place, partner_units


def _author_unit(actor: User) -> Unit:
    """The unit a new record of `actor` belongs to: officers and commanders record."""
    return author_unit(
        actor, message=_("Chỉ cán bộ hoặc chỉ huy của đơn vị được ghi nhận vụ việc.")
    )


def _active(unit: Unit) -> bool:
    return unit.deleted_at is None and unit.valid_until is None


# --- inputs -------------------------------------------------------------------------------


@dataclass
class SubjectData:
    name: str
    kind: str = SubjectKind.PERSON
    other_names: str = ""
    birth_date: dt.date | None = None
    birth_year: int | None = None
    sex: str = ""
    citizen_id: str = ""
    passport: str = ""
    nationality: str = "Việt Nam"
    registration_number: str = ""
    address: str = ""
    phone: str = ""
    role: str = "suspect"
    result: str = ""

    def values(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SeizedData:
    item: CatalogueItem | str
    quantity: Any
    unit: str = ""
    note: str = ""
    # Pages and imports read `1.508` the Vietnamese way; the API sends plain decimals.
    localized: bool = field(default=True)


def _subject(case: Case, data: SubjectData) -> Subject:
    values = data.values()
    for key in ("name", "other_names", "address", "nationality", "passport", "registration_number"):
        values[key] = clean_text(values[key] or "")
    values["citizen_id"] = (values["citizen_id"] or "").strip()
    values["phone"] = (values["phone"] or "").strip()
    subject = Subject(case=case, **values)
    if not subject.name:
        raise _invalid("name", _("Phải nhập họ tên đối tượng hoặc tên tổ chức."), code="required")
    today = timezone.localdate()
    if subject.kind == SubjectKind.PERSON:
        if subject.birth_date is not None:
            if subject.birth_date > today:
                raise _invalid(
                    "birth_date", _("Ngày sinh không được ở tương lai."), code="future_birth_date"
                )
            if subject.birth_year is not None and subject.birth_year != subject.birth_date.year:
                raise _invalid("birth_year", _("Năm sinh không khớp với ngày sinh."))
            subject.birth_year = subject.birth_date.year
        if subject.birth_year is not None and not (1900 <= subject.birth_year <= today.year):
            raise _invalid(
                "birth_year",
                _("Năm sinh phải từ 1900 đến %(year)s.") % {"year": today.year},
                code="future_birth_date",
            )
        if subject.citizen_id:
            problem = citizen_id_problem(
                subject.citizen_id, birth_year=subject.birth_year, sex=subject.sex or None
            )
            if problem:
                raise _invalid("citizen_id", problem, code="invalid_citizen_id")
    else:
        # An organisation has no personal fields.
        subject.birth_date = subject.birth_year = None
        subject.sex = subject.citizen_id = subject.passport = ""
    _full_clean(subject, exclude=["case"])
    return subject


def _seized(case: Case, data: SeizedData) -> SeizedItem:
    item = catalogue_item(data.item)
    quantity = catalogue_quantity(item, data.quantity, data.unit, localized=data.localized)
    seized = SeizedItem(
        case=case,
        item=item,
        quantity=quantity.canonical,
        entered_quantity=quantity.entered,
        entered_unit=quantity.unit,
        note=clean_text(data.note or ""),
    )
    _full_clean(seized, exclude=["case"])
    return seized


# --- cases --------------------------------------------------------------------------------


def _share(case: Case, unit: Unit) -> None:
    Distribution.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        unit=unit,
    )


@transaction.atomic
def case_create(
    *,
    actor: User,
    title: str,
    category: str,
    domain: str,
    commune: AdministrativeArea,
    detected_at: dt.datetime,
    summary: str = "",
    occurred_at: dt.datetime | None = None,
    lead_unit: Unit | None = None,
    detecting_unit: Unit | None = None,
    cooperating_units: Iterable[Unit] = (),
    classification: int = 0,
    is_joint: bool = False,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    info_items: Iterable[Any] = (),
    subjects: Sequence[SubjectData] = (),
    seized: Sequence[SeizedData] = (),
    status: str = CaseStatus.DETECTED,
) -> Case:
    """Record a case with its subjects and seized items, all or nothing.

    The lead unit (the actor's own unit by default, or one below it) owns the case; cooperating
    units of any force receive it through the distribution, so they see it too.
    """
    home = _author_unit(actor)
    owner = lead_unit or home
    if not owner.path.startswith(home.path) or not _active(owner):
        raise _invalid(
            "lead_unit",
            _("Đơn vị chủ trì phải là %(unit)s hoặc đơn vị cấp dưới đang hoạt động.")
            % {"unit": home.name},
            code="lead_unit_not_allowed",
        )
    check_classification(classification, actor=actor)
    if commune is None:
        raise _invalid("commune", _("Phải chọn xã, phường nơi xảy ra vụ việc."), code="required")
    check_place(province=owner.province, commune=commune, on=timezone.localdate(detected_at))
    partners = partner_units(owner, cooperating_units, field="cooperating_units")
    case = Case(
        owner_unit=owner,
        province=owner.province,
        classification=classification,
        is_joint=is_joint,
        title=clean_text(title),
        summary=(summary or "").strip(),
        category=category,
        domain=domain,
        commune=commune,
        latitude=latitude,
        longitude=longitude,
        occurred_at=occurred_at,
        detected_at=detected_at,
        detecting_unit=detecting_unit or owner,
        lead_force=owner.force,
        status=status,
        created_by=actor,
        year=numbering_year(detected_at) if detected_at else 0,
        number=0,
    )
    _full_clean(case, exclude=["number"])
    if detected_at > timezone.now() + dt.timedelta(minutes=5):
        raise _invalid(
            "detected_at", _("Thời điểm phát hiện không được ở tương lai."), code="future_time"
        )
    check_record_date("detected_at", detected_at, label=_("Thời điểm phát hiện"))
    check_record_date("occurred_at", occurred_at, label=_("Thời điểm xảy ra"))
    built_subjects = []
    for index, data in enumerate(subjects):
        try:
            built_subjects.append(_subject(case, data))
        except DomainError as exc:
            raise _prefixed(exc, f"subjects.{index}") from exc
    built_seized = []
    for index, row in enumerate(seized):
        try:
            built_seized.append(_seized(case, row))
        except DomainError as exc:
            raise _prefixed(exc, f"seized_items.{index}") from exc
    case.number = next_number(Case, owner=owner, year=case.year)
    case.save()
    CaseUnit.objects.create(case=case, unit=owner, force=owner.force, role=ParticipationRole.LEAD)
    for unit in partners:
        CaseUnit.objects.create(
            case=case, unit=unit, force=unit.force, role=ParticipationRole.COOPERATING
        )
        _share(case, unit)
    linked = list(info_items)
    if linked:
        case.info_items.set(linked)
    for subject in built_subjects:
        subject.case = case
        subject.save()
    for item in built_seized:
        item.case = case
        item.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=case,
        changes={
            "number": case.display_number,
            "cooperating_units": [u.code for u in partners],
            "subjects": len(built_subjects),
            "seized_items": len(built_seized),
            **back_entry_note(detected_at),
        },
    )
    return case


EDITABLE_FIELDS = frozenset(
    {
        "title",
        "summary",
        "category",
        "domain",
        "commune",
        "latitude",
        "longitude",
        "occurred_at",
        "detected_at",
        "detecting_unit",
        "classification",
        "is_joint",
    }
)


@transaction.atomic
def case_update(
    *, actor: User, case: Case, expected_version: int | None, changes: Mapping[str, Any]
) -> list[str]:
    require(actor, Action.CHANGE, case)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        name = sorted(unknown)[0]
        raise _invalid(name, _("Trường này không sửa được ở đây."), code="not_editable")
    values = dict(changes)
    if "title" in values:
        values["title"] = clean_text(values["title"])
    if "classification" in values:
        check_classification(values["classification"], actor=actor)
    if "commune" in values or "detected_at" in values:
        detected = values.get("detected_at") or case.detected_at
        check_place(
            province=case.province,
            commune=values.get("commune", case.commune),
            on=timezone.localdate(detected),
        )
    check_record_date("occurred_at", values.get("occurred_at"), label=_("Thời điểm xảy ra"))
    if values.get("detected_at") is not None:
        if values["detected_at"] > timezone.now() + dt.timedelta(minutes=5):
            raise _invalid(
                "detected_at", _("Thời điểm phát hiện không được ở tương lai."), code="future_time"
            )
        check_record_date("detected_at", values["detected_at"], label=_("Thời điểm phát hiện"))
        # The number stays; the year follows the date (numbers are unique per unit and year).
        year = numbering_year(values["detected_at"])
        if year != case.year:
            raise _invalid(
                "detected_at",
                _("Không chuyển được vụ việc sang năm khác (số %(number)s thuộc năm %(year)s).")
                % {"number": case.display_number, "year": case.year},
                code="year_change",
            )
    changed = apply_changes(case, expected_version=expected_version, changes=values)
    audit_changes(actor=actor, instance=case, changed=changed)
    return changed


@transaction.atomic
def case_set_cooperating_units(
    *, actor: User, case: Case, units: Iterable[Unit], expected_version: int | None = None
) -> list[Unit]:
    """Replace the cooperating units; the ones removed no longer receive the case."""
    require(actor, Action.CHANGE, case)
    partners = partner_units(case.owner_unit, units, field="cooperating_units")
    apply_changes(case, expected_version=expected_version, changes={})
    current = {
        cu.unit_id: cu for cu in case.participants.filter(role=ParticipationRole.COOPERATING)
    }
    wanted = {u.pk: u for u in partners}
    ctype = ContentType.objects.get_for_model(Case)
    for unit_id in set(current) - set(wanted):
        current[unit_id].delete()
        Distribution.objects.filter(content_type=ctype, object_id=case.pk, unit_id=unit_id).delete()
    for unit_id in set(wanted) - set(current):
        unit = wanted[unit_id]
        CaseUnit.objects.create(
            case=case, unit=unit, force=unit.force, role=ParticipationRole.COOPERATING
        )
        _share(case, unit)
    Case.all_objects.filter(pk=case.pk).update(version=case.version + 1)
    case.version += 1
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        changes={"cooperating_units": sorted(u.code for u in partners)},
    )
    return partners


def _transition(
    *,
    actor: User,
    case: Case,
    to_status: str,
    expected_version: int | None,
    note: str = "",
    at: dt.datetime | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Case:
    require(actor, Action.CHANGE, case)
    current = Case.all_objects.select_for_update().get(pk=case.pk)
    if to_status not in CASE_TRANSITIONS[current.status]:
        raise _invalid(
            "status",
            _("Không thể chuyển vụ việc từ “%(from)s” sang “%(to)s”.")
            % {"from": CaseStatus(current.status).label, "to": CaseStatus(to_status).label},
            code="transition_not_allowed",
        )
    before = current.status
    apply_changes(
        case, expected_version=expected_version, changes={"status": to_status, **(changes or {})}
    )
    CaseTransition.objects.create(
        case=case,
        from_status=before,
        to_status=to_status,
        at=at or timezone.now(),
        by=actor,
        note=(note or "").strip(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        changes={"status": [before, to_status], **{k: str(v) for k, v in (changes or {}).items()}},
    )
    return case


@transaction.atomic
def case_start_verification(
    *,
    actor: User,
    case: Case,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Case:
    return _transition(
        actor=actor,
        case=case,
        to_status=CaseStatus.VERIFYING,
        expected_version=expected_version,
        note=note,
        at=at,
    )


@transaction.atomic
def case_handle(
    *,
    actor: User,
    case: Case,
    outcome: str,
    fine_amount: Decimal | None = None,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Close the handling with its outcome: prosecution, a fine, or no violation found."""
    if outcome not in (
        CaseOutcome.PROSECUTION,
        CaseOutcome.ADMINISTRATIVE,
        CaseOutcome.NO_VIOLATION,
    ):
        raise _invalid(
            "outcome",
            _("Kết quả xử lý phải là khởi tố, xử phạt hành chính hoặc không có vi phạm."),
            code="invalid_outcome",
        )
    if outcome == CaseOutcome.ADMINISTRATIVE and fine_amount is None:
        raise _invalid("fine_amount", _("Phải nhập số tiền phạt."), code="required")
    if outcome != CaseOutcome.ADMINISTRATIVE and fine_amount is not None:
        raise _invalid(
            "fine_amount",
            _("Chỉ ghi số tiền phạt khi xử phạt vi phạm hành chính."),
            code="fine_not_allowed",
        )
    if fine_amount is not None and fine_amount < 0:
        raise _invalid("fine_amount", _("Số tiền phạt không được âm."), code="negative")
    return _transition(
        actor=actor,
        case=case,
        to_status=CaseStatus.HANDLED,
        expected_version=expected_version,
        note=note,
        at=at,
        changes={
            "outcome": outcome,
            "fine_amount": fine_amount if outcome == CaseOutcome.ADMINISTRATIVE else None,
        },
    )


@transaction.atomic
def case_transfer(
    *,
    actor: User,
    case: Case,
    transferred_to: str,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Case:
    authority = clean_text(transferred_to or "")
    if not authority:
        raise _invalid("transferred_to", _("Phải ghi cơ quan tiếp nhận."), code="required")
    return _transition(
        actor=actor,
        case=case,
        to_status=CaseStatus.TRANSFERRED,
        expected_version=expected_version,
        note=note,
        at=at,
        changes={"outcome": CaseOutcome.TRANSFERRED, "transferred_to": authority},
    )


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Case:
    return _transition(
        actor=actor,
        case=case,
        to_status=CaseStatus.CLOSED,
        expected_version=expected_version,
        note=note,
        at=at,
    )


# The service of each workflow step, by the status it leads to: each takes `actor`, `case`,
# `expected_version`, `note`, `at` and the step's own fields (pages and API alike).
CASE_STEPS: dict[str, Callable[..., Case]] = {
    CaseStatus.VERIFYING: case_start_verification,
    CaseStatus.HANDLED: case_handle,
    CaseStatus.TRANSFERRED: case_transfer,
    CaseStatus.CLOSED: case_close,
}


@transaction.atomic
def case_delete(*, actor: User, case: Case, expected_version: int | None = None) -> None:
    require(actor, Action.DELETE, case)
    soft_delete(case, expected_version=expected_version)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=case)


# --- subjects and seized items (the inline rows of a case) --------------------------------


def _touch(case: Case) -> None:
    """A change to a case's rows is a change to the case: its version moves on."""
    Case.all_objects.filter(pk=case.pk).update(version=case.version + 1, updated_at=timezone.now())
    case.version += 1


def _row_added(actor: User, row: Subject | SeizedItem, changes: dict[str, Any]) -> None:
    row.save()
    _touch(row.case)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=row,
        changes={"case": row.case.display_number, **changes},
    )


def _row_changed(
    actor: User,
    row: Subject | SeizedItem,
    fresh: Subject | SeizedItem,
    names: Iterable[str],
    expected_version: int | None,
) -> None:
    """Save the fields `names` of `fresh` (the row as checked anew) that differ from `row`'s."""
    changes = {n: getattr(fresh, n) for n in names if getattr(fresh, n) != getattr(row, n)}
    changed = apply_changes(row, expected_version=expected_version, changes=changes)
    if changed:
        _touch(row.case)
    audit_changes(actor=actor, instance=row, changed=changed)


def _row_deleted(actor: User, row: Subject | SeizedItem, expected_version: int | None) -> None:
    require(actor, Action.CHANGE, row.case)
    soft_delete(row, expected_version=expected_version)
    _touch(row.case)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=row)


@transaction.atomic
def subject_add(*, actor: User, case: Case, data: SubjectData) -> Subject:
    require(actor, Action.CHANGE, case)
    subject = _subject(case, data)
    _row_added(actor, subject, {})
    return subject


@transaction.atomic
def subject_update(
    *, actor: User, subject: Subject, data: SubjectData, expected_version: int | None = None
) -> Subject:
    require(actor, Action.CHANGE, subject.case)
    fresh = _subject(subject.case, data)
    _row_changed(actor, subject, fresh, data.values(), expected_version)
    return subject


@transaction.atomic
def subject_delete(*, actor: User, subject: Subject, expected_version: int | None = None) -> None:
    _row_deleted(actor, subject, expected_version)


_SEIZED_FIELDS = ("item", "quantity", "entered_quantity", "entered_unit", "note")


@transaction.atomic
def seized_item_add(*, actor: User, case: Case, data: SeizedData) -> SeizedItem:
    require(actor, Action.CHANGE, case)
    seized = _seized(case, data)
    _row_added(actor, seized, {"quantity": str(seized.quantity), "item": seized.item.code})
    return seized


@transaction.atomic
def seized_item_update(
    *, actor: User, seized: SeizedItem, data: SeizedData, expected_version: int | None = None
) -> SeizedItem:
    require(actor, Action.CHANGE, seized.case)
    fresh = _seized(seized.case, data)
    _row_changed(actor, seized, fresh, _SEIZED_FIELDS, expected_version)
    return seized


@transaction.atomic
def seized_item_delete(
    *, actor: User, seized: SeizedItem, expected_version: int | None = None
) -> None:
    _row_deleted(actor, seized, expected_version)


# --- wanted persons -----------------------------------------------------------------------


@transaction.atomic
def wanted_create(
    *,
    actor: User,
    notice_number: str,
    notice_date: dt.date,
    issuing_authority: str,
    full_name: str,
    other_names: str = "",
    birth_date: dt.date | None = None,
    birth_year: int | None = None,
    sex: str = "",
    citizen_id: str = "",
    address: str = "",
    offence: str = "",
    classification: int = 0,
    is_joint: bool = False,
) -> WantedPerson:
    owner = _author_unit(actor)
    check_classification(classification, actor=actor)
    person = _subject(
        Case(),
        SubjectData(
            name=full_name,
            other_names=other_names,
            birth_date=birth_date,
            birth_year=birth_year,
            sex=sex,
            citizen_id=citizen_id,
            address=address,
        ),
    )
    if notice_date > timezone.localdate():
        raise _invalid(
            "notice_date", _("Ngày quyết định không được ở tương lai."), code="future_time"
        )
    wanted = WantedPerson(
        owner_unit=owner,
        province=owner.province,
        classification=classification,
        is_joint=is_joint,
        notice_number=clean_text(notice_number),
        notice_date=notice_date,
        issuing_authority=clean_text(issuing_authority),
        full_name=person.name,
        other_names=person.other_names,
        birth_date=person.birth_date,
        birth_year=person.birth_year,
        sex=person.sex,
        citizen_id=person.citizen_id,
        address=person.address,
        offence=clean_text(offence),
    )
    _full_clean(wanted)
    wanted.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=wanted)
    return wanted


@transaction.atomic
def wanted_arrest(
    *,
    actor: User,
    wanted: WantedPerson,
    arrested_at: dt.datetime,
    arresting_unit: Unit | None = None,
    case: Case | None = None,
    surrendered: bool = False,
    expected_version: int | None = None,
) -> WantedPerson:
    """The wanted person was caught (or gave themself up): by which unit, in which case.

    Recorded by whoever may change the notice (its unit, commanders above it)."""
    home = _author_unit(actor)
    require(actor, Action.CHANGE, wanted)
    unit = arresting_unit or home
    if wanted.status != WantedStatus.WANTED:
        raise _invalid(
            "status",
            _("Đối tượng không còn trong trạng thái truy nã (%(status)s).")
            % {"status": WantedStatus(wanted.status).label},
            code="transition_not_allowed",
        )
    if arrested_at > timezone.now() + dt.timedelta(minutes=5):
        raise _invalid(
            "arrested_at", _("Thời điểm bắt không được ở tương lai."), code="future_time"
        )
    if timezone.localtime(arrested_at).date() < wanted.notice_date:
        raise _invalid("arrested_at", _("Thời điểm bắt không được trước ngày quyết định truy nã."))
    changed = apply_changes(
        wanted,
        expected_version=expected_version,
        changes={
            "status": WantedStatus.SURRENDERED if surrendered else WantedStatus.ARRESTED,
            "arrested_at": arrested_at,
            "arresting_unit": unit,
            "arrest_case": case,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=wanted,
        changes={n: str(getattr(wanted, n)) for n in changed},
    )
    return wanted
