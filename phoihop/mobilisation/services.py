"""Writes of mass mobilisation: every one atomic, validated, audited; nothing partial is saved.

Who may write, all decided by the access rule (`phoihop.access.rules`):
- a record is created by an officer or commander (`Action.CREATE`), for their own unit or a unit
  below it (the organising unit, which owns it); participating units of any force receive it
  through the distribution, so they see it;
- a record is changed or deleted under `Action.CHANGE` / `Action.DELETE`;
- launches and handed-in items of a campaign may also be added by the officers and commanders
  of a participating unit (`Action.RECORD`: the commune units do the launching), and an opinion
  may be answered by the unit it was assigned to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict, TypeVar, Unpack

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.access.models import Distribution
from phoihop.access.policy import check_classification
from phoihop.access.rules import Action, author_unit, can, require
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.cases.catalogue import catalogue_item, catalogue_quantity
from phoihop.cases.models import CatalogueItem
from phoihop.core.backentry import back_entry_note, check_record_date
from phoihop.core.errors import DomainError, PermissionDenied
from phoihop.core.errors import invalid as _invalid
from phoihop.core.errors import prefixed as _prefixed
from phoihop.core.errors import validate as _full_clean
from phoihop.core.lookups import by_code
from phoihop.core.text import clean_text
from phoihop.core.versioning import apply_changes, audit_changes, soft_delete
from phoihop.mobilisation.enums import (
    OPINION_TRANSITIONS,
    OpinionStatus,
    OpinionTopic,
    ProgrammeKind,
)
from phoihop.mobilisation.models import (
    FORUM_TITLE,
    CampaignLaunch,
    Forum,
    ForumTopicCount,
    HandedInItem,
    Law,
    MobilisationRecord,
    Opinion,
    OpinionTransition,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import check_place, partner_units

R = TypeVar("R", bound=MobilisationRecord)

# The largest count a form may hold (PositiveIntegerField is 32-bit on every database).
MAX_COUNT = 2_000_000_000


def _writers_only() -> str:
    """The refusal a member of the unit tree who is not an officer or commander reads."""
    return _("Chỉ cán bộ hoặc chỉ huy của đơn vị được ghi nhận.")


def _active(unit: Unit) -> bool:
    return unit.deleted_at is None and unit.valid_until is None


def _check_active(unit: Unit | None, field_name: str) -> None:
    """A unit named on a row (assigned, launching) must still be working."""
    if unit is not None and not _active(unit):
        raise _invalid(
            field_name,
            _("Đơn vị %(unit)s đã kết thúc hoạt động.") % {"unit": unit.name},
            code="inactive_unit",
        )


def count_value(value: Any, *, field_name: str, minimum: int = 0) -> int:
    """A whole count from a service argument: never negative, never a fraction."""
    if isinstance(value, bool):
        number: int | None = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").replace(".", "").isdigit():
        number = int(value.strip().replace(".", ""))
    else:
        number = None
    if number is None:
        raise _invalid(field_name, _("Phải là một số nguyên."), code="not_a_count")
    if number < 0:
        raise _invalid(field_name, _("Số liệu không được âm."), code="negative_count")
    if number < minimum:
        raise _invalid(
            field_name,
            _("Phải ít nhất là %(minimum)s.") % {"minimum": minimum},
            code="below_minimum",
        )
    if number > MAX_COUNT:
        raise _invalid(field_name, _("Số liệu quá lớn."), code="too_large")
    return number


def _check_dates(start: Any, end: Any) -> None:
    if not isinstance(start, dt.date):
        raise _invalid("start_date", _("Phải nhập ngày bắt đầu."), code="required")
    check_record_date("start_date", start, label=_("Ngày bắt đầu"), planned=True)
    if end is not None and end < start:
        raise _invalid(
            "end_date", _("Ngày kết thúc không được trước ngày bắt đầu."), code="end_before_start"
        )


def _not_future(day: dt.date, field_name: str) -> None:
    if day > timezone.localdate():
        raise _invalid(field_name, _("Ngày không được ở tương lai."), code="future_date")
    check_record_date(field_name, day)


def check_commune(
    commune: AdministrativeArea | None,
    province: AdministrativeArea,
    *,
    on: dt.date,
    field_name: str = "commune",
    required: bool = True,
) -> None:
    """A commune of the province in force on the record's day (a current one, or a pre-2025
    commune merged into the province) that some report counts (`org.refs.check_place`). Where
    the commune is optional, a record without one must still be counted by some report."""
    if commune is None and required:
        raise _invalid(field_name, _("Phải chọn xã, phường."), code="required")
    check_place(province=province, commune=commune, on=on, field=field_name)


def _organiser(actor: User, organising_unit: Unit | None) -> Unit:
    home = author_unit(actor, message=_writers_only())
    owner = organising_unit or home
    if not owner.path.startswith(home.path) or not _active(owner):
        raise _invalid(
            "organising_unit",
            _("Đơn vị chủ trì phải là %(unit)s hoặc đơn vị cấp dưới đang hoạt động.")
            % {"unit": home.name},
            code="organising_unit_not_allowed",
        )
    return owner


def _participants(owner: Unit, units: Iterable[Unit]) -> list[Unit]:
    return partner_units(owner, units, field="participating_units")


def _ctype(record: Model) -> ContentType:
    return ContentType.objects.get_for_model(type(record), for_concrete_model=True)


def _share(record: Model, unit: Unit) -> None:
    """The unit receives the record: the access rule lets its users see it."""
    Distribution.objects.get_or_create(content_type=_ctype(record), object_id=record.pk, unit=unit)


def _kept_recipients(record: MobilisationRecord) -> set[int]:
    """Units that must keep receiving a record whatever its participating units are."""
    if isinstance(record, Forum):
        return set(
            Opinion.objects.filter(forum=record, assigned_unit__isnull=False).values_list(
                "assigned_unit_id", flat=True
            )
        )
    return set()


def _set_participants(record: MobilisationRecord, units: list[Unit]) -> bool:
    current = set(record.participating_units.values_list("pk", flat=True))
    wanted = {u.pk for u in units}
    if current == wanted:
        return False
    record.participating_units.set(units)
    removed = current - wanted - _kept_recipients(record)
    Distribution.objects.filter(
        content_type=_ctype(record), object_id=record.pk, unit_id__in=removed
    ).delete()
    for unit in units:
        _share(record, unit)
    return True


def _touch(record: Model) -> None:
    """A change to a record's rows is a change to the record: its version moves on."""
    type(record).all_objects.filter(pk=record.pk).update(  # type: ignore[attr-defined]
        version=record.version + 1,  # type: ignore[attr-defined]
        updated_at=timezone.now(),
    )
    record.version += 1  # type: ignore[attr-defined]


def _rows_changed(record: Model, changed: list[str], name: str) -> None:
    """The record's rows `name` changed: its version moves on once, and the audit names them."""
    if not changed:
        _touch(record)
    changed.append(name)


def may_contribute(actor: User, record: MobilisationRecord) -> bool:
    """Those who may change the record, and those who may record figures on it: officers and
    commanders of a participating unit (launches and handed-in items of a campaign)."""
    return can(actor, Action.CHANGE, record) or can(actor, Action.RECORD, record)


def _require_contributor(actor: User, record: MobilisationRecord) -> None:
    if not may_contribute(actor, record):
        raise PermissionDenied()


# --- records: what every kind shares ------------------------------------------------------------


@dataclass
class RecordBase:
    """The common input of every record kind."""

    start_date: dt.date
    end_date: dt.date | None = None
    organising_unit: Unit | None = None
    participating_units: Sequence[Unit] = ()
    classification: int = 0
    is_joint: bool = False
    note: str = ""


class RecordFields(TypedDict, total=False):
    """The optional fields every kind's `<kind>_create` takes beside its own (see `RecordBase`)."""

    end_date: dt.date | None
    organising_unit: Unit | None
    participating_units: Sequence[Unit]
    classification: int
    is_joint: bool
    note: str


def _build(model: type[R], actor: User, base: RecordBase, **values: Any) -> tuple[R, list[Unit]]:
    owner = _organiser(actor, base.organising_unit)
    check_classification(base.classification, actor=actor)
    _check_dates(base.start_date, base.end_date)
    partners = _participants(owner, base.participating_units)
    record = model(
        owner_unit=owner,
        province=owner.province,
        classification=base.classification,
        is_joint=bool(base.is_joint),
        start_date=base.start_date,
        end_date=base.end_date,
        note=(base.note or "").strip(),
        created_by=actor,
        **values,
    )
    _full_clean(record)
    return record, partners


def _save_new(actor: User, record: MobilisationRecord, partners: list[Unit], **audit: Any) -> None:
    record.save()
    record.participating_units.set(partners)
    for unit in partners:
        _share(record, unit)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=record,
        changes={
            "participating_units": [u.code for u in partners],
            **audit,
            **back_entry_note(record.start_date),
        },
    )


COMMON_EDITABLE = frozenset(
    {"start_date", "end_date", "classification", "is_joint", "note", "participating_units"}
)


def _clean_changes(
    record: MobilisationRecord, changes: Mapping[str, Any], editable: frozenset[str]
) -> tuple[dict[str, Any], list[Unit] | None]:
    unknown = set(changes) - editable
    if unknown:
        name = sorted(unknown)[0]
        raise _invalid(name, _("Trường này không sửa được ở đây."), code="not_editable")
    values = dict(changes)
    partners = None
    if "participating_units" in values:
        partners = _participants(record.owner_unit, values.pop("participating_units"))
    for name in ("title", "name"):
        if name in values:
            values[name] = clean_text(values[name] or "")
    if "note" in values:
        values["note"] = (values["note"] or "").strip()
    if "classification" in values:
        check_classification(values["classification"])
    _check_dates(
        values.get("start_date", record.start_date), values.get("end_date", record.end_date)
    )
    if "commune" in values and values["commune"] is not None:
        check_commune(
            values["commune"],
            record.province,
            on=values.get("start_date", record.start_date),
        )
    return values, partners


def _record_update(
    actor: User,
    record: MobilisationRecord,
    *,
    expected_version: int | None,
    values: Mapping[str, Any],
    partners: list[Unit] | None,
) -> list[str]:
    changed = apply_changes(record, expected_version=expected_version, changes=values)
    if partners is not None and _set_participants(record, partners):
        _rows_changed(record, changed, "participating_units")
    return changed


def _record_delete(actor: User, record: MobilisationRecord, expected_version: int | None) -> None:
    require(actor, Action.DELETE, record)
    soft_delete(record, expected_version=expected_version)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=record)


# --- forums -------------------------------------------------------------------------------------


@dataclass
class OpinionData:
    topic: str
    content: str
    raised_by: str = ""
    assigned_unit: Unit | None = None


def topic_counts_value(pairs: Iterable[tuple[str, Any]]) -> dict[str, int]:
    """`[(topic, count), …]` as {topic: count}: known topics, once each, whole non-negative."""
    counts: dict[str, int] = {}
    for index, (topic, raw) in enumerate(pairs):
        if topic not in OpinionTopic.values:
            raise _invalid(
                f"topic_counts.{index}.topic",
                _("Lĩnh vực “%(topic)s” không có trong danh mục.") % {"topic": topic},
                code="unknown_topic",
            )
        if topic in counts:
            raise _invalid(
                f"topic_counts.{index}.topic",
                _("Lĩnh vực “%(topic)s” được nhập hai lần.") % {"topic": OpinionTopic(topic).label},
                code="duplicate_topic",
            )
        counts[topic] = count_value(raw, field_name=f"topic_counts.{index}.count")
    return {topic: n for topic, n in counts.items() if n}


def _check_topic_total(counts: Mapping[str, int], total: int) -> None:
    listed = sum(counts.values())
    if listed > total:
        message = _(
            "Tổng số ý kiến theo lĩnh vực (%(listed)s) vượt quá tổng số ý kiến (%(total)s)."
        ) % {"listed": listed, "total": total}
        raise DomainError(message, code="topics_exceed_total", fields={"topic_counts": [message]})


def _opinion(forum: Forum, data: OpinionData, actor: User) -> Opinion:
    if data.topic not in OpinionTopic.values:
        raise _invalid(
            "topic",
            _("Lĩnh vực “%(topic)s” không có trong danh mục.") % {"topic": data.topic},
            code="unknown_topic",
        )
    content = (data.content or "").strip()
    if not content:
        raise _invalid("content", _("Phải ghi nội dung ý kiến."), code="required")
    _check_active(data.assigned_unit, "assigned_unit")
    opinion = Opinion(
        forum=forum,
        topic=data.topic,
        content=content,
        raised_by=clean_text(data.raised_by or ""),
        assigned_unit=data.assigned_unit,
        created_by=actor,
    )
    _full_clean(opinion, exclude=["forum"])
    return opinion


def _check_opinion_room(forum_total: int, individual: int) -> None:
    if individual > forum_total:
        message = _(
            "Số ý kiến ghi nhận riêng (%(individual)s) vượt quá tổng số ý kiến (%(total)s)."
        ) % {"individual": individual, "total": forum_total}
        raise DomainError(message, code="opinions_exceed_total", fields={"opinions": [message]})


@transaction.atomic
def forum_create(
    *,
    actor: User,
    start_date: dt.date,
    commune: AdministrativeArea,
    attendees: Any,
    opinions: Any,
    topic_counts: Iterable[tuple[str, Any]] = (),
    title: str = "",
    opinion_items: Sequence[OpinionData] = (),
    **common: Unpack[RecordFields],
) -> Forum:
    """Record a forum with its opinions by topic (and individual opinions), all or nothing."""
    base = RecordBase(start_date=start_date, **common)
    owner = _organiser(actor, base.organising_unit)
    check_commune(commune, owner.province, on=start_date)
    attendee_count = count_value(attendees, field_name="attendees")
    total = count_value(opinions, field_name="opinions")
    counts = topic_counts_value(topic_counts)
    _check_topic_total(counts, total)
    _check_opinion_room(total, len(opinion_items))
    forum, partners = _build(
        Forum,
        actor,
        base,
        title=clean_text(title or "") or FORUM_TITLE,
        commune=commune,
        attendees=attendee_count,
        opinions=total,
    )
    _not_future(start_date, "start_date")
    built = []
    for index, data in enumerate(opinion_items):
        try:
            built.append(_opinion(forum, data, actor))
        except DomainError as exc:
            raise _prefixed(exc, f"opinion_items.{index}") from exc
    _save_new(actor, forum, partners, opinions=total, topic_counts=counts)
    ForumTopicCount.objects.bulk_create(
        [ForumTopicCount(forum=forum, topic=t, count=n) for t, n in counts.items()]
    )
    for opinion in built:
        opinion.forum = forum
        opinion.save()
        if opinion.assigned_unit is not None:
            _share(forum, opinion.assigned_unit)
    return forum


FORUM_EDITABLE = COMMON_EDITABLE | {"title", "commune", "attendees", "opinions", "topic_counts"}


@transaction.atomic
def forum_update(
    *, actor: User, forum: Forum, expected_version: int | None, changes: Mapping[str, Any]
) -> list[str]:
    """Change a forum; `topic_counts` ([(topic, count), …]) replaces the whole breakdown."""
    require(actor, Action.CHANGE, forum)
    values, partners = _clean_changes(forum, changes, FORUM_EDITABLE)
    new_counts = (
        topic_counts_value(values.pop("topic_counts")) if "topic_counts" in values else None
    )
    if "commune" in values and values["commune"] is None:
        raise _invalid("commune", _("Phải chọn xã, phường."), code="required")
    if "title" in values and not values["title"]:
        values["title"] = FORUM_TITLE
    if "attendees" in values:
        values["attendees"] = count_value(values["attendees"], field_name="attendees")
    if "opinions" in values:
        values["opinions"] = count_value(values["opinions"], field_name="opinions")
    if "start_date" in values:
        _not_future(values["start_date"], "start_date")
    total = values.get("opinions", forum.opinions)
    current = dict(forum.topic_counts.values_list("topic", "count"))
    counts = current if new_counts is None else new_counts
    _check_topic_total(counts, total)
    _check_opinion_room(total, forum.opinion_items.count())
    changed = _record_update(
        actor, forum, expected_version=expected_version, values=values, partners=partners
    )
    if counts != current:
        forum.topic_counts.all().delete()
        ForumTopicCount.objects.bulk_create(
            [ForumTopicCount(forum=forum, topic=t, count=n) for t, n in counts.items()]
        )
        _rows_changed(forum, changed, "topic_counts")
    audit_changes(actor=actor, instance=forum, changed=changed)
    return changed


@transaction.atomic
def forum_delete(*, actor: User, forum: Forum, expected_version: int | None = None) -> None:
    _record_delete(actor, forum, expected_version)


@transaction.atomic
def opinion_add(*, actor: User, forum: Forum, data: OpinionData) -> Opinion:
    """An individual opinion of a forum; the unit it is assigned to receives the forum."""
    require(actor, Action.CHANGE, forum)
    Forum.all_objects.select_for_update().filter(pk=forum.pk).exists()
    _check_opinion_room(forum.opinions, forum.opinion_items.count() + 1)
    opinion = _opinion(forum, data, actor)
    opinion.save()
    if opinion.assigned_unit is not None:
        _share(forum, opinion.assigned_unit)
    _touch(forum)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=opinion,
        changes={
            "forum": str(forum.public_id),
            "assigned_unit": opinion.assigned_unit.code if opinion.assigned_unit else "",
        },
    )
    return opinion


@transaction.atomic
def opinion_assign(
    *, actor: User, opinion: Opinion, unit: Unit | None, expected_version: int | None = None
) -> Opinion:
    """Name (or change) the unit that must answer an opinion not yet answered."""
    forum = opinion.forum
    require(actor, Action.CHANGE, forum)
    if opinion.status != OpinionStatus.OPEN:
        raise _invalid(
            "assigned_unit",
            _("Ý kiến đã được trả lời: không đổi được đơn vị giải quyết."),
            code="transition_not_allowed",
        )
    _check_active(unit, "assigned_unit")
    changed = apply_changes(
        opinion, expected_version=expected_version, changes={"assigned_unit": unit}
    )
    if unit is not None:
        _share(forum, unit)
    audit_changes(actor=actor, instance=opinion, changed=changed)
    return opinion


def _opinion_transition(
    *,
    actor: User,
    opinion: Opinion,
    to_status: str,
    expected_version: int | None,
    changes: Mapping[str, Any],
    note: str = "",
    at: dt.datetime | None = None,
) -> Opinion:
    current = Opinion.all_objects.select_for_update().get(pk=opinion.pk)
    if to_status not in OPINION_TRANSITIONS[current.status]:
        raise _invalid(
            "status",
            _("Không thể chuyển ý kiến từ “%(from)s” sang “%(to)s”.")
            % {"from": OpinionStatus(current.status).label, "to": OpinionStatus(to_status).label},
            code="transition_not_allowed",
        )
    before = current.status
    moment = at or timezone.now()
    apply_changes(
        opinion, expected_version=expected_version, changes={"status": to_status, **changes}
    )
    OpinionTransition.objects.create(
        opinion=opinion, from_status=before, to_status=to_status, at=moment, by=actor, note=note
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=opinion,
        changes={"status": [before, to_status]},
    )
    return opinion


def may_answer(actor: User, opinion: Opinion) -> bool:
    """The organisers, and the officers and commanders of the unit the opinion was assigned to
    (cleared for the forum: it reached them through the distribution)."""
    forum = opinion.forum
    if can(actor, Action.CHANGE, forum):
        return True
    return bool(
        opinion.assigned_unit_id is not None
        and opinion.assigned_unit_id == getattr(actor, "unit_id", None)
        and can(actor, Action.CREATE)
        and actor.clearance >= forum.classification
    )


@transaction.atomic
def opinion_answer(
    *,
    actor: User,
    opinion: Opinion,
    answer: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Opinion:
    """The assigned unit (or the organisers) answer the opinion: open → answered."""
    if not may_answer(actor, opinion):
        raise PermissionDenied(
            _("Chỉ đơn vị được giao giải quyết hoặc đơn vị chủ trì được trả lời.")
        )
    text = (answer or "").strip()
    if not text:
        raise _invalid("answer", _("Phải ghi nội dung trả lời."), code="required")
    moment = at or timezone.now()
    return _opinion_transition(
        actor=actor,
        opinion=opinion,
        to_status=OpinionStatus.ANSWERED,
        expected_version=expected_version,
        changes={"answer": text, "answered_at": moment, "answered_by": actor},
        at=moment,
    )


@transaction.atomic
def opinion_close(
    *,
    actor: User,
    opinion: Opinion,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Opinion:
    """The organisers close an answered opinion: answered → closed."""
    require(actor, Action.CHANGE, opinion.forum)
    moment = at or timezone.now()
    return _opinion_transition(
        actor=actor,
        opinion=opinion,
        to_status=OpinionStatus.CLOSED,
        expected_version=expected_version,
        changes={"closed_at": moment},
        note=(note or "").strip(),
        at=moment,
    )


@transaction.atomic
def opinion_delete(*, actor: User, opinion: Opinion, expected_version: int | None = None) -> None:
    require(actor, Action.CHANGE, opinion.forum)
    soft_delete(opinion, expected_version=expected_version)
    _touch(opinion.forum)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=opinion)


# --- law propaganda -----------------------------------------------------------------------------


def law_by_code(code: str) -> Law:
    return by_code(
        Law.objects.filter(is_active=True),
        code,
        field="laws",
        unknown=_("Luật “%(code)s” không có trong danh mục."),
        error_code="unknown_law",
    )


def _laws(values: Iterable[Law | str]) -> list[Law]:
    chosen: dict[int, Law] = {}
    for value in values:
        law = value if isinstance(value, Law) else law_by_code(value)
        if not law.is_active or law.deleted_at is not None:
            raise _invalid(
                "laws",
                _("Luật “%(name)s” không còn trong danh mục.") % {"name": law.name},
                code="unknown_law",
            )
        chosen[law.pk] = law
    if not chosen:
        raise _invalid("laws", _("Phải chọn ít nhất một luật được tuyên truyền."), code="required")
    return list(chosen.values())


@transaction.atomic
def propaganda_create(
    *,
    actor: User,
    title: str,
    start_date: dt.date,
    laws: Iterable[Law | str],
    attendees: Any,
    sessions: Any = 1,
    leaflets: Any = 0,
    commune: AdministrativeArea | None = None,
    **common: Unpack[RecordFields],
) -> PropagandaSession:
    """Record law-propaganda sessions: which laws, how many sessions, listeners, leaflets."""
    base = RecordBase(start_date=start_date, **common)
    owner = _organiser(actor, base.organising_unit)
    check_commune(commune, owner.province, on=start_date, required=False)
    chosen = _laws(laws)
    text = clean_text(title or "")
    if not text:
        raise _invalid("title", _("Phải ghi nội dung, hình thức tuyên truyền."), code="required")
    record, partners = _build(
        PropagandaSession,
        actor,
        base,
        title=text,
        commune=commune,
        sessions=count_value(sessions, field_name="sessions", minimum=1),
        attendees=count_value(attendees, field_name="attendees"),
        leaflets=count_value(leaflets, field_name="leaflets"),
    )
    _not_future(start_date, "start_date")
    _save_new(actor, record, partners, laws=[law.code for law in chosen])
    record.laws.set(chosen)
    return record


PROPAGANDA_EDITABLE = COMMON_EDITABLE | {
    "title",
    "commune",
    "laws",
    "sessions",
    "attendees",
    "leaflets",
}


@transaction.atomic
def propaganda_update(
    *,
    actor: User,
    record: PropagandaSession,
    expected_version: int | None,
    changes: Mapping[str, Any],
) -> list[str]:
    require(actor, Action.CHANGE, record)
    values, partners = _clean_changes(record, changes, PROPAGANDA_EDITABLE)
    laws = _laws(values.pop("laws")) if "laws" in values else None
    if "title" in values and not values["title"]:
        raise _invalid("title", _("Phải ghi nội dung, hình thức tuyên truyền."), code="required")
    for name, minimum in (("sessions", 1), ("attendees", 0), ("leaflets", 0)):
        if name in values:
            values[name] = count_value(values[name], field_name=name, minimum=minimum)
    if "start_date" in values:
        _not_future(values["start_date"], "start_date")
    changed = _record_update(
        actor, record, expected_version=expected_version, values=values, partners=partners
    )
    if laws is not None and {law.pk for law in laws} != set(
        record.laws.values_list("pk", flat=True)
    ):
        record.laws.set(laws)
        _rows_changed(record, changed, "laws")
    audit_changes(actor=actor, instance=record, changed=changed)
    return changed


@transaction.atomic
def propaganda_delete(
    *, actor: User, record: PropagandaSession, expected_version: int | None = None
) -> None:
    _record_delete(actor, record, expected_version)


# --- surrender campaigns ------------------------------------------------------------------------


def _check_area(area: AdministrativeArea | None) -> AdministrativeArea:
    if area is None:
        raise _invalid("area", _("Phải chọn tỉnh nơi phát động."), code="required")
    if area.level != AreaLevel.PROVINCE or area.valid_until is not None:
        raise _invalid(
            "area",
            _("Địa bàn của đợt vận động phải là một tỉnh, thành phố hiện hành."),
            code="area_not_province",
        )
    return area


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    start_date: dt.date,
    area: AdministrativeArea | None = None,
    **common: Unpack[RecordFields],
) -> SurrenderCampaign:
    """A surrender campaign over a province (the organising unit's, unless another is named)."""
    base = RecordBase(start_date=start_date, **common)
    owner = _organiser(actor, base.organising_unit)
    province = _check_area(area or owner.province)
    text = clean_text(name or "")
    if not text:
        raise _invalid("name", _("Phải ghi tên đợt vận động."), code="required")
    campaign, partners = _build(SurrenderCampaign, actor, base, name=text, area=province)
    _save_new(actor, campaign, partners, area=province.code)
    return campaign


CAMPAIGN_EDITABLE = COMMON_EDITABLE | {"name"}


@transaction.atomic
def campaign_update(
    *,
    actor: User,
    campaign: SurrenderCampaign,
    expected_version: int | None,
    changes: Mapping[str, Any],
) -> list[str]:
    """Change a campaign; its period must still hold every launch and handed-in item."""
    require(actor, Action.CHANGE, campaign)
    values, partners = _clean_changes(campaign, changes, CAMPAIGN_EDITABLE)
    if "name" in values and not values["name"]:
        raise _invalid("name", _("Phải ghi tên đợt vận động."), code="required")
    start = values.get("start_date", campaign.start_date)
    end = values.get("end_date", campaign.end_date)
    outside = (
        CampaignLaunch.objects.filter(campaign=campaign, launched_on__lt=start).exists()
        or HandedInItem.objects.filter(campaign=campaign, handed_in_on__lt=start).exists()
        or (
            end is not None
            and (
                CampaignLaunch.objects.filter(campaign=campaign, launched_on__gt=end).exists()
                or HandedInItem.objects.filter(campaign=campaign, handed_in_on__gt=end).exists()
            )
        )
    )
    if outside:
        raise _invalid(
            "start_date" if "start_date" in values else "end_date",
            _("Đã có lượt phát động hoặc giao nộp ngoài thời gian mới của đợt vận động."),
            code="outside_period",
        )
    changed = _record_update(
        actor, campaign, expected_version=expected_version, values=values, partners=partners
    )
    audit_changes(actor=actor, instance=campaign, changed=changed)
    return changed


@transaction.atomic
def campaign_delete(
    *, actor: User, campaign: SurrenderCampaign, expected_version: int | None = None
) -> None:
    _record_delete(actor, campaign, expected_version)


def _check_in_campaign(
    campaign: SurrenderCampaign, commune: AdministrativeArea | None, day: Any, day_field: str
) -> None:
    if commune is None:
        raise _invalid("commune", _("Phải chọn xã, phường."), code="required")
    if commune.level != AreaLevel.COMMUNE or commune.parent_id != campaign.area_id:
        raise _invalid(
            "commune",
            _("%(name)s không thuộc địa bàn của đợt vận động (%(area)s).")
            % {"name": commune.name, "area": campaign.area.name},
            code="commune_outside_area",
        )
    if not isinstance(day, dt.date):
        raise _invalid(day_field, _("Phải nhập ngày."), code="required")
    if day < campaign.start_date or (campaign.end_date is not None and day > campaign.end_date):
        period = (
            f"{campaign.start_date:%d/%m/%Y}–{campaign.end_date:%d/%m/%Y}"
            if campaign.end_date
            else _("từ %(start)s") % {"start": f"{campaign.start_date:%d/%m/%Y}"}
        )
        raise _invalid(
            day_field,
            _("Ngày phải trong thời gian của đợt vận động (%(period)s).") % {"period": period},
            code="outside_period",
        )
    _not_future(day, day_field)


@transaction.atomic
def campaign_launch(
    *,
    actor: User,
    campaign: SurrenderCampaign,
    commune: AdministrativeArea,
    launched_on: dt.date,
    unit: Unit | None = None,
    attendees: Any = None,
) -> CampaignLaunch:
    """The campaign is launched in a commune of its area, once, within its period."""
    _require_contributor(actor, campaign)
    SurrenderCampaign.all_objects.select_for_update().filter(pk=campaign.pk).exists()
    _check_in_campaign(campaign, commune, launched_on, "launched_on")
    previous = CampaignLaunch.objects.filter(campaign=campaign, commune=commune).first()
    if previous is not None:
        raise _invalid(
            "commune",
            _("Đợt vận động đã được phát động tại %(name)s ngày %(day)s.")
            % {"name": commune.name, "day": f"{previous.launched_on:%d/%m/%Y}"},
            code="already_launched",
        )
    launcher = unit or author_unit(actor, message=_writers_only())
    _check_active(launcher, "unit")
    launch = CampaignLaunch(
        campaign=campaign,
        commune=commune,
        launched_on=launched_on,
        unit=launcher,
        attendees=None
        if attendees in (None, "")
        else count_value(attendees, field_name="attendees"),
    )
    _full_clean(launch)
    launch.save()
    _touch(campaign)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=launch,
        changes={"campaign": str(campaign.public_id), "commune": commune.code},
    )
    return launch


@transaction.atomic
def launch_delete(
    *, actor: User, launch: CampaignLaunch, expected_version: int | None = None
) -> None:
    require(actor, Action.CHANGE, launch.campaign)
    soft_delete(launch, expected_version=expected_version)
    _touch(launch.campaign)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=launch)


@dataclass
class HandedInData:
    commune: AdministrativeArea | None
    handed_in_on: dt.date | None
    item: CatalogueItem | str
    quantity: Any
    unit: str = ""
    note: str = ""
    # Pages and imports read `1.508` the Vietnamese way; the API sends plain decimals.
    localized: bool = field(default=True)


def _handed_in(campaign: SurrenderCampaign, data: HandedInData) -> HandedInItem:
    _check_in_campaign(campaign, data.commune, data.handed_in_on, "handed_in_on")
    assert data.commune is not None and data.handed_in_on is not None  # checked just above
    item = catalogue_item(data.item)
    quantity = catalogue_quantity(item, data.quantity, data.unit, localized=data.localized)
    row = HandedInItem(
        campaign=campaign,
        commune=data.commune,
        handed_in_on=data.handed_in_on,
        item=item,
        quantity=quantity.canonical,
        entered_quantity=quantity.entered,
        entered_unit=quantity.unit,
        note=clean_text(data.note or ""),
    )
    _full_clean(row, exclude=["campaign"])
    return row


def handed_in_check(*, campaign: SurrenderCampaign, data: HandedInData) -> HandedInItem:
    """One handed-in row validated and converted, not saved (imports report every bad row)."""
    return _handed_in(campaign, data)


@transaction.atomic
def handed_in_add(
    *, actor: User, campaign: SurrenderCampaign, rows: Sequence[HandedInData]
) -> list[HandedInItem]:
    """Items handed in during a campaign, all rows or none (errors name `items.<n>.<field>`)."""
    _require_contributor(actor, campaign)
    if not rows:
        raise _invalid("items", _("Phải nhập ít nhất một dòng."), code="required")
    built = []
    for index, data in enumerate(rows):
        try:
            built.append(_handed_in(campaign, data))
        except DomainError as exc:
            raise _prefixed(exc, f"items.{index}") from exc
    for row in built:
        row.save()
    _touch(campaign)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=campaign,
        changes={
            "handed_in": [
                {
                    "commune": row.commune.code,
                    "item": row.item.code,
                    "quantity": str(row.quantity),
                    "on": row.handed_in_on.isoformat(),
                }
                for row in built
            ]
        },
    )
    return built


@transaction.atomic
def handed_in_delete(
    *, actor: User, row: HandedInItem, expected_version: int | None = None
) -> None:
    require(actor, Action.CHANGE, row.campaign)
    soft_delete(row, expected_version=expected_version)
    _touch(row.campaign)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=row)


# --- social support -----------------------------------------------------------------------------


def money_value(value: Any, *, field_name: str = "value", localized: bool = True) -> Decimal:
    """An amount in đồng: whole, non-negative. Pages and imports read `2.900.000` the
    Vietnamese way; the API sends plain decimals (`2900000`)."""
    if isinstance(value, bool):
        amount = Decimal("NaN")
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        text = str(value if value is not None else "").strip().replace(" ", "")
        if localized:
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except (InvalidOperation, ValueError):
            amount = Decimal("NaN")
    if not amount.is_finite():
        raise _invalid(field_name, _("Trị giá phải là một số (đồng)."), code="invalid_amount")
    if amount < 0:
        raise _invalid(field_name, _("Trị giá không được âm."), code="negative_amount")
    if amount != amount.to_integral_value():
        raise _invalid(field_name, _("Trị giá tính bằng đồng, không có phần lẻ."), code="not_whole")
    if amount >= Decimal(10) ** 18:
        raise _invalid(field_name, _("Trị giá quá lớn."), code="too_large")
    return amount.quantize(Decimal(1))


@transaction.atomic
def programme_create(
    *,
    actor: User,
    kind: str,
    name: str,
    start_date: dt.date,
    beneficiaries: Any,
    value: Any,
    commune: AdministrativeArea | None = None,
    localized: bool = True,
    **common: Unpack[RecordFields],
) -> SocialProgramme:
    """An activity of a social-support programme: beneficiaries and value in đồng."""
    base = RecordBase(start_date=start_date, **common)
    owner = _organiser(actor, base.organising_unit)
    if kind not in ProgrammeKind.values:
        raise _invalid("kind", _("Chương trình không có trong danh mục."), code="unknown_kind")
    check_commune(commune, owner.province, on=start_date, required=False)
    text = clean_text(name or "")
    if not text:
        raise _invalid("name", _("Phải ghi nội dung hỗ trợ."), code="required")
    record, partners = _build(
        SocialProgramme,
        actor,
        base,
        kind=kind,
        name=text,
        commune=commune,
        beneficiaries=count_value(beneficiaries, field_name="beneficiaries"),
        value=money_value(value, localized=localized),
    )
    _save_new(actor, record, partners, value=str(record.value))
    return record


PROGRAMME_EDITABLE = COMMON_EDITABLE | {"kind", "name", "commune", "beneficiaries", "value"}


@transaction.atomic
def programme_update(
    *,
    actor: User,
    record: SocialProgramme,
    expected_version: int | None,
    changes: Mapping[str, Any],
    localized: bool = True,
) -> list[str]:
    require(actor, Action.CHANGE, record)
    values, partners = _clean_changes(record, changes, PROGRAMME_EDITABLE)
    if "kind" in values and values["kind"] not in ProgrammeKind.values:
        raise _invalid("kind", _("Chương trình không có trong danh mục."), code="unknown_kind")
    if "name" in values and not values["name"]:
        raise _invalid("name", _("Phải ghi nội dung hỗ trợ."), code="required")
    if "beneficiaries" in values:
        values["beneficiaries"] = count_value(values["beneficiaries"], field_name="beneficiaries")
    if "value" in values:
        values["value"] = money_value(values["value"], localized=localized)
    changed = _record_update(
        actor, record, expected_version=expected_version, values=values, partners=partners
    )
    audit_changes(actor=actor, instance=record, changed=changed)
    return changed


@transaction.atomic
def programme_delete(
    *, actor: User, record: SocialProgramme, expected_version: int | None = None
) -> None:
    _record_delete(actor, record, expected_version)
