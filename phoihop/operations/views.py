"""Pages of the joint operations: the landing page with the period's figures, then for every
record kind a list with filters and totals, the detail, create and edit; a checkpoint's daily
counts are added and removed in place (htmx) or imported from a file.

Thin views: records come through the selectors and `record_or_404` (invisible is 404, visible
but not allowed is 403), input through forms, changes through the services; a service's refusal
is shown on the field it names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.access.rules import Action, can
from phoihop.access.shortcuts import record_or_404
from phoihop.core import formats
from phoihop.core.errors import DomainError, PermissionDenied
from phoihop.core.forms import paginate, place_domain_error
from phoihop.core.qualifiers import phrase
from phoihop.core.tabular import XLSX_CONTENT_TYPE, ImportFailed
from phoihop.operations import imports, selectors, services
from phoihop.operations.forms import (
    CountForm,
    ImportForm,
    OperationForm,
    PeriodForm,
    UnitRowForm,
    UnitRows,
)
from phoihop.operations.kinds import CHECKPOINTS, KINDS, PATROLS, Kind, kind_of
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    Destruction,
    Exercise,
    OperationRecord,
    OperationUnit,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.operations.services import UnitPart
from phoihop.org.models import User
from phoihop.org.refs import area_by_code

# Which attribute of `OperationsFigures` holds each kind's figures.
FIGURES_OF = {
    "protections": "protection",
    "checkpoints": "checkpoints",
    "zones": "zones",
    "patrols": "patrols",
    "rescues": "rescues",
    "exercises": "exercises",
    "destructions": "destructions",
}


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _record(request: HttpRequest, kind: Kind, public_id: UUID, action: Action = Action.VIEW) -> Any:
    actor = _actor(request)
    records = selectors.with_listing(selectors.record_list(kind.model, actor=actor), actor)
    try:
        return record_or_404(records, actor, public_id=public_id, action=action)
    except PermissionDenied as exc:
        raise HttpForbidden from exc


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
) -> HttpResponse:
    """Every page of the module shows the tabs of the record kinds."""
    return render(request, template, {"operation_kinds": KINDS.values(), **context}, **kwargs)


def detail_url(record: OperationRecord) -> str:
    return reverse("operations:detail", args=[kind_of(record).slug, record.public_id])


def quarter_window(day: dt.date) -> tuple[dt.date, dt.date]:
    """The reporting quarter of Nghị định 09/2019/NĐ-CP holding `day`: quý I runs 15/12 of the
    year before to 14/3, quý II 15/3–14/6, quý III 15/6–14/9, quý IV 15/9–14/12."""
    year = day.year
    windows = [
        (dt.date(year - 1, 12, 15), dt.date(year, 3, 14)),
        (dt.date(year, 3, 15), dt.date(year, 6, 14)),
        (dt.date(year, 6, 15), dt.date(year, 9, 14)),
        (dt.date(year, 9, 15), dt.date(year, 12, 14)),
        (dt.date(year, 12, 15), dt.date(year + 1, 3, 14)),
    ]
    return next(w for w in windows if w[0] <= day <= w[1])


# --- what a record shows ------------------------------------------------------------------


def headline(record: OperationRecord) -> str:
    """The record's key figures in one line, as the list shows them."""
    n = formats.number
    if isinstance(record, Protection):
        if record.target == "event":
            size = _("%(n)s người") % {"n": n(record.event_size)} if record.event_size else ""
            return " · ".join(p for p in (record.get_event_category_display(), size) if p)
        return record.get_delegation_level_display()
    if isinstance(record, Checkpoint):
        return _("%(days)s ngày · %(vehicles)s lượt phương tiện · %(people)s lượt người") % {
            "days": n(getattr(record, "count_days", 0) or 0),
            "vehicles": n(getattr(record, "count_vehicles", 0) or 0),
            "people": n(getattr(record, "count_people", 0) or 0),
        }
    if isinstance(record, ProtectedZone):
        zones = _("%(n)s khu vực") % {
            "n": phrase(record.zone_count_qualifier, n(record.zone_count))
        }
        if record.people is None:
            return zones
        people = _("%(n)s người") % {"n": phrase(record.people_qualifier, n(record.people))}
        return f"{zones} · {people}"
    if isinstance(record, Patrol):
        return _("%(sorties)s lượt · %(violations)s vụ vi phạm") % {
            "sorties": phrase(record.sorties_qualifier, n(record.sorties)),
            "violations": n(record.violations),
        }
    if isinstance(record, Rescue):
        return _("cứu %(rescued)s người · sơ tán %(evacuated)s người") % {
            "rescued": phrase(record.people_rescued_qualifier, n(record.people_rescued)),
            "evacuated": phrase(record.people_evacuated_qualifier, n(record.people_evacuated)),
        }
    if isinstance(record, Destruction):
        return phrase(
            record.quantity_qualifier,
            f"{n(record.entered_quantity, max_decimals=6)} {record.entered_unit}",
        )
    if isinstance(record, Exercise):
        return _("%(n)s người tham gia") % {"n": n(record.participants_count)}
    return ""


def _display(record: OperationRecord, name: str) -> tuple[str, str]:
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if getattr(field, "choices", None):
        shown = getattr(record, f"get_{name}_display")() or "—"
    elif value is None or value == "":
        shown = "—"
    elif isinstance(value, int | Decimal):
        shown = formats.number(value, max_decimals=6)
    else:
        shown = str(value)
    label = str(getattr(field, "verbose_name", name))
    return label[:1].upper() + label[1:], shown


def _forces(rows: list[OperationUnit]) -> list[dict[str, Any]]:
    """Participants grouped by force, with the force's subtotals."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row.force.code,
            {"force": row.force, "rows": [], "personnel": 0, "vehicles": 0, "vessels": 0},
        )
        group["rows"].append(row)
        for key in ("personnel", "vehicles", "vessels"):
            group[key] += getattr(row, key)
    return list(groups.values())


# --- landing page -------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    start, end = quarter_window(timezone.localdate())
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    area = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        code = (form.cleaned_data.get("area") or "").strip()
        area = area_by_code(code) if code else None
        if code and area is None:
            form.add_error("area", _("Không có địa bàn hành chính mã %(code)s.") % {"code": code})
    figures = selectors.operations_figures(actor=actor, start=start, end=end, area=area)
    query = {"start": formats.date(start), "end": formats.date(end)}
    if area is not None:
        query["area"] = area.code
    cards = [
        {
            "kind": kind,
            "figures": getattr(figures, FIGURES_OF[slug]),
            "url": f"{reverse('operations:list', args=[slug])}?{urlencode(query)}",
            "template": f"operations/totals/_{slug}.html",
        }
        for slug, kind in KINDS.items()
    ]
    return _render(
        request,
        "operations/index.html",
        {"form": form, "start": start, "end": end, "area": area, "cards": cards},
    )


# --- lists --------------------------------------------------------------------------------


@login_required
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    actor = _actor(request)
    k = _kind(kind)
    records = selectors.with_listing(selectors.record_list(k.model, actor=actor), actor)
    record_filter = k.filterset(request.GET or None, queryset=records)
    filtered = record_filter.qs
    start, end = record_filter.period
    figures = k.figures(filtered, actor, start, end)
    page = paginate(request, filtered)
    for record in page:
        record.headline = headline(record)
        record.force_codes = sorted({p.force.code for p in record.participants.all()})
        record.category_label = getattr(record, f"get_{k.category_field}_display")()
    return _render(
        request,
        "operations/list.html",
        {
            "kind": k,
            "filter": record_filter,
            "page": page,
            "figures": figures,
            "totals_template": f"operations/totals/_{k.slug}.html",
            "category_field": k.category_field,
        },
    )


# --- detail -------------------------------------------------------------------------------


def _counts_context(
    request: HttpRequest,
    checkpoint: Checkpoint,
    form: CountForm | None = None,
    message: str = "",
) -> dict[str, Any]:
    actor = _actor(request)
    counts = list(
        selectors.checkpoint_count_list(actor=actor).filter(checkpoint=checkpoint).order_by("day")
    )
    may_count = services.may_record_counts(actor, checkpoint)
    return {
        "checkpoint": checkpoint,
        "counts": counts,
        "count_totals": {
            "days": len(counts),
            "vehicles": sum(c.vehicles for c in counts),
            "people": sum(c.people for c in counts),
        },
        "may_count": may_count,
        "count_message": message,
        "count_form": (form or CountForm(initial={"day": _next_day(checkpoint, counts)}))
        if may_count
        else None,
    }


def _next_day(checkpoint: Checkpoint, counts: list[CheckpointCount]) -> dt.date:
    """The day after the last one counted (the usual next entry), within the period."""
    day = counts[-1].day + dt.timedelta(days=1) if counts else checkpoint.start_date
    last = min(checkpoint.end_date or timezone.localdate(), timezone.localdate())
    return min(day, last)


@login_required
def detail(request: HttpRequest, kind: str, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    k = _kind(kind)
    record = _record(request, k, public_id)
    participants = sorted(
        record.participants.all(), key=lambda r: (r.role != "lead", r.force.order, r.unit.path)
    )
    context: dict[str, Any] = {
        "kind": k,
        "record": record,
        "kind_fields": [_display(record, name) for name in k.model.kind_fields],
        "forces": _forces(participants),
        "communes": [place.commune for place in record.places.all()],
        "can_change": can(actor, Action.CHANGE, record),
        "can_delete": can(actor, Action.DELETE, record),
    }
    if k is PATROLS:
        context["cases"] = record.visible_cases
    if k is CHECKPOINTS:
        context.update(_counts_context(request, record))
    return _render(request, "operations/detail.html", context)


# --- create and edit ----------------------------------------------------------------------


def _render_form(
    request: HttpRequest, kind: Kind, form: OperationForm, rows: UnitRows, record: Any = None
) -> HttpResponse:
    return _render(
        request,
        "operations/form.html",
        {"kind": kind, "form": form, "rows": rows, "record": record},
    )


@login_required
def create(request: HttpRequest, kind: str) -> HttpResponse:
    actor = _actor(request)
    k = _kind(kind)
    if request.method != "POST":
        form = OperationForm(actor=actor, kind=k)
        parts = [UnitPart(actor.unit)] if actor.unit else []
        return _render_form(request, k, form, UnitRows.blank(actor, parts, extra=2))
    form = OperationForm(request.POST, actor=actor, kind=k)
    rows = UnitRows.bound(actor, request.POST)
    if form.is_valid() and rows.is_valid():
        extra: dict[str, Any] = {}
        cases = form.cases_chosen()
        if cases is not None:
            extra["cases"] = cases
        try:
            record = k.create(
                actor=actor,
                **form.values(),
                communes=form.communes_chosen(),
                units=rows.parts(),
                **extra,
            )
        except DomainError as error:
            place_domain_error(form, error, rows=rows.as_rows())
        else:
            messages.success(request, _("Đã ghi nhận: %(title)s.") % {"title": record.title})
            return redirect(detail_url(record))
    return _render_form(request, k, form, rows)


@login_required
def edit(request: HttpRequest, kind: str, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    k = _kind(kind)
    record = _record(request, k, public_id, Action.CHANGE)
    if request.method != "POST":
        parts = [
            UnitPart(row.unit, row.personnel, row.vehicles, row.vessels)
            for row in sorted(record.participants.all(), key=lambda r: (r.role != "lead", r.pk))
        ]
        form = OperationForm(actor=actor, kind=k, record=record)
        return _render_form(request, k, form, UnitRows.blank(actor, parts), record)
    form = OperationForm(request.POST, actor=actor, kind=k, record=record)
    rows = UnitRows.bound(actor, request.POST, [row.unit for row in record.participants.all()])
    if form.is_valid() and rows.is_valid():
        changes = {
            name: value for name, value in form.values().items() if value != getattr(record, name)
        }
        try:
            services.operation_update(
                actor=actor,
                record=record,
                expected_version=form.cleaned_data.get("version"),
                changes=changes,
                units=rows.parts(),
                communes=form.communes_chosen(),
                cases=form.cases_chosen(),
            )
        except DomainError as error:
            place_domain_error(form, error, rows=rows.as_rows())
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(detail_url(record))
    return _render_form(request, k, form, rows, record)


@require_GET
@login_required
def unit_row(request: HttpRequest) -> HttpResponse:
    """One more blank unit row (htmx), with the next key for the row after it."""
    actor = _actor(request)
    raw = request.GET.get("units-next", "0")
    key = int(raw) if raw.isdigit() and int(raw) < 10_000 else 0
    choices, _units = UnitRows.choices(actor)
    return render(
        request,
        "operations/_unit_row.html",
        {"row": UnitRowForm(key=key, choices=choices), "next_key": key + 1, "oob": True},
    )


@require_POST
@login_required
def delete(request: HttpRequest, kind: str, public_id: UUID) -> HttpResponse:
    k = _kind(kind)
    record = _record(request, k, public_id, Action.DELETE)
    version = request.POST.get("version", "")
    try:
        services.operation_delete(
            actor=_actor(request),
            record=record,
            expected_version=int(version) if version.isdigit() else None,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail_url(record))
    messages.success(request, _("Đã xóa: %(title)s.") % {"title": record.title})
    return redirect("operations:list", k.slug)


# --- checkpoint daily counts --------------------------------------------------------------


def _render_counts(
    request: HttpRequest, checkpoint: Checkpoint, form: CountForm | None = None, message: str = ""
) -> HttpResponse:
    return render(
        request, "operations/_counts.html", _counts_context(request, checkpoint, form, message)
    )


@require_POST
@login_required
def count_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    checkpoint = _record(request, CHECKPOINTS, public_id)
    if not services.may_record_counts(_actor(request), checkpoint):
        raise HttpForbidden
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            count = services.checkpoint_count_add(
                actor=_actor(request),
                checkpoint=checkpoint,
                day=form.cleaned_data["day"],
                vehicles=form.cleaned_data["vehicles"],
                people=form.cleaned_data["people"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            message = _("Đã ghi số liệu ngày %(day)s.") % {"day": formats.date(count.day)}
            if request.htmx:  # type: ignore[attr-defined]
                return _render_counts(request, checkpoint, message=message)
            messages.success(request, message)
            return redirect(f"{detail_url(checkpoint)}#counts")
    if request.htmx:  # type: ignore[attr-defined]
        return _render_counts(request, checkpoint, form)
    for field_errors in form.errors.values():
        for error_text in field_errors:
            messages.error(request, str(error_text))
    return redirect(f"{detail_url(checkpoint)}#counts")


@require_POST
@login_required
def count_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    count = selectors.checkpoint_count_list(actor=actor).filter(public_id=public_id).first()
    if count is None:
        raise Http404
    checkpoint = _record(request, CHECKPOINTS, count.checkpoint.public_id)
    try:
        services.checkpoint_count_delete(actor=actor, count=count)
    except PermissionDenied as exc:
        raise HttpForbidden from exc
    message = _("Đã xóa số liệu ngày %(day)s.") % {"day": formats.date(count.day)}
    if request.htmx:  # type: ignore[attr-defined]
        return _render_counts(request, checkpoint, message=message)
    messages.success(request, message)
    return redirect(f"{detail_url(checkpoint)}#counts")


@login_required
def counts_import(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    checkpoint = _record(request, CHECKPOINTS, public_id)
    if not services.may_record_counts(actor, checkpoint):
        raise HttpForbidden
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = imports.checkpoint_counts_import(
                actor=actor, checkpoint=checkpoint, content=upload.read(), filename=upload.name
            )
        except ImportFailed as failure:
            errors = failure.errors
        except DomainError as error:
            place_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã nhập số liệu %(n)s ngày.") % {"n": formats.number(len(created))},
            )
            return redirect(f"{detail_url(checkpoint)}#counts")
    return _render(
        request,
        "operations/import.html",
        {"kind": CHECKPOINTS, "checkpoint": checkpoint, "form": form, "errors": errors},
    )


@require_GET
@login_required
def counts_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.counts_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-so-lieu-chot.xlsx"'
    return response
