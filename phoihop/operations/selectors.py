"""Reads of the joint-operation records, all starting from the access rule, and their figures.

Periods are `start` to `end`, both dates inclusive (quý III/2024 under Nghị định 09 is
15/06/2024–14/09/2024). Which date puts a record in a period:
- protection, patrols, disaster response and rescue, exercises: the day they started;
- checkpoints and protected zones: they operated during the period (started by its end and not
  ended before its start); a checkpoint's vehicles and people are the daily counts dated inside
  the period.
An area is the province (the records of that province) or a commune (records naming it, or a
pre-2025 commune merged into it), as in `phoihop.org.refs.area_q`.

Counting rule (as for cases): a record counts once in joint figures however many forces took
part; by force, it counts once for every force that took part, and the personnel (lượt cán bộ,
chiến sĩ) and vehicles (lượt phương tiện, tàu xuồng) are those each force's units committed.
Every figure reads only records the actor sees, in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from phoihop.access.rules import get_visible, visible
from phoihop.cases.enums import ItemCategory
from phoihop.cases.models import Case, CatalogueItem
from phoihop.core.qualifiers import Qualifier, combined
from phoihop.operations.enums import ProtectionTarget
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
    ZoneCategory,
)
from phoihop.org.models import AdministrativeArea
from phoihop.org.refs import area_q

R = TypeVar("R", bound=OperationRecord)

# Kinds whose records count in a period while they operate, not only when they start.
_OPERATING_KINDS: tuple[type[OperationRecord], ...] = (Checkpoint, ProtectedZone)


def record_list(model: type[R], *, actor: Any) -> QuerySet[R]:
    """The records of one kind the actor sees, with what a listing shows."""
    return (
        visible(model, actor)
        .defer("search_text")
        .select_related("owner_unit", "owner_unit__force")
        # Explicit: a list annotated with sums (GROUP BY) drops the model's default ordering.
        .order_by("-start_date", "-id")
    )


def record_get(model: type[R], *, actor: Any, public_id: Any) -> R:
    return get_visible(
        model._default_manager.select_related(
            "owner_unit", "owner_unit__force", "province", "created_by"
        ),
        actor,
        public_id=public_id,
    )


def with_listing(qs: QuerySet[Any], actor: Any) -> QuerySet[Any]:
    """What a listed record shows, loaded in a fixed number of queries whatever the page size."""
    qs = qs.select_related("province", "created_by").prefetch_related(
        Prefetch(
            "participants",
            queryset=OperationUnit.objects.select_related("unit", "force").order_by("id"),
        ),
        Prefetch(
            "places", queryset=OperationCommune.objects.select_related("commune").order_by("id")
        ),
    )
    if qs.model is Checkpoint:
        alive = Q(counts__deleted_at__isnull=True)
        qs = qs.annotate(
            count_days=Count("counts", filter=alive),
            count_vehicles=Sum("counts__vehicles", filter=alive),
            count_people=Sum("counts__people", filter=alive),
        )
    if qs.model is ProtectedZone:
        names = ZoneCategory.objects.filter(code=OuterRef("zone_kind")).values("name")[:1]
        qs = qs.annotate(zone_kind_name=Subquery(names))
    if qs.model is Destruction:
        qs = qs.select_related("item")
    if qs.model is Patrol:
        qs = qs.prefetch_related(
            Prefetch(
                "cases",
                queryset=visible(Case, actor).select_related("owner_unit"),
                to_attr="visible_cases",
            )
        )
    return qs


def protection_list(*, actor: Any) -> QuerySet[Protection]:
    return record_list(Protection, actor=actor)


def checkpoint_list(*, actor: Any) -> QuerySet[Checkpoint]:
    return record_list(Checkpoint, actor=actor)


def zone_list(*, actor: Any) -> QuerySet[ProtectedZone]:
    return record_list(ProtectedZone, actor=actor)


def patrol_list(*, actor: Any) -> QuerySet[Patrol]:
    return record_list(Patrol, actor=actor)


def rescue_list(*, actor: Any) -> QuerySet[Rescue]:
    return record_list(Rescue, actor=actor)


def exercise_list(*, actor: Any) -> QuerySet[Exercise]:
    return record_list(Exercise, actor=actor)


def destruction_list(*, actor: Any) -> QuerySet[Destruction]:
    return record_list(Destruction, actor=actor)


def destroyable_items() -> QuerySet[CatalogueItem]:
    """The catalogue items a destruction may name: active explosives, ordnance and weapons."""
    return CatalogueItem.objects.filter(
        is_active=True, category__in=[ItemCategory.EXPLOSIVES, ItemCategory.WEAPONS]
    ).order_by("order", "name")


def zone_categories(*, active: bool = True) -> QuerySet[ZoneCategory]:
    """The catalogue of zone kinds, in its order: the kinds new zones may name when `active`,
    else every kind a zone may already name (retired or deleted ones too, so that no zone
    drops out of the figures)."""
    if active:
        return ZoneCategory.objects.filter(is_active=True).order_by("order", "name")
    return ZoneCategory.all_objects.order_by("order", "name")


def checkpoint_count_list(*, actor: Any) -> QuerySet[CheckpointCount]:
    """A daily count is seen by whoever sees its checkpoint."""
    return CheckpointCount.objects.filter(
        checkpoint__in=visible(Checkpoint, actor).values("pk")
    ).select_related("checkpoint", "created_by")


def linked_cases(*, actor: Any, patrol: Patrol) -> QuerySet[Case]:
    """The cases linked to a patrol that the actor may see (the others stay unnamed)."""
    return (
        visible(Case, actor)
        .filter(pk__in=patrol.cases.values("pk"))
        .select_related("owner_unit")
        .order_by("-detected_at")
    )


def participants_of(record: OperationRecord) -> QuerySet[OperationUnit]:
    return record.participants.select_related("unit", "force").order_by(
        "-role", "force__order", "unit__path"
    )


def communes_of(record: OperationRecord) -> QuerySet[AdministrativeArea]:
    return AdministrativeArea.objects.filter(pk__in=record.places.values("commune_id")).order_by(
        "name"
    )


# --- periods and areas --------------------------------------------------------------------


def in_area(qs: QuerySet[R], area: AdministrativeArea | None) -> QuerySet[R]:
    """Records of a province, or naming a commune (or the pre-2025 communes merged into it, or
    the communes of a pre-2025 district)."""
    if area is None:
        return qs
    # An operation's communes are rows of their own (its places): the province part of the
    # rule applies to the record, the commune part to those rows (`org.refs.area_q`).
    places = OperationCommune.objects.filter(
        area_q(area, by_province=False), content_type=ContentType.objects.get_for_model(qs.model)
    )
    return qs.filter(area_q(area, by_commune=False) | Q(pk__in=places.values("object_id")))


def records_in(
    qs: QuerySet[R],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: AdministrativeArea | None = None,
) -> QuerySet[R]:
    """Records of the period and area (see the module docstring for which date counts)."""
    operating = issubclass(qs.model, _OPERATING_KINDS)
    if start is not None:
        if operating:
            # Without an end date a checkpoint or zone is still operating.
            qs = qs.filter(Q(end_date__gte=start) | Q(end_date__isnull=True))
        else:
            qs = qs.filter(start_date__gte=start)
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    return in_area(qs, area)


def counts_in(
    checkpoints: QuerySet[Checkpoint],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[CheckpointCount]:
    """The daily counts of the given (visible) checkpoints dated within the period."""
    qs = CheckpointCount.objects.filter(checkpoint__in=checkpoints.order_by().values("pk"))
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    return qs


# --- figures ------------------------------------------------------------------------------


@dataclass
class ForceShare:
    """What one force did in a set of records: in how many it took part, what it committed."""

    records: int = 0
    personnel: int = 0
    vehicles: int = 0
    vessels: int = 0
    sorties: int = 0  # patrols only: the sorties of the patrols the force took part in

    @property
    def all_vehicles(self) -> int:
        """Lượt phương tiện in the report's sense: vehicles and boats together."""
        return self.vehicles + self.vessels


@dataclass
class Commitment:
    """Forces and means committed to a set of records, in total and by force code."""

    personnel: int = 0
    vehicles: int = 0
    vessels: int = 0
    by_force: dict[str, ForceShare] = field(default_factory=dict)

    @property
    def all_vehicles(self) -> int:
        return self.vehicles + self.vessels

    def force(self, code: str) -> ForceShare:
        return self.by_force.get(code, ForceShare())


def _commitment(qs: QuerySet[Any], *, sorties: dict[int, int] | None = None) -> Commitment:
    """One query over the units taking part in the records of `qs`."""
    rows = OperationUnit.objects.filter(
        content_type=ContentType.objects.get_for_model(qs.model),
        object_id__in=qs.order_by().values("pk"),
    ).values_list("object_id", "force__code", "personnel", "vehicles", "vessels")
    result = Commitment()
    records: dict[str, set[int]] = defaultdict(set)
    for object_id, code, personnel, vehicles, vessels in rows:
        share = result.by_force.setdefault(code, ForceShare())
        share.personnel += personnel
        share.vehicles += vehicles
        share.vessels += vessels
        records[code].add(object_id)
        result.personnel += personnel
        result.vehicles += vehicles
        result.vessels += vessels
    for code, ids in records.items():
        share = result.by_force[code]
        share.records = len(ids)
        if sorties is not None:
            share.sorties = sum(sorties.get(pk, 0) for pk in ids)
    return result


def _grouped(qs: QuerySet[Any], key: str) -> dict[str, int]:
    return {k: n for k, n in qs.order_by().values_list(key).annotate(n=Count("pk")) if k}


def _total(qs: QuerySet[Any], name: str) -> int:
    return int(qs.order_by().aggregate(total=Sum(name))["total"] or 0)


@dataclass
class ProtectionFigures:
    delegations: int = 0
    events: int = 0
    by_level: dict[str, int] = field(default_factory=dict)  # delegations by DelegationLevel
    by_category: dict[str, int] = field(default_factory=dict)  # events by EventCategory
    attendees: int = 0  # the size of the events protected
    incidents: int = 0
    commitment: Commitment = field(default_factory=Commitment)

    @property
    def total(self) -> int:
        return self.delegations + self.events


def protection_figures(qs: QuerySet[Protection]) -> ProtectionFigures:
    base = qs.order_by()
    targets = _grouped(base, "target")
    events = base.filter(target=ProtectionTarget.EVENT)
    totals = base.aggregate(incidents=Sum("incidents"))
    return ProtectionFigures(
        delegations=targets.get(ProtectionTarget.DELEGATION, 0),
        events=targets.get(ProtectionTarget.EVENT, 0),
        by_level=_grouped(base.filter(target=ProtectionTarget.DELEGATION), "delegation_level"),
        by_category=_grouped(events, "event_category"),
        attendees=_total(events, "event_size"),
        incidents=int(totals["incidents"] or 0),
        commitment=_commitment(base),
    )


@dataclass
class CheckpointTotal:
    checkpoint_id: int
    days: int
    vehicles: int
    people: int


@dataclass
class CheckpointFigures:
    checkpoints: int = 0
    by_purpose: dict[str, int] = field(default_factory=dict)
    days: int = 0  # checkpoint-days counted
    vehicles: int = 0  # lượt phương tiện
    people: int = 0  # lượt người
    by_checkpoint: dict[int, CheckpointTotal] = field(default_factory=dict)
    commitment: Commitment = field(default_factory=Commitment)


def checkpoint_figures(
    qs: QuerySet[Checkpoint], *, start: dt.date | None = None, end: dt.date | None = None
) -> CheckpointFigures:
    """Checkpoints of `qs` and their daily counts within [start, end] (all when not given)."""
    base = qs.order_by()
    counts = (
        counts_in(base, start=start, end=end)
        .order_by()
        .values_list("checkpoint_id")
        .annotate(days=Count("pk"), vehicles=Sum("vehicles"), people=Sum("people"))
    )
    by_checkpoint = {
        pk: CheckpointTotal(pk, days, int(vehicles or 0), int(people or 0))
        for pk, days, vehicles, people in counts
    }
    return CheckpointFigures(
        checkpoints=base.count(),
        by_purpose=_grouped(base, "purpose"),
        days=sum(t.days for t in by_checkpoint.values()),
        vehicles=sum(t.vehicles for t in by_checkpoint.values()),
        people=sum(t.people for t in by_checkpoint.values()),
        by_checkpoint=by_checkpoint,
        commitment=_commitment(base),
    )


@dataclass
class Qualified:
    """An entered count summed over records, with what the sum may say of itself
    (`phoihop.core.qualifiers`: exact values sum to an exact value)."""

    value: int | Decimal = 0
    qualifier: str = Qualifier.EXACT

    @staticmethod
    def of(rows: list[tuple[Any, str]]) -> Qualified:
        shown = [(v, q) for v, q in rows if v]
        total = sum((v for v, _q in shown), 0)
        return Qualified(total, combined(q for _v, q in shown))


def _qualified(qs: QuerySet[Any], name: str, key: str | None = None) -> dict[Any, Qualified]:
    """The sum of the count `name` with its qualifiers, by the field `key` (or "" for all)."""
    columns = [name, f"{name}_qualifier"] + ([key] if key else [])
    rows: dict[Any, list[tuple[Any, str]]] = defaultdict(list)
    for row in qs.order_by().values_list(*columns):
        rows[row[2] if key else ""].append((row[0], row[1]))
    return {k: Qualified.of(v) for k, v in rows.items()}


@dataclass
class ZoneFigures:
    zones: int = 0  # zones (a record stands for its zone_count)
    by_kind: dict[str, int] = field(default_factory=dict)  # zones (zone_count) by kind code
    qualified_by_kind: dict[str, Qualified] = field(default_factory=dict)
    people: int = 0
    people_qualified: Qualified = field(default_factory=Qualified)
    commitment: Commitment = field(default_factory=Commitment)


def zone_figures(qs: QuerySet[ProtectedZone]) -> ZoneFigures:
    """The zones by kind: a record stands for `zone_count` zones of its kind, and the sum keeps
    the qualifiers entered with them ("trên 120 khu phong tỏa")."""
    base = qs.order_by()
    by_kind = _qualified(base, "zone_count", "zone_kind")
    people = _qualified(base, "people").get("", Qualified())
    return ZoneFigures(
        zones=sum(int(v.value) for v in by_kind.values()),
        by_kind={k: int(v.value) for k, v in by_kind.items()},
        qualified_by_kind=by_kind,
        people=int(people.value),
        people_qualified=people,
        commitment=_commitment(base),
    )


@dataclass
class RouteTotal:
    patrols: int = 0
    sorties: int = 0
    violations: int = 0


@dataclass
class PatrolFigures:
    patrols: int = 0
    sorties: int = 0
    sorties_qualified: Qualified = field(default_factory=Qualified)
    violations: int = 0
    cases: int = 0  # distinct cases linked to the patrols (that the actor sees)
    by_route: dict[str, RouteTotal] = field(default_factory=dict)
    commitment: Commitment = field(default_factory=Commitment)


def patrol_figures(qs: QuerySet[Patrol], *, actor: Any) -> PatrolFigures:
    base = qs.order_by()
    rows = list(base.values_list("pk", "route", "sorties", "violations", "sorties_qualifier"))
    by_route: dict[str, RouteTotal] = {}
    sorties: dict[int, int] = {}
    for pk, route, count, violations, _qualifier in rows:
        total = by_route.setdefault(route, RouteTotal())
        total.patrols += 1
        total.sorties += count
        total.violations += violations
        sorties[pk] = count
    linked = (
        Patrol.cases.through.objects.filter(patrol_id__in=base.values("pk"))
        .filter(case_id__in=visible(Case, actor).values("pk"))
        .values("case_id")
        .distinct()
        .count()
    )
    return PatrolFigures(
        patrols=len(rows),
        sorties=sum(sorties.values()),
        sorties_qualified=Qualified.of([(row[2], row[4]) for row in rows]),
        violations=sum(t.violations for t in by_route.values()),
        cases=linked,
        by_route=by_route,
        commitment=_commitment(base, sorties=sorties),
    )


# The counts of a rescue entered with a qualifier, summed with theirs.
RESCUE_QUALIFIED = ("people_rescued", "people_evacuated", "civilian_vessels", "civilian_people")


@dataclass
class RescueFigures:
    incidents: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    people_rescued: int = 0
    people_evacuated: int = 0
    vessels_assisted: int = 0
    civilian_vessels: int = 0  # lượt tàu, thuyền of the population mobilised
    civilian_people: int = 0  # lượt người dân mobilised
    qualified: dict[str, Qualified] = field(default_factory=dict)  # by count name
    commitment: Commitment = field(default_factory=Commitment)


def rescue_figures(qs: QuerySet[Rescue]) -> RescueFigures:
    base = qs.order_by()
    by_kind = _grouped(base, "incident_kind")
    columns = [*RESCUE_QUALIFIED, *(f"{n}_qualifier" for n in RESCUE_QUALIFIED)]
    rows = list(base.values_list("vessels_assisted", *columns))
    width = len(RESCUE_QUALIFIED)
    qualified = {
        name: Qualified.of([(row[1 + i], row[1 + width + i]) for row in rows])
        for i, name in enumerate(RESCUE_QUALIFIED)
    }
    return RescueFigures(
        incidents=sum(by_kind.values()),
        by_kind=by_kind,
        people_rescued=int(qualified["people_rescued"].value),
        people_evacuated=int(qualified["people_evacuated"].value),
        vessels_assisted=sum(row[0] for row in rows),
        civilian_vessels=int(qualified["civilian_vessels"].value),
        civilian_people=int(qualified["civilian_people"].value),
        qualified=qualified,
        commitment=_commitment(base),
    )


@dataclass
class ExerciseFigures:
    exercises: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    participants: int = 0
    commitment: Commitment = field(default_factory=Commitment)


def exercise_figures(qs: QuerySet[Exercise]) -> ExerciseFigures:
    base = qs.order_by()
    by_kind = _grouped(base, "exercise_kind")
    return ExerciseFigures(
        exercises=sum(by_kind.values()),
        by_kind=by_kind,
        participants=_total(base, "participants_count"),
        commitment=_commitment(base),
    )


@dataclass
class DestroyedTotal:
    """One catalogue item destroyed: the exact sum in its canonical unit, with its qualifier."""

    item: CatalogueItem
    quantity: Decimal
    qualifier: str = Qualifier.EXACT


@dataclass
class DestructionFigures:
    destructions: int = 0
    by_item: dict[str, Decimal] = field(default_factory=dict)  # canonical quantity by item code
    items: list[DestroyedTotal] = field(default_factory=list)  # in the catalogue's order
    commitment: Commitment = field(default_factory=Commitment)


def destruction_figures(qs: QuerySet[Destruction]) -> DestructionFigures:
    """What was destroyed, by item, summed exactly (read here: SQLite sums decimals as floats)."""
    base = qs.order_by()
    rows: dict[int, list[tuple[Decimal, str]]] = defaultdict(list)
    count = 0
    for item_id, quantity, qualifier in base.values_list(
        "item_id", "quantity", "quantity_qualifier"
    ):
        count += 1
        rows[item_id].append((quantity, qualifier))
    items = CatalogueItem.objects.filter(pk__in=list(rows)).order_by("order", "name")
    totals = [
        DestroyedTotal(
            item,
            sum((q for q, _x in rows[item.pk]), Decimal(0)),
            combined(x for q, x in rows[item.pk] if q),
        )
        for item in items
    ]
    return DestructionFigures(
        destructions=count,
        by_item={t.item.code: t.quantity for t in totals},
        items=totals,
        commitment=_commitment(base),
    )


@dataclass
class OperationsFigures:
    """Every kind's figures for one period and area, as the actor sees them."""

    start: dt.date | None
    end: dt.date | None
    protection: ProtectionFigures
    checkpoints: CheckpointFigures
    zones: ZoneFigures
    patrols: PatrolFigures
    rescues: RescueFigures
    exercises: ExerciseFigures
    destructions: DestructionFigures


def operations_figures(
    *,
    actor: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: AdministrativeArea | None = None,
) -> OperationsFigures:
    def of(model: type[R]) -> QuerySet[R]:
        return records_in(visible(model, actor), start=start, end=end, area=area)

    return OperationsFigures(
        start=start,
        end=end,
        protection=protection_figures(of(Protection)),
        checkpoints=checkpoint_figures(of(Checkpoint), start=start, end=end),
        zones=zone_figures(of(ProtectedZone)),
        patrols=patrol_figures(of(Patrol), actor=actor),
        rescues=rescue_figures(of(Rescue)),
        exercises=exercise_figures(of(Exercise)),
        destructions=destruction_figures(of(Destruction)),
    )
