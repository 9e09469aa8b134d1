"""One registry of figures: every number the indicators, the coordination report and the
dashboard show is declared once, by the app that owns its records.

The rule
--------
A domain app declares its figures in its own `figures.py` (found at start-up by `discover`):
for each kind of record it counts, a `Source` — how to find those records for a `Scope`, how a
record is listed, the page listing them, and where and when a record happened (what the
dashboard's trends and map group it by) — and on it the figures: key, Vietnamese label, unit,
kind (`FigureKind`), order, whether the coordination report shows it (`report=True`) and whether
it is also a derived indicator of the catalogue (`derived=Derived(...)`). Nobody else defines a
figure: `reports`, `dashboards` and `indicators` read them here, by key, and import no other
app's models (tests/core/test_layers.py).

A `Scope` is who asks (`actor`: every read starts from the access rule, through the app's
selectors), the period (`start`, `end`, both days inclusive), and optionally an area, a unit
whose subtree owns the records, and the dashboard's filters (force, case category and domain).
Reading a figure gives a `Measure`: its value AND the records behind it (a lazy queryset, and
their public ids), so the report's provenance, the dashboard's "records behind this figure" and
the indicator's value all come from the same place.

Most figures are declarative: a count of the source's records under a condition (`where`), a
sum of one of their integer fields (`total`), or a share of two counts (`share_of`). All the
declarative figures of one source are computed together, from one aggregate whatever the
number of records (and, when provenance is asked for, one more query for the public ids of
every figure at once). A family (`Source.family`) is a figure per value of a field
(`cases.category.drugs`, …); its members are addressed by key like any other figure. What a
condition cannot say (persons under the counting rule, exact sums of seized quantities) is a
`provider`: a function computing a group of figures together, with a bounded number of queries.

A figure that has nothing to measure in a scope may be left out (`emit`): a family member or a
count that is zero ("nonzero"), the figures of a kind with no record at all ("records"), a
share of nothing. Readers take a left-out figure as zero; the report leaves it out.

Adding a figure
---------------
One change, in the app that owns the records. Say the patrols should count their seizures of
vessels (a field `vessels_seized` on `Patrol`)::

    # phoihop/operations/figures.py
    VESSELS_SEIZED = PATROLS.figure(
        "patrols.vessels_seized",
        _("Phương tiện thủy bị bắt giữ qua tuần tra"),
        unit=_("phương tiện"),
        total="vessels_seized",
        order=345,
        report=True,  # the report's patrol section lists it
        derived=Derived("Số phương tiện thủy bắt giữ qua tuần tra", unit="phương tiện"),
    )

The report shows it in its section (its key starts with "patrols."), the catalogue gets the
derived indicator `patrols.vessels_seized` at the next `migrate` or `sync_indicators`, and
`measures(scope, keys=["patrols.vessels_seized"])` gives the value and the patrols behind it
to anyone else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal
from urllib.parse import urlencode

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise

Number = int | Decimal
Text = str | Promise
Condition = Q | Callable[["Scope"], Q]
Emit = Literal["always", "nonzero", "records"]

_PERCENT = Decimal("0.1")


class FigureKind(enum.StrEnum):
    COUNT = "count"  # whole records or people: "01 tổ chức", "3.429 ý kiến"
    QUANTITY = "quantity"  # catalogue quantities: "11,09 gam heroin"
    PERCENT = "percent"  # a share already in percent: "100%"
    AMOUNT = "amount"  # đồng


@dataclass(frozen=True)
class Scope:
    """Whose records, seen by whom, over which days.

    `unit`: only records owned by that unit or a unit below it (a submission's figures); `area`:
    a province or a commune (with the pre-2025 communes merged into it); `force`, `category`,
    `domain`: the dashboard's filters, each source applying those that concern it; `period`: the
    reporting period the days are a window of, when there is one (submissions are owed per
    period); `as_of`: the moment "overdue" is measured at (default: now).
    """

    actor: Any
    start: dt.date
    end: dt.date
    area: Any = None
    unit: Any = None
    force: Any = None
    category: str = ""
    domain: str = ""
    period: Any = None
    as_of: dt.datetime | None = None

    @property
    def now(self) -> dt.datetime:
        return self.as_of or timezone.now()

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, the day after end 00:00) in local time: the days as instants."""
        zone = timezone.get_current_timezone()
        low = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        high = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return low, high

    def within(self, qs: QuerySet[Any], field: str = "owner_unit") -> QuerySet[Any]:
        """`qs` narrowed to records whose `field` (a unit) is the scope's unit or below it."""
        if self.unit is None:
            return qs
        return qs.filter(**{f"{field}__path__startswith": self.unit.path})

    def narrow(
        self, qs: QuerySet[Any], by: Callable[..., QuerySet[Any]], field: str = "owner_unit"
    ) -> QuerySet[Any]:
        """A selector's records narrowed to the scope: the unit's subtree (`field`), then the
        period and area by the app's own rule `by(qs, start=, end=, area=)`."""
        return by(self.within(qs, field), start=self.start, end=self.end, area=self.area)

    def over(self, start: dt.date, end: dt.date, period: Any = None) -> Scope:
        """The same scope over other days."""
        return dataclasses.replace(self, start=start, end=end, period=period)


@dataclass(frozen=True)
class Derived:
    """A figure that is also a derived indicator of the catalogue: the catalogue row's name,
    unit and rules (what forms and submissions point at). `code` defaults to the figure's key."""

    name: str
    unit: str
    code: str = ""
    value_kind: str = "count"
    aggregation: str = "sum"
    description: str = ""
    order: int | None = None


@dataclass(frozen=True)
class RecordRow:
    """One record behind a figure, as a list shows it."""

    title: str
    url: str
    when: str = ""
    detail: str = ""


def page_link(url_name: str, url_kwargs: dict[str, Any] | None = None, /, **query: Any) -> str:
    """A page's path with a query string (empty values left out); "" if no such page."""
    try:
        path = reverse(url_name, kwargs=url_kwargs)
    except NoReverseMatch:
        return ""
    cleaned = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{path}?{urlencode(cleaned)}" if cleaned else path


def scope_page(
    url_name: str, url_kwargs: dict[str, Any] | None = None, /, *, by_force: bool = True
) -> Page:
    """A list page filtered to the scope: its period (ISO dates: the filters read them in any
    language), its area and, where the list filters by force, its force."""

    def page(scope: Scope, **query: str) -> str:
        force = {"force": scope.force.code if scope.force is not None else ""} if by_force else {}
        return page_link(
            url_name,
            url_kwargs,
            start=scope.start.isoformat(),
            end=scope.end.isoformat(),
            area=scope.area.code if scope.area is not None else "",
            **force,
            **query,
        )

    return page


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, one decimal (half up); None without a whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(_PERCENT, rounding=ROUND_HALF_UP)


# --- declarations -------------------------------------------------------------------------------


Page = Callable[..., str]  # (scope, **query) -> the list page filtered to the scope


@dataclass(frozen=True, eq=False)
class Figure:
    """One number about the records of a source: `key` ("cases.count") is how everyone asks for
    it, `label` and `unit` ("vụ") how it is written, `kind` how its value is formatted, `order`
    where it comes among the others. Declarative unless a provider computes it (see the module
    docstring); `report`: the coordination report shows it; `derived`: it is also a derived
    indicator of the catalogue; `query`: the list page's own filters for its records
    (`{"target": "delegation"}`); `parts`: a total over several sources (`total()`)."""

    key: str
    label: Text
    unit: Text = ""
    kind: FigureKind = FigureKind.COUNT
    order: int = 0
    source: Source | None = None
    where: Condition | None = None  # declarative: the records counted (None: all)
    total: str = ""  # declarative: the integer field summed instead of counting
    share_of: Condition | None = None  # declarative: the percent of these the `where` ones are
    emit: Emit = "always"
    report: bool = False
    derived: Derived | None = None
    note: Text = ""  # what the number counts, when the label alone could mislead
    query: tuple[tuple[str, str], ...] = ()  # the list page's own filters for these records
    parts: tuple[Source, ...] = ()  # a total over several sources' records
    provider: Provider | None = None

    @property
    def declarative(self) -> bool:
        return self.provider is None and not self.parts

    def link(self, scope: Scope) -> str:
        """The list page of the records behind the figure, filtered to the scope ("" for a
        total over several sources: no one page lists them)."""
        if self.source is None or self.source.page is None:
            return ""
        try:
            return self.source.page(scope, **dict(self.query))
        except NoReverseMatch:
            return ""

    def condition(self, scope: Scope) -> Q:
        return _resolve(self.where, scope)


@dataclass(frozen=True, eq=False)
class Family:
    """A figure per value: `cases.category.drugs`, `cases.seized.heroin`… Declarative when `by`
    names the field whose values split the records (`values` lists them, with their names, in
    order); else a provider makes the members."""

    prefix: str
    source: Source
    label: Callable[[Text], Text] | None = None  # from the value's name; None: the name
    unit: Text = ""
    kind: FigureKind = FigureKind.COUNT
    order: int = 0
    report: bool = False
    emit: Emit = "nonzero"
    by: str = ""
    values: Callable[[], Iterable[tuple[Any, Text]]] | None = None
    query: str = ""  # the list page's filter taking the value
    derived: dict[str, Derived] = field(default_factory=dict)
    provider: Provider | None = None

    def key(self, value: Any) -> str:
        return f"{self.prefix}.{value}"

    def member(self, value: Any, name: Text = "", *, label: Text = "", unit: Text = "") -> Figure:
        """The figure of one value; `label`/`unit` when they depend on the record (an item)."""
        return Figure(
            key=self.key(value),
            label=label or (self.label(name) if self.label is not None else name) or str(value),
            unit=unit or self.unit,
            kind=self.kind,
            order=self.order,
            source=self.source,
            where=Q(**{self.by: value}) if self.by else None,
            emit=self.emit,
            report=self.report,
            derived=self.derived.get(str(value)),
            query=((self.query, str(value)),) if self.query else (),
            provider=self.provider,
        )

    def derive(self, value: str, derived: Derived) -> None:
        """Make the member of `value` a derived indicator too."""
        self.derived[value] = derived
        _REGISTRY.add_derived(self, value)

    def derive_quantities(
        self,
        items: Sequence[tuple[str, str, str]],
        *,
        whole: Iterable[str],
        order: int,
        description: str,
        code: str = "",
    ) -> None:
        """Make catalogue items' members derived indicators, in the order the periodic forms
        ask for them: `items` are (catalogue code, indicator name, canonical unit); units in
        `whole` count whole things, the others are decimal; `description` and `code` are
        formatted with the item's `unit` and catalogue `value`."""
        counted = set(whole)
        for position, (value, name, unit) in enumerate(items):
            self.derive(
                value,
                Derived(
                    name,
                    unit,
                    code=code.format(value=value),
                    value_kind="count" if unit in counted else "decimal",
                    description=description.format(unit=unit),
                    order=order + position * 10,
                ),
            )

    def members(self) -> list[Figure]:
        assert self.values is not None
        return [self.member(value, name) for value, name in self.values()]


@dataclass(eq=False)
class Provider:
    """A group of figures of one source computed together by `compute(records, scope, out)`."""

    source: Source
    compute: Callable[[Any, Scope, Results], None]  # the source's records (a queryset…)
    figures: tuple[Figure | Family, ...] = ()


class Source:
    """One kind of record the figures count, as found for a scope.

    `select(scope)` is the one place the scope is applied to these records (the access rule
    through the app's selector, the period by the record's own date, area, unit, filters).
    The rest tells the lists, trends and map how to show and group them: `row` makes a list
    row of a record (`related`, `newest` load and order them), `page(scope, **query)` is the
    app's list page; `dated` is the field putting a record in a period (a datetime if
    `instant`; with `until`, a record counts in every period it operates in), `communes` and
    `province` where it happened, `forces` the forces taking part, `position` its own
    coordinates, `ids` the public id naming it in a provenance.
    """

    def __init__(
        self,
        key: str,
        *,
        label: Text,
        select: Callable[[Scope], Any],
        row: Callable[[Any], RecordRow] | None = None,
        page: Page | None = None,
        related: Sequence[str] = (),
        newest: Sequence[str] = ("-pk",),
        dated: str = "",
        instant: bool = False,
        until: str = "",
        communes: str = "",
        province: str = "",
        forces: str = "",
        position: tuple[str, str] | None = None,
        ids: str = "public_id",
    ) -> None:
        self.key = key
        self.label = label
        self.select = select
        self.row = row
        self.page = page
        self.related = tuple(related)
        self.newest = tuple(newest)
        self.dated = dated
        self.instant = instant
        self.until = until
        self.communes = communes
        self.province = province
        self.forces = forces
        self.position = position
        self.ids = ids
        self.figures: list[Figure] = []
        self.families: list[Family] = []
        _REGISTRY.add_source(self)

    def __repr__(self) -> str:
        return f"<Source {self.key}>"

    def records(self, scope: Scope) -> Any:
        return self.select(scope)

    def listing(self, records: QuerySet[Any]) -> QuerySet[Any]:
        """The records as a list page shows them: newest first, with what a row reads."""
        return records.select_related(*self.related).order_by(*self.newest)

    def in_window(self, start: dt.date, end: dt.date) -> Q:
        """The records this source dates within [start, end] (days, inclusive)."""
        if self.until:
            return (Q(**{f"{self.until}__gte": start}) | Q(**{f"{self.until}__isnull": True})) & Q(
                **{f"{self.dated}__lte": end}
            )
        if self.instant:
            low, high = Scope(None, start, end).bounds
            return Q(**{f"{self.dated}__gte": low, f"{self.dated}__lt": high})
        return Q(**{f"{self.dated}__gte": start, f"{self.dated}__lte": end})

    def figure(self, key: str, label: Text, **options: Any) -> Figure:
        """Declare a figure of these records (see `Figure`; `query` as a dict)."""
        if "query" in options:
            options["query"] = tuple(options["query"].items())
        figure = Figure(key=key, label=label, source=self, **options)
        self.figures.append(figure)
        _REGISTRY.add_figure(figure)
        return figure

    def family(self, prefix: str, **options: Any) -> Family:
        family = Family(prefix=prefix, source=self, **options)
        self.families.append(family)
        _REGISTRY.add_family(family)
        return family

    def provider(
        self, *figures: Figure | Family
    ) -> Callable[[Callable[[Any, Scope, Results], None]], Provider]:
        """Declare the function computing `figures` (declared on this source) together:
        `compute(records, scope, out)` gets the source's records of the scope and calls
        `out.add` for each figure it has something to measure for."""

        def decorate(compute: Callable[[Any, Scope, Results], None]) -> Provider:
            provider = Provider(self, compute, figures)
            for item in figures:
                object.__setattr__(item, "provider", provider)
            return provider

        return decorate


def total(
    key: str, label: Text, *, parts: Sequence[Source], **options: Any
) -> Figure:  # a count over several sources (`operations.count`: every kind of operation)
    figure = Figure(key=key, label=label, parts=tuple(parts), **options)
    _REGISTRY.add_figure(figure)
    return figure


def _resolve(condition: Condition | None, scope: Scope) -> Q:
    if condition is None:
        return Q()
    return condition(scope) if callable(condition) else condition


# --- measuring ----------------------------------------------------------------------------------


@dataclass(eq=False)
class Measure:
    """A figure's value over a scope and the records behind it.

    `records`: a lazy queryset of the source's records, or a function giving a list (a total
    over several sources, rows that are not records); `ids`: their public ids, given or read
    when first asked (`public_ids`)."""

    figure: Figure
    value: Number
    scope: Scope
    records: Any
    ids: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None
    # "trên", "hơn", "gần", "khoảng" (phoihop.core.qualifiers) when the value sums counts
    # entered with one; "" for an exact value — what the system counts is always exact.
    qualifier: str = ""

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def label(self) -> str:
        return str(self.figure.label)

    @property
    def unit(self) -> str:
        return str(self.figure.unit)

    @property
    def kind(self) -> FigureKind:
        return self.figure.kind

    @property
    def url(self) -> str:
        return self.figure.link(self.scope)

    @property
    def model(self) -> str:
        """`cases.case`: what the public ids name."""
        if isinstance(self.records, QuerySet):
            source = self.figure.source
            path = source.ids.rsplit("__", 1)[0] if source and "__" in source.ids else ""
            model = self.records.model
            for step in path.split("__") if path else ():
                model = model._meta.get_field(step).related_model
            return str(model._meta.label_lower)
        return ""

    def public_ids(self) -> tuple[str, ...]:
        if callable(self.ids):
            self.ids = self.ids()
        if self.ids is None:
            field_name = self.figure.source.ids if self.figure.source else "public_id"
            self.ids = _distinct(self.records.values_list(field_name, flat=True))
        return self.ids

    def entries(self) -> Any:
        """What a list of the records shows, in order: a queryset or a list."""
        if isinstance(self.records, QuerySet) and self.figure.source is not None:
            return self.figure.source.listing(self.records)
        return self.records() if callable(self.records) else self.records

    def row(self, entry: Any) -> RecordRow:
        if isinstance(entry, Entry):
            return entry.source.row(entry.record)  # type: ignore[misc]
        source = self.figure.source
        assert source is not None and source.row is not None, self.key
        return source.row(entry)


@dataclass(frozen=True)
class Entry:
    """A record of one of the sources of a total."""

    source: Source
    record: Any


def _distinct(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in values if v is not None}))


class Results:
    """What a provider hands back: `out.add(figure, value, records, ids)`."""

    def __init__(self, source: Source, scope: Scope, records: Any) -> None:
        self.source = source
        self.scope = scope
        self.records = records
        self.measures: list[Measure] = []

    def add(
        self,
        figure: Figure,
        value: Number,
        records: Any = None,
        ids: Iterable[Any] | Callable[[], tuple[str, ...]] | None = None,
        qualifier: str = "",
    ) -> Measure:
        """`records` default to all the source's records of the scope; `ids` (or a function
        reading them) when the provider read them anyway, else they are read when asked;
        `qualifier` the one the entered values' sum carries (phoihop.core.qualifiers)."""
        chosen = self.records if records is None else records
        given = ids if ids is None or callable(ids) else _distinct(ids)
        measure = Measure(figure, value, self.scope, chosen, given, str(qualifier or ""))
        self.measures.append(measure)
        return measure


def summed(records: QuerySet[Any], field_name: str) -> tuple[Decimal, list[Any]]:
    """The exact sum of a decimal field over the records, and their public ids: one read
    (SQLite sums decimals as floats, so the values are added here)."""
    rows = list(records.values_list("public_id", field_name))
    total = sum((value for _id, value in rows if value is not None), Decimal(0))
    return total, [public_id for public_id, _value in rows]


def lazy(function: Callable[[], Any]) -> Callable[[], Any]:
    """`function` run once, when first called (for ids read for several figures at once)."""
    return functools.cache(function)


class Tally:
    """Counts and sums of one set of records under named conditions, from one aggregate; the
    public ids behind every condition are read together, in one more query, when first asked."""

    def __init__(self, records: QuerySet[Any], *, ids: str = "public_id") -> None:
        self.records = records.order_by()
        self.ids_field = ids
        self.conditions: dict[str, Q] = {}
        self.sums: dict[str, tuple[str, Q]] = {}
        self._values: dict[str, int] | None = None
        self._ids: dict[str, tuple[str, ...]] | None = None

    def count(self, name: str, condition: Q) -> None:
        self.conditions[name] = condition

    def sum(self, name: str, field_name: str, condition: Q) -> None:
        self.sums[name] = (field_name, condition)

    def value(self, name: str) -> int:
        if self._values is None:
            aggregates: dict[str, Any] = {
                f"c{i}": Count("pk", distinct=True, filter=q or None)
                for i, q in enumerate(self.conditions.values())
            }
            aggregates |= {
                f"s{i}": Sum(column, filter=q or None)
                for i, (column, q) in enumerate(self.sums.values())
            }
            raw = self.records.aggregate(**aggregates) if aggregates else {}
            self._values = {
                name: int(raw[f"c{i}"] or 0) for i, name in enumerate(self.conditions)
            } | {name: int(raw[f"s{i}"] or 0) for i, name in enumerate(self.sums)}
        return self._values[name]

    def where(self, name: str) -> QuerySet[Any]:
        q = self.conditions.get(name) or self.sums.get(name, ("", Q()))[1]
        return self.records.filter(q) if q else self.records

    def ids(self, name: str) -> tuple[str, ...]:
        if self._ids is None:
            self._ids = self._read_ids()
        return self._ids[name]

    def _read_ids(self) -> dict[str, tuple[str, ...]]:
        named = {**self.conditions, **{n: q for n, (_c, q) in self.sums.items()}}
        flags = {
            f"f{i}": Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())
            for i, q in enumerate(named.values())
            if q
        }
        found: dict[str, set[str]] = {name: set() for name in named}
        columns = list(flags)
        for row in self.records.annotate(**flags).values_list(self.ids_field, *columns):
            identifier = row[0]
            if identifier is None:
                continue
            marks = dict(zip(columns, row[1:], strict=True))
            for i, (name, q) in enumerate(named.items()):
                if not q or marks[f"f{i}"]:
                    found[name].add(str(identifier))
        return {name: tuple(sorted(ids)) for name, ids in found.items()}


def _declared(source: Source, scope: Scope, figures: Sequence[Figure]) -> list[Measure]:
    """Every declarative figure of `source` in `figures`, from one tally."""
    records = source.records(scope)
    tally = Tally(records, ids=source.ids)
    tally.count("*", Q())
    for index, figure in enumerate(figures):
        condition = figure.condition(scope)
        if figure.total:
            tally.sum(str(index), figure.total, condition)
        else:
            tally.count(str(index), condition)
        if figure.share_of is not None:
            tally.count(f"{index}/", _resolve(figure.share_of, scope))
    out: list[Measure] = []
    for index, figure in enumerate(figures):
        name = str(index)
        value: Number | None = tally.value(name)
        if figure.share_of is not None:
            value = percent(tally.value(name), tally.value(f"{name}/"))
        if value is None or not _emitted(figure, value, tally.value("*")):
            continue
        ids = functools.partial(tally.ids, name)
        out.append(Measure(figure, value, scope, tally.where(name), ids))
    return out


def _emitted(figure: Figure, value: Number, records: int) -> bool:
    if figure.emit == "nonzero":
        return bool(value)
    if figure.emit == "records":
        return bool(records)
    return True


def _total(figure: Figure, scope: Scope) -> Measure:
    """A count over several sources' records: one query (their union), whatever the sources."""
    parts = [(source, source.records(scope)) for source in figure.parts]
    columns = [records.order_by().values_list("pk") for _source, records in parts]
    value = columns[0].union(*columns[1:], all=True).count() if columns else 0

    def entries() -> list[Entry]:
        listed = [
            Entry(source, record) for source, records in parts for record in source.listing(records)
        ]
        return sorted(
            listed, key=lambda e: (getattr(e.record, e.source.dated), e.record.pk), reverse=True
        )

    def ids() -> tuple[str, ...]:
        return _distinct(
            itertools.chain.from_iterable(
                records.values_list(source.ids, flat=True) for source, records in parts
            )
        )

    return Measure(figure, value, scope, entries, ids)


# --- the registry -------------------------------------------------------------------------------


class _Registry:
    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.figures: dict[str, Figure] = {}
        self.families: dict[str, Family] = {}
        self.derived: dict[str, tuple[Figure | Family, str]] = {}  # code -> (figure, value)

    def add_source(self, source: Source) -> None:
        self._unique(source.key, self.sources)
        self.sources[source.key] = source

    def add_figure(self, figure: Figure) -> None:
        self._unique(figure.key, self.figures)
        self.figures[figure.key] = figure
        if figure.derived is not None:
            code = figure.derived.code or figure.key
            self._unique(code, self.derived)
            self.derived[code] = (figure, "")

    def add_family(self, family: Family) -> None:
        self._unique(family.prefix, self.families)
        self.families[family.prefix] = family

    def add_derived(self, family: Family, value: str) -> None:
        derived = family.derived[value]
        code = derived.code or family.key(value)
        self._unique(code, self.derived)
        self.derived[code] = (family, value)

    @staticmethod
    def _unique(key: str, taken: dict[str, Any]) -> None:
        if key in taken:
            raise ValueError(f"{key!r} is declared twice in the registry of figures")

    def family_of(self, key: str) -> Family | None:
        prefix = key
        while "." in prefix:
            prefix = prefix.rsplit(".", 1)[0]
            if prefix in self.families:
                return self.families[prefix]
        return None


_REGISTRY = _Registry()
_discovered = False


def discover() -> None:
    """Import every app's `figures` module once (the declarations run at import)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("figures")


def sources() -> list[Source]:
    discover()
    return list(_REGISTRY.sources.values())


def figures() -> list[Figure]:
    """Every figure declared with its own key (family members aside), in order."""
    discover()
    return sorted(_REGISTRY.figures.values(), key=lambda f: (f.order, f.key))


def families() -> list[Family]:
    discover()
    return sorted(_REGISTRY.families.values(), key=lambda f: (f.order, f.prefix))


def figure(key: str) -> Figure | None:
    """The figure of `key`: declared, or a member of a family (named by its value)."""
    discover()
    if key in _REGISTRY.figures:
        return _REGISTRY.figures[key]
    family = _REGISTRY.family_of(key)
    if family is None:
        return None
    value = key.removeprefix(f"{family.prefix}.")
    names = dict(family.values()) if family.values is not None else {}
    return family.member(value, names.get(value, value))


def derived() -> dict[str, tuple[Derived, str]]:
    """code -> (the catalogue's definition, the key of the figure computing it)."""
    discover()
    found: dict[str, tuple[Derived, str]] = {}
    for code, (owner, value) in _REGISTRY.derived.items():
        if isinstance(owner, Family):
            found[code] = (owner.derived[value], owner.key(value))
        else:
            assert owner.derived is not None
            found[code] = (owner.derived, owner.key)
    return found


def _wanted(keys: Iterable[str] | None, report: bool) -> tuple[set[str], set[str]]:
    """(keys, family prefixes) to compute."""
    if keys is None:
        return (
            {k for k, f in _REGISTRY.figures.items() if f.report or not report},
            {p for p, f in _REGISTRY.families.items() if f.report or not report},
        )
    exact: set[str] = set()
    whole: set[str] = set()
    for key in keys:
        if key in _REGISTRY.families:
            whole.add(key)
        elif key in _REGISTRY.figures or _REGISTRY.family_of(key) is not None:
            exact.add(key)
        else:
            raise KeyError(key)
    return exact, whole


def _jobs(keys: set[str], prefixes: set[str]) -> Iterator[tuple[str, Any]]:
    """What to run, each once: ("provider", p), ("declared", source), ("total", figure)."""
    seen: set[int] = set()
    asked: list[Figure | Family] = [_REGISTRY.figures[k] for k in keys if k in _REGISTRY.figures]
    asked += [_REGISTRY.families[p] for p in prefixes]
    asked += [f for k in keys if (f := _REGISTRY.family_of(k)) is not None]
    for item in asked:
        if item.provider is not None:
            job: tuple[str, Any] = ("provider", item.provider)
        elif isinstance(item, Figure) and item.parts:
            job = ("total", item)
        else:
            job = ("declared", item.source)
        if id(job[1]) not in seen:
            seen.add(id(job[1]))
            yield job


def _run(job: tuple[str, Any], scope: Scope, wanted: Callable[[str], bool]) -> list[Measure]:
    kind, target = job
    if kind == "total":
        return [_total(target, scope)]
    if kind == "provider":
        provider: Provider = target
        records = provider.source.records(scope)
        out = Results(provider.source, scope, records)
        provider.compute(records, scope, out)
        return out.measures
    source: Source = target
    chosen = [f for f in source.figures if f.declarative and wanted(f.key)]
    for family in source.families:
        if family.provider is None and family.values is not None and wanted(family.prefix):
            chosen += [m for m in family.members() if wanted(m.key)]
    return _declared(source, scope, chosen)


def measures(
    scope: Scope, *, keys: Iterable[str] | None = None, report: bool = False
) -> dict[str, Measure]:
    """The measures of `keys` (a figure's key, or a family's prefix for all its members) or,
    with `report`, of every figure the coordination report shows — each group computed once.
    A figure left out had nothing to measure (see the module docstring). In figure order."""
    discover()
    exact, prefixes = _wanted(keys, report)
    asked_families = prefixes | {f.prefix for k in exact if (f := _REGISTRY.family_of(k))}

    def wanted(key: str) -> bool:
        """A figure asked for, or (given a family's prefix) a family with a member asked for."""
        if key in exact or key in asked_families:
            return True
        family = _REGISTRY.family_of(key)
        return family is not None and family.prefix in prefixes

    found: list[Measure] = []
    for job in _jobs(exact, prefixes):
        found += [m for m in _run(job, scope, wanted) if wanted(m.key)]
    order = {id(m): i for i, m in enumerate(found)}
    found.sort(key=lambda m: (m.figure.order, order[id(m)]))
    return {m.key: m for m in found}


def measure(key: str, scope: Scope) -> Measure | None:
    return measures(scope, keys=[key]).get(key)


def zero(figure: Figure) -> Number:
    return 0 if figure.kind is FigureKind.COUNT and not figure.share_of else Decimal(0)


def value(key: str, scope: Scope) -> Number:
    """The figure's value; zero when it had nothing to measure."""
    found = measure(key, scope)
    if found is not None:
        return found.value
    declared = figure(key)
    return zero(declared) if declared is not None else 0


def parts(key: str, scope: Scope) -> list[tuple[Source, QuerySet[Any]]]:
    """The records behind a figure by source, without computing it when it is declarative:
    what the trends and the map group by period, force and commune."""
    declared = figure(key)
    if declared is None:
        raise KeyError(key)
    if declared.parts:
        return [(source, source.records(scope)) for source in declared.parts]
    assert declared.source is not None
    if declared.declarative:
        return [(declared.source, declared.source.records(scope).filter(declared.condition(scope)))]
    found = measure(key, scope)
    if found is None or not isinstance(found.records, QuerySet):
        return []
    return [(declared.source, found.records)]
