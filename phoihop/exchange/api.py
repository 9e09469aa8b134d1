"""API of the information exchange, under /api/v1/exchange/.

Items and verification requests are addressed by `public_id`. Reads start from the exchange
selectors (built on the access rule); writes go through the exchange services.

Answers, in one error shape `{message, code, fields}`:
- an item or verification request the caller may not see is 404, the same as a missing one;
- an unknown unit, area or item named in a request body is 400 naming the field
  (`recipients`, `units`, `areas`, `force_levels`, `assigned_unit`, `item`), nothing saved;
- an action on a visible record that the exchange refuses is 400 with the service's code
  (`not_a_recipient`, `already_acknowledged`, `forward_not_allowed`, `already_recipient`,
  `invalid_transition`, `not_your_verification`, `due_in_past`, ...); 403 only where the access
  rule itself refuses (`permission_denied`: a reply from a unit that is not party to the item,
  or a caller who belongs to no unit).
Every POST honours `Idempotency-Key`: a retry with the same key and body replays the first
answer instead of acting twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.access.api import ScopedRecordPermission
from phoihop.access.rules import get_visible
from phoihop.access.shortcuts import record_for
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.idempotency import idempotent
from phoihop.core.text import fold
from phoihop.exchange.attachments import Attachment, attachment_add
from phoihop.exchange.enums import Topic, Urgency, VerificationStatus
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
from phoihop.org.models import AdministrativeArea, Force, Unit, UnitLevel, User
from phoihop.org.selectors import area_list, unit_list
from phoihop.org.serializers import ErrorSerializer

_TAG: Any = gettext_lazy("Trao đổi thông tin")
_TRUE_FALSE = [("true", gettext_lazy("Có")), ("false", gettext_lazy("Không"))]

_ERRORS: dict[int, OpenApiResponse] = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Dữ liệu không hợp lệ (`fields` nêu trường, kể cả mã định danh hay mã địa bàn không "
            "có) hoặc nghiệp vụ từ chối một thao tác trên bản ghi được xem; `code` nêu lý do, "
            "ví dụ already_acknowledged, not_a_recipient, forward_not_allowed, "
            "not_your_verification, invalid_transition. Không có gì được lưu."
        ),
    ),
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, gettext_lazy("Chưa xác thực.")),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Quy tắc truy cập không cho phép (permission_denied): người dùng không thuộc đơn vị "
            "nào, hoặc trả lời thông tin khi đơn vị mình không phải đơn vị gửi hay nhận."
        ),
    ),
    status.HTTP_404_NOT_FOUND: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy("Không có, hoặc không được xem: cùng một câu trả lời (not_found)."),
    ),
}
_POST_ERRORS: dict[int, OpenApiResponse] = {
    **_ERRORS,
    status.HTTP_409_CONFLICT: OpenApiResponse(
        ErrorSerializer, gettext_lazy("Yêu cầu cùng Idempotency-Key đang được xử lý.")
    ),
    status.HTTP_422_UNPROCESSABLE_ENTITY: OpenApiResponse(
        ErrorSerializer, gettext_lazy("Idempotency-Key đã dùng cho một yêu cầu khác.")
    ),
}
_IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "Khóa do máy khách tạo (tối đa 100 ký tự): gửi lại cùng khóa và cùng nội dung thì nhận lại "
        "câu trả lời lần đầu, không tạo bản ghi trùng."
    ),
)
_PUBLIC_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


# --- resolving what a request body names --------------------------------------------------------


def _unknown(field: str, code: str, message: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def _units(
    actor: User, ids: Sequence[uuid.UUID], *, field: str, code: str = "unknown_unit"
) -> list[Unit]:
    if not ids:
        return []
    found = {u.public_id: u for u in unit_list(actor=actor).filter(public_id__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _unknown(
            field,
            code,
            _("Không có đơn vị với mã định danh %(ids)s.") % {"ids": ", ".join(missing)},
        )
    return [found[i] for i in ids]


def _areas(actor: User, codes: Iterable[str]) -> list[AdministrativeArea]:
    wanted = list(dict.fromkeys(c.strip() for c in codes))
    if not wanted:
        return []
    found = {
        a.code: a for a in area_list(actor=actor).filter(code__in=wanted, valid_until__isnull=True)
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise _unknown(
            "areas",
            "unknown_area",
            _("Không có địa bàn hành chính hiện hành mã %(codes)s.")
            % {"codes": ", ".join(missing)},
        )
    return [found[c] for c in wanted]


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
            raise _unknown(
                "force_levels",
                "unknown_force",
                _("Không có lực lượng mã %(code)s.") % {"code": force},
            )
        if level not in levels:
            raise _unknown(
                "force_levels",
                "unknown_level",
                _("Không có cấp đơn vị mã %(code)s.") % {"code": level},
            )
    return wanted


def _nested(exc: DomainError, prefix: str) -> DomainError:
    """A service's refusal about a nested object, with its fields named from the top."""
    fields = {f"{prefix}.{name}": messages for name, messages in exc.fields.items()}
    return DomainError(exc.message, code=exc.code, fields=fields)


def _actor(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _unit_of(actor: User) -> Unit:
    unit = actor.unit
    assert unit is not None  # ScopedRecordPermission lets only members of a unit in
    return unit


def _is_sender_side(actor: User, item: InformationItem) -> bool:
    """The issuing unit and the units above it follow every recipient's receipt."""
    return bool(item.owner_unit.path.startswith(_unit_of(actor).path))


# --- reads built on the selectors ---------------------------------------------------------------


def _with_listing(qs: QuerySet[InformationItem], actor: User) -> QuerySet[InformationItem]:
    """What a listed item shows, loaded in a fixed number of queries whatever the page size."""
    # The schema generator asks with an anonymous user: no unit, no receipt.
    unit_id: Any = getattr(actor, "unit_id", None)
    return qs.select_related("sent_by").prefetch_related(
        Prefetch("areas", queryset=AdministrativeArea.objects.only("id", "code", "level", "name")),
        Prefetch(
            "receipts",
            queryset=Receipt.objects.filter(unit_id=unit_id).select_related(
                "unit", "forwarded_by", "read_by", "acknowledged_by"
            ),
            to_attr="my_receipts",
        ),
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


def _item_detail_queryset(actor: User) -> QuerySet[InformationItem]:
    return (
        info_item_list(actor=actor)
        .select_related("sent_by")
        .prefetch_related(
            Prefetch(
                "areas", queryset=AdministrativeArea.objects.only("id", "code", "level", "name")
            ),
            Prefetch("replies", queryset=Reply.objects.select_related("unit", "author")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            Prefetch(
                "verifications",
                queryset=VerificationRequest.objects.select_related(
                    "item__owner_unit",
                    "requesting_unit",
                    "assigned_unit",
                    "requested_by",
                    "answered_by",
                ).order_by("created_at", "id"),
            ),
        )
    )


def _item_detail_data(actor: User, item: InformationItem, request: Request) -> dict[str, Any]:
    receipts = Receipt.objects.filter(item=item).select_related(
        "unit", "forwarded_by", "read_by", "acknowledged_by"
    )
    unit = _unit_of(actor)
    shown = list(
        receipts
        if _is_sender_side(actor, item)
        else receipts.filter(Q(unit=unit) | Q(forwarded_by=unit))
    )
    item.shown_receipts = shown  # type: ignore[attr-defined]
    item.my_receipts = [r for r in shown if r.unit_id == unit.pk]  # type: ignore[attr-defined]
    summaries = _receipt_summaries(actor, [item])
    context = {"request": request, "receipt_summaries": summaries}
    return ItemDetailSerializer(item, context=context).data


def _visible_item(actor: User, public_id: Any) -> InformationItem:
    return get_visible(info_item_list(actor=actor), actor, public_id=public_id)


def _local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- information items --------------------------------------------------------------------------

BOX_INBOX, BOX_OUTBOX, BOX_ALL = "inbox", "outbox", "all"


class ItemFilter(filters.FilterSet):
    box = filters.ChoiceFilter(
        choices=[
            (BOX_INBOX, gettext_lazy("Thông tin đến (đơn vị mình nhận)")),
            (BOX_OUTBOX, gettext_lazy("Thông tin đi (đơn vị mình gửi)")),
            (BOX_ALL, gettext_lazy("Mọi thông tin được xem")),
        ],
        method="filter_box",
        label=gettext_lazy(
            "Hộp thư; thông tin đến xếp chưa xác nhận trước, rồi theo độ khẩn, mới nhất trước"
        ),
    )
    topic = filters.ChoiceFilter(choices=Topic.choices, label=gettext_lazy("Lĩnh vực"))
    urgency = filters.TypedChoiceFilter(
        choices=Urgency.choices, coerce=int, label=gettext_lazy("Độ khẩn")
    )
    pending = filters.ChoiceFilter(
        choices=_TRUE_FALSE,
        method="filter_pending",
        label=gettext_lazy(
            "Chờ xác nhận: với hộp thư đi, còn đơn vị nhận chưa xác nhận; "
            "với hộp khác, đơn vị mình chưa xác nhận"
        ),
    )
    area = filters.CharFilter(
        method="filter_area",
        label=gettext_lazy("Mã địa bàn hành chính (mã tỉnh gồm cả các xã của tỉnh)"),
    )
    sent_from = filters.DateFilter(
        method="filter_sent_from", label=gettext_lazy("Gửi từ ngày (YYYY-MM-DD)")
    )
    sent_to = filters.DateFilter(
        method="filter_sent_to", label=gettext_lazy("Gửi đến hết ngày (YYYY-MM-DD)")
    )
    q = filters.CharFilter(
        method="filter_q",
        label=gettext_lazy("Tìm trong trích yếu và nội dung, không phân biệt dấu và hoa thường"),
    )

    class Meta:
        model = InformationItem
        fields = ["box", "topic", "urgency", "pending", "area", "sent_from", "sent_to", "q"]

    @property
    def actor(self) -> User:
        return self.request.user

    def filter_box(
        self, queryset: QuerySet[InformationItem], name: str, value: str
    ) -> QuerySet[InformationItem]:
        # The box picks the selector the list starts from (ItemViewSet.get_queryset).
        return queryset

    def filter_pending(
        self, queryset: QuerySet[InformationItem], name: str, value: str
    ) -> QuerySet[InformationItem]:
        unacknowledged = Receipt.objects.filter(item=OuterRef("pk"), acknowledged_at__isnull=True)
        if self.data.get("box") != BOX_OUTBOX:
            unacknowledged = unacknowledged.filter(unit_id=_unit_of(self.actor).pk)
        waiting = Exists(unacknowledged)
        return queryset.filter(waiting if value == "true" else ~waiting)

    def filter_area(
        self, queryset: QuerySet[InformationItem], name: str, value: str
    ) -> QuerySet[InformationItem]:
        code = value.strip()
        area_ids = list(
            area_list(actor=self.actor)
            .filter(Q(code=code) | Q(parent__code=code))
            .values_list("pk", flat=True)
        )
        if not area_ids:
            raise _unknown(
                "area",
                "unknown_area",
                _("Không có địa bàn hành chính mã %(code)s.") % {"code": code},
            )
        # Only narrows a list already drawn from the access rule.
        tagged = InformationItem.areas.through._default_manager.filter(
            administrativearea_id__in=area_ids
        ).values("informationitem_id")
        return queryset.filter(pk__in=tagged)

    def filter_sent_from(
        self, queryset: QuerySet[InformationItem], name: str, value: dt.date
    ) -> QuerySet[InformationItem]:
        return queryset.filter(sent_at__gte=_local_day_start(value))

    def filter_sent_to(
        self, queryset: QuerySet[InformationItem], name: str, value: dt.date
    ) -> QuerySet[InformationItem]:
        return queryset.filter(sent_at__lt=_local_day_start(value + dt.timedelta(days=1)))

    def filter_q(
        self, queryset: QuerySet[InformationItem], name: str, value: str
    ) -> QuerySet[InformationItem]:
        needle = fold(value)
        return queryset.filter(search_text__contains=needle) if needle else queryset


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Danh sách thông tin"),
        responses={200: ItemSerializer(many=True), **_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một thông tin (đơn vị nhận mở lần đầu thì ghi nhận đã đọc)"),
        parameters=[_PUBLIC_ID],
        responses={200: ItemDetailSerializer, **_ERRORS},
    ),
    create=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Gửi thông tin (kèm yêu cầu xác minh nếu có)"),
        parameters=[_IDEMPOTENCY_KEY],
        request=ItemCreateSerializer,
        responses={201: ItemDetailSerializer, **_POST_ERRORS},
    ),
)
class ItemViewSet(viewsets.GenericViewSet):
    permission_classes = [ScopedRecordPermission]
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[InformationItem]:
        actor = _actor(self.request)
        box = self.request.query_params.get("box", BOX_ALL)
        if box == BOX_INBOX:
            qs = info_item_inbox(actor=actor)
        elif box == BOX_OUTBOX:
            qs = info_item_outbox(actor=actor)
        else:
            qs = info_item_list(actor=actor)
        return _with_listing(qs, actor)

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        context = {
            **self.get_serializer_context(),
            "receipt_summaries": _receipt_summaries(_actor(request), items),
        }
        data = ItemSerializer(items, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        item = record_for(_item_detail_queryset(actor), actor, public_id=public_id)
        info_item_mark_read(actor=actor, item=item)
        return Response(_item_detail_data(actor, item, request))

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        actor = _actor(request)
        form = ItemCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        recipients = _units(actor, data["recipients"], field="recipients", code="unknown_recipient")
        areas = _areas(actor, data["areas"])
        force_levels = _force_levels(data["force_levels"])
        verification = data.get("verification")
        assigned = (
            _units(actor, [verification["assigned_unit"]], field="verification.assigned_unit")[0]
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
            )
            if verification and assigned is not None:
                try:
                    verification_request_create(
                        actor=actor,
                        item=item,
                        assigned_unit=assigned,
                        question=verification["question"],
                        due_at=verification.get("due_at"),
                    )
                except DomainError as exc:
                    raise _nested(exc, "verification") from exc
        created = get_visible(_item_detail_queryset(actor), actor, pk=item.pk)
        return Response(_item_detail_data(actor, created, request), status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Xác nhận đã nhận thông tin (đơn vị nhận)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=None,
        responses={200: ReceiptSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            receipt = info_item_acknowledge(actor=actor, item=_visible_item(actor, public_id))
            return Response(ReceiptSerializer(receipt).data)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Trả lời trong luồng trao đổi của thông tin"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ReplyCreateSerializer,
        responses={201: ReplySerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            item = _visible_item(actor, public_id)
            form = ReplyCreateSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            reply = info_item_reply(actor=actor, item=item, body=form.validated_data["body"])
            return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Chuyển tiếp cho đơn vị cấp dưới (nếu chế độ xử lý cho phép)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ForwardSerializer,
        responses={201: ReceiptSerializer(many=True), **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            item = _visible_item(actor, public_id)
            form = ForwardSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            units = _units(actor, form.validated_data["units"], field="units")
            receipts = info_item_forward(actor=actor, item=item, units=units)
            return Response(
                ReceiptSerializer(receipts, many=True).data, status=status.HTTP_201_CREATED
            )

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Đính kèm tệp (multipart, trường `file`)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            item = _visible_item(actor, public_id)
            form = AttachmentUploadSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            verification = None
            if form.validated_data.get("verification"):
                verification = item.verifications.filter(
                    public_id=form.validated_data["verification"]
                ).first()
                if verification is None:
                    message = _("Thông tin này không có yêu cầu xác minh đó.")
                    raise DomainError(message, fields={"verification": [message]})
            attachment = attachment_add(
                actor=actor,
                item=item,
                upload=form.validated_data["file"],
                verification=verification,
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)


# --- verification requests ----------------------------------------------------------------------


class VerificationFilter(filters.FilterSet):
    queue = filters.ChoiceFilter(
        choices=_TRUE_FALSE,
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
        # `queue=true` picks the selector the list starts from (VerificationViewSet.get_queryset).
        return queryset


def _verification_queryset(qs: QuerySet[VerificationRequest]) -> QuerySet[VerificationRequest]:
    return qs.select_related(
        "item__owner_unit", "requesting_unit", "assigned_unit", "requested_by", "answered_by"
    )


def _verification_detail(actor: User, public_id: Any) -> VerificationRequest:
    """One visible request (404 otherwise); viewing one on a classified item is audited."""
    qs = _verification_queryset(verification_list(actor=actor)).prefetch_related(
        "transitions__actor"
    )
    try:
        verification: VerificationRequest = qs.get(public_id=public_id)
    except (VerificationRequest.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc
    return verification


def _verification_response(
    actor: User, public_id: Any, *, http_status: int = status.HTTP_200_OK
) -> Response:
    verification = _verification_detail(actor, public_id)
    return Response(VerificationDetailSerializer(verification).data, status=http_status)


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Danh sách yêu cầu xác minh"),
        responses={200: VerificationSerializer(many=True), **_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một yêu cầu xác minh, với nhật ký chuyển trạng thái"),
        parameters=[_PUBLIC_ID],
        responses={200: VerificationDetailSerializer, **_ERRORS},
    ),
    create=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Yêu cầu kiểm tra, xác minh một thông tin"),
        parameters=[_IDEMPOTENCY_KEY],
        request=VerificationCreateSerializer,
        responses={201: VerificationDetailSerializer, **_POST_ERRORS},
    ),
)
class VerificationViewSet(viewsets.GenericViewSet):
    permission_classes = [ScopedRecordPermission]
    serializer_class = VerificationSerializer
    filterset_class = VerificationFilter
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[VerificationRequest]:
        actor = _actor(self.request)
        if self.request.query_params.get("queue") == "true":
            return _verification_queryset(verification_queue(actor=actor))
        return _verification_queryset(verification_list(actor=actor)).order_by("-created_at", "-id")

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = VerificationSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        verification = _verification_detail(actor, public_id)
        if verification.item.classification >= Classification.MAT:
            audit_record(
                actor=actor,
                action=AuditAction.VIEW_CLASSIFIED,
                obj=verification,
                changes={"classification": int(verification.item.classification)},
            )
        return Response(VerificationDetailSerializer(verification).data)

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            form = VerificationCreateSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data
            try:
                item = _visible_item(actor, data["item"])
            except NotFound as exc:
                raise _unknown(
                    "item", "unknown_item", _("Không có thông tin với mã định danh này.")
                ) from exc
            assigned = _units(actor, [data["assigned_unit"]], field="assigned_unit")[0]
            verification = verification_request_create(
                actor=actor,
                item=item,
                assigned_unit=assigned,
                question=data["question"],
                due_at=data.get("due_at"),
            )
            return _verification_response(
                actor, verification.public_id, http_status=status.HTTP_201_CREATED
            )

        return idempotent(request, handler)

    def _transition(
        self,
        request: Request,
        public_id: str,
        change: Callable[[User, VerificationRequest], object],
    ) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            change(actor, _verification_detail(actor, public_id))
            return _verification_response(actor, public_id)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Bắt đầu xác minh (đơn vị xác minh)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=None,
        responses={200: VerificationDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, public_id: str) -> Response:
        return self._transition(
            request, public_id, lambda actor, v: verification_start(actor=actor, verification=v)
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Trả lời kết quả xác minh (đơn vị xác minh)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=VerificationAnswerSerializer,
        responses={200: VerificationDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, public_id: str) -> Response:
        form = VerificationAnswerSerializer(data=request.data)

        def change(actor: User, verification: VerificationRequest) -> object:
            form.is_valid(raise_exception=True)
            return verification_answer(
                actor=actor,
                verification=verification,
                result=form.validated_data["result"],
                findings=form.validated_data["findings"],
            )

        return self._transition(request, public_id, change)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Kết thúc yêu cầu đã được trả lời (đơn vị yêu cầu)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=VerificationNoteSerializer,
        responses={200: VerificationDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id: str) -> Response:
        form = VerificationNoteSerializer(data=request.data)

        def change(actor: User, verification: VerificationRequest) -> object:
            form.is_valid(raise_exception=True)
            return verification_close(
                actor=actor, verification=verification, note=form.validated_data["note"]
            )

        return self._transition(request, public_id, change)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Trả lại để xác minh thêm (đơn vị yêu cầu)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=VerificationReturnSerializer,
        responses={200: VerificationDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, public_id: str) -> Response:
        form = VerificationReturnSerializer(data=request.data)

        def change(actor: User, verification: VerificationRequest) -> object:
            form.is_valid(raise_exception=True)
            return verification_return(
                actor=actor, verification=verification, note=form.validated_data["note"]
            )

        return self._transition(request, public_id, change)
