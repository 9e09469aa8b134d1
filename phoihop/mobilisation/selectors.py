"""Reads of mass mobilisation, all starting from the access rule, and the period figures.

Counting rules (list totals, the landing page, the report):
- a record belongs to the period of its first day (`start_date`, inclusive bounds), whatever
  its last day; a campaign belongs to every period its dates overlap;
- a record counts once in joint figures, however many units of however many forces took part;
  per force it is counted by its organising unit's force;
- a forum's opinions by topic are its recorded breakdown; what the breakdown leaves out of the
  total is "not classified" (`unclassified`);
- a propaganda record on several laws counts in the figures of each of its laws, and once in
  the totals;
- campaign coverage is the communes launched / the current communes of the campaign's province
  (level commune, current, whose parent is the province), launches counted up to the end of the
  period; handed-in items count in the period of the day they were handed in, summed per
  catalogue item in its canonical unit, exactly;
- everything is filtered by what the actor may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet, Sum

from phoihop.access.rules import get_visible, visible
from phoihop.cases.models import CatalogueItem
from phoihop.core.aggregates import exact_sum, exact_sums
from phoihop.mobilisation.enums import OpinionStatus, OpinionTopic, ProgrammeKind
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    ForumTopicCount,
    HandedInItem,
    Law,
    MobilisationRecord,
    Opinion,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea
from phoihop.org.refs import area_q

R = TypeVar("R", bound=MobilisationRecord)

_SHARE = Decimal("0.0001")


# --- lists and details --------------------------------------------------------------------------


def _listing(qs: QuerySet[R]) -> QuerySet[R]:
    return qs.select_related("owner_unit", "owner_unit__force", "province")


def forum_list(*, actor: Any) -> QuerySet[Forum]:
    return _listing(visible(Forum, actor)).select_related("commune")


def forum_get(*, actor: Any, public_id: Any) -> Forum:
    return get_visible(forum_list(actor=actor), actor, public_id=public_id)


def opinion_list(*, actor: Any) -> QuerySet[Opinion]:
    """An opinion is seen by whoever sees its forum."""
    return Opinion.objects.filter(forum__in=visible(Forum, actor).values("pk")).select_related(
        "forum", "assigned_unit", "answered_by"
    )


def propaganda_list(*, actor: Any) -> QuerySet[PropagandaSession]:
    return _listing(visible(PropagandaSession, actor)).select_related("commune")


def campaign_list(*, actor: Any) -> QuerySet[SurrenderCampaign]:
    return _listing(visible(SurrenderCampaign, actor)).select_related("area")


def launch_list(*, actor: Any) -> QuerySet[CampaignLaunch]:
    return CampaignLaunch.objects.filter(
        campaign__in=visible(SurrenderCampaign, actor).values("pk")
    ).select_related("campaign", "commune", "unit")


def handed_in_list(*, actor: Any) -> QuerySet[HandedInItem]:
    return HandedInItem.objects.filter(
        campaign__in=visible(SurrenderCampaign, actor).values("pk")
    ).select_related("campaign", "commune", "item")


def programme_list(*, actor: Any) -> QuerySet[SocialProgramme]:
    return _listing(visible(SocialProgramme, actor)).select_related("commune")


def laws() -> QuerySet[Law]:
    return Law.objects.filter(is_active=True)


def catalogue_items() -> QuerySet[CatalogueItem]:
    return CatalogueItem.objects.filter(is_active=True)


def area_communes(area: AdministrativeArea) -> QuerySet[AdministrativeArea]:
    """The communes of a province today: level commune, current, whose parent is the province."""
    return AdministrativeArea.objects.filter(
        level=AreaLevel.COMMUNE, parent=area, valid_until__isnull=True
    )


# --- periods and areas --------------------------------------------------------------------------


def records_in(
    qs: QuerySet[R],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: AdministrativeArea | None = None,
) -> QuerySet[R]:
    """Records whose first day is within [start, end] (inclusive), in the area.

    A province is matched by the record's province; a commune by its commune (and the pre-2025
    communes merged into it). Campaigns have no commune: use `campaigns_in`.
    """
    if start is not None:
        qs = qs.filter(start_date__gte=start)
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    return qs.filter(area_q(area))


def campaigns_in(
    qs: QuerySet[SurrenderCampaign],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: AdministrativeArea | None = None,
) -> QuerySet[SurrenderCampaign]:
    """Campaigns running at some time in [start, end], over the area's province."""
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    if start is not None:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if area is not None:
        province = area if area.level == AreaLevel.PROVINCE else area.province
        qs = qs.filter(Q(area=province) | Q(province=province))
    return qs


def _day_filter(name: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{name}__gte": start})
    if end is not None:
        q &= Q(**{f"{name}__lte": end})
    return q


def _commune_q(area: AdministrativeArea | None) -> Q:
    if area is None or area.level == AreaLevel.PROVINCE:
        return Q()
    return area_q(area)


# --- figures ------------------------------------------------------------------------------------


def _by_force(qs: QuerySet[Any], **sums: str) -> dict[str, dict[str, int]]:
    """{force code: {"records": n, <name>: sum, …}} grouped by the organising unit's force."""
    rows = (
        qs.order_by()
        .values("owner_unit__force__code")
        .annotate(records=Count("pk"), **{name: Sum(col) for name, col in sums.items()})
    )
    return {
        row["owner_unit__force__code"]: {
            "records": row["records"],
            **{name: row[name] or 0 for name in sums},
        }
        for row in rows
    }


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_SHARE, rounding=ROUND_HALF_UP)


@dataclass
class ForumFigures:
    forums: int = 0
    attendees: int = 0
    opinions: int = 0
    # Every topic in its declared order, 0 where none was recorded.
    by_topic: dict[str, int] = field(default_factory=dict)
    # Individual opinions recorded, by follow-up status.
    followed_up: dict[str, int] = field(default_factory=dict)
    by_force: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def classified(self) -> int:
        return sum(self.by_topic.values())

    @property
    def topic_rows(self) -> list[tuple[str, str, int]]:
        """(topic, label, opinions) for every topic, in order: what pages and documents show."""
        return [(t, str(OpinionTopic(t).label), n) for t, n in self.by_topic.items()]

    @property
    def unclassified(self) -> int:
        return self.opinions - self.classified


def forum_figures(forums: QuerySet[Forum]) -> ForumFigures:
    """The figures of a (visible, filtered) set of forums, in a fixed number of queries."""
    base = forums.order_by()
    totals = base.aggregate(n=Count("pk"), attendees=Sum("attendees"), opinions=Sum("opinions"))
    topics = dict(
        ForumTopicCount.objects.filter(forum__in=base.values("pk"))
        .order_by()
        .values_list("topic")
        .annotate(n=Sum("count"))
    )
    statuses = dict(
        Opinion.objects.filter(forum__in=base.values("pk"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return ForumFigures(
        forums=totals["n"] or 0,
        attendees=totals["attendees"] or 0,
        opinions=totals["opinions"] or 0,
        by_topic={topic: topics.get(topic, 0) for topic in OpinionTopic.values},
        followed_up={status: statuses.get(status, 0) for status in OpinionStatus.values},
        by_force=_by_force(base, attendees="attendees", opinions="opinions"),
    )


@dataclass
class LawFigures:
    law: Law
    records: int
    sessions: int
    attendees: int
    leaflets: int


@dataclass
class PropagandaFigures:
    records: int = 0
    sessions: int = 0
    attendees: int = 0
    leaflets: int = 0
    by_law: list[LawFigures] = field(default_factory=list)
    by_force: dict[str, dict[str, int]] = field(default_factory=dict)

    def law(self, code: str) -> LawFigures | None:
        return next((f for f in self.by_law if f.law.code == code), None)


def propaganda_figures(records: QuerySet[PropagandaSession]) -> PropagandaFigures:
    base = records.order_by()
    totals = base.aggregate(
        n=Count("pk"),
        sessions=Sum("sessions"),
        attendees=Sum("attendees"),
        leaflets=Sum("leaflets"),
    )
    through = PropagandaSession.laws.through
    rows = (
        through._default_manager.filter(propagandasession_id__in=base.values("pk"))
        .order_by()
        .values("law_id")
        .annotate(
            records=Count("propagandasession_id", distinct=True),
            sessions=Sum("propagandasession__sessions"),
            attendees=Sum("propagandasession__attendees"),
            leaflets=Sum("propagandasession__leaflets"),
        )
    )
    by_id = {row["law_id"]: row for row in rows}
    found = Law.all_objects.in_bulk(list(by_id))
    by_law = sorted(
        (
            LawFigures(
                law=found[pk],
                records=row["records"],
                sessions=row["sessions"] or 0,
                attendees=row["attendees"] or 0,
                leaflets=row["leaflets"] or 0,
            )
            for pk, row in by_id.items()
        ),
        key=lambda f: (f.law.order, f.law.name),
    )
    return PropagandaFigures(
        records=totals["n"] or 0,
        sessions=totals["sessions"] or 0,
        attendees=totals["attendees"] or 0,
        leaflets=totals["leaflets"] or 0,
        by_law=by_law,
        by_force=_by_force(base, sessions="sessions", attendees="attendees", leaflets="leaflets"),
    )


@dataclass
class Coverage:
    """One campaign's coverage: communes launched (up to the period's end) / communes."""

    campaign: SurrenderCampaign
    communes: int
    launched: int
    launched_in_period: int

    @property
    def share(self) -> Decimal | None:
        return _share(self.launched, self.communes)


@dataclass
class HandedInTotal:
    item: CatalogueItem
    quantity: Decimal


@dataclass
class CampaignFigures:
    campaigns: list[Coverage] = field(default_factory=list)
    handed_in: list[HandedInTotal] = field(default_factory=list)
    # Communes of the area where some visible campaign was launched by the period's end, over
    # the communes of the area (None when the figures are not for one province).
    communes: int | None = None
    launched: int | None = None

    @property
    def share(self) -> Decimal | None:
        if self.communes is None or self.launched is None:
            return None
        return _share(self.launched, self.communes)

    def handed_in_of(self, code: str) -> Decimal:
        return next((t.quantity for t in self.handed_in if t.item.code == code), Decimal(0))


def handed_in_totals(rows: QuerySet[HandedInItem]) -> list[HandedInTotal]:
    sums = exact_sums(rows, value="quantity", by="item_id")
    items = CatalogueItem.all_objects.in_bulk(list(sums))
    totals = [HandedInTotal(items[pk], qty) for pk, qty in sums.items() if qty]
    return sorted(totals, key=lambda t: (t.item.order, t.item.name))


def campaign_figures(
    campaigns: QuerySet[SurrenderCampaign],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: AdministrativeArea | None = None,
) -> CampaignFigures:
    """Coverage of each (visible, filtered) campaign and what was handed in during [start, end].

    With a province `area`, also the share of its communes where a campaign was launched.
    """
    chosen = list(campaigns.order_by("start_date", "pk").select_related("area"))
    ids = [c.pk for c in chosen]
    launches = CampaignLaunch.objects.filter(campaign_id__in=ids)
    if end is not None:
        launches = launches.filter(launched_on__lte=end)
    area_ids = {c.area_id for c in chosen}
    current = area_communes_ids(area_ids)
    launched: dict[int, set[int]] = defaultdict(set)
    in_period: dict[int, int] = defaultdict(int)
    for campaign_id, commune_id, day in launches.order_by().values_list(
        "campaign_id", "commune_id", "launched_on"
    ):
        launched[campaign_id].add(commune_id)
        if start is None or day >= start:
            in_period[campaign_id] += 1
    coverage = [
        Coverage(
            campaign=c,
            communes=len(current.get(c.area_id, set())),
            launched=len(launched[c.pk] & current.get(c.area_id, set())),
            launched_in_period=in_period[c.pk],
        )
        for c in chosen
    ]
    rows = HandedInItem.objects.filter(
        Q(campaign_id__in=ids) & _day_filter("handed_in_on", start, end) & _commune_q(area)
    )
    figures = CampaignFigures(campaigns=coverage, handed_in=handed_in_totals(rows))
    if area is not None and area.level == AreaLevel.PROVINCE:
        province_communes = current_communes_of(area)
        reached = (
            set().union(*(launched[c.pk] for c in chosen if c.area_id == area.pk))
            if chosen
            else set()
        )
        figures.communes = len(province_communes)
        figures.launched = len(reached & province_communes)
    return figures


def area_communes_ids(area_ids: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for parent_id, pk in AdministrativeArea.objects.filter(
        level=AreaLevel.COMMUNE, parent_id__in=area_ids, valid_until__isnull=True
    ).values_list("parent_id", "pk"):
        found[parent_id].add(pk)
    return found


def current_communes_of(area: AdministrativeArea) -> set[int]:
    return set(area_communes(area).values_list("pk", flat=True))


def handed_in_by_commune(
    rows: QuerySet[HandedInItem],
) -> dict[int, list[HandedInTotal]]:
    """{commune id: totals per item} of the given rows."""
    grouped: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for commune_id, item_id, quantity in rows.order_by().values_list(
        "commune_id", "item_id", "quantity"
    ):
        grouped[(commune_id, item_id)] += quantity
    items = CatalogueItem.all_objects.in_bulk({item_id for _c, item_id in grouped})
    result: dict[int, list[HandedInTotal]] = defaultdict(list)
    for (commune_id, item_id), quantity in grouped.items():
        result[commune_id].append(HandedInTotal(items[item_id], quantity))
    for totals in result.values():
        totals.sort(key=lambda t: (t.item.order, t.item.name))
    return dict(result)


@dataclass
class ProgrammeFigures:
    records: int = 0
    beneficiaries: int = 0
    value: Decimal = Decimal(0)
    # Every programme kind in its declared order: {"records", "beneficiaries", "value"}.
    by_kind: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_force: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def kind_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [(k, str(ProgrammeKind(k).label), v) for k, v in self.by_kind.items()]


def programme_figures(records: QuerySet[SocialProgramme]) -> ProgrammeFigures:
    base = records.order_by()
    totals = base.aggregate(n=Count("pk"), beneficiaries=Sum("beneficiaries"))
    counts = {
        row["kind"]: row
        for row in base.values("kind").annotate(n=Count("pk"), beneficiaries=Sum("beneficiaries"))
    }
    values = exact_sums(base, value="value", by="kind")
    return ProgrammeFigures(
        records=totals["n"] or 0,
        beneficiaries=totals["beneficiaries"] or 0,
        value=exact_sum(base, value="value"),
        by_kind={
            kind: {
                "records": counts.get(kind, {}).get("n", 0),
                "beneficiaries": counts.get(kind, {}).get("beneficiaries", 0) or 0,
                "value": values.get(kind, Decimal(0)),
            }
            for kind in ProgrammeKind.values
        },
        by_force=_by_force(base, beneficiaries="beneficiaries"),
    )


# --- everything for a period --------------------------------------------------------------------


@dataclass
class MobilisationFigures:
    start: dt.date | None
    end: dt.date | None
    area: AdministrativeArea | None
    forums: ForumFigures
    propaganda: PropagandaFigures
    campaigns: CampaignFigures
    programmes: ProgrammeFigures


def mobilisation_figures(
    *,
    actor: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: AdministrativeArea | None = None,
) -> MobilisationFigures:
    """Every mobilisation figure of the period and area, within the actor's visibility."""
    return MobilisationFigures(
        start=start,
        end=end,
        area=area,
        forums=forum_figures(records_in(visible(Forum, actor), start=start, end=end, area=area)),
        propaganda=propaganda_figures(
            records_in(visible(PropagandaSession, actor), start=start, end=end, area=area)
        ),
        campaigns=campaign_figures(
            campaigns_in(visible(SurrenderCampaign, actor), start=start, end=end, area=area),
            start=start,
            end=end,
            area=area,
        ),
        programmes=programme_figures(
            records_in(visible(SocialProgramme, actor), start=start, end=end, area=area)
        ),
    )
