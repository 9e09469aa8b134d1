"""Pages of the information exchange: inbox, outbox, compose, item detail, verification queue.

Thin views: records come through the selectors and `record_or_404` (invisible is 404), input
through a form, changes through one service; the service's refusal is shown on the form.
Acknowledge and reply answer htmx with a fragment and a plain POST with a redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from phoihop.access.shortcuts import record_or_404
from phoihop.core.errors import DomainError
from phoihop.core.forms import PAGE_SIZE, paginate, place_domain_error
from phoihop.exchange import selectors, services
from phoihop.exchange.attachments import attachment_add
from phoihop.exchange.enums import Handling, VerificationStatus
from phoihop.exchange.filters import BOX_INBOX, BOX_OUTBOX, ItemFilter
from phoihop.exchange.forms import (
    AttachmentForm,
    ComposeForm,
    ForwardForm,
    ReplyForm,
    VerificationAnswerForm,
    VerificationRequestForm,
    VerificationReturnForm,
)
from phoihop.exchange.models import InformationItem, Receipt, VerificationRequest
from phoihop.org.models import Unit, User
from phoihop.org.refs import own_units


@dataclass(frozen=True)
class Due:
    """A due time seen from now: how long is left, or how long it is overdue."""

    at: dt.datetime
    overdue: bool
    delta: dt.timedelta


@dataclass(frozen=True)
class VerificationPanel:
    """A verification request on the detail page, with what the actor's unit may do to it."""

    v: VerificationRequest
    due: Due
    can_answer: bool
    can_close: bool
    answer_form: VerificationAnswerForm
    return_form: VerificationReturnForm


def due_state(at: dt.datetime, now: dt.datetime) -> Due:
    return Due(at=at, overdue=now > at, delta=abs(at - now))


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _item_or_404(request: HttpRequest, public_id: UUID) -> InformationItem:
    return record_or_404(
        selectors.info_item_list(actor=_actor(request)), _actor(request), public_id=public_id
    )


def _verification_or_404(request: HttpRequest, public_id: UUID) -> VerificationRequest:
    verification = (
        selectors.verification_list(actor=_actor(request)).filter(public_id=public_id).first()
    )
    if verification is None:
        raise Http404
    return verification


def _detail_url(item: InformationItem, anchor: str = "") -> str:
    url = reverse("exchange:detail", args=[item.public_id])
    return f"{url}#{anchor}" if anchor else url


def _my_receipts(actor: User) -> Prefetch:
    mine = Receipt.objects.filter(unit=actor.unit) if actor.unit else Receipt.objects.none()
    return Prefetch(
        "receipts", queryset=mine.select_related("acknowledged_by"), to_attr="my_receipts"
    )


def _with_due(receipt: Receipt | None, now: dt.datetime) -> Receipt | None:
    if receipt is not None:
        receipt.due = (  # type: ignore[attr-defined]
            None if receipt.acknowledged_at else due_state(receipt.ack_due_at, now)
        )
    return receipt


def _receipts_of(item: InformationItem) -> QuerySet[Receipt]:
    return item.receipts.select_related("unit", "read_by", "acknowledged_by", "forwarded_by")


def _exchange_counts(actor: User) -> dict[str, int]:
    return {
        "inbox_pending": selectors.info_item_inbox(actor=actor)
        .filter(pending=True)  # type: ignore[misc]  # annotated by the selector
        .count(),
        "queue_pending": selectors.verification_queue(actor=actor).count(),
    }


# --- lists ------------------------------------------------------------------------------------


def _box(
    request: HttpRequest,
    box: str,
    items: QuerySet[InformationItem],
    with_due: Callable[[InformationItem, dt.datetime], None],
) -> HttpResponse:
    """A box's page (`exchange/<box>.html`): its items filtered, paginated, each with the due
    times it shows."""
    item_filter = ItemFilter(request.GET or None, queryset=items, request=request, box=box)
    page = paginate(request, item_filter.qs)
    now = timezone.now()
    for item in page:
        with_due(item, now)
    context = {
        "page": page,
        "filter": item_filter,
        "now": now,
        "tab": box,
        "counts": _exchange_counts(_actor(request)),
    }
    return render(request, f"exchange/{box}.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    items = selectors.info_item_inbox(actor=actor).prefetch_related(_my_receipts(actor), "areas")

    def own_receipt_due(item: InformationItem, now: dt.datetime) -> None:
        item.receipt = _with_due(next(iter(item.my_receipts), None), now)  # type: ignore[attr-defined]

    return _box(request, BOX_INBOX, items, own_receipt_due)


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    receipts = Receipt.objects.select_related("unit", "read_by", "acknowledged_by", "forwarded_by")
    items = (
        selectors.info_item_outbox(actor=_actor(request))
        .select_related("sent_by")
        .prefetch_related(Prefetch("receipts", queryset=receipts), "areas")
        .order_by("-sent_at", "-id")
    )

    def every_receipt_due(item: InformationItem, now: dt.datetime) -> None:
        for receipt in item.receipts.all():
            _with_due(receipt, now)

    return _box(request, BOX_OUTBOX, items, every_receipt_due)


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    now = timezone.now()
    page = paginate(
        request, selectors.verification_queue(actor=actor).select_related("item__owner_unit")
    )
    for verification in page:
        verification.due = due_state(verification.due_at, now)
    awaiting_close = (
        selectors.verification_list(actor=actor)
        .filter(requesting_unit_id=actor.unit_id, status=VerificationStatus.ANSWERED)
        .select_related("item__owner_unit", "answered_by")
        .order_by("answered_at")[:PAGE_SIZE]
    )
    return render(
        request,
        "exchange/verifications.html",
        {
            "page": page,
            "awaiting_close": awaiting_close,
            "now": now,
            "tab": "verifications",
            "counts": _exchange_counts(actor),
        },
    )


# --- compose ----------------------------------------------------------------------------------


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ComposeForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            # The item and its verification request are sent together or not at all.
            with transaction.atomic():
                item = services.info_item_create(actor=actor, **form.item_fields())
                verification = form.verification_fields()
                if verification is not None:
                    services.verification_request_create(actor=actor, item=item, **verification)
        except DomainError as error:
            place_domain_error(form, error, field_map=ComposeForm.FIELD_MAP)
        else:
            messages.success(
                request,
                _("Đã gửi thông tin số %(number)s.") % {"number": item.display_number},
            )
            return redirect(_detail_url(item))
    return render(
        request,
        "exchange/compose.html",
        {"form": form, "tab": "compose", "counts": _exchange_counts(actor)},
    )


# --- detail -----------------------------------------------------------------------------------


def _is_party(unit: Unit | None, item: InformationItem, my_receipt: Receipt | None) -> bool:
    """The sender's tree and the recipients take part in the exchange; onlookers only read."""
    if unit is None:
        return False
    owner_path = item.owner_unit.path
    return bool(
        my_receipt is not None
        or unit.path.startswith(owner_path)
        or owner_path.startswith(unit.path)
    )


def _forward_targets(actor: User, receipts: list[Receipt]) -> QuerySet[Unit]:
    """The actor's own subordinate units that have not received the item yet."""
    return own_units(actor).exclude(pk__in=[actor.unit_id, *(r.unit_id for r in receipts)])


def _thread_context(item: InformationItem, form: ReplyForm | None = None) -> dict[str, Any]:
    return {
        "item": item,
        "replies": item.replies.select_related("author", "unit"),
        "reply_form": form or ReplyForm(),
    }


def _render_detail(request: HttpRequest, item: InformationItem, **bound: Any) -> HttpResponse:
    """The detail page; `bound` holds forms that came back with errors, shown instead of blanks."""
    actor = _actor(request)
    now = timezone.now()
    receipts = list(_receipts_of(item))
    for receipt in receipts:
        _with_due(receipt, now)
    my_receipt = next((r for r in receipts if r.unit_id == actor.unit_id), None)
    is_party = _is_party(actor.unit, item, my_receipt)
    verifications = list(
        selectors.verification_list(actor=actor)
        .filter(item=item)
        .select_related("requested_by", "answered_by")
        .order_by("created_at", "id")
    )
    answer_forms = bound.pop("answer_forms", {})
    return_forms = bound.pop("return_forms", {})
    panels = [
        VerificationPanel(
            v=verification,
            due=due_state(verification.due_at, now),
            can_answer=verification.assigned_unit_id == actor.unit_id
            and verification.status in (VerificationStatus.OPEN, VerificationStatus.IN_PROGRESS),
            can_close=verification.requesting_unit_id == actor.unit_id
            and verification.status == VerificationStatus.ANSWERED,
            answer_form=answer_forms.get(verification.pk)
            or VerificationAnswerForm(prefix=f"v{verification.pk}"),
            return_form=return_forms.get(verification.pk)
            or VerificationReturnForm(prefix=f"r{verification.pk}"),
        )
        for verification in verifications
    ]
    forward_form = None
    forward_refused = ""
    if my_receipt is not None:
        if item.handling == Handling.MAY_FORWARD:
            targets = _forward_targets(actor, receipts)
            if targets.exists():
                forward_form = bound.pop("forward_form", None) or ForwardForm(units=targets)
        else:
            forward_refused = _(
                "Thông tin có chế độ xử lý “%(handling)s”: không được chuyển tiếp."
            ) % {"handling": Handling(item.handling).label}
    context = {
        "item": item,
        "areas": item.areas.all(),
        "receipts": receipts,
        "receipt": my_receipt,
        "is_party": is_party,
        "verifications": panels,
        "forward_form": forward_form,
        "forward_refused": forward_refused,
        "verification_form": (
            bound.pop("verification_form", None) or VerificationRequestForm(actor=actor)
        )
        if is_party
        else None,
        "attachments": item.attachments.select_related("uploaded_by").order_by("created_at"),
        "attachment_form": (bound.pop("attachment_form", None) or AttachmentForm())
        if is_party
        else None,
        "now": now,
        "tab": "",
        **_thread_context(item, bound.pop("reply_form", None)),
    }
    return render(request, "exchange/detail.html", context)


@login_required
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = _item_or_404(request, public_id)
    services.info_item_mark_read(actor=_actor(request), item=item)
    return _render_detail(request, item)


@require_POST
@login_required
def acknowledge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    item = _item_or_404(request, public_id)
    error = ""
    try:
        services.info_item_acknowledge(actor=actor, item=item)
    except DomainError as exc:
        error = next(iter(exc.fields.get("item", [])), exc.message)
    if request.htmx:  # type: ignore[attr-defined]
        now = timezone.now()
        receipts = list(_receipts_of(item))
        for receipt in receipts:
            _with_due(receipt, now)
        context = {
            "item": item,
            "receipt": next((r for r in receipts if r.unit_id == actor.unit_id), None),
            "ack_error": error,
            # On the detail page the receipts table is refreshed too (htmx out-of-band swap).
            "oob_receipts": receipts if request.POST.get("on_detail") else None,
        }
        return render(request, "exchange/_ack.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Đã xác nhận thông tin số %(number)s.") % {"number": item.display_number}
        )
    return redirect(_safe_next(request, _detail_url(item)))


@require_POST
@login_required
def reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    item = _item_or_404(request, public_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.info_item_reply(actor=actor, item=item, body=form.cleaned_data["body"])
        except DomainError as error:
            place_domain_error(form, error, field_map={"item": "body"})
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "exchange/_thread.html", _thread_context(item))
            messages.success(request, _("Đã gửi trả lời."))
            return redirect(_detail_url(item, "thread"))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "exchange/_thread.html", _thread_context(item, form))
    return _render_detail(request, item, reply_form=form)


@require_POST
@login_required
def forward(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    item = _item_or_404(request, public_id)
    form = ForwardForm(request.POST, units=_forward_targets(actor, list(item.receipts.all())))
    if form.is_valid():
        try:
            created = services.info_item_forward(
                actor=actor, item=item, units=form.cleaned_data["units"]
            )
        except DomainError as error:
            place_domain_error(form, error, field_map=ForwardForm.FIELD_MAP)
        else:
            messages.success(
                request,
                _("Đã chuyển tiếp cho: %(units)s.")
                % {"units": ", ".join(r.unit.name for r in created)},
            )
            return redirect(_detail_url(item, "receipts"))
    return _render_detail(request, item, forward_form=form)


@require_POST
@login_required
def verification_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    item = _item_or_404(request, public_id)
    form = VerificationRequestForm(request.POST, actor=actor)
    fields = form.verification_fields() if form.is_valid() else None
    if fields is not None:
        try:
            services.verification_request_create(actor=actor, item=item, **fields)
        except DomainError as error:
            place_domain_error(form, error, field_map=VerificationRequestForm.FIELD_MAP)
        else:
            messages.success(request, _("Đã gửi yêu cầu xác minh."))
            return redirect(_detail_url(item, "verifications"))
    return _render_detail(request, item, verification_form=form)


def _verification_step(
    form_class: type[VerificationAnswerForm | VerificationReturnForm],
    *,
    prefix: str,
    bound: str,
    change: Callable[..., object],
    done: Any,
) -> Callable[[HttpRequest, UUID], HttpResponse]:
    """The page's POST of a request's step with a form (answer, send back): the form's fields
    are the service's; on refusal the detail page comes back with the form (`bound`) showing
    why, under the request it belongs to (`prefix` + its id)."""

    @require_POST
    @login_required
    def step(request: HttpRequest, public_id: UUID) -> HttpResponse:
        verification = _verification_or_404(request, public_id)
        item = _item_or_404(request, verification.item.public_id)
        form = form_class(request.POST, prefix=f"{prefix}{verification.pk}")
        if form.is_valid():
            try:
                change(actor=_actor(request), verification=verification, **form.cleaned_data)
            except DomainError as error:
                place_domain_error(form, error)
            else:
                messages.success(request, str(done))
                return redirect(_detail_url(item, f"verification-{verification.public_id}"))
        return _render_detail(request, item, **{bound: {verification.pk: form}})

    return step


verification_answer = _verification_step(
    VerificationAnswerForm,
    prefix="v",
    bound="answer_forms",
    change=services.verification_answer,
    done=gettext_lazy("Đã trả lời yêu cầu xác minh."),
)
verification_return = _verification_step(
    VerificationReturnForm,
    prefix="r",
    bound="return_forms",
    change=services.verification_return,
    done=gettext_lazy("Đã yêu cầu xác minh thêm."),
)


@require_POST
@login_required
def verification_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    verification = _verification_or_404(request, public_id)
    item = _item_or_404(request, verification.item.public_id)
    try:
        services.verification_close(actor=actor, verification=verification)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã kết thúc yêu cầu xác minh."))
    return redirect(_detail_url(item, f"verification-{verification.public_id}"))


@require_POST
@login_required
def attachment_upload(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    item = _item_or_404(request, public_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(actor=actor, item=item, upload=form.cleaned_data["file"])
        except DomainError as error:
            place_domain_error(form, error, field_map={})
        else:
            messages.success(request, _("Đã đính kèm tệp."))
            return redirect(_detail_url(item, "attachments"))
    return _render_detail(request, item, attachment_form=form)
