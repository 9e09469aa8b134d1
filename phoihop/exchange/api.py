"""API of the information exchange, under /api/v1/exchange/.

Items and verification requests are addressed by `public_id`; both viewsets stand on the one
scoped-record base (`phoihop.access.api`): reads start from the exchange selectors, writes go
through the exchange services, every POST honours `Idempotency-Key`.

Back-entry: an item is sent now unless the body gives its real dates (`sent_at`, `delivered_at`,
`acknowledged_at`, and in `verification` `requested_at`, `answered_at` with `result` and
`findings`); each is refused in the future (`future_time`), before 01/01/2019
(`before_earliest`) or out of order (`out_of_order`), naming the field, nothing saved.

Answers, in one error shape `{message, code, fields}`:
- an item or verification request the caller may not see is 404, the same as a missing one;
- a unit is named by its code or its public id (`recipients`, `verification.assigned_unit`,
  `assigned_unit`, forwarding `units`); an unknown unit, area or item is 400 naming the field
  (`unknown_unit`, `unknown_area`, `unknown_item`, `unknown_force`, `unknown_level`),
  nothing saved;
- an action on a visible record that the exchange refuses is 400 with the service's code
  (`not_a_recipient`, `already_acknowledged`, `forward_not_allowed`, `already_recipient`,
  `invalid_transition`, `not_your_verification`, `due_in_past`, ...); 403 only where the access
  rule itself refuses (`permission_denied`: a reply from a unit that is not party to the item,
  or a caller who belongs to no unit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.access.api import ScopedRecordViewSet, workflow_step
from phoihop.access.rules import Action, get_visible
from phoihop.access.schema import documented, post_action
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError, NotFound, invalid, prefixed
from phoihop.exchange.attachments import Attachment, attachment_add
from phoihop.exchange.enums import VerificationStatus
from phoihop.exchange.filters import BOX_ALL, BOX_INBOX, BOX_OUTBOX, ItemFilter
from phoihop.exchange.models import InformationItem, Receipt, Reply, VerificationRequest
from phoihop.exchange.selectors import (
    info_item_inbox,
    info_item_list,
    info_item_outbox,
    verification_list,
    verification_queue,
)
from phoihop.exchange.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ForwardSerializer,
    ItemCreateSerializer,
    ItemDetailSerializer,
    ItemSerializer,
    ReceiptSerializer,
    ReplyCreateSerializer,
    ReplySerializer,
    VerificationAnswerSerializer,
    VerificationCreateSerializer,
    VerificationDetailSerializer,
    VerificationNoteSerializer,
    VerificationReturnSerializer,
    VerificationSerializer,
)
from phoihop.exchange.services import (
    info_item_acknowledge,
    info_item_create,
    info_item_forward,
    info_item_mark_read,
    info_item_reply,
    verification_answer,
    verification_close,
    verification_request_create,
    verification_return,
    verification_start,
)
from phoihop.org.models import AdministrativeArea, Force, UnitLevel, User
from phoihop.org.refs import area_by_code_or_error, unit_by_ref, units_by_ref

_TAG: Any = gettext_lazy("Trao đổi thông tin")
_BAD_INPUT: Any = gettext_lazy(
    "Dữ liệu không hợp lệ (`fields` nêu trường, kể cả đơn vị, địa bàn hay mã định danh không "
    "có: unknown_unit, unknown_area, unknown_item) hoặc nghiệp vụ từ chối một thao tác trên bản "
    "ghi được xem; `code` nêu lý do, ví dụ already_acknowledged, not_a_recipient, "
    "forward_not_allowed, not_your_verification, invalid_transition. Không có gì được lưu."
)


def _force_levels(pairs: Iterable[dict[str, str]]) -> list[tuple[str, str]]:
    wanted = [(p["force"].strip().upper(), p["level"].strip()) for p in pairs]
    if not wanted:
        return []
    forces = set(
        Force.objects.filter(code__in={f for f, _l in wanted}).values_list("code", flat=True)
    )
    levels = set(
        UnitLevel.objects.filter(code__in={lv for _f, lv in wanted}).values_list("code", flat=True)
    )
    for force, level in wanted:
        if force not in forces:
            raise invalid(
                "force_levels",
                _("Không có lực lượng mã %(code)s.") % {"code": force},
                code="unknown_force",
            )
        if level not in levels:
            raise invalid(
                "force_levels",
                _("Không có cấp đơn vị mã %(code)s.") % {"code": level},
                code="unknown_level",
            )
    return wanted


def _verification_fields(data: dict[str, Any]) -> dict[str, Any]:
    """`verification_request_create`'s arguments from a request body (back-entry included)."""
    return {
        "question": data["question"],
        "due_at": data.get("due_at"),
        "at": data.get("requested_at"),
        "answered_at": data.get("answered_at"),
        "result": data.get("result", ""),
        "findings": data.get("findings", ""),
    }


def _is_sender_side(actor: User, item: InformationItem) -> bool:
    """The issuing unit and the units above it follow every recipient's receipt."""
    unit = actor.unit
    return unit is not None and bool(item.owner_unit.path.startswith(unit.path))


# --- reads built on the selectors ---------------------------------------------------------------

_AREAS = Prefetch("areas", queryset=AdministrativeArea.objects.only("id", "code", "level", "name"))
_RECEIPT_PEOPLE = ("unit", "forwarded_by", "read_by", "acknowledged_by")


def _with_listing(qs: QuerySet[InformationItem], actor: User) -> QuerySet[InformationItem]:
    """What a listed item shows, loaded in a fixed number of queries whatever the page size."""
    # The schema generator asks with an anonymous user: no unit, no receipt.
    unit_id: Any = getattr(actor, "unit_id", None)
    return qs.select_related("sent_by").prefetch_related(
        _AREAS,
        Prefetch(
            "receipts",
            queryset=Receipt.objects.filter(unit_id=unit_id).select_related(*_RECEIPT_PEOPLE),
            to_attr="my_receipts",
        ),
    )


def _with_parties(qs: QuerySet[VerificationRequest]) -> QuerySet[VerificationRequest]:
    return qs.select_related(
        "item__owner_unit", "requesting_unit", "assigned_unit", "requested_by", "answered_by"
    )


def _receipt_summaries(actor: User, items: Iterable[InformationItem]) -> dict[int, dict[str, int]]:
    """Receipt counts of the listed items the caller sent (or sits above the sender of)."""
    ids = [item.pk for item in items if _is_sender_side(actor, item)]
    if not ids:
        return {}
    now = timezone.now()
    rows = (
        Receipt.objects.filter(item_id__in=ids)
        .order_by()
        .values("item_id")
        .annotate(
            total=Count("id"),
            read=Count("id", filter=Q(read_at__isnull=False)),
            acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
            overdue=Count("id", filter=Q(acknowledged_at__isnull=True, ack_due_at__lt=now)),
        )
    )
    return {
        row["item_id"]: {k: row[k] for k in ("total", "read", "acknowledged", "overdue")}
        for row in rows
    }


# --- information items --------------------------------------------------------------------------


@documented(
    tag=_TAG,
    noun=gettext_lazy("thông tin"),
    bad_input=_BAD_INPUT,
    summaries={
        "list": gettext_lazy("Danh sách thông tin"),
        "retrieve": gettext_lazy("Một thông tin (đơn vị nhận mở lần đầu thì ghi nhận đã đọc)"),
        "create": gettext_lazy("Gửi thông tin (kèm yêu cầu xác minh nếu có)"),
    },
)
class ItemViewSet(ScopedRecordViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ItemSerializer
    detail_serializer_class = ItemDetailSerializer
    input_serializer_class = ItemCreateSerializer
    filterset_class = ItemFilter

    def selector(self, actor: Any) -> QuerySet[InformationItem]:
        box = self.request.query_params.get("box", BOX_ALL)
        if box == BOX_INBOX:
            qs = info_item_inbox(actor=actor)
        elif box == BOX_OUTBOX:
            qs = info_item_outbox(actor=actor)
        else:
            qs = info_item_list(actor=actor)
        return _with_listing(qs, actor)

    def detail_queryset(self, actor: Any) -> QuerySet[InformationItem]:
        return (
            info_item_list(actor=actor)
            .select_related("sent_by")
            .prefetch_related(
                _AREAS,
                Prefetch("replies", queryset=Reply.objects.select_related("unit", "author")),
                Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
                Prefetch(
                    "verifications",
                    queryset=_with_parties(VerificationRequest.objects.all()).order_by(
                        "created_at", "id"
                    ),
                ),
            )
        )

    def list_context(self, rows: list[Any]) -> dict[str, Any]:
        return {"receipt_summaries": _receipt_summaries(self.actor, rows)}

    def detail_data(self, item: InformationItem) -> Any:
        """The sender's side sees every receipt; a recipient its own and those it forwarded."""
        actor, unit = self.actor, self.actor.unit
        receipts = Receipt.objects.filter(item=item).select_related(*_RECEIPT_PEOPLE)
        if not _is_sender_side(actor, item):
            receipts = receipts.filter(Q(unit=unit) | Q(forwarded_by=unit))
        shown = list(receipts)
        item.shown_receipts = shown  # type: ignore[attr-defined]
        item.my_receipts = [r for r in shown if r.unit_id == unit.pk]  # type: ignore[attr-defined]
        context = {"request": self.request, "receipt_summaries": _receipt_summaries(actor, [item])}
        return ItemDetailSerializer(item, context=context).data

    def item(self) -> InformationItem:
        """The item of the URL as the caller sees it (invisible: 404); what the caller's unit may
        do with it (acknowledge, reply, forward) is the services' to decide."""
        return get_visible(
            info_item_list(actor=self.actor), self.actor, public_id=self.kwargs["public_id"]
        )

    def retrieve(self, request: Request, public_id: str) -> Response:
        item = self.record()
        info_item_mark_read(actor=self.actor, item=item)
        return Response(self.detail_data(item))

    def create_record(self, actor: Any, data: dict[str, Any]) -> InformationItem:
        recipients = units_by_ref(actor, data["recipients"], field="recipients")
        areas = [
            area_by_code_or_error(code, field="areas") for code in dict.fromkeys(data["areas"])
        ]
        force_levels = _force_levels(data["force_levels"])
        verification = data.get("verification")
        assigned = (
            unit_by_ref(
                actor,
                verification["assigned_unit"],
                field="verification.assigned_unit",
                required=True,
            )
            if verification
            else None
        )
        # The item and its verification request are sent together or not at all.
        with transaction.atomic():
            item = info_item_create(
                actor=actor,
                title=data["title"],
                content=data["content"],
                topic=data["topic"],
                urgency=int(data["urgency"]),
                classification=int(data["classification"]),
                reliability=data["reliability"],
                credibility=int(data["credibility"]),
                handling=data["handling"],
                is_joint=data["is_joint"],
                areas=areas,
                recipients=recipients,
                force_levels=force_levels,
                sent_at=data.get("sent_at"),
                delivered_at=data.get("delivered_at"),
                acknowledged_at=data.get("acknowledged_at"),
            )
            if verification and assigned is not None:
                try:
                    verification_request_create(
                        actor=actor,
                        item=item,
                        assigned_unit=assigned,
                        **_verification_fields(verification),
                    )
                except DomainError as exc:
                    raise prefixed(exc, "verification") from exc
        return item

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Xác nhận đã nhận thông tin (đơn vị nhận)"),
        request=None,
        response=ReceiptSerializer,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            receipt = info_item_acknowledge(actor=self.actor, item=self.item())
            return Response(ReceiptSerializer(receipt).data)

        return self.idempotent(handler)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Trả lời trong luồng trao đổi của thông tin"),
        request=ReplyCreateSerializer,
        response=ReplySerializer,
        status_code=201,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            item = self.item()
            body = self.validated(ReplyCreateSerializer)["body"]
            reply = info_item_reply(actor=self.actor, item=item, body=body)
            return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Chuyển tiếp cho đơn vị cấp dưới (nếu chế độ xử lý cho phép)"),
        request=ForwardSerializer,
        response=ReceiptSerializer(many=True),
        status_code=201,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            item = self.item()
            refs = self.validated(ForwardSerializer)["units"]
            units = units_by_ref(self.actor, refs, field="units")
            receipts = info_item_forward(actor=self.actor, item=item, units=units)
            data = ReceiptSerializer(receipts, many=True).data
            return Response(data, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Đính kèm tệp (multipart, trường `file`)"),
        request={"multipart/form-data": AttachmentUploadSerializer},
        response=AttachmentSerializer,
        status_code=201,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            item = self.item()
            data = self.validated(AttachmentUploadSerializer)
            verification = None
            if data.get("verification"):
                verification = item.verifications.filter(public_id=data["verification"]).first()
                if verification is None:
                    raise invalid("verification", _("Thông tin này không có yêu cầu xác minh đó."))
            attachment = attachment_add(
                actor=self.actor, item=item, upload=data["file"], verification=verification
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)


# --- verification requests ----------------------------------------------------------------------


class VerificationFilter(filters.FilterSet):
    queue = filters.ChoiceFilter(
        choices=[("true", gettext_lazy("Có")), ("false", gettext_lazy("Không"))],
        method="filter_queue",
        label=gettext_lazy(
            "Chỉ các yêu cầu đơn vị mình phải xác minh và chưa trả lời, hạn gần nhất trước"
        ),
    )
    status = filters.ChoiceFilter(
        choices=VerificationStatus.choices, label=gettext_lazy("Trạng thái")
    )
    item = filters.UUIDFilter(
        field_name="item__public_id", label=gettext_lazy("Mã định danh thông tin")
    )

    class Meta:
        model = VerificationRequest
        fields = ["queue", "status", "item"]

    def filter_queue(
        self, queryset: QuerySet[VerificationRequest], name: str, value: str
    ) -> QuerySet[VerificationRequest]:
        # `queue=true` picks the selector the list starts from (VerificationViewSet.selector).
        return queryset


def _step(
    name: str,
    service: Callable[..., object],
    body: type[serializers.Serializer] | None,
    *,
    summary: Any,
    url_path: str | None = None,
) -> Any:
    """A POST moving a request along the workflow; the service decides which unit may, and
    from which status."""
    return workflow_step(
        name,
        lambda actor, verification, data: service(actor=actor, verification=verification, **data),
        tag=_TAG,
        summary=summary,
        response=VerificationDetailSerializer,
        body=body,
        url_path=url_path,
        # A request is seen through its item; changing it is the services' rule.
        check=Action.CHANGE,
        bad_input=_BAD_INPUT,
    )


@documented(
    tag=_TAG,
    noun=gettext_lazy("yêu cầu xác minh"),
    bad_input=_BAD_INPUT,
    summaries={
        "list": gettext_lazy("Danh sách yêu cầu xác minh"),
        "retrieve": gettext_lazy("Một yêu cầu xác minh, với nhật ký chuyển trạng thái"),
        "create": gettext_lazy("Yêu cầu kiểm tra, xác minh một thông tin"),
    },
)
class VerificationViewSet(ScopedRecordViewSet):
    """A request is seen by whoever sees its item (`verification_list`): it is not a scoped
    record itself, so one is found in the selector's rows rather than through the rule."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = VerificationSerializer
    detail_serializer_class = VerificationDetailSerializer
    input_serializer_class = VerificationCreateSerializer
    filterset_class = VerificationFilter

    def selector(self, actor: Any) -> QuerySet[VerificationRequest]:
        if self.request.query_params.get("queue") == "true":
            return _with_parties(verification_queue(actor=actor))
        return _with_parties(verification_list(actor=actor)).order_by("-created_at", "-id")

    def detail_queryset(self, actor: Any) -> QuerySet[VerificationRequest]:
        return _with_parties(verification_list(actor=actor)).prefetch_related("transitions__actor")

    def _one(self, **lookup: Any) -> VerificationRequest:
        try:
            found: VerificationRequest = self.detail_queryset(self.actor).get(**lookup)
        except (VerificationRequest.DoesNotExist, ValueError, ValidationError) as exc:
            raise NotFound() from exc
        return found

    def record(
        self, action: Action = Action.VIEW, queryset: QuerySet[Any] | None = None
    ) -> VerificationRequest:
        """Missing or invisible: 404; viewing one on a classified item is audited."""
        verification = self._one(public_id=self.kwargs[self.lookup_field])
        if action is Action.VIEW and verification.item.classification >= Classification.MAT:
            audit_record(
                actor=self.actor,
                action=AuditAction.VIEW_CLASSIFIED,
                obj=verification,
                changes={"classification": int(verification.item.classification)},
            )
        return verification

    def answer(self, record: Any, http_status: int = status.HTTP_200_OK) -> Response:
        return Response(self.detail_data(self._one(pk=record.pk)), status=http_status)

    # A request is not a scoped record of its own: it is seen through its item.
    def create_record(self, actor: Any, data: dict[str, Any]) -> VerificationRequest:  # type: ignore[override]
        try:
            item = get_visible(info_item_list(actor=actor), actor, public_id=data["item"])
        except NotFound as exc:
            raise invalid(
                "item", _("Không có thông tin với mã định danh này."), code="unknown_item"
            ) from exc
        assigned = unit_by_ref(actor, data["assigned_unit"], field="assigned_unit", required=True)
        assert assigned is not None
        return verification_request_create(
            actor=actor, item=item, assigned_unit=assigned, **_verification_fields(data)
        )

    start = _step(
        "start",
        verification_start,
        None,
        summary=gettext_lazy("Bắt đầu xác minh (đơn vị xác minh)"),
    )
    # Not `answer`: the base class answers every write with `answer(record)`.
    answer_request = _step(
        "answer_request",
        verification_answer,
        VerificationAnswerSerializer,
        summary=gettext_lazy("Trả lời kết quả xác minh (đơn vị xác minh)"),
        url_path="answer",
    )
    close = _step(
        "close",
        verification_close,
        VerificationNoteSerializer,
        summary=gettext_lazy("Kết thúc yêu cầu đã được trả lời (đơn vị yêu cầu)"),
    )
    return_ = _step(
        "return_",
        verification_return,
        VerificationReturnSerializer,
        summary=gettext_lazy("Trả lại để xác minh thêm (đơn vị yêu cầu)"),
        url_path="return",
    )
