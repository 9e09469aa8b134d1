"""Pages of mass mobilisation: the landing page with the period's totals, and for each kind of
`phoihop.mobilisation.kinds` a list with filters and totals, a detail page and create/edit forms
(one set of views for every kind, `Page`; forums and campaigns have their own detail pages, and
a forum's form its rows of opinions by topic).

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
from phoihop.core.forms import BootstrapForm, date_field, paginate, place_domain_error, select
from phoihop.core.tabular import XLSX_CONTENT_TYPE, CellError, ImportFailed, errors_xlsx
from phoihop.indicators.periods import Period, PeriodKind, WindowRule
from phoihop.mobilisation import imports, selectors, services
from phoihop.mobilisation.filters import area_choices
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
    topic_forms,
)
from phoihop.mobilisation.kinds import CAMPAIGNS, FORUMS, PROGRAMMES, PROPAGANDA, Kind
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    MobilisationRecord,
    Opinion,
    SurrenderCampaign,
)
from phoihop.mobilisation.services import OpinionData
from phoihop.org.models import User
from phoihop.org.refs import area_by_code

# The most rows an htmx "add a row" asks for.
MAX_ROWS = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- periods ------------------------------------------------------------------------------------


def quarter_window(day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The Nghị định 09 quarter holding `day` (quý III is 15/6–14/9, quý I starts 15/12): its
    first and last day and its name, as the reporting periods define it."""
    quarter = Period.containing(day, PeriodKind.QUARTER, rule=WindowRule.DECREE09)
    start, end = quarter.window(WindowRule.DECREE09)
    return start, end, quarter.label


class PeriodForm(BootstrapForm):
    start = date_field(gettext_lazy("Từ ngày"), required=False)
    end = date_field(gettext_lazy("Đến ngày"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Địa bàn"), required=False, widget=select())

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


# --- what every kind has: list, create, edit, detail, delete ------------------------------------


@dataclass(frozen=True)
class Page:
    """A record kind's pages: the kind, its form and the template of the form."""

    kind: Kind
    form_class: type[RecordForm]
    form_template: str = "mobilisation/record_form.html"

    def url(self, page: str) -> str:
        return f"mobilisation:{self.kind.name}_{page}"

    def template(self, page: str) -> str:
        return f"mobilisation/{self.kind.name}_{page}.html"


FORUM_PAGES = Page(FORUMS, ForumForm, "mobilisation/forum_form.html")
PROPAGANDA_PAGES = Page(PROPAGANDA, PropagandaForm)
CAMPAIGN_PAGES = Page(CAMPAIGNS, CampaignForm)
PROGRAMME_PAGES = Page(PROGRAMMES, ProgrammeForm)


def _record(request: HttpRequest, queryset: QuerySet[Any], public_id: UUID, **kw: Any) -> Any:
    """The record behind the URL: invisible is 404; visible but not to be changed is 403."""
    try:
        return record_or_404(queryset, _actor(request), public_id=public_id, **kw)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc


@login_required
def record_list(request: HttpRequest, page: Page) -> HttpResponse:
    kind = page.kind
    record_filter = kind.filterset(
        request.GET or None, queryset=kind.rows(_actor(request)), request=request
    )
    rows = record_filter.qs
    return render(
        request,
        page.template("list"),
        {
            "filter": record_filter,
            "page": paginate(request, rows),
            "figures": kind.figures(rows, record_filter),
            "tab": kind.slug,
            "query": request.GET.urlencode(),
        },
    )


def _edit_page(
    request: HttpRequest,
    page: Page,
    *,
    record: MobilisationRecord | None = None,
    topics: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """The create/edit form of a record; a forum's also has its rows of opinions by topic."""
    actor = _actor(request)
    data = request.POST if request.method == "POST" else None
    form = page.form_class(data, actor=actor, record=record)
    formset = None if topics is None else TopicFormSet(data, prefix=TOPIC_PREFIX, initial=topics)
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        rows = topic_forms(formset) if formset is not None else []
        extra = {} if formset is None else {"topic_counts": [row.pair() for row in rows]}
        try:
            if record is None:
                record = page.kind.create(actor=actor, **form.create_values(), **extra)
                messages.success(request, str(page.kind.created_message))
            else:
                page.kind.update(
                    actor=actor,
                    record=record,
                    expected_version=int(request.POST.get("version") or record.version),
                    changes={**form.changes(), **extra},
                )
                messages.success(request, _("Đã lưu thay đổi."))
        except DomainError as error:
            place_domain_error(
                form, error, rows={"topic_counts": rows}, field_map=getattr(form, "FIELD_MAP", {})
            )
        else:
            return redirect(page.url("detail"), record.public_id)
    return render(
        request,
        page.form_template,
        {"form": form, "formset": formset, "record": record, "tab": page.kind.slug},
    )


@login_required
def record_create(request: HttpRequest, page: Page) -> HttpResponse:
    return _edit_page(request, page)


@login_required
def record_edit(request: HttpRequest, public_id: UUID, page: Page) -> HttpResponse:
    rows = page.kind.rows(_actor(request))
    return _edit_page(request, page, record=_record(request, rows, public_id, action=Action.CHANGE))


@login_required
def record_detail(request: HttpRequest, public_id: UUID, page: Page) -> HttpResponse:
    actor = _actor(request)
    rows = page.kind.rows(actor).prefetch_related("participating_units")
    record = _record(request, rows, public_id)
    return render(
        request,
        page.template("detail"),
        {"record": record, "can_change": can(actor, Action.CHANGE, record), "tab": page.kind.slug},
    )


@require_POST
@login_required
def record_delete(request: HttpRequest, public_id: UUID, page: Page) -> HttpResponse:
    record = _record(request, page.kind.rows(_actor(request)), public_id)
    try:
        page.kind.delete(
            actor=_actor(request),
            record=record,
            expected_version=int(request.POST.get("version") or record.version),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(page.url("detail"), record.public_id)
    messages.success(request, _("Đã xóa."))
    return redirect(page.url("list"))


# --- forums -------------------------------------------------------------------------------------


@login_required
def forum_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, FORUM_PAGES, topics=[{}, {}])


@login_required
def forum_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    forum = _record(request, FORUMS.rows(_actor(request)), public_id, action=Action.CHANGE)
    topics = [{"topic": c.topic, "count": c.count} for c in forum.topic_counts.all()]
    return _edit_page(request, FORUM_PAGES, record=forum, topics=topics or [{}])


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
    return FORUMS.rows(actor).prefetch_related("participating_units")


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


# --- surrender campaigns ------------------------------------------------------------------------


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
        filled = [row for row in formset.forms if row.filled]
        try:
            services.handed_in_add(
                actor=actor, campaign=campaign, rows=[row.handed_in() for row in filled]
            )
        except DomainError as error:
            # `items.<n>.<field>` counts the filled rows.
            place_domain_error(formset, error, rows={"items": filled})
        else:
            messages.success(
                request,
                _("Đã ghi %(n)s dòng vũ khí, vật liệu nổ được giao nộp.") % {"n": len(filled)},
            )
            return redirect(_campaign_url(campaign, "handed-in"))
    return _render_campaign(request, campaign, formset=formset)


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


def _row_delete(
    rows: Callable[..., QuerySet[Any]],
    delete: Callable[[User, Any], None],
    *,
    done: Any,
    anchor: str,
) -> Callable[[HttpRequest, UUID], HttpResponse]:
    """The view deleting one row of a campaign (a launch, a handed-in item) that the actor sees
    in `rows` (its list selector); back to the campaign's list of them."""

    @require_POST
    @login_required
    def view(request: HttpRequest, public_id: UUID) -> HttpResponse:
        actor = _actor(request)
        row = rows(actor=actor).filter(public_id=public_id).first()
        if row is None:
            raise Http404
        try:
            delete(actor, row)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(_campaign_url(row.campaign, anchor))

    return view


launch_delete = _row_delete(
    selectors.launch_list,
    lambda actor, launch: services.launch_delete(actor=actor, launch=launch),
    done=gettext_lazy("Đã xóa lượt phát động."),
    anchor="launches",
)
handed_in_delete = _row_delete(
    selectors.handed_in_list,
    lambda actor, row: services.handed_in_delete(actor=actor, row=row),
    done=gettext_lazy("Đã xóa dòng giao nộp."),
    anchor="handed-in",
)


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
