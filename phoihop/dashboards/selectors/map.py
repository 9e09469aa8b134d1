"""The map of the user's province: a figure by province (choropleth), the records of every map
figure placed by commune, and the hotspots of the chosen figure.

A map figure is a registry figure (`MAP_KEYS`); where its records happened (`Source.communes`,
`province`, their own `position`) is the owning module's declaration. A commune is drawn at its
administrative centre where it has one, else each record at its own coordinates where it has
them; what cannot be placed is listed by commune, and what names no commune at all
(province-wide records) apart. Pre-2025 communes are placed at the commune they became.

Queries are bounded whatever the volume: per source one grouped query for the choropleth, one
read of (record, commune) for the places and one of the records listed (at most
`PLACE_RECORDS` per commune), one grouped query for the hotspots' periods.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OrderBy, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core import figures as registry
from phoihop.core import formats
from phoihop.dashboards.hotspots import Hotspot, HotspotRule, find_hotspots
from phoihop.dashboards.selectors.filters import Filters, figure_url
from phoihop.dashboards.selectors.trends import grouped
from phoihop.indicators.periods import Period
from phoihop.org.models import AdministrativeArea

PLACE_RECORDS = 10  # records listed in a place's popup, per figure
MAX_OWN_MARKERS = 2000  # records drawn at their own coordinates, newest first

# The figures a map can colour and look for hotspots in.
MAP_FIGURES: dict[str, Any] = {
    "cases": gettext_lazy("Vụ việc"),
    "operations": gettext_lazy("Hoạt động phối hợp"),
    "overdue": gettext_lazy("Thông tin quá hạn xác nhận"),
}
# The same, as the rule's text counts them ("từ 3 vụ việc trở lên").
_FIGURE_UNITS: dict[str, Any] = {
    "cases": gettext_lazy("vụ việc"),
    "operations": gettext_lazy("hoạt động phối hợp"),
    "overdue": gettext_lazy("lượt thông tin quá hạn xác nhận"),
}
# The registry figure whose records each map figure places, and how a popup names them.
MAP_KEYS = {"cases": "cases.count", "operations": "operations.count", "overdue": "exchange.overdue"}
_RECORD_KINDS = {"cases": "case", "operations": "operation", "overdue": "overdue"}


@dataclass
class _Place:
    commune: AdministrativeArea
    counts: dict[str, int] = field(default_factory=lambda: {k: 0 for k in MAP_FIGURES})
    records: list[dict[str, str]] = field(default_factory=list)
    own: list[dict[str, Any]] = field(default_factory=list)  # records with their own coordinates


def _communes(ids: Iterable[int | None]) -> dict[int, AdministrativeArea]:
    """Current communes by id, old (merged) communes mapped to the commune they became."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    areas = AdministrativeArea.objects.filter(pk__in=wanted).select_related("parent")
    result: dict[int, AdministrativeArea] = {}
    old: list[int] = []
    for area in areas:
        if area.valid_until is None:
            result[area.pk] = area
        else:
            old.append(area.pk)
    if old:
        for area in (
            AdministrativeArea.objects.filter(predecessors__in=old, valid_until__isnull=True)
            .select_related("parent")
            .annotate(old_id=F("predecessors"))
        ):
            result.setdefault(area.old_id, area)
    return result


@dataclass
class MapData:
    filters: Filters
    figure: str
    choropleth: dict[str, int] = field(default_factory=dict)  # province code -> value
    places: list[_Place] = field(default_factory=list)
    hotspots: list[tuple[AdministrativeArea, Hotspot]] = field(default_factory=list)
    # Records of the period that name no commune at all (province-wide ones).
    nowhere: dict[str, int] = field(default_factory=lambda: {k: 0 for k in MAP_FIGURES})
    rule: HotspotRule = field(default_factory=HotspotRule.from_settings)

    @property
    def rule_text(self) -> str:
        return self.rule.text(str(_FIGURE_UNITS[self.figure]))

    def as_json(self) -> dict[str, Any]:
        places: list[dict[str, Any]] = []
        unplaced: list[dict[str, Any]] = []
        for place in self.places:
            drawn = list(_place_json(place))
            places += drawn
            shown = {k: sum(p["counts"][k] for p in drawn) for k in MAP_FIGURES}
            left = {k: place.counts[k] - shown[k] for k in MAP_FIGURES}
            if any(left.values()):
                unplaced.append(
                    {
                        "commune": place.commune.name,
                        "commune_code": place.commune.code,
                        "counts": left,
                        "url": _records_url(left, _with_area(self.filters, place.commune)),
                    }
                )
        if any(self.nowhere.values()):
            unplaced.append(
                {
                    "commune": _("Không ghi xã, phường (cả tỉnh)"),
                    "commune_code": "",
                    "counts": dict(self.nowhere),
                    "url": _records_url(self.nowhere, self.filters),
                }
            )
        return {
            "period": {"key": self.filters.period.key, "label": self.filters.period.label},
            "figure": {"key": self.figure, "label": str(MAP_FIGURES[self.figure])},
            "choropleth": {
                code: {"value": value, "display": formats.number(value)}
                for code, value in self.choropleth.items()
            },
            "places": places,
            "unplaced": unplaced,
            "hotspots": self._hotspots_json(),
            "hotspot_rule": self.rule_text,
        }

    def _hotspots_json(self) -> list[dict[str, Any]]:
        centres = {p.commune.pk: p.commune for p in self.places}
        return [
            {
                "commune": area.name,
                "commune_code": area.code,
                "value": spot.value,
                "baseline": formats.number(spot.baseline),
                "lat": _float(centres.get(area.pk, area).latitude),
                "lng": _float(centres.get(area.pk, area).longitude),
            }
            for area, spot in self.hotspots
        ]


def _place_json(place: _Place) -> Iterator[dict[str, Any]]:
    """One marker at the commune's centre, else one per record with its own coordinates."""
    commune = place.commune
    if commune.latitude is not None and commune.longitude is not None:
        yield {
            "lat": float(commune.latitude),
            "lng": float(commune.longitude),
            "source": "centre",
            "commune": commune.name,
            "commune_code": commune.code,
            "counts": place.counts,
            "records": place.records,
            "more": max(0, sum(place.counts.values()) - len(place.records)),
        }
        return
    for own in place.own:
        yield {
            "lat": own["lat"],
            "lng": own["lng"],
            "source": "record",
            "commune": commune.name,
            "commune_code": commune.code,
            "counts": {k: int(k == own["figure"]) for k in MAP_FIGURES},
            "records": [own["record"]],
            "more": 0,
        }


def _records_url(counts: dict[str, int], filters: Filters) -> str:
    """The records page of the first figure the counts hold."""
    figure = next((k for k, n in counts.items() if n), "cases")
    return figure_url(MAP_KEYS[figure], filters)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _with_area(filters: Filters, area: AdministrativeArea) -> Filters:
    return dataclasses.replace(filters, area=area)


# --- one map figure -----------------------------------------------------------------------------


@dataclass
class _Layer:
    """The records of one map figure by the commune they name (as recorded, maybe pre-2025)."""

    figure: str
    counts: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    listed: dict[int, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    own: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    nowhere: int = 0

    def popup(self, source: registry.Source, record: Any) -> dict[str, str]:
        assert source.row is not None
        row = source.row(record)
        label = source.label if self.figure == "operations" else MAP_FIGURES[self.figure]
        kind = _RECORD_KINDS[self.figure]
        return {"kind": kind, "kind_label": str(label), "title": row.title, "url": row.url}

    def add(self, source: registry.Source, records: QuerySet[Any]) -> None:
        """Count the records by commune and list the newest of each commune (and those with
        their own coordinates): the same two queries (three with coordinates) whatever the
        records."""
        by_commune = records.order_by().values_list(source.communes)
        for commune, n in by_commune.annotate(n=Count("pk", distinct=True)):
            if commune is None:
                self.nowhere += n
            else:
                self.counts[commune] += n
        for record in _newest_by_commune(source, records):
            commune = record.map_commune
            if commune is not None and len(self.listed[commune]) < PLACE_RECORDS:
                self.listed[commune].append(self.popup(source, record))
        for record in _own(source, records):
            lat, lng = (getattr(record, name) for name in source.position or ())
            marker = {"figure": self.figure, "lat": float(lat), "lng": float(lng)}
            self.own.append((record.map_commune, {**marker, "record": self.popup(source, record)}))


def _newest(source: registry.Source) -> list[OrderBy]:
    return [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in source.newest]


def _newest_by_commune(source: registry.Source, records: QuerySet[Any]) -> QuerySet[Any]:
    """At most `PLACE_RECORDS` records per commune they name, newest first (a window function:
    one query, not one per commune)."""
    ranked = records.annotate(
        map_commune=F(source.communes),
        rank=Window(RowNumber(), partition_by=[F(source.communes)], order_by=_newest(source)),
    )
    return (
        ranked.filter(rank__lte=PLACE_RECORDS)
        .select_related(*source.related)
        .order_by("map_commune", "rank")
    )


def _own(source: registry.Source, records: QuerySet[Any]) -> QuerySet[Any]:
    """The newest records placed at their own coordinates (`MAX_OWN_MARKERS` at most)."""
    if source.position is None:
        return records.none()
    lat, _lng = source.position
    placed = records.filter(**{f"{source.communes}__isnull": False, f"{lat}__isnull": False})
    return source.listing(placed.annotate(map_commune=F(source.communes)))[:MAX_OWN_MARKERS]


def _layer(figure: str, scope: registry.Scope) -> _Layer:
    layer = _Layer(figure)
    for source, records in registry.parts(MAP_KEYS[figure], scope):
        layer.add(source, records)
    return layer


def _choropleth(figure: str, scope: registry.Scope) -> dict[str, int]:
    values: dict[str, int] = defaultdict(int)
    for source, records in registry.parts(MAP_KEYS[figure], scope):
        for code, n in (
            records.order_by().values_list(source.province).annotate(n=Count("pk", distinct=True))
        ):
            if code:
                values[code] += n
    return dict(values)


def commune_counts(
    *, actor: Any, filters: Filters, figure: str, periods: list[Period]
) -> dict[int, list[int]]:
    """commune id (as recorded, possibly pre-2025) -> the figure in each period: one grouped
    query per source, whatever the number of communes."""
    windows = [p.window(filters.window_rule) for p in periods]
    span = filters.scope(actor).over(min(w[0] for w in windows), max(w[1] for w in windows))
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(periods))
    for source, records in registry.parts(MAP_KEYS[figure], span):
        for index, commune, n in grouped(source, records, windows, source.communes):
            if commune is not None:
                counts[commune][index] += n
    return dict(counts)


def _places(layers: list[_Layer], communes: dict[int, AdministrativeArea]) -> list[_Place]:
    """The layers' records by current commune, the busiest first."""
    places: dict[int, _Place] = {}
    for layer in layers:
        for recorded_id, n in layer.counts.items():
            commune = communes.get(recorded_id)
            if commune is None:
                continue
            place = places.setdefault(commune.pk, _Place(commune))
            place.counts[layer.figure] += n
            place.records += layer.listed.get(recorded_id, [])
    for layer in layers:
        for recorded_id, marker in layer.own:
            commune = communes.get(recorded_id)
            if commune is not None and commune.pk in places:
                places[commune.pk].own.append(marker)
    return sorted(places.values(), key=lambda p: (-sum(p.counts.values()), p.commune.name))


def _hotspots(
    series: dict[int, list[int]], communes: dict[int, AdministrativeArea], rule: HotspotRule
) -> list[tuple[AdministrativeArea, Hotspot]]:
    """The chosen figure of each current commune over the periods, against its own baseline."""
    by_commune: dict[int, list[int]] = {}
    for recorded_id, values in series.items():
        commune = communes.get(recorded_id)
        if commune is None:
            continue
        total = by_commune.setdefault(commune.pk, [0] * len(values))
        for index, n in enumerate(values):
            total[index] += n
    area_by_pk = {c.pk: c for c in communes.values()}
    return [(area_by_pk[spot.key], spot) for spot in find_hotspots(by_commune, rule)]


def map_data(*, actor: Any, filters: Filters, figure: str = "cases") -> MapData:
    """The choropleth of `figure` by province, the places of every figure by commune, and the
    hotspots of `figure` — all from the records `actor` may see."""
    if figure not in MAP_FIGURES:
        figure = "cases"
    scope = filters.scope(actor)
    result = MapData(filters=filters, figure=figure, choropleth=_choropleth(figure, scope))
    layers = [_layer(name, scope) for name in MAP_FIGURES]
    for layer in layers:
        result.nowhere[layer.figure] += layer.nowhere
    periods = [filters.period]
    while len(periods) <= result.rule.baseline_periods:
        periods.append(periods[-1].previous)
    series = commune_counts(actor=actor, filters=filters, figure=figure, periods=periods)
    recorded = {c for layer in layers for c in [*layer.counts, *(c for c, _m in layer.own)]}
    communes = _communes(recorded | set(series))
    result.places = _places(layers, communes)
    result.hotspots = _hotspots(series, communes, result.rule)
    return result
