"""Pages of the indicators module: the unit's reports, the data-entry form of a submission, the
approval queue of commanders, and the completeness of a period.

Thin views: records come through the selectors and `record_or_404` (invisible is 404), input
through a form, changes through one service; a service's refusal is shown on the field of the
indicator it names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.access.shortcuts import record_or_404
from phoihop.core.errors import DomainError
from phoihop.core.forms import paginate
from phoihop.core.tabular import XLSX_CONTENT_TYPE, ImportFailed
from phoihop.indicators import exports, selectors, services
from phoihop.indicators.enums import SubmissionStatus
from phoihop.indicators.forms import (
    CompletenessFilterForm,
    ImportForm,
    OpenSubmissionForm,
    ReasonForm,
    SubmissionFilterForm,
    SubmissionValuesForm,
)
from phoihop.indicators.models import ReportForm, Submission
from phoihop.indicators.periods import Period, PeriodKind
from phoihop.indicators.reminders import periods_of
from phoihop.indicators.selectors import SheetRow
from phoihop.org.models import User

RECENT_PERIODS = 3


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _submission_or_404(request: HttpRequest, public_id: UUID) -> Submission:
    actor = _actor(request)
    return record_or_404(selectors.submission_list(actor=actor), actor, public_id=public_id)


def _url(submission: Submission, anchor: str = "") -> str:
    url = reverse("indicators:submission", args=[submission.public_id])
    return f"{url}#{anchor}" if anchor else url


def recent_periods(kind: PeriodKind, today: dt.date, count: int = RECENT_PERIODS) -> list[Period]:
    """The latest `count` periods of `kind` whose window has begun, newest first."""
    started = [
        p for p in periods_of(kind, range(today.year - 2, today.year + 2)) if p.window()[0] <= today
    ]
    return sorted(started, key=lambda p: p.window()[1], reverse=True)[:count]


def _queue_count(actor: User) -> int:
    return selectors.approval_queue(actor=actor).count()


# --- the unit's reports -------------------------------------------------------------------------


@dataclass
class Duty:
    """A form the actor's unit owes for a period, and where its submission stands."""

    form: ReportForm
    period: Period
    deadline: dt.date
    submission: Submission | None
    overdue: bool


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    unit = actor.unit
    today = timezone.localdate()
    chosen: Period | None = None
    if request.GET.get("period"):
        try:
            chosen = services.parse_period(request.GET["period"])
        except DomainError as error:
            messages.error(request, error.message)
    duties: list[Duty] = []
    if unit is not None:
        owed = list(selectors.forms_owed(unit=unit))
        mine = {
            (s.form_id, s.period_key): s
            for s in selectors.submission_list(actor=actor).filter(owner_unit=unit)
        }
        for report_form in owed:
            kind = PeriodKind(report_form.period_kind)
            periods = (
                [chosen]
                if chosen is not None and chosen.kind is kind
                else recent_periods(kind, today)
            )
            for period in periods:
                submission = mine.get((report_form.pk, period.key))
                deadline = report_form.deadline_for(period)
                received = submission is not None and submission.status in (
                    SubmissionStatus.SUBMITTED,
                    SubmissionStatus.APPROVED,
                )
                duties.append(
                    Duty(
                        report_form, period, deadline, submission, not received and today > deadline
                    )
                )
    filters = SubmissionFilterForm(request.GET or None)
    submissions = selectors.submission_list(actor=actor).order_by(
        "-period_end", "owner_unit__path", "form__code"
    )
    if filters.is_valid():
        if filters.cleaned_data.get("period"):
            try:
                key = services.parse_period(filters.cleaned_data["period"]).key
                submissions = submissions.filter(period_key=key)
            except DomainError as error:
                filters.add_error("period", error.fields.get("period", [error.message])[0])
        if filters.cleaned_data.get("status"):
            submissions = submissions.filter(status=filters.cleaned_data["status"])
    page = paginate(request, submissions)
    return render(
        request,
        "indicators/index.html",
        {
            "duties": duties,
            "page": page,
            "filters": filters,
            "tab": "index",
            "queue_count": _queue_count(actor),
            "today": today,
        },
    )


@require_POST
@login_required
def open_submission(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = OpenSubmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thiếu biểu mẫu hoặc kỳ báo cáo."))
        return redirect("indicators:index")
    try:
        report_form = services.form_by_code(form.cleaned_data["form"])
        submission, created = services.submission_open(
            actor=actor, form=report_form, period=form.cleaned_data["period"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("indicators:index")
    if created:
        messages.success(request, _("Đã lập báo cáo (bản nháp)."))
    return redirect(_url(submission))


# --- one submission -----------------------------------------------------------------------------


@dataclass
class RowView:
    row: SheetRow
    value_input: BoundField | None
    explanation_input: BoundField | None


def _render_submission(
    request: HttpRequest,
    submission: Submission,
    *,
    values_form: SubmissionValuesForm | None = None,
    reason_form: ReasonForm | None = None,
    import_errors: list[Any] | None = None,
) -> HttpResponse:
    actor = _actor(request)
    sheet = selectors.submission_sheet(actor=actor, submission=submission)
    may_report = services.can_report(actor, submission)
    editable = submission.is_editable and may_report
    if values_form is None and editable:
        values_form = SubmissionValuesForm(sheet=sheet)
    rows = [
        RowView(
            row=row,
            value_input=values_form.value_field(row) if values_form and editable else None,
            explanation_input=values_form.explanation_field(row)
            if values_form and editable
            else None,
        )
        for row in sheet.rows
    ]
    may_decide = services.can_decide(actor, submission) and submission.status in (
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.APPROVED,
    )
    return render(
        request,
        "indicators/submission.html",
        {
            "submission": submission,
            "sheet": sheet,
            "rows": rows,
            "period": submission.period,
            "values_form": values_form if editable else None,
            "editable": editable,
            "may_decide": may_decide,
            "reason_form": reason_form or ReasonForm(),
            "import_form": ImportForm() if editable else None,
            "import_errors": import_errors or [],
            "transitions": selectors.submission_transitions(submission),
            "approver": services.approver_unit(submission.owner_unit),
            "tab": "",
            "queue_count": _queue_count(actor),
        },
    )


@login_required
def submission_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    submission = _submission_or_404(request, public_id)
    if request.method != "POST":
        return _render_submission(request, submission)
    action = request.POST.get("action", "save")
    sheet = selectors.submission_sheet(actor=actor, submission=submission)
    form = SubmissionValuesForm(request.POST, sheet=sheet)
    if not form.is_valid():
        return _render_submission(request, submission, values_form=form)
    try:
        services.submission_values_set(
            actor=actor,
            submission=submission,
            values=form.values(),
            explanations=form.explanations(),
            expected_version=form.cleaned_data.get("version"),
            localized=True,
        )
    except DomainError as error:
        form.show_error(error)
        return _render_submission(request, submission, values_form=form)
    if action != "submit":
        messages.success(request, _("Đã lưu số liệu."))
        return redirect(_url(submission))
    send = (
        services.submission_resubmit
        if submission.status == SubmissionStatus.RETURNED
        else services.submission_submit
    )
    try:
        send(actor=actor, submission=submission)
    except DomainError as error:
        submission.refresh_from_db()
        # The values were saved; the form comes back with a box for every explanation now due.
        data = request.POST.copy()
        data["version"] = str(submission.version)
        fresh = SubmissionValuesForm(
            data, sheet=selectors.submission_sheet(actor=actor, submission=submission)
        )
        fresh.is_valid()
        fresh.show_error(error)
        return _render_submission(request, submission, values_form=fresh)
    messages.success(
        request,
        _("Đã gửi báo cáo lên %(unit)s.")
        % {"unit": services.approver_unit(submission.owner_unit).name},
    )
    return redirect(_url(submission))


@require_POST
@login_required
def submission_decide(request: HttpRequest, public_id: UUID, decision: str) -> HttpResponse:
    actor = _actor(request)
    submission = _submission_or_404(request, public_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        with transaction.atomic():
            if decision == "approve":
                services.submission_approve(actor=actor, submission=submission)
                done = _("Đã duyệt báo cáo. Báo cáo đã được khóa.")
            elif decision == "return":
                services.submission_return(actor=actor, submission=submission, reason=reason)
                done = _("Đã trả lại báo cáo cho đơn vị.")
            else:
                services.submission_reopen(actor=actor, submission=submission, reason=reason)
                done = _("Đã mở lại báo cáo để đơn vị sửa.")
    except DomainError as error:
        if "reason" in error.fields:
            form.add_error("reason", error.fields["reason"][0])
        else:
            messages.error(request, error.message)
        submission.refresh_from_db()
        return _render_submission(request, submission, reason_form=form)
    messages.success(request, done)
    if decision in ("approve", "return") and selectors.approval_queue(actor=actor).exists():
        return redirect("indicators:queue")
    return redirect(_url(submission))


@login_required
def submission_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    submission = _submission_or_404(request, public_id)
    content = exports.submission_xlsx(actor=actor, submission=submission)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(submission)}"'
    )
    return response


@require_POST
@login_required
def submission_import(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    submission = _submission_or_404(request, public_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Phải chọn tệp .xlsx để nhập."))
        return redirect(_url(submission, "import"))
    upload = form.cleaned_data["file"]
    try:
        count = exports.submission_import(
            actor=actor, submission=submission, content=upload.read(), filename=upload.name
        )
    except ImportFailed as failed:
        messages.error(request, failed.message)
        return _render_submission(request, submission, import_errors=failed.errors)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url(submission))
    messages.success(request, _("Đã nhập số liệu từ tệp (%(count)s dòng).") % {"count": count})
    return redirect(_url(submission))


# --- commanders ---------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    waiting = selectors.approval_queue(actor=actor)
    page = paginate(request, waiting)
    return render(
        request,
        "indicators/queue.html",
        {
            "page": page,
            "tab": "queue",
            "queue_count": waiting.count(),
            "today": timezone.localdate(),
        },
    )


# --- completeness -------------------------------------------------------------------------------


def default_period(today: dt.date) -> Period:
    """The latest quarter whose deadline season has begun: the one just ended."""
    return recent_periods(PeriodKind.QUARTER, today - dt.timedelta(days=15), 1)[0]


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("period", default_period(today).key)
    form = CompletenessFilterForm(data, forms_qs=selectors.form_list(actor=actor))
    report = None
    if form.is_valid():
        try:
            period = services.parse_period(form.cleaned_data["period"])
        except DomainError as error:
            form.add_error("period", error.fields.get("period", [error.message])[0])
        else:
            report = selectors.completeness(
                actor=actor,
                period=period,
                form=form.cleaned_data.get("form"),
                force=form.cleaned_data.get("force"),
            )
    return render(
        request,
        "indicators/completeness.html",
        {
            "form": form,
            "report": report,
            "tab": "completeness",
            "queue_count": _queue_count(actor),
            "today": today,
        },
    )
