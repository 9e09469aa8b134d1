"""The dashboard's key figures and the records behind each: the registry's figures
(`phoihop.core.figures`) of the chosen period and of the same period last year, for the user.

Which figures, in which order, is the dashboard's choice (`KEY_FIGURES`); what each counts, its
label and unit, and its records are the owning module's declaration — the same numbers the
report and the indicators show. Conference tasks still open today have no period: they are the
dashboard's own figure, read from the reports' selectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import figures as registry
from phoihop.core import formats
from phoihop.core.figures import RecordRow
from phoihop.dashboards.selectors.filters import Filters, figure_url
from phoihop.org.enums import AreaLevel
from phoihop.reports.enums import TaskStatus
from phoihop.reports.selectors import task_list

# The registry's figures on the dashboard, in order; "cases.seized" stands for the items seized
# in the most cases of the period (`SEIZED_SHOWN` of them).
KEY_FIGURES = (
    "exchange.received",
    "exchange.unacknowledged",
    "exchange.overdue",
    "exchange.verifications_due",
    "exchange.verifications_late",
    "cases.count",
    "cases.persons",
    "cases.seized",
    "operations.count",
    "mobilisation.forums",
    "mobilisation.opinions",
    "submissions.due",
    "submissions.late",
)
SEIZED = "cases.seized"
SEIZED_SHOWN = 3
OPEN_TASKS = "tasks.open"


@dataclass
class KeyFigure:
    key: str
    label: str
    unit: str
    value: int | Decimal
    last_year: int | Decimal | None
    url: str = ""
    note: str = ""  # what the number counts, when the label alone could mislead
    comparison: str = ""  # "tăng 12 vụ (6,4%) so với cùng kỳ năm 2023"

    @property
    def text(self) -> str:
        if isinstance(self.value, Decimal):
            return f"{formats.number(self.value)} {self.unit}".strip()
        return formats.number(self.value)

    def change(self, against: str) -> str:
        if self.last_year is None:
            return ""
        delta = Decimal(self.value) - Decimal(self.last_year)
        if isinstance(self.value, Decimal):
            delta_text = f"{formats.number(abs(delta))} {self.unit}".strip()
        else:
            delta_text = f"{formats.count(int(abs(delta)))} {self.unit}".strip()
        return formats.comparison(
            self.last_year, self.value, delta_text=delta_text, against=against
        )

    @property
    def trend(self) -> str:
        """ "up", "down", "same" or "" for the arrow next to the figure."""
        if self.last_year is None:
            return ""
        if self.value > self.last_year:
            return "up"
        if self.value < self.last_year:
            return "down"
        return "same"


@dataclass
class KeyFigures:
    filters: Filters
    figures: list[KeyFigure] = field(default_factory=list)
    against: str = ""  # "cùng kỳ năm 2023"

    def get(self, key: str) -> KeyFigure:
        return next(f for f in self.figures if f.key == key)


def _value(measured: dict[str, registry.Measure], figure: registry.Figure) -> int | Decimal:
    found = measured.get(figure.key)
    return found.value if found is not None else registry.zero(figure)


def _seized(
    now: dict[str, registry.Measure], last: dict[str, registry.Measure], filters: Filters
) -> list[KeyFigure]:
    """The items seized in the most cases of the period, with their quantities."""
    members = [m for m in now.values() if m.key.startswith(f"{SEIZED}.")]
    top = sorted(members, key=lambda m: -len(m.public_ids()))[:SEIZED_SHOWN]
    return [
        KeyFigure(
            m.key,
            m.label,
            m.unit,
            m.value,
            last[m.key].value if m.key in last else Decimal(0),
            figure_url(m.key, filters),
        )
        for m in top
    ]


def key_figures(*, actor: Any, filters: Filters) -> KeyFigures:
    now = registry.measures(filters.scope(actor), keys=KEY_FIGURES)
    last = registry.measures(filters.scope(actor, filters.last_year), keys=KEY_FIGURES)
    result = KeyFigures(
        filters=filters,
        against=_("cùng kỳ năm %(year)s") % {"year": filters.last_year.year},
    )
    for key in KEY_FIGURES:
        if key == SEIZED:
            result.figures += _seized(now, last, filters)
            continue
        figure = registry.figure(key)
        assert figure is not None, key
        result.figures.append(
            KeyFigure(
                key,
                str(figure.label),
                str(figure.unit),
                _value(now, figure),
                _value(last, figure),
                figure_url(key, filters),
                str(figure.note),
            )
        )
    result.figures.append(_tasks_figure(actor, filters))
    for key_figure in result.figures:
        key_figure.comparison = key_figure.change(result.against)
    return result


# --- conference tasks ---------------------------------------------------------------------------


def open_tasks(*, actor: Any, filters: Filters) -> QuerySet[Any]:
    qs = task_list(actor=actor).filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
    if filters.force is not None:
        qs = qs.filter(Q(lead_force=filters.force) | Q(supporting_forces=filters.force))
    if filters.area is not None:
        if filters.area.level == AreaLevel.PROVINCE:
            qs = qs.filter(Q(area=filters.area) | Q(area__parent=filters.area))
        else:
            qs = qs.filter(area=filters.area)
    return qs.order_by().distinct()


def _tasks_figure(actor: Any, filters: Filters) -> KeyFigure:
    """Conference tasks still open today: no period to compare with."""
    tasks = open_tasks(actor=actor, filters=filters).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=timezone.localdate()))
    )
    return KeyFigure(
        OPEN_TASKS,
        _("Nhiệm vụ sau hội nghị chưa hoàn thành"),
        _("nhiệm vụ"),
        tasks["n"],
        None,
        figure_url(OPEN_TASKS, filters),
        _("trong đó %(late)s quá hạn") % {"late": formats.count(tasks["late"])},
    )


def _task_row(task: Any) -> RecordRow:
    return RecordRow(
        task.content[:160],
        reverse("reports:task_detail", args=[task.public_id]),
        formats.date(task.deadline),
        task.get_status_display(),
    )


# --- the records behind a key figure ------------------------------------------------------------


def figure_records(*, actor: Any, filters: Filters, key: str) -> tuple[str, Any, Any]:
    """(label, queryset or list, row maker) of the records behind figure `key` for the period;
    the list page paginates them and turns each into a `RecordRow`. KeyError: no such figure."""
    if key == OPEN_TASKS:
        tasks = open_tasks(actor=actor, filters=filters).order_by("deadline", "pk")
        return _("Nhiệm vụ sau hội nghị"), tasks, _task_row
    figure = registry.figure(key)
    if figure is None:
        raise KeyError(key)
    label = str(figure.source.label if figure.source is not None else figure.label)
    measured = registry.measure(key, filters.scope(actor))
    if measured is None:
        return label, [], None
    return label, measured.entries(), measured.row
