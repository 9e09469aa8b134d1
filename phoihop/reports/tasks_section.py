"""The report's "Phương hướng, nhiệm vụ" section: the conference tasks still to be carried out."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from phoihop.core import formats
from phoihop.indicators.periods import Period
from phoihop.org.models import AdministrativeArea
from phoihop.reports.document import Figure, FigureKind, Paragraph, Provenance, Section, Table
from phoihop.reports.models import ConferenceTask
from phoihop.reports.selectors import tasks_carried_over

MODEL = "reports.conferencetask"


def _list_url(**query: str) -> str:
    try:
        base = reverse("reports:task_list")
    except NoReverseMatch:
        return ""
    query = {k: v for k, v in query.items() if v}
    return f"{base}?{urlencode(query)}" if query else base


def _forces(task: ConferenceTask) -> str:
    return ", ".join(f.short_name or f.name for f in task.supporting_forces.all())


def tasks_section(*, actor: Any, area: AdministrativeArea, period: Period) -> Section | None:
    """Open and overdue tasks set by earlier conferences for `area` (or an area inside it), as
    the actor may see them; None when there are none, so the report leaves the section out.

    A task is overdue when its deadline has passed by the end of the period (or today, for the
    period still running)."""
    tasks = tasks_carried_over(actor=actor, area=area, period=period)
    if not tasks:
        return None
    on = min(period.end, timezone.localdate())
    overdue = [t for t in tasks if t.deadline < on]
    ids = tuple(str(t.public_id) for t in tasks)
    overdue_ids = tuple(str(t.public_id) for t in overdue)
    figures = [
        Figure(
            key="tasks.open",
            label=_("Nhiệm vụ chưa hoàn thành từ các kỳ trước"),
            value=len(tasks),
            kind=FigureKind.COUNT,
            unit=_("nhiệm vụ"),
            provenance=[Provenance(model=MODEL, ids=ids, url=_list_url(status="unfinished"))],
        ),
        Figure(
            key="tasks.overdue",
            label=_("Nhiệm vụ quá hạn"),
            value=len(overdue),
            kind=FigureKind.COUNT,
            unit=_("nhiệm vụ"),
            provenance=[Provenance(model=MODEL, ids=overdue_ids, url=_list_url(overdue="1"))],
        ),
    ]
    intro = _(
        "Các hội nghị trước đã giao nhiệm vụ, đến nay còn %(open)s chưa hoàn thành"
        ", trong đó %(overdue)s đã quá thời hạn. Trong thời gian tới, các lực lượng tiếp tục "
        "tập trung thực hiện dứt điểm các nhiệm vụ sau:"
    ) % {"open": figures[0].text(), "overdue": figures[1].text()}
    if not overdue:
        intro = _(
            "Các hội nghị trước đã giao nhiệm vụ, đến nay còn %(open)s chưa hoàn thành, "
            "chưa có nhiệm vụ quá hạn. Trong thời gian tới, các lực lượng tiếp tục thực hiện:"
        ) % {"open": figures[0].text()}
    paragraphs = [Paragraph(intro, figures=["tasks.open", "tasks.overdue"])]
    rows: list[list[Any]] = []
    for index, task in enumerate(tasks, start=1):
        supporting = _forces(task)
        lead = task.lead_force.short_name or task.lead_force.name
        parts = [_("%(lead)s chủ trì") % {"lead": lead}]
        if supporting:
            parts.append(_("%(forces)s phối hợp") % {"forces": supporting})
        parts.append(_("hạn %(date)s") % {"date": formats.date(task.deadline)})
        line = f"{index}. {task.content.strip().rstrip('.')} ({'; '.join(parts)})"
        if task in overdue:
            line += " — " + _("đã quá hạn")
        paragraphs.append(Paragraph(line + "."))
        rows.append(
            [
                index,
                task.content.strip(),
                lead,
                supporting,
                formats.date(task.deadline),
                str(task.get_status_display()),
                _("Quá hạn") if task in overdue else "",
            ]
        )
    table = Table(
        title=_("Nhiệm vụ chưa hoàn thành"),
        columns=[
            _("STT"),
            _("Nội dung"),
            _("Chủ trì"),
            _("Phối hợp"),
            _("Thời hạn"),
            _("Trạng thái"),
            _("Ghi chú"),
        ],
        rows=rows,
    )
    return Section(
        key="tasks",
        title=_("Phương hướng, nhiệm vụ"),
        paragraphs=paragraphs,
        figures=figures,
        tables=[table],
    )
