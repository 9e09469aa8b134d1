"""Pages of mass mobilisation: the landing page with the period's totals, and for each kind a
list with filters and totals, a detail page and create/edit forms.

Thin views: records come through the selectors and `record_or_404` (invisible is 404), input
through a form, changes through the services; a service's refusal is shown on the form. Rows of
opinions by topic and of handed-in items are added with htmx (a fragment per row, the formset's
row count updated out of band); without htmx the form still works with the rows it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from phoihop.access.rules import Action, can
from phoihop.access.shortcuts import record_or_404
from phoihop.core.errors import DomainError, PermissionDenied
from phoihop.core.forms import place_domain_error
from phoihop.core.tabular import XLSX_CONTENT_TYPE, CellError, ImportFailed, errors_xlsx
from phoihop.mobilisation import imports, selectors, services
from phoihop.mobilisation.filters import (
    CampaignFilter,
    ForumFilter,
    ProgrammeFilter,
    PropagandaFilter,
    RecordFilter,
    area_by_code,
    area_choices,
)
from phoihop.mobilisation.forms import (
    HANDED_IN_PREFIX,
    TOPIC_PREFIX,
    AnswerForm,
    CampaignForm,
    ForumForm,
    HandedInFormSet,
    HandedInRowForm,
    ImportForm,
    LaunchForm,
    OpinionForm,
    ProgrammeForm,
    PropagandaForm,
    RecordForm,
    TopicFormSet,
    TopicRowForm,
    topic_rows,
)
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    MobilisationRecord,
    Opinion,
    SurrenderCampaign,
)
from phoihop.mobilisation.services import HandedInData, OpinionData
from phoihop.org.models import User

PAGE_SIZE = 25
MAX_ROWS = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- periods ------------------------------------------------------------------------------------


def quarter_window(day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The Nghị định 09 quarter holding `day`: quý III is 15/6–14/9, quý I starts 15/12."""
    year = day.year
    if day >= dt.date(year, 12, 15):
        return dt.date(year, 12, 15), dt.date(year + 1, 3, 14), _quarter_label(1, year + 1)
    for number, (first_month, last_month) in enumerate(((12, 3), (3, 6), (6, 9), (9, 12)), 1):
        start = dt.date(year - 1 if number == 1 else year, first_month, 15)
        end = dt.date(year, last_month, 14)
        if start <= day <= end:
            return start, end, _quarter_label(number, year)
    raise AssertionError(day)  # pragma: no cover - the four windows cover the year


def _quarter_label(number: int, year: int) -> str:
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[number]
    return _("quý %(q)s năm %(year)s") % {"q": roman, "year": year}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}
        ),
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}
        ),
    )
    area = forms.ChoiceField(
        label=gettext_lazy("Địa bàn"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The figures are for the province (the default) or one of its communes.
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            choice for choice in area_choices(actor) if choice[0]
        ]


# --- the landing page ---------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    default_start, default_end, label = quarter_window(timezone.localdate())
    form = PeriodForm(request.GET or None, actor=actor)
    # The whole province of the actor by default: its coverage is a share of its communes.
    home = actor.unit.province if actor.unit is not None else None
    start, end, area = default_start, default_end, home
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or default_start
        end = form.cleaned_data["end"] or default_end
        area = area_by_code(form.cleaned_data["area"]) if form.cleaned_data["area"] else home
        if (start, end) != (default_start, default_end):
            label = ""
    elif not form.is_bound:
        form = PeriodForm(initial={"start": default_start, "end": default_end}, actor=actor)
    figures = selectors.mobilisation_figures(actor=actor, start=start, end=end, area=area)
    query = urlencode(
        {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
            **({"area": area.code} if area else {}),
        }
    )
    return render(
        request,
        "mobilisation/index.html",
        {
            "form": form,
            "figures": figures,
            "start": start,
            "end": end,
            "area": area,
            "period_label": label,
            "query": query,
            "tab": "index",
        },
    )


# --- lists --------------------------------------------------------------------------------------


def _listing(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    filter_class: type[RecordFilter],
    figures: Callable[[QuerySet[Any], RecordFilter], Any],
    template: str,
    tab: str,
) -> HttpResponse:
    record_filter = filter_class(request.GET or None, queryset=queryset, request=request)
    rows = record_filter.qs
    page = _page(request, rows)
    return render(
        request,
        template,
        {
            "filter": record_filter,
            "page": page,
            "figures": figures(rows, record_filter),
            "tab": tab,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def forum_list(request: HttpRequest) -> HttpResponse:
    return _listing(
        request,
        queryset=selectors.forum_list(actor=_actor(request)).prefetch_related("topic_counts"),
        filter_class=ForumFilter,
        figures=lambda rows, _f: selectors.forum_figures(rows),
        template="mobilisation/forum_list.html",
        tab="forums",
    )


@login_required
def propaganda_list(request: HttpRequest) -> HttpResponse:
    return _listing(
        request,
        queryset=selectors.propaganda_list(actor=_actor(request)).prefetch_related("laws"),
        filter_class=PropagandaFilter,
        figures=lambda rows, _f: selectors.propaganda_figures(rows),
        template="mobilisation/propaganda_list.html",
        tab="propaganda",
    )


def _campaign_figures(rows: QuerySet[SurrenderCampaign], record_filter: RecordFilter) -> Any:
    start, end = record_filter.period
    return selectors.campaign_figures(rows, start=start, end=end, area=record_filter.chosen_area)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    return _listing(
        request,
        queryset=selectors.campaign_list(actor=_actor(request)),
        filter_class=CampaignFilter,
        figures=_campaign_figures,
        template="mobilisation/campaign_list.html",
        tab="campaigns",
    )


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    return _listing(
        request,
        queryset=selectors.programme_list(actor=_actor(request)),
        filter_class=ProgrammeFilter,
        figures=lambda rows, _f: selectors.programme_figures(rows),
        template="mobilisation/programme_list.html",
        tab="programmes",
    )


# --- create and edit, shared by every kind ------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    tab: str
    form_class: type[RecordForm]
    template: str
    detail_url: str
    create: Callable[..., MobilisationRecord]
    update: Callable[..., list[str]]
    delete: Callable[..., None]
    created_message: Any
    list_url: str


def _record(request: HttpRequest, queryset: QuerySet[Any], public_id: UUID, **kw: Any) -> Any:
    """The record behind the URL: invisible is 404; visible but not to be changed is 403."""
    try:
        return record_or_404(queryset, _actor(request), public_id=public_id, **kw)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc


def _edit_page(
    request: HttpRequest,
    kind: Kind,
    *,
    record: MobilisationRecord | None = None,
    formset_class: Any = None,
    formset_initial: list[dict[str, Any]] | None = None,
    formset_values: Callable[[Any], dict[str, Any]] | None = None,
) -> HttpResponse:
    """The create/edit form of a record, with an optional formset of rows (topic counts)."""
    actor = _actor(request)
    data = request.POST if request.method == "POST" else None
    form = kind.form_class(data, actor=actor, record=record)
    formset = None
    if formset_class is not None:
        formset = formset_class(data, prefix=TOPIC_PREFIX, initial=formset_initial)
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        extra = formset_values(formset) if formset is not None and formset_values else {}
        try:
            if record is None:
                record = kind.create(actor=actor, **form.create_values(), **extra)
                messages.success(request, kind.created_message)
            else:
                kind.update(
                    actor=actor,
                    record=record,
                    expected_version=int(request.POST.get("version") or record.version),
                    changes={**form.changes(), **extra},
                )
                messages.success(request, _("Đã lưu thay đổi."))
        except DomainError as error:
            _show_error(form, formset, error)
        else:
            return redirect(kind.detail_url, record.public_id)
    return render(
        request,
        kind.template,
        {"form": form, "formset": formset, "record": record, "tab": kind.tab},
    )


def _show_error(form: forms.Form, formset: Any, error: DomainError) -> None:
    """Row errors (`topic_counts.1.count`) on their row, the rest on the form."""
    rest: dict[str, list[str]] = {}
    for name, msgs in error.fields.items():
        parts = name.split(".")
        if formset is not None and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(formset.forms) and parts[2] in formset.forms[index].fields:
                for message in msgs:
                    formset.forms[index].add_error(parts[2], message)
                continue
        rest[name] = msgs
    if rest or not error.fields:
        place_domain_error(
            form,
            DomainError(error.message, code=error.code, fields=rest),
            field_map=getattr(form, "FIELD_MAP", {}),
        )


def _delete(request: HttpRequest, kind: Kind, record: MobilisationRecord) -> HttpResponse:
    try:
        kind.delete(
            actor=_actor(request),
            record=record,
            expected_version=int(request.POST.get("version") or record.version),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(kind.detail_url, record.public_id)
    messages.success(request, _("Đã xóa."))
    return redirect(kind.list_url)


# --- forums -------------------------------------------------------------------------------------


def _forum_update(*, actor: User, record: Forum, **kw: Any) -> list[str]:
    return services.forum_update(actor=actor, forum=record, **kw)


def _forum_delete(*, actor: User, record: Forum, **kw: Any) -> None:
    services.forum_delete(actor=actor, forum=record, **kw)


FORUM = Kind(
    tab="forums",
    form_class=ForumForm,
    template="mobilisation/forum_form.html",
    detail_url="mobilisation:forum_detail",
    create=services.forum_create,
    update=_forum_update,
    delete=_forum_delete,
    created_message=gettext_lazy("Đã ghi nhận diễn đàn."),
    list_url="mobilisation:forum_list",
)


def _topic_values(formset: Any) -> dict[str, Any]:
    return {"topic_counts": topic_rows(formset)}


@login_required
def forum_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(
        request,
        FORUM,
        formset_class=TopicFormSet,
        formset_initial=[{}, {}],
        formset_values=_topic_values,
    )


@login_required
def forum_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    forum = _record(
        request, selectors.forum_list(actor=_actor(request)), public_id, action=Action.CHANGE
    )
    initial = [
        {"topic": t, "count": n} for t, n in forum.topic_counts.values_list("topic", "count")
    ]
    return _edit_page(
        request,
        FORUM,
        record=forum,
        formset_class=TopicFormSet,
        formset_initial=initial or [{}],
        formset_values=_topic_values,
    )


def _row_index(request: HttpRequest, prefix: str) -> int:
    try:
        return max(0, min(int(request.GET.get(f"{prefix}-TOTAL_FORMS", "0")), MAX_ROWS))
    except ValueError:
        return 0


@require_GET
@login_required
def topic_row(request: HttpRequest) -> HttpResponse:
    """htmx: one more row of opinions by topic, and the formset's row count (out of band)."""
    index = _row_index(request, TOPIC_PREFIX)
    form = TopicRowForm(prefix=f"{TOPIC_PREFIX}-{index}")
    return render(
        request,
        "mobilisation/_topic_row.html",
        {"row": form, "total": index + 1, "prefix": TOPIC_PREFIX, "oob": True},
    )


def _forum_detail_queryset(actor: User) -> QuerySet[Forum]:
    return selectors.forum_list(actor=actor).prefetch_related("participating_units", "topic_counts")


def _render_forum(
    request: HttpRequest,
    forum: Forum,
    *,
    opinion_form: OpinionForm | None = None,
    answer_forms: dict[int, AnswerForm] | None = None,
) -> HttpResponse:
    actor = _actor(request)
    can_change = can(actor, Action.CHANGE, forum)
    opinions = list(
        selectors.opinion_list(actor=actor)
        .filter(forum=forum)
        .select_related("created_by")
        .order_by("created_at", "id")
    )
    for opinion in opinions:
        opinion.may_answer = opinion.status == "open" and services.may_answer(actor, opinion)  # type: ignore[attr-defined]
        opinion.may_close = opinion.status == "answered" and can_change  # type: ignore[attr-defined]
        opinion.answer_form = (answer_forms or {}).get(opinion.pk) or AnswerForm(  # type: ignore[attr-defined]
            prefix=f"a{opinion.pk}"
        )
    counts = list(forum.topic_counts.all())
    return render(
        request,
        "mobilisation/forum_detail.html",
        {
            "record": forum,
            "topic_counts": counts,
            "unclassified": forum.opinions - sum(c.count for c in counts),
            "opinions": opinions,
            "can_change": can_change,
            "opinion_form": opinion_form or (OpinionForm(actor=actor) if can_change else None),
            "tab": "forums",
        },
    )


@login_required
def forum_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    forum = _record(request, _forum_detail_queryset(_actor(request)), public_id)
    return _render_forum(request, forum)


@require_POST
@login_required
def forum_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    forum = _record(request, selectors.forum_list(actor=_actor(request)), public_id)
    return _delete(request, FORUM, forum)


@require_POST
@login_required
def opinion_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    forum = _record(request, _forum_detail_queryset(actor), public_id)
    form = OpinionForm(request.POST, actor=actor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.opinion_add(
                actor=actor,
                forum=forum,
                data=OpinionData(
                    topic=data["topic"],
                    content=data["content"],
                    raised_by=data["raised_by"],
                    assigned_unit=data["assigned_unit"],
                ),
            )
        except DomainError as error:
            place_domain_error(form, error, field_map=OpinionForm.FIELD_MAP)
        else:
            messages.success(request, _("Đã ghi ý kiến."))
            return redirect(
                reverse("mobilisation:forum_detail", args=[forum.public_id]) + "#opinions"
            )
    return _render_forum(request, forum, opinion_form=form)


def _opinion_or_404(request: HttpRequest, public_id: UUID) -> Opinion:
    opinion = selectors.opinion_list(actor=_actor(request)).filter(public_id=public_id).first()
    if opinion is None:
        raise Http404
    return opinion


@require_POST
@login_required
def opinion_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    opinion = _opinion_or_404(request, public_id)
    forum = _record(request, _forum_detail_queryset(actor), opinion.forum.public_id)
    form = AnswerForm(request.POST, prefix=f"a{opinion.pk}")
    if form.is_valid():
        try:
            services.opinion_answer(
                actor=actor, opinion=opinion, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            place_domain_error(form, error, field_map={"status": "answer"})
        else:
            messages.success(request, _("Đã trả lời ý kiến."))
            return redirect(
                reverse("mobilisation:forum_detail", args=[forum.public_id]) + "#opinions"
            )
    return _render_forum(request, forum, answer_forms={opinion.pk: form})


@require_POST
@login_required
def opinion_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    opinion = _opinion_or_404(request, public_id)
    try:
        services.opinion_close(actor=actor, opinion=opinion)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã kết thúc ý kiến."))
    return redirect(
        reverse("mobilisation:forum_detail", args=[opinion.forum.public_id]) + "#opinions"
    )


# --- law propaganda -----------------------------------------------------------------------------

PROPAGANDA = Kind(
    tab="propaganda",
    form_class=PropagandaForm,
    template="mobilisation/record_form.html",
    detail_url="mobilisation:propaganda_detail",
    create=services.propaganda_create,
    update=services.propaganda_update,
    delete=services.propaganda_delete,
    created_message=gettext_lazy("Đã ghi nhận hoạt động tuyên truyền."),
    list_url="mobilisation:propaganda_list",
)


@login_required
def propaganda_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, PROPAGANDA)


@login_required
def propaganda_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    record = _record(
        request, selectors.propaganda_list(actor=_actor(request)), public_id, action=Action.CHANGE
    )
    return _edit_page(request, PROPAGANDA, record=record)


@login_required
def propaganda_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    record = _record(
        request,
        selectors.propaganda_list(actor=actor).prefetch_related("laws", "participating_units"),
        public_id,
    )
    return render(
        request,
        "mobilisation/propaganda_detail.html",
        {"record": record, "can_change": can(actor, Action.CHANGE, record), "tab": "propaganda"},
    )


@require_POST
@login_required
def propaganda_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    record = _record(request, selectors.propaganda_list(actor=_actor(request)), public_id)
    return _delete(request, PROPAGANDA, record)


# --- surrender campaigns ------------------------------------------------------------------------


def _campaign_update(*, actor: User, record: SurrenderCampaign, **kw: Any) -> list[str]:
    return services.campaign_update(actor=actor, campaign=record, **kw)


def _campaign_delete(*, actor: User, record: SurrenderCampaign, **kw: Any) -> None:
    services.campaign_delete(actor=actor, campaign=record, **kw)


CAMPAIGN = Kind(
    tab="campaigns",
    form_class=CampaignForm,
    template="mobilisation/record_form.html",
    detail_url="mobilisation:campaign_detail",
    create=services.campaign_create,
    update=_campaign_update,
    delete=_campaign_delete,
    created_message=gettext_lazy("Đã tạo đợt vận động."),
    list_url="mobilisation:campaign_list",
)


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, CAMPAIGN)


@login_required
def campaign_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    record = _record(
        request, selectors.campaign_list(actor=_actor(request)), public_id, action=Action.CHANGE
    )
    return _edit_page(request, CAMPAIGN, record=record)


def _campaign_queryset(actor: User) -> QuerySet[SurrenderCampaign]:
    return selectors.campaign_list(actor=actor).prefetch_related(
        "participating_units",
        Prefetch(
            "launches",
            queryset=CampaignLaunch.objects.select_related("commune", "unit").order_by(
                "launched_on", "commune__name"
            ),
        ),
        Prefetch("handed_in", queryset=HandedInItem.objects.select_related("commune", "item")),
    )


def _render_campaign(
    request: HttpRequest,
    campaign: SurrenderCampaign,
    *,
    launch_form: LaunchForm | None = None,
    formset: Any = None,
) -> HttpResponse:
    actor = _actor(request)
    contributor = services.may_contribute(actor, campaign)
    figures = selectors.campaign_figures(
        selectors.campaign_list(actor=actor).filter(pk=campaign.pk)
    )
    launched = {launch.commune_id for launch in campaign.launches.all()}
    not_launched = selectors.area_communes(campaign.area).exclude(pk__in=launched).order_by("name")
    return render(
        request,
        "mobilisation/campaign_detail.html",
        {
            "record": campaign,
            "coverage": figures.campaigns[0] if figures.campaigns else None,
            "totals": figures.handed_in,
            "not_launched": not_launched,
            "can_change": can(actor, Action.CHANGE, campaign),
            "contributor": contributor,
            "launch_form": launch_form
            or (LaunchForm(actor=actor, campaign=campaign) if contributor else None),
            "formset": formset
            or (
                HandedInFormSet(prefix=HANDED_IN_PREFIX, campaign=campaign, initial=[{}])
                if contributor
                else None
            ),
            "tab": "campaigns",
        },
    )


@login_required
def campaign_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    campaign = _record(request, _campaign_queryset(_actor(request)), public_id)
    return _render_campaign(request, campaign)


@require_POST
@login_required
def campaign_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    record = _record(request, selectors.campaign_list(actor=_actor(request)), public_id)
    return _delete(request, CAMPAIGN, record)


def _campaign_url(campaign: SurrenderCampaign, anchor: str) -> str:
    return reverse("mobilisation:campaign_detail", args=[campaign.public_id]) + f"#{anchor}"


@require_POST
@login_required
def campaign_launch(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    campaign = _record(request, _campaign_queryset(actor), public_id)
    form = LaunchForm(request.POST, actor=actor, campaign=campaign)
    if form.is_valid():
        try:
            services.campaign_launch(
                actor=actor,
                campaign=campaign,
                commune=form.cleaned_data["commune"],
                launched_on=form.cleaned_data["launched_on"],
                attendees=form.cleaned_data["attendees"],
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi nhận phát động tại %(commune)s.")
                % {"commune": form.cleaned_data["commune"].name},
            )
            return redirect(_campaign_url(campaign, "launches"))
    return _render_campaign(request, campaign, launch_form=form)


@require_POST
@login_required
def handed_in_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    campaign = _record(request, _campaign_queryset(actor), public_id)
    formset = HandedInFormSet(request.POST, prefix=HANDED_IN_PREFIX, campaign=campaign)
    if formset.is_valid():
        filled = [(i, f) for i, f in enumerate(formset.forms) if f.filled]
        rows = [
            HandedInData(
                commune=f.communes.get(f.cleaned_data["commune"]),
                handed_in_on=f.cleaned_data["handed_in_on"],
                item=f.cleaned_data["item"],
                quantity=f.cleaned_data["quantity"],
                unit=f.cleaned_data["unit"],
                note=f.cleaned_data["note"],
            )
            for _i, f in filled
        ]
        try:
            services.handed_in_add(actor=actor, campaign=campaign, rows=rows)
        except DomainError as error:
            _show_row_errors(formset, [i for i, _f in filled], error)
        else:
            messages.success(
                request,
                _("Đã ghi %(n)s dòng vũ khí, vật liệu nổ được giao nộp.") % {"n": len(rows)},
            )
            return redirect(_campaign_url(campaign, "handed-in"))
    return _render_campaign(request, campaign, formset=formset)


def _show_row_errors(formset: Any, positions: list[int], error: DomainError) -> None:
    """`items.<n>.<field>` (n counts the filled rows) on the row of the formset it came from."""
    placed = False
    for name, msgs in error.fields.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(positions):
            form = formset.forms[positions[int(parts[1])]]
            field = parts[2] if parts[2] in form.fields else None
            for message in msgs:
                form.add_error(field, message)
            placed = True
    if not placed:
        formset.non_form_errors().append(error.message)
        formset._non_form_errors = formset.non_form_errors()  # keep the appended message


@require_GET
@login_required
def handed_in_row(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """htmx: one more handed-in row, and the formset's row count (out of band)."""
    campaign = _record(request, selectors.campaign_list(actor=_actor(request)), public_id)
    index = _row_index(request, HANDED_IN_PREFIX)
    form = HandedInRowForm(prefix=f"{HANDED_IN_PREFIX}-{index}", campaign=campaign)
    return render(
        request,
        "mobilisation/_handed_in_row.html",
        {"row": form, "total": index + 1, "prefix": HANDED_IN_PREFIX, "oob": True},
    )


@require_POST
@login_required
def launch_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    launch = selectors.launch_list(actor=_actor(request)).filter(public_id=public_id).first()
    if launch is None:
        raise Http404
    try:
        services.launch_delete(actor=_actor(request), launch=launch)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã xóa lượt phát động."))
    return redirect(_campaign_url(launch.campaign, "launches"))


@require_POST
@login_required
def handed_in_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    row = selectors.handed_in_list(actor=_actor(request)).filter(public_id=public_id).first()
    if row is None:
        raise Http404
    try:
        services.handed_in_delete(actor=_actor(request), row=row)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã xóa dòng giao nộp."))
    return redirect(_campaign_url(row.campaign, "handed-in"))


# --- social support -----------------------------------------------------------------------------

PROGRAMME = Kind(
    tab="programmes",
    form_class=ProgrammeForm,
    template="mobilisation/record_form.html",
    detail_url="mobilisation:programme_detail",
    create=services.programme_create,
    update=services.programme_update,
    delete=services.programme_delete,
    created_message=gettext_lazy("Đã ghi nhận hoạt động an sinh xã hội."),
    list_url="mobilisation:programme_list",
)


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, PROGRAMME)


@login_required
def programme_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    record = _record(
        request, selectors.programme_list(actor=_actor(request)), public_id, action=Action.CHANGE
    )
    return _edit_page(request, PROGRAMME, record=record)


@login_required
def programme_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    record = _record(
        request,
        selectors.programme_list(actor=actor).prefetch_related("participating_units"),
        public_id,
    )
    return render(
        request,
        "mobilisation/programme_detail.html",
        {"record": record, "can_change": can(actor, Action.CHANGE, record), "tab": "programmes"},
    )


@require_POST
@login_required
def programme_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    record = _record(request, selectors.programme_list(actor=_actor(request)), public_id)
    return _delete(request, PROGRAMME, record)


# --- imports ------------------------------------------------------------------------------------


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _import_page(
    request: HttpRequest,
    *,
    run: Callable[[Any], list[Any]],
    title: str,
    template_url: str,
    done_url: str,
    done_message: str,
    tab: str,
    record: Any = None,
) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = run(upload)
        except ImportFailed as failure:
            errors = failure.errors
            # Kept for the download of the error list (`import_errors`).
            request.session[IMPORT_ERRORS_KEY] = [e.as_dict() for e in errors[:5000]]
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, done_message % {"n": len(created)})
            return redirect(done_url)
    return render(
        request,
        "mobilisation/import.html",
        {
            "form": form,
            "errors": errors,
            "title": title,
            "template_url": template_url,
            "record": record,
            "tab": tab,
        },
    )


IMPORT_ERRORS_KEY = "mobilisation_import_errors"


@require_GET
@login_required
def import_errors(request: HttpRequest) -> HttpResponse:
    """The errors of the last refused import, as a workbook."""
    rows = request.session.get(IMPORT_ERRORS_KEY) or []
    errors = [CellError(r["sheet"], r["row"], r["column"], r["message"]) for r in rows]
    return _xlsx(errors_xlsx(errors), "loi-nhap.xlsx")


@login_required
def forum_import(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)

    def run(upload: Any) -> list[Any]:
        return imports.import_forums(actor=actor, content=upload.read(), filename=upload.name)

    return _import_page(
        request,
        run=run,
        title=_("Nhập diễn đàn từ tệp"),
        template_url=reverse("mobilisation:forum_import_template"),
        done_url=reverse("mobilisation:forum_list"),
        done_message=_("Đã nhập %(n)s diễn đàn."),
        tab="forums",
    )


@require_GET
@login_required
def forum_import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(imports.forum_template(), "mau-nhap-dien-dan.xlsx")


@login_required
def handed_in_import(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    campaign = _record(request, selectors.campaign_list(actor=actor), public_id)
    if not services.may_contribute(actor, campaign):
        raise DjangoPermissionDenied

    def run(upload: Any) -> list[Any]:
        with transaction.atomic():
            return imports.import_handed_in(
                actor=actor, campaign=campaign, content=upload.read(), filename=upload.name
            )

    return _import_page(
        request,
        run=run,
        title=_("Nhập vũ khí, vật liệu nổ được giao nộp từ tệp"),
        template_url=reverse("mobilisation:handed_in_import_template"),
        done_url=_campaign_url(campaign, "handed-in"),
        done_message=_("Đã nhập %(n)s dòng giao nộp."),
        tab="campaigns",
        record=campaign,
    )


@require_GET
@login_required
def handed_in_import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(imports.handed_in_template(), "mau-nhap-giao-nop.xlsx")
