"""Pages of the coordination report: the web preview with downloads, and the conference tasks.

The preview builds the report for the logged-in user's visibility (never more) with the builder
of `assembly.py`; every figure links to the records behind it. Tasks: a filtered list, create and
edit forms, a detail page where progress notes are added with htmx and the status moves along
the workflow. Thin views: selectors to read, services to write, refusals shown on the forms.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from phoihop.access.rules import Action, can
from phoihop.access.shortcuts import record_or_404
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core import formats
from phoihop.core.errors import DomainError, PermissionDenied
from phoihop.core.forms import place_domain_error
from phoihop.indicators.periods import Period, active_rule
from phoihop.org.enums import AreaLevel
from phoihop.org.forces import (
    may_administer,
    province_force_add,
    province_force_remove,
    province_force_update,
)
from phoihop.org.models import AdministrativeArea, User
from phoihop.reports import selectors, services
from phoihop.reports.document import (
    Change,
    Figure,
    FigureKind,
    Provenance,
    Report,
    Table,
    format_value,
)
from phoihop.reports.enums import TASK_TRANSITIONS, TaskStatus
from phoihop.reports.forms import (
    NoteForm,
    PreviewForm,
    ProvinceForceForm,
    ReportSettingsForm,
    TaskFilterForm,
    TaskForm,
    TransitionForm,
)
from phoihop.reports.header import (
    default_issuer,
    default_recipients,
    header_for,
    short_area_name,
)
from phoihop.reports.models import ConferenceTask
from phoihop.reports.tasks_section import tasks_section

PAGE_SIZE = 25
DOWNLOADS = {
    "docx": (
        "phoihop.reports.docx",
        "render_docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "phoihop.reports.xlsx",
        "render_xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- the preview -------------------------------------------------------------------------------


def last_complete_quarter(today: dt.date | None = None) -> Period:
    """The latest quarter whose window (under the active rule) ended before today."""
    day = today or timezone.localdate()
    period = Period.quarter(day.year, (day.month - 1) // 3 + 1)
    while period.window(active_rule())[1] >= day:
        period = period.previous
    return period


def resolve_period(key: str) -> Period:
    period = Period.parse(key)
    if period.window(active_rule())[0] > timezone.localdate():
        text = _("Kỳ báo cáo %(label)s chưa bắt đầu.") % {"label": period.label}
        raise DomainError(text, code="future_period", fields={"period": [text]})
    return period


def _tasks_only_report(*, actor: User, area: AdministrativeArea, period: Period) -> Report:
    """What the preview shows while the builder is not installed: the carried-over tasks."""
    start, end = period.window(active_rule())
    section = tasks_section(actor=actor, area=area, period=period)
    return Report(
        area_code=area.code,
        area_name=area.name,
        period_key=period.key,
        period_label=period.label,
        start=start,
        end=end,
        rule=str(active_rule()),
        generated_at=timezone.now(),
        as_user=actor.get_username(),
        sections=[section] if section else [],
    )


def build_for(*, actor: User, area: AdministrativeArea, period: Period) -> Report:
    """The report for the actor's visibility, from the builder when it is installed."""
    try:
        assembly = importlib.import_module("phoihop.reports.assembly")
    except ImportError:
        return _tasks_only_report(actor=actor, area=area, period=period)
    build_report: Callable[..., Report] = assembly.build_report
    return build_report(
        area_code=area.code, period_key=period.key, actor=actor, as_user=actor.get_username()
    )


def _renderer(fmt: str) -> Callable[[Report], Any] | None:
    module_name, name, _type = DOWNLOADS[fmt]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, name, None)


def _change_text(change: Change | None, figure: Figure) -> str:
    if change is None:
        return ""
    delta = change.delta
    if not delta:
        return pgettext("no change", "bằng")
    amount = abs(Decimal(delta))
    if figure.kind == FigureKind.PERCENT:
        value = _("%(n)s điểm phần trăm") % {"n": formats.number(amount, max_decimals=1)}
    else:
        shown = int(amount) if figure.kind == FigureKind.COUNT else amount
        value = format_value(shown, figure.kind, figure.unit)
    word = _("tăng") if delta > 0 else _("giảm")
    ratio = change.ratio
    if ratio is None or figure.kind == FigureKind.PERCENT:
        return f"{word} {value}"
    return f"{word} {value} ({formats.percent(abs(ratio))})"


# Detail pages of the records a figure may come from, for provenance without a list URL.
DETAIL_PAGES = {
    "exchange.informationitem": "exchange:detail",
    "cases.case": "cases:detail",
    "mobilisation.forum": "mobilisation:forum_detail",
    "reports.conferencetask": "reports:task_detail",
}
MAX_RECORD_LINKS = 20


def _record_links(provenance: list[Provenance]) -> list[str]:
    links: list[str] = []
    for source in provenance:
        name = DETAIL_PAGES.get(source.model)
        if source.url or not name:
            continue
        for public_id in source.ids[: MAX_RECORD_LINKS - len(links)]:
            try:
                links.append(reverse(name, args=[public_id]))
            except NoReverseMatch:
                break
    return links


def _value_text(value: Any, figure: Figure) -> str | None:
    return None if value is None else format_value(value, figure.kind, figure.unit)


def _figure_rows(figures: list[Figure]) -> list[dict[str, Any]]:
    rows = []
    for figure in figures:
        links = [p for p in figure.provenance if p.url]
        rows.append(
            {
                "figure": figure,
                "text": figure.text(),
                "previous": _value_text(figure.previous, figure),
                "last_year": _value_text(figure.last_year, figure),
                "vs_previous": _change_text(figure.vs_previous, figure),
                "vs_last_year": _change_text(figure.vs_last_year, figure),
                "links": links,
                "records": _record_links(figure.provenance),
                "record_count": sum(len(p.ids) for p in figure.provenance),
            }
        )
    return rows


def _cell(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | Decimal):
        return formats.number(value, max_decimals=6)
    return str(value)


def _table(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": table.columns,
        "rows": [[_cell(c) for c in row] for row in table.rows],
    }


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def chart_specs(report: Report) -> list[dict[str, Any]]:
    """Plotly specs for the page: from charts.py when installed, else one comparison chart per
    section of the counts that have earlier values. `{"id", "title", "data", "layout"}`."""
    try:
        charts = importlib.import_module("phoihop.reports.charts")
    except ImportError:
        charts = None
    figures = getattr(charts, "plotly_figures", None)
    if callable(figures):
        return [
            {
                "id": f"chart-{spec['key']}",
                "title": spec["title"],
                "data": spec["figure"]["data"],
                "layout": spec["figure"]["layout"],
            }
            for spec in figures(report)
        ]
    specs = []
    for index, section in enumerate(report.sections):
        counted = [
            f
            for f in section.figures
            if f.kind == FigureKind.COUNT and (f.previous is not None or f.last_year is not None)
        ]
        if not counted:
            continue
        labels = [f.label for f in counted]
        traces = []
        for name, values in (
            (_("Cùng kỳ năm trước"), [f.last_year for f in counted]),
            (_("Kỳ trước"), [f.previous for f in counted]),
            (report.period_label, [f.value for f in counted]),
        ):
            traces.append(
                {"type": "bar", "name": str(name), "x": labels, "y": [_plain(v) for v in values]}
            )
        specs.append(
            {
                "id": f"chart-{index}",
                "title": section.title,
                "data": traces,
                "layout": {
                    "title": {"text": section.title},
                    "barmode": "group",
                    "height": 320,
                    "margin": {"t": 30, "l": 40, "r": 10, "b": 80},
                    "separators": ",.",
                    "legend": {"orientation": "h"},
                },
            }
        )
    return specs


def _with_spec_ids(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**spec, "spec_id": f"{spec['id']}-spec"} for spec in specs]


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    unit = actor.unit
    default_area = unit.province.code if unit is not None else ""
    area_code = (request.GET.get("area") or default_area).strip()
    period_key = (request.GET.get("period") or last_complete_quarter().key).strip()
    form = PreviewForm(initial={"area": area_code, "period": period_key})
    context: dict[str, Any] = {"form": form, "area_code": area_code, "period_key": period_key}
    try:
        if unit is None:
            raise PermissionDenied(_("Tài khoản của bạn chưa thuộc đơn vị nào."))
        area = selectors.report_area(actor=actor, code=area_code)
        period = resolve_period(period_key)
        report = build_for(actor=actor, area=area, period=period)
    except DomainError as error:
        context["error"] = error.message
        # A form page answering with its message, as Django's forms do.
        return render(request, "reports/index.html", context)
    sections = [
        {"section": s, "rows": _figure_rows(s.figures), "tables": [_table(t) for t in s.tables]}
        for s in report.sections
    ]
    query = urlencode({"area": area.code, "period": period.key})
    context.update(
        {
            "report": report,
            "sections": sections,
            "charts": _with_spec_ids(chart_specs(report)),
            "downloads": [
                {"fmt": fmt, "url": reverse("reports:download", args=[fmt]) + "?" + query}
                for fmt in DOWNLOADS
                if _renderer(fmt) is not None
            ],
            "rule_label": _("Nghị định 09/2019/NĐ-CP")
            if report.rule == "decree09"
            else _("tháng, quý theo lịch"),
        }
    )
    return render(request, "reports/index.html", context)


@require_GET
@login_required
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    actor = _actor(request)
    if fmt not in DOWNLOADS:
        raise Http404
    render_fn = _renderer(fmt)
    if render_fn is None or actor.unit is None:
        raise Http404
    try:
        area = selectors.report_area(
            actor=actor, code=request.GET.get("area") or actor.unit.province.code
        )
        period = resolve_period(request.GET.get("period") or last_complete_quarter().key)
    except DomainError as error:
        return render(
            request,
            "reports/index.html",
            {"form": PreviewForm(request.GET), "error": error.message},
            status=400,
        )
    report = build_for(actor=actor, area=area, period=period)
    output = render_fn(report)
    content = output.getvalue() if hasattr(output, "getvalue") else output
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="reports.report",
        object_id=f"{area.code}/{period.key}",
        object_repr=report.title or f"{area.name} {period.label}",
        changes={"format": fmt, "area": area.code, "period": period.key},
    )
    response = HttpResponse(content, content_type=DOWNLOADS[fmt][2])
    filename = f"bao-cao-{area.code}-{period.key}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@cache_control(max_age=86400, public=True)
def plotly_js(request: HttpRequest) -> FileResponse:
    """plotly.min.js from the installed plotly wheel: served by us, never from a CDN."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type="text/javascript")


# --- conference tasks ---------------------------------------------------------------------------


def _task_or_404(
    request: HttpRequest, public_id: UUID, action: Action = Action.VIEW
) -> ConferenceTask:
    return record_or_404(
        selectors.task_list(actor=_actor(request)),
        _actor(request),
        public_id=public_id,
        action=action,
    )


@require_GET
@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = TaskFilterForm(request.GET or None)
    tasks = selectors.task_list(actor=actor)
    if filters.is_valid():
        data = filters.cleaned_data
        tasks = selectors.task_filter(
            tasks,
            status=data["status"],
            overdue=data["overdue"],
            force=data["force"],
            period_key=(data["period"] or "").strip().upper(),
        )
    page = Paginator(tasks.order_by("deadline", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/task_list.html",
        {
            "filters": filters,
            "page": page,
            "today": timezone.localdate(),
            "can_create": _may_write(actor),
        },
    )


def _may_write(actor: User) -> bool:
    return actor.unit is not None and (actor.has_role("officer") or actor.has_role("commander"))


def _task_fields(form: TaskForm, actor: User) -> dict[str, Any]:
    data = form.cleaned_data
    area = selectors.report_area(actor=actor, code=data["area"])
    return {
        "area": area,
        "period_key": data["period_key"],
        "conference_date": data["conference_date"],
        "content": data["content"],
        "lead_force": data["lead_force"],
        "deadline": data["deadline"],
    }


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not _may_write(actor):
        raise DjangoPermissionDenied
    initial = {
        "period_key": last_complete_quarter().key,
        "area": actor.unit.province.code if actor.unit else "",
    }
    form = TaskForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                actor=actor,
                supporting_forces=form.cleaned_data["supporting_forces"],
                **_task_fields(form, actor),
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận nhiệm vụ."))
            return redirect("reports:task_detail", public_id=task.public_id)
    return render(request, "reports/task_form.html", {"form": form, "task": None})


@login_required
def task_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    task = _task_or_404(request, public_id, Action.CHANGE)
    initial = {
        "period_key": task.period_key,
        "area": task.area.code,
        "conference_date": task.conference_date,
        "content": task.content,
        "lead_force": task.lead_force.code,
        "supporting_forces": [f.code for f in task.supporting_forces.all()],
        "deadline": task.deadline,
        "version": task.version,
    }
    form = TaskForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(
                actor=actor,
                task=task,
                expected_version=form.cleaned_data["version"] or 0,
                supporting_forces=form.cleaned_data["supporting_forces"],
                **_task_fields(form, actor),
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("reports:task_detail", public_id=task.public_id)
    return render(request, "reports/task_form.html", {"form": form, "task": task})


def _notes_context(
    actor: User, task: ConferenceTask, form: NoteForm | None = None
) -> dict[str, Any]:
    return {
        "task": task,
        "notes": selectors.task_notes(task=task),
        "note_form": form or NoteForm(),
        "can_note": _may_write(actor) and task.status != TaskStatus.CANCELLED,
    }


@require_GET
@login_required
def task_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    task = _task_or_404(request, public_id)
    context = _notes_context(actor, task)
    context.update(
        {
            "transitions": selectors.task_transitions(task=task),
            "can_change": can(actor, Action.CHANGE, task) and _may_write(actor),
            "today": timezone.localdate(),
            "next_statuses": [
                (s, TaskStatus(s).label)
                for s in TaskStatus.values
                if s in TASK_TRANSITIONS[task.status]
            ],
            "overdue": task.is_overdue(),
        }
    )
    return render(request, "reports/task_detail.html", context)


@require_POST
@login_required
def task_note_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    task = _task_or_404(request, public_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.task_note_add(
                actor=actor,
                task=task,
                body=form.cleaned_data["body"],
                noted_on=form.cleaned_data["noted_on"],
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "reports/_notes.html", _notes_context(actor, task))
            messages.success(request, _("Đã ghi kết quả thực hiện."))
            return redirect(reverse("reports:task_detail", args=[task.public_id]) + "#notes")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reports/_notes.html", _notes_context(actor, task, form))
    messages.error(request, "; ".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect("reports:task_detail", public_id=task.public_id)


@require_POST
@login_required
def task_transition(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    task = _task_or_404(request, public_id, Action.CHANGE)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Trạng thái không hợp lệ."))
        return redirect("reports:task_detail", public_id=task.public_id)
    try:
        services.task_transition(
            actor=actor,
            task=task,
            to=form.cleaned_data["to"],
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Nhiệm vụ chuyển sang “%(status)s”.")
            % {"status": TaskStatus(form.cleaned_data["to"]).label},
        )
    return redirect("reports:task_detail", public_id=task.public_id)


# --- the province's report settings --------------------------------------------------------------


def _settings_province(request: HttpRequest) -> AdministrativeArea:
    """The administrator's own province (the superuser names one with `?province=`); anyone
    else is refused with 403."""
    actor = _actor(request)
    code = (request.GET.get("province") or "").strip()
    if not code and actor.unit is not None:
        code = actor.unit.province.code
    province = (
        AdministrativeArea.objects.filter(
            code=code, level=AreaLevel.PROVINCE, valid_until__isnull=True
        ).first()
        if code
        else None
    )
    if province is None or not may_administer(actor, province):
        raise DjangoPermissionDenied
    return province


def _settings_page(
    request: HttpRequest,
    province: AdministrativeArea,
    *,
    form: ReportSettingsForm | None = None,
    force_form: ProvinceForceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    header = header_for(province)
    stored = header.stored
    fallback = {
        "issuer": (settings.PHOIHOP_REPORT_ISSUER.strip() or default_issuer(header.forces)),
        "recipients": "\n".join(
            [str(r) for r in settings.PHOIHOP_REPORT_RECIPIENTS] or default_recipients(province)
        ),
        "place": short_area_name(province.name),
        "document_symbol": "BC",
    }
    if form is None:
        initial: dict[str, Any] = {"version": stored.version if stored else 0}
        if stored is not None:
            initial |= {
                "issuer": stored.issuer,
                "recipients": stored.recipients,
                "place": stored.place,
                "document_symbol": stored.document_symbol,
            }
        form = ReportSettingsForm(initial=initial, fallback=fallback)
    context = {
        "province": province,
        "form": form,
        "force_form": force_form or ProvinceForceForm(),
        "forces": header.forces,
        "header": header,
        "query": urlencode({"province": province.code}),
    }
    return render(request, "reports/settings.html", context, status=status)


def _settings_redirect(province: AdministrativeArea) -> HttpResponse:
    return redirect(reverse("reports:settings") + "?" + urlencode({"province": province.code}))


def _saved(
    request: HttpRequest, form: forms.Form, save: Callable[[dict[str, Any]], object], done: str
) -> bool:
    """Call the service with the valid form's data; its refusal goes on the form."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except DomainError as error:
        place_domain_error(form, error)
        return False
    messages.success(request, done)
    return True


@login_required
def report_settings(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    province = _settings_province(request)
    if request.method != "POST":
        return _settings_page(request, province)
    stored = header_for(province).stored
    form = ReportSettingsForm(request.POST, fallback={})

    def save(data: dict[str, Any]) -> object:
        return services.report_settings_save(
            actor=actor,
            province=province,
            expected_version=data["version"] if stored else None,
            issuer=data["issuer"],
            recipients=data["recipients"],
            place=data["place"],
            document_symbol=data["document_symbol"],
        )

    if _saved(request, form, save, _("Đã lưu thiết lập báo cáo.")):
        return _settings_redirect(province)
    return _settings_page(request, province, form=form, status=400)


@require_POST
@login_required
def report_settings_force_add(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    province = _settings_province(request)
    form = ProvinceForceForm(request.POST)

    def save(data: dict[str, Any]) -> object:
        return province_force_add(actor=actor, province=province, **data)

    if _saved(request, form, save, _("Đã thêm lực lượng tham gia phối hợp.")):
        return _settings_redirect(province)
    return _settings_page(request, province, force_form=form, status=400)


@require_POST
@login_required
def report_settings_force_change(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    province = _settings_province(request)
    data = request.POST.copy()
    data["code"] = code
    form = ProvinceForceForm(data)
    if not form.is_valid():
        messages.error(request, "; ".join(str(m) for errs in form.errors.values() for m in errs))
        return _settings_redirect(province)
    try:
        province_force_update(actor=actor, province=province, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã lưu thay đổi."))
    return _settings_redirect(province)


@require_POST
@login_required
def report_settings_force_remove(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    province = _settings_province(request)
    try:
        province_force_remove(actor=actor, province=province, code=code)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã bỏ lực lượng khỏi danh sách phối hợp."))
    return _settings_redirect(province)
