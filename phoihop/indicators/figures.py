"""The figures of the periodic submissions, declared once (see `phoihop.core.figures`): what the
dashboard and the coordination report count of the reports units owe.

A scope's `period` decides which reports are owed (a scope without one owes none); the
submissions are those `phoihop.indicators.selectors.completeness` expects of the units the
actor covers, in the scope's area and of the dashboard's force. Late are the reports sent
after their deadline and those still missing once it passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core import formats
from phoihop.core.figures import RecordRow, Results, Scope, Source, page_link
from phoihop.indicators.selectors import CompletenessReport, UnitCompleteness, completeness


def _completeness(scope: Scope) -> CompletenessReport | None:
    if scope.period is None:
        return None
    return completeness(actor=scope.actor, period=scope.period, force=scope.force, area=scope.area)


@dataclass(frozen=True)
class Owed:
    """A report a unit owes for a period, as the completeness measured it."""

    row: UnitCompleteness
    period_key: str


def _row(owed: Owed) -> RecordRow:
    row = owed.row
    if row.missing:
        state = _("chưa nộp")
    elif row.late:
        state = _("nộp muộn")
    else:
        state = _("đã nộp đúng hạn") if row.on_time else _("chưa đến hạn")
    if row.submission is not None:
        url = reverse("indicators:submission", args=[row.submission.public_id])
    else:
        url = page_link("indicators:completeness", period=owed.period_key)
    return RecordRow(
        f"{row.unit.name} · {row.form.name}", url, formats.date(row.deadline), str(state)
    )


def _page(scope: Scope, **query: Any) -> str:
    key = scope.period.key if scope.period is not None else ""
    return page_link("indicators:completeness", period=key)


SUBMISSIONS = Source(
    "indicators.submissions",
    label=gettext_lazy("Báo cáo định kỳ"),
    select=_completeness,
    row=_row,
    page=_page,
)
DUE = SUBMISSIONS.figure(
    "submissions.due",
    gettext_lazy("Báo cáo định kỳ phải nộp"),
    unit=gettext_lazy("báo cáo"),
    order=700,
)
LATE = SUBMISSIONS.figure(
    "submissions.late",
    gettext_lazy("Báo cáo nộp muộn hoặc chưa nộp"),
    unit=gettext_lazy("báo cáo"),
    order=710,
)


@SUBMISSIONS.provider(DUE, LATE)
def _submissions(report: CompletenessReport | None, scope: Scope, out: Results) -> None:
    if report is None:
        return
    owed = [Owed(row, report.period.key) for row in report.rows]
    late = [Owed(r, report.period.key) for r in report.late_or_missing if r.late or r.overdue]
    for figure, value, rows in ((DUE, report.total.expected, owed), (LATE, len(late), late)):
        ids = [o.row.submission.public_id for o in rows if o.row.submission is not None]
        out.add(figure, value, rows, ids=ids)
