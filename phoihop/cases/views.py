"""Pages of the case registry: the list with its totals, the detail, create and edit with
inline subjects and seized items, the status transitions, wanted persons.

Thin views: records come through the selectors and `record_or_404` (invisible is 404), input
through forms, changes through the services; a service's refusal is shown where it was typed.
A new case and its rows are saved by one `case_create` call (all or nothing); an edit runs the
row services inside one transaction, so a bad row leaves the case as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from phoihop.access.rules import Action, can
from phoihop.access.shortcuts import record_or_404
from phoihop.cases import selectors, services
from phoihop.cases.enums import CASE_TRANSITIONS, CaseStatus, ParticipationRole, WantedStatus
from phoihop.cases.filters import WantedFilter
from phoihop.cases.forms import (
    ArrestForm,
    CaseForm,
    CaseListFilter,
    CaseRows,
    HandleForm,
    TransferForm,
    TransitionForm,
    WantedForm,
    unit_choices,
)
from phoihop.cases.measures import MEASURES
from phoihop.cases.models import Case, WantedPerson
from phoihop.cases.selectors import CaseFigures, SeizedTotal
from phoihop.core import formats
from phoihop.core.errors import DomainError
from phoihop.core.forms import InlineRows, RowForm, paginate, place_domain_error
from phoihop.exchange.selectors import info_item_list
from phoihop.org.models import Force, User


@dataclass(frozen=True)
class RowKind:
    """How the case pages read and save one list of inline rows."""

    template: str
    saved: Callable[..., QuerySet[Any]]
    add: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    # The row's keyword in its update and delete services.
    record_arg: str


ROW_KINDS: dict[str, RowKind] = {
    "subjects": RowKind(
        "cases/_subject_row.html",
        selectors.subject_list,
        services.subject_add,
        services.subject_update,
        services.subject_delete,
        "subject",
    ),
    "seized_items": RowKind(
        "cases/_seized_row.html",
        selectors.seized_item_list,
        services.seized_item_add,
        services.seized_item_update,
        services.seized_item_delete,
        "seized",
    ),
}
ROW_LISTS = tuple(ROW_KINDS)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _case_or_404(request: HttpRequest, public_id: UUID) -> Case:
    actor = _actor(request)
    return record_or_404(selectors.case_list(actor=actor), actor, public_id=public_id)


def _changeable_case(request: HttpRequest, public_id: UUID) -> Case:
    """A visible case the actor may change: invisible is 404, visible but not theirs is 403."""
    case = _case_or_404(request, public_id)
    if not can(_actor(request), Action.CHANGE, case):
        raise HttpForbidden
    return case


def _detail_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[case.public_id])
    return f"{url}#{anchor}" if anchor else url


# --- totals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForceCount:
    force: str
    count: str


def seized_phrase(total: SeizedTotal) -> str:
    """`11,09 gam heroin`, `1.508 viên ma túy tổng hợp`, `05 khẩu súng các loại`: counting
    words take the official count style (leading zero below ten), measures keep decimals."""
    quantity = total.quantity
    measure = MEASURES.get(total.item.canonical_unit)
    if measure is not None and measure.is_count and quantity == quantity.to_integral_value():
        text = formats.count(int(quantity))
    else:
        text = formats.number(quantity, max_decimals=6)
    return f"{text} {total.item.report_phrase}"


def _totals(figures: CaseFigures) -> dict[str, Any]:
    forces = {f.code: f.name for f in Force.objects.all()}

    def by_force(counts: dict[str, int]) -> list[ForceCount]:
        order = list(forces)
        codes = sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c))
        return [ForceCount(forces.get(c, c), formats.count(counts[c])) for c in codes]

    return {
        "figures": figures,
        "cases": formats.count(figures.cases),
        "persons": formats.count(figures.persons),
        "organisations": formats.count(figures.organisations),
        "by_lead_force": by_force(figures.by_lead_force),
        "by_participating_force": by_force(figures.by_participating_force),
        "seized": [seized_phrase(t) for t in figures.seized],
        "fines": formats.number(figures.fines, max_decimals=0) if figures.fines else "",
    }


# --- list ----------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    case_filter = CaseListFilter(
        request.GET or None, queryset=selectors.case_list(actor=actor), actor=actor
    )
    cases = case_filter.qs
    page = paginate(request, cases)
    return render(
        request,
        "cases/list.html",
        {
            "filter": case_filter,
            "page": page,
            # The totals count the same visible, filtered cases as the list: nothing else leaks.
            "totals": _totals(selectors.case_figures(cases)),
            "tab": "index",
        },
    )


# --- detail ----------------------------------------------------------------------------------


@dataclass
class TransitionAction:
    status: str
    label: str
    url_name: str
    form: TransitionForm


@dataclass(frozen=True)
class Step:
    """A workflow step on the detail page: its URL (`<public_id>/<path>/`, named `cases:<path>`),
    its form and its button."""

    path: str
    form: type[TransitionForm]
    label: Any


STEPS: dict[str, Step] = {
    CaseStatus.VERIFYING: Step("verify", TransitionForm, gettext_lazy("Bắt đầu xác minh")),
    CaseStatus.HANDLED: Step("handle", HandleForm, gettext_lazy("Ghi nhận kết quả xử lý")),
    CaseStatus.TRANSFERRED: Step("transfer", TransferForm, gettext_lazy("Chuyển cơ quan khác")),
    CaseStatus.CLOSED: Step("close", TransitionForm, gettext_lazy("Kết thúc vụ việc")),
}


def _transition_actions(
    actor: User, case: Case, bound: dict[str, TransitionForm]
) -> list[TransitionAction]:
    if not can(actor, Action.CHANGE, case):
        return []
    actions = []
    for status in CaseStatus:
        if status not in CASE_TRANSITIONS[case.status]:
            continue
        step = STEPS[status]
        form = bound.get(status) or step.form(prefix=str(status), initial={"version": case.version})
        actions.append(
            TransitionAction(
                status=status, label=str(step.label), url_name=f"cases:{step.path}", form=form
            )
        )
    return actions


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, TransitionForm] | None = None,
) -> HttpResponse:
    actor = _actor(request)
    participants = list(
        case.participants.select_related("unit", "force").order_by(
            "force__order", "force__code", "role", "unit__path"
        )
    )
    actions = _transition_actions(actor, case, bound or {})
    context = {
        "case": case,
        "participants": participants,
        "lead": next((p for p in participants if p.role == ParticipationRole.LEAD), None),
        "subjects": selectors.subject_list(actor=actor).filter(case=case),
        "seized": selectors.seized_item_list(actor=actor).filter(case=case),
        "transitions": case.transitions.select_related("by", "by__unit"),
        "info_items": info_item_list(actor=actor).filter(pk__in=case.info_items.values("pk")),
        "wanted_arrests": selectors.wanted_list(actor=actor).filter(arrest_case=case),
        "can_change": can(actor, Action.CHANGE, case),
        "actions": actions,
        # A refused transition that is not on offer (any more) still says why.
        "refused": [
            message
            for status, form in (bound or {}).items()
            if status not in {a.status for a in actions}
            for messages_ in form.errors.values()
            for message in messages_
        ],
        "tab": "",
    }
    return render(request, "cases/detail.html", context)


@login_required
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _render_detail(request, _case_or_404(request, public_id))


@require_POST
@login_required
def transition(request: HttpRequest, public_id: UUID, to_status: str) -> HttpResponse:
    actor = _actor(request)
    case = _changeable_case(request, public_id)
    if to_status not in STEPS:
        raise Http404
    form = STEPS[to_status].form(request.POST, prefix=to_status)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.CASE_STEPS[to_status](
                actor=actor, case=case, expected_version=data.pop("version"), **data
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Vụ việc %(number)s: %(status)s.")
                % {"number": case.display_number, "status": CaseStatus(to_status).label},
            )
            return redirect(_detail_url(case, "status"))
    # The case as it is now: a refused transition changed nothing.
    case = _case_or_404(request, public_id)
    return _render_detail(request, case, bound={to_status: form})


# --- create and edit -------------------------------------------------------------------------


def _form_context(
    case_form: CaseForm, rows: dict[str, InlineRows], case: Case | None
) -> dict[str, Any]:
    return {
        "form": case_form,
        **rows,
        "case": case,
        "has_errors": bool(case_form.errors) or any(r.has_errors() for r in rows.values()),
        "tab": "create" if case is None else "",
    }


@login_required
def create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method != "POST":
        form = CaseForm(actor=actor)
        rows = {name: CaseRows.blank(name) for name in ROW_LISTS}
        return render(request, "cases/form.html", _form_context(form, rows, None))
    form = CaseForm(request.POST, actor=actor)
    rows = {name: CaseRows.from_post(name, request.POST) for name in ROW_LISTS}
    valid = form.is_valid() & all([r.is_valid() for r in rows.values()])
    if valid:
        active = {name: r.active() for name, r in rows.items()}
        try:
            # One call: the case, its subjects and its seized items, all or nothing.
            case = services.case_create(
                actor=actor,
                **form.create_fields(),
                subjects=[f.data_value() for f in active["subjects"]],
                seized=[f.data_value() for f in active["seized_items"]],
            )
        except DomainError as error:
            place_domain_error(form, error, rows=active, field_map=CaseForm.FIELD_MAP)
        else:
            messages.success(
                request, _("Đã ghi nhận vụ việc số %(number)s.") % {"number": case.display_number}
            )
            return redirect(_detail_url(case))
    return render(request, "cases/form.html", _form_context(form, rows, None))


def _saved_rows(actor: User, case: Case) -> dict[str, dict[str, Any]]:
    return {
        name: {str(r.public_id): r for r in kind.saved(actor=actor).filter(case=case)}
        for name, kind in ROW_KINDS.items()
    }


class _RowRefused(Exception):
    def __init__(self, row: RowForm, error: DomainError) -> None:
        super().__init__(error.message)
        self.row = row
        self.error = error


def _gone(row: RowForm) -> DomainError:
    message = _("Dòng này đã bị người khác xóa. Hãy tải lại trang.")
    return DomainError(message, code="stale_version", fields={"version": [message]})


def _save_rows(
    actor: User, case: Case, rows: dict[str, InlineRows], saved: dict[str, dict[str, Any]]
) -> None:
    """Deletes, changes and additions of the inline rows, through the row services. Runs inside
    the edit's transaction: the first refusal undoes everything."""
    for name, inline in rows.items():
        for row in inline.active():
            record = saved[name].get(str(row.initial.get("public_id") or ""))
            try:
                if row.is_saved and record is None:
                    raise _gone(row)
                _save_row(actor, case, ROW_KINDS[name], row, record)
            except DomainError as error:
                raise _RowRefused(row, error) from error


def _save_row(actor: User, case: Case, kind: RowKind, row: RowForm, record: Any) -> None:
    if record is None:
        kind.add(actor=actor, case=case, data=row.data_value())
        return
    # The row services move the case's version on: they must see this very case.
    record.case = case
    expected = row.cleaned_data.get("version")
    if row.deleting:
        kind.delete(actor=actor, expected_version=expected, **{kind.record_arg: record})
    elif row.has_changed():
        kind.update(
            actor=actor,
            data=row.data_value(),
            expected_version=expected,
            **{kind.record_arg: record},
        )


@login_required
def edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    case = _changeable_case(request, public_id)
    saved = _saved_rows(actor, case)
    if request.method != "POST":
        form = CaseForm(actor=actor, case=case)
        rows = {name: CaseRows.of_saved(name, saved[name].values()) for name in ROW_LISTS}
        return render(request, "cases/form.html", _form_context(form, rows, case))
    form = CaseForm(request.POST, actor=actor, case=case)
    rows = {name: CaseRows.from_post(name, request.POST, saved[name]) for name in ROW_LISTS}
    valid = form.is_valid() & all([r.is_valid() for r in rows.values()])
    if valid:
        partners = form.cleaned_data["cooperating_units"]
        try:
            with transaction.atomic():
                services.case_update(
                    actor=actor,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                )
                current = {
                    p.unit_id
                    for p in case.participants.all()
                    if p.role == ParticipationRole.COOPERATING
                }
                if {u.pk for u in partners} != current:
                    services.case_set_cooperating_units(actor=actor, case=case, units=partners)
                _save_rows(actor, case, rows, saved)
        except _RowRefused as refused:
            place_domain_error(refused.row, refused.error)
        except DomainError as error:
            place_domain_error(form, error, field_map=CaseForm.FIELD_MAP)
        else:
            messages.success(
                request, _("Đã lưu vụ việc số %(number)s.") % {"number": case.display_number}
            )
            return redirect(_detail_url(case))
        # Nothing was saved: show the case as it is stored, with the user's input.
        case.refresh_from_db()
    return render(request, "cases/form.html", _form_context(form, rows, case))


# --- htmx pieces of the form -----------------------------------------------------------------


def _next_key(request: HttpRequest, list_name: str) -> int:
    try:
        return max(0, min(9999, int(request.GET.get(f"{list_name}-next", "0"))))
    except ValueError:
        return 0


@require_GET
@login_required
def row(request: HttpRequest, list_name: str) -> HttpResponse:
    """A blank inline row, appended by htmx; the page's next-key counter moves on (oob)."""
    if list_name not in ROW_KINDS:
        raise Http404
    key = _next_key(request, list_name)
    form = CaseRows.FORMS[list_name](key=key, list_name=list_name)
    return render(
        request,
        ROW_KINDS[list_name].template,
        {"row": form, "list_name": list_name, "next_key": key + 1, "oob": True},
    )


@require_GET
@login_required
def unit_options(request: HttpRequest) -> HttpResponse:
    """The unit select's options for the item chosen in a seized-item row."""
    code = next((v for k, v in request.GET.items() if k.endswith("-item")), "")
    item = selectors.catalogue_items().filter(code=code).first() if code else None
    return render(request, "cases/_unit_options.html", {"choices": unit_choices(item)})


# --- wanted persons --------------------------------------------------------------------------


@login_required
def wanted(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    people = WantedFilter(request.GET or None, queryset=selectors.wanted_list(actor=actor)).qs
    status = request.GET.get("status", "")
    return render(
        request,
        "cases/wanted_list.html",
        {
            "page": paginate(request, people),
            "status": status,
            "statuses": WantedStatus.choices,
            "tab": "wanted",
        },
    )


@login_required
def wanted_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = WantedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.wanted_create(actor=actor, **form.wanted_fields())
        except DomainError as error:
            place_domain_error(form, error, field_map={"name": "full_name"})
        else:
            messages.success(
                request,
                _("Đã ghi nhận đối tượng truy nã %(name)s.") % {"name": person.full_name},
            )
            return redirect("cases:wanted")
    return render(
        request,
        "cases/wanted_form.html",
        {"form": form, "tab": "wanted"},
    )


def _wanted_or_404(request: HttpRequest, public_id: UUID) -> WantedPerson:
    actor = _actor(request)
    return record_or_404(selectors.wanted_list(actor=actor), actor, public_id=public_id)


@login_required
def wanted_arrest(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    person = _wanted_or_404(request, public_id)
    initial = {"version": person.version, "case": request.GET.get("case", "")}
    form = ArrestForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.wanted_arrest(
                actor=actor,
                wanted=person,
                arrested_at=data["arrested_at"],
                arresting_unit=data["arresting_unit"],
                case=data["case"],
                surrendered=data["surrendered"],
                expected_version=data["version"],
            )
        except DomainError as error:
            place_domain_error(form, error, field_map={"arrest_case": "case"})
        else:
            messages.success(
                request, _("Đã ghi nhận bắt đối tượng %(name)s.") % {"name": person.full_name}
            )
            return redirect("cases:wanted")
    return render(
        request,
        "cases/wanted_arrest.html",
        {"form": form, "person": person, "tab": "wanted"},
    )
