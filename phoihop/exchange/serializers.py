"""API shapes of the information exchange: items, receipts, replies, verification requests.

Input serializers check shape only: units (a code or a public id), areas and items are resolved
in `phoihop.exchange.api` through `phoihop.org.refs` and the selectors, and every rule of the
exchange lives in its services.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.core.backentry import entered_later
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.serializers import field_messages
from phoihop.exchange.attachments import Attachment
from phoihop.exchange.enums import (
    Credibility,
    Handling,
    Reliability,
    Topic,
    Urgency,
    VerificationResult,
)
from phoihop.exchange.models import (
    InformationItem,
    Receipt,
    Reply,
    VerificationRequest,
    VerificationTransition,
)
from phoihop.org.serializers import (
    AreaRefSerializer,
    UnitRefField,
    UnitRefListField,
    UnitRefSerializer,
    UserRefSerializer,
)

# --- references -------------------------------------------------------------------------------


class ItemRefSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="display_number", read_only=True)

    class Meta:
        model = InformationItem
        fields = ["public_id", "number", "title"]


# --- receipts ---------------------------------------------------------------------------------


class ReceiptStatus(models.TextChoices):
    DELIVERED = "delivered", _("Đã chuyển đến")
    READ = "read", _("Đã đọc")
    ACKNOWLEDGED = "acknowledged", _("Đã xác nhận")


def receipt_status(receipt: Receipt) -> str:
    if receipt.acknowledged_at is not None:
        return ReceiptStatus.ACKNOWLEDGED
    if receipt.read_at is not None:
        return ReceiptStatus.READ
    return ReceiptStatus.DELIVERED


class ReceiptSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    forwarded_by = UnitRefSerializer(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()
    read_by = UserRefSerializer(read_only=True, allow_null=True)
    acknowledged_by = UserRefSerializer(read_only=True, allow_null=True)
    acknowledged_on_time = serializers.BooleanField(
        read_only=True, allow_null=True, help_text=_("Xác nhận đúng hạn; null khi chưa xác nhận.")
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("Chưa xác nhận và đã quá hạn xác nhận.")
    )

    class Meta:
        model = Receipt
        fields = [
            "unit",
            "forwarded_by",
            "status",
            "delivered_at",
            "ack_due_at",
            "read_at",
            "read_by",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_on_time",
            "overdue",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=ReceiptStatus.choices))
    def get_status(self, receipt: Receipt) -> str:
        return receipt_status(receipt)

    def get_overdue(self, receipt: Receipt) -> bool:
        return receipt.acknowledged_at is None and timezone.now() > receipt.ack_due_at


class ReceiptSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("Số đơn vị nhận."))
    read = serializers.IntegerField(help_text=_("Số đơn vị đã đọc."))
    acknowledged = serializers.IntegerField(help_text=_("Số đơn vị đã xác nhận."))
    overdue = serializers.IntegerField(help_text=_("Số đơn vị chưa xác nhận và đã quá hạn."))


# --- replies and verification requests ----------------------------------------------------------


class ReplySerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = Reply
        fields = ["public_id", "unit", "author", "body", "created_at"]


class TransitionSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True)

    class Meta:
        model = VerificationTransition
        fields = ["from_status", "to_status", "actor", "at", "note"]


class VerificationSerializer(serializers.ModelSerializer):
    item = ItemRefSerializer(read_only=True)
    requesting_unit = UnitRefSerializer(read_only=True)
    assigned_unit = UnitRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text=_("Quá hạn: chưa trả lời khi đã hết hạn, hoặc trả lời sau hạn.")
    )

    class Meta:
        model = VerificationRequest
        fields = [
            "public_id",
            "item",
            "requesting_unit",
            "assigned_unit",
            "question",
            "due_at",
            "status",
            "status_label",
            "result",
            "result_label",
            "findings",
            "requested_by",
            "answered_at",
            "answered_by",
            "overdue",
            "created_at",
            "version",
        ]

    def get_overdue(self, verification: VerificationRequest) -> bool:
        return verification.is_overdue()


class VerificationDetailSerializer(VerificationSerializer):
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta(VerificationSerializer.Meta):
        fields = [*VerificationSerializer.Meta.fields, "transitions"]


# --- information items --------------------------------------------------------------------------


class ItemSerializer(serializers.ModelSerializer):
    """An item in a list: what the inbox and the outbox show."""

    number = serializers.CharField(
        source="display_number", read_only=True, help_text=_("Số thông tin, ví dụ 15/TT-DBP-SK.")
    )
    topic_label = serializers.CharField(source="get_topic_display", read_only=True)
    urgency_label = serializers.CharField(source="get_urgency_display", read_only=True)
    classification_label = serializers.CharField(
        source="get_classification_display", read_only=True
    )
    handling_label = serializers.CharField(source="get_handling_display", read_only=True)
    evaluation_code = serializers.CharField(
        read_only=True, help_text=_("Độ tin cậy của nguồn (A–F) và mức xác thực (1–6), ví dụ B2.")
    )
    owner_unit = UnitRefSerializer(read_only=True)
    areas = AreaRefSerializer(many=True, read_only=True)
    my_receipt = serializers.SerializerMethodField(
        help_text=_("Biên nhận của đơn vị mình khi đơn vị mình là đơn vị nhận; nếu không, null.")
    )
    receipt_summary = serializers.SerializerMethodField(
        help_text=_("Tình trạng nhận của các đơn vị nhận; chỉ phía đơn vị gửi thấy, còn lại null.")
    )

    class Meta:
        model = InformationItem
        fields = [
            "public_id",
            "number",
            "title",
            "topic",
            "topic_label",
            "urgency",
            "urgency_label",
            "classification",
            "classification_label",
            "reliability",
            "credibility",
            "evaluation_code",
            "handling",
            "handling_label",
            "is_joint",
            "sent_at",
            "owner_unit",
            "areas",
            "my_receipt",
            "receipt_summary",
            "version",
        ]

    @extend_schema_field(ReceiptSerializer(allow_null=True))
    def get_my_receipt(self, item: InformationItem) -> dict[str, Any] | None:
        mine: list[Receipt] = getattr(item, "my_receipts", [])
        return ReceiptSerializer(mine[0]).data if mine else None

    @extend_schema_field(ReceiptSummarySerializer(allow_null=True))
    def get_receipt_summary(self, item: InformationItem) -> dict[str, int] | None:
        summaries: dict[int, dict[str, int]] = self.context.get("receipt_summaries", {})
        return summaries.get(item.pk)


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True)
    verification: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "public_id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "verification",
            "uploaded_by",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, attachment: Attachment) -> str:
        from django.urls import reverse

        return reverse("exchange_attachment_download", args=[attachment.public_id])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    verification = serializers.UUIDField(
        required=False,
        help_text=_("Mã định danh của yêu cầu xác minh (thuộc thông tin này) mà tệp đi kèm."),
    )


class EnteredLaterSerializer(serializers.Serializer):
    entered_at = serializers.DateTimeField(help_text=_("Thời điểm nhập vào hệ thống."))
    entered_by = serializers.CharField(help_text=_("Người nhập."))


class ItemDetailSerializer(ItemSerializer):
    sent_by = UserRefSerializer(read_only=True)
    entered_later = serializers.SerializerMethodField(
        help_text=_(
            "Nhập bổ sung: ai nhập và lúc nào, khi thời điểm gửi sớm hơn ngày nhập quá một "
            "ngày; nếu không, null."
        )
    )
    receipts = serializers.SerializerMethodField(
        help_text=_(
            "Biên nhận theo từng đơn vị nhận: phía đơn vị gửi thấy tất cả; đơn vị nhận thấy "
            "biên nhận của mình và của các đơn vị mình đã chuyển tiếp."
        )
    )
    replies = ReplySerializer(many=True, read_only=True)
    verifications = VerificationSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = [
            *ItemSerializer.Meta.fields,
            "content",
            "sent_by",
            "entered_later",
            "receipts",
            "replies",
            "verifications",
            "attachments",
        ]

    @extend_schema_field(EnteredLaterSerializer(allow_null=True))
    def get_entered_later(self, item: InformationItem) -> dict[str, Any] | None:
        entered = entered_later(item, item.sent_at)
        return EnteredLaterSerializer(entered).data if entered else None

    @extend_schema_field(ReceiptSerializer(many=True))
    def get_receipts(self, item: InformationItem) -> list[dict[str, Any]]:
        shown: list[Receipt] = getattr(item, "shown_receipts", [])
        return ReceiptSerializer(shown, many=True).data  # type: ignore[return-value]


class ForceLevelSerializer(serializers.Serializer):
    force = serializers.CharField(
        max_length=10, help_text=_("Mã lực lượng: CA, QS, BP."), error_messages=field_messages()
    )
    level = serializers.CharField(
        max_length=20,
        help_text=_("Mã cấp đơn vị, ví dụ tinh, xa."),
        error_messages=field_messages(),
    )


def _real_date(help_text: Any) -> serializers.DateTimeField:
    """An optional real date of back-entry (rules: phoihop.core.backentry)."""
    return serializers.DateTimeField(
        required=False, allow_null=True, help_text=help_text, error_messages=field_messages()
    )


class VerificationInputSerializer(serializers.Serializer):
    assigned_unit = UnitRefField(
        help_text=_("Đơn vị phải xác minh: mã đơn vị (ví dụ CAT) hoặc mã định danh (public_id)."),
        error_messages=field_messages(),
    )
    question = serializers.CharField(
        label=_("Nội dung cần xác minh"), max_length=5000, error_messages=field_messages()
    )
    due_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("Hạn trả lời; mặc định theo độ khẩn của thông tin."),
        error_messages=field_messages(),
    )
    requested_at = _real_date(
        _("Nhập bổ sung: thời điểm đã yêu cầu xác minh; mặc định là lúc gửi yêu cầu này.")
    )
    answered_at = _real_date(
        _("Nhập bổ sung: thời điểm đơn vị xác minh đã trả lời (kèm result và findings).")
    )
    result = serializers.ChoiceField(
        choices=VerificationResult.choices,
        required=False,
        help_text=_("Nhập bổ sung: kết quả xác minh đã trả lời."),
        error_messages=field_messages(),
    )
    findings = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        help_text=_("Nhập bổ sung: kết quả xác minh cụ thể đã trả lời."),
        error_messages=field_messages(),
    )


class ItemCreateSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=300, label=_("Trích yếu"), error_messages=field_messages()
    )
    content = serializers.CharField(
        max_length=50000, label=_("Nội dung"), error_messages=field_messages()
    )
    topic = serializers.ChoiceField(choices=Topic.choices, error_messages=field_messages())
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, default=Urgency.THUONG, error_messages=field_messages()
    )
    classification = serializers.ChoiceField(
        choices=STORABLE_CLASSIFICATIONS,
        default=0,
        help_text=_("Độ mật; không được cao hơn mức cho phép của hệ thống."),
        error_messages=field_messages(),
    )
    reliability = serializers.ChoiceField(
        choices=Reliability.choices, default=Reliability.F, error_messages=field_messages()
    )
    credibility = serializers.ChoiceField(
        choices=Credibility.choices, default=Credibility.UNKNOWN, error_messages=field_messages()
    )
    handling = serializers.ChoiceField(
        choices=Handling.choices, default=Handling.MAY_FORWARD, error_messages=field_messages()
    )
    is_joint = serializers.BooleanField(
        default=False,
        help_text=_("Thông tin chung ba lực lượng: tham mưu tổng hợp của tỉnh cũng thấy."),
    )
    areas = serializers.ListField(
        child=serializers.CharField(max_length=5),
        default=list,
        help_text=_("Mã chính thức các địa bàn hành chính (hiện hành)."),
        error_messages=field_messages(),
    )
    recipients = UnitRefListField(
        default=list,
        help_text=_("Các đơn vị nhận: mỗi đơn vị là mã đơn vị hoặc mã định danh (public_id)."),
        error_messages=field_messages(),
    )
    force_levels = ForceLevelSerializer(
        many=True,
        default=list,
        help_text=_("Gửi cả một lực lượng ở một cấp trong tỉnh, ví dụ mọi Đồn Biên phòng."),
    )
    sent_at = _real_date(
        _(
            "Nhập bổ sung: thời điểm thông tin đã được gửi; mặc định là bây giờ. Không được ở "
            "tương lai hay trước 01/01/2019."
        )
    )
    delivered_at = _real_date(
        _("Nhập bổ sung: thời điểm đã chuyển đến các đơn vị nhận; mặc định là thời điểm gửi.")
    )
    acknowledged_at = _real_date(
        _(
            "Nhập bổ sung: thời điểm các đơn vị nhận đã xác nhận; hạn xác nhận tính từ lúc "
            "chuyển đến theo độ khẩn."
        )
    )
    verification = VerificationInputSerializer(
        required=False,
        allow_null=True,
        help_text=_("Kèm yêu cầu kiểm tra, xác minh (tùy chọn)."),
    )


class ReplyCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=20000, label=_("Nội dung trả lời"), error_messages=field_messages()
    )


class ForwardSerializer(serializers.Serializer):
    units = UnitRefListField(
        help_text=_(
            "Các đơn vị cấp dưới nhận chuyển tiếp: mã đơn vị hoặc mã định danh (public_id)."
        ),
        error_messages=field_messages(),
    )


class VerificationCreateSerializer(VerificationInputSerializer):
    item = serializers.UUIDField(
        help_text=_("Mã định danh thông tin cần xác minh."), error_messages=field_messages()
    )


class VerificationAnswerSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=VerificationResult.choices, error_messages=field_messages()
    )
    findings = serializers.CharField(
        max_length=20000, label=_("Kết quả xác minh"), error_messages=field_messages()
    )


class VerificationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        error_messages=field_messages(),
    )


class VerificationReturnSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=5000,
        label=_("Lý do yêu cầu xác minh thêm"),
        error_messages=field_messages(),
    )
