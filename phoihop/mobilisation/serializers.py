"""API shapes of mass mobilisation.

Input serializers check shape only: counts and quantities go to the services as given, which
refuse negatives, fractions and totals that do not add up with the field named. Units are named
by code or public id (`UnitRefField`), resolved with codes of communes, laws and catalogue items
in `phoihop.mobilisation.api`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from phoihop.cases.models import CatalogueItem
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.serializers import field_messages
from phoihop.mobilisation.enums import OpinionTopic, ProgrammeKind
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    Law,
    MobilisationRecord,
    Opinion,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.mobilisation.selectors import ForumFigures, ProgrammeFigures
from phoihop.org.models import AdministrativeArea
from phoihop.org.serializers import (
    AreaRefSerializer,
    UnitRefField,
    UnitRefListField,
    UnitRefSerializer,
    UserRefSerializer,
)

# --- references ---------------------------------------------------------------------------------


class LawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Law
        fields = ["code", "name"]


# --- output -------------------------------------------------------------------------------------

_RECORD_FIELDS = [
    "public_id",
    "version",
    "start_date",
    "end_date",
    "organising_unit",
    "participating_units",
    "province",
    "classification",
    "classification_label",
    "is_joint",
    "note",
    "created_at",
    "updated_at",
]


class RecordSerializer(serializers.ModelSerializer):
    organising_unit = UnitRefSerializer(source="owner_unit", read_only=True)
    participating_units = UnitRefSerializer(many=True, read_only=True)
    province: serializers.SlugRelatedField[AdministrativeArea] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    classification_label = serializers.CharField(
        source="get_classification_display", read_only=True
    )

    class Meta:
        model = MobilisationRecord
        fields = _RECORD_FIELDS


class TopicCountSerializer(serializers.Serializer):
    topic = serializers.ChoiceField(choices=OpinionTopic.choices)
    topic_label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(error_messages=field_messages())


class OpinionSerializer(serializers.ModelSerializer):
    forum = serializers.UUIDField(source="forum.public_id", read_only=True)
    topic_label = serializers.CharField(source="get_topic_display", read_only=True)
    assigned_unit = UnitRefSerializer(read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Opinion
        fields = [
            "public_id",
            "version",
            "forum",
            "topic",
            "topic_label",
            "content",
            "raised_by",
            "assigned_unit",
            "status",
            "status_label",
            "answer",
            "answered_at",
            "answered_by",
            "closed_at",
            "created_at",
        ]


class ForumSerializer(RecordSerializer):
    commune = AreaRefSerializer(read_only=True)
    topic_counts = serializers.SerializerMethodField()
    unclassified = serializers.SerializerMethodField(
        help_text=_("Số ý kiến chưa phân theo lĩnh vực.")
    )

    class Meta:
        model = Forum
        fields = [
            *_RECORD_FIELDS,
            "title",
            "commune",
            "attendees",
            "opinions",
            "topic_counts",
            "unclassified",
        ]

    @staticmethod
    def _counts(forum: Forum) -> list[dict[str, Any]]:
        return [
            {"topic": c.topic, "topic_label": c.get_topic_display(), "count": c.count}
            for c in forum.topic_counts.all()
        ]

    @extend_schema_field(TopicCountSerializer(many=True))
    def get_topic_counts(self, forum: Forum) -> list[dict[str, Any]]:
        return TopicCountSerializer(self._counts(forum), many=True).data  # type: ignore[return-value]

    def get_unclassified(self, forum: Forum) -> int:
        return forum.opinions - sum(c.count for c in forum.topic_counts.all())


class ForumDetailSerializer(ForumSerializer):
    opinion_items = OpinionSerializer(many=True, read_only=True)

    class Meta(ForumSerializer.Meta):
        fields = [*ForumSerializer.Meta.fields, "opinion_items"]


class PropagandaSerializer(RecordSerializer):
    commune = AreaRefSerializer(read_only=True, allow_null=True)
    laws = LawSerializer(many=True, read_only=True)

    class Meta:
        model = PropagandaSession
        fields = [
            *_RECORD_FIELDS,
            "title",
            "commune",
            "laws",
            "sessions",
            "attendees",
            "leaflets",
        ]


class CoverageSerializer(serializers.Serializer):
    communes = serializers.IntegerField(help_text=_("Số xã, phường hiện hành của tỉnh."))
    launched = serializers.IntegerField(help_text=_("Số xã, phường đã phát động."))
    share = serializers.DecimalField(
        max_digits=6, decimal_places=4, allow_null=True, help_text=_("Tỷ lệ, ví dụ 1.0000.")
    )


class LaunchSerializer(serializers.ModelSerializer):
    commune = AreaRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = CampaignLaunch
        fields = ["public_id", "commune", "launched_on", "unit", "attendees"]


class HandedInSerializer(serializers.ModelSerializer):
    commune = AreaRefSerializer(read_only=True)
    item: serializers.SlugRelatedField[CatalogueItem] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    item_name = serializers.CharField(source="item.name", read_only=True)
    canonical_unit = serializers.CharField(source="item.canonical_unit", read_only=True)

    class Meta:
        model = HandedInItem
        fields = [
            "public_id",
            "commune",
            "handed_in_on",
            "item",
            "item_name",
            "quantity",
            "canonical_unit",
            "entered_quantity",
            "entered_unit",
            "note",
        ]


class CampaignSerializer(RecordSerializer):
    area = AreaRefSerializer(read_only=True)
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = SurrenderCampaign
        fields = [*_RECORD_FIELDS, "name", "area", "coverage"]

    @extend_schema_field(CoverageSerializer(allow_null=True))
    def get_coverage(self, campaign: SurrenderCampaign) -> dict[str, Any] | None:
        coverage = self.context.get("coverage", {}).get(campaign.pk)
        if coverage is None:
            return None
        return CoverageSerializer(coverage).data


class HandedInTotalSerializer(serializers.Serializer):
    # Reads a `selectors.HandedInTotal`: one catalogue item's exact total.
    item = serializers.CharField(source="item.code", help_text=_("Mã mặt hàng."))
    name = serializers.CharField(source="item.name")
    quantity = serializers.DecimalField(max_digits=24, decimal_places=6)
    unit = serializers.CharField(
        source="item.canonical_unit", help_text=_("Đơn vị chuẩn của mặt hàng.")
    )
    report_phrase = serializers.CharField(source="item.report_phrase")


class CampaignDetailSerializer(CampaignSerializer):
    launches = LaunchSerializer(many=True, read_only=True)
    handed_in = HandedInSerializer(many=True, read_only=True)
    handed_in_totals = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "launches", "handed_in", "handed_in_totals"]

    @extend_schema_field(HandedInTotalSerializer(many=True))
    def get_handed_in_totals(self, campaign: SurrenderCampaign) -> list[dict[str, Any]]:
        totals = self.context.get("handed_in_totals", [])
        return HandedInTotalSerializer(totals, many=True).data  # type: ignore[return-value]


class ProgrammeSerializer(RecordSerializer):
    commune = AreaRefSerializer(read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = SocialProgramme
        fields = [
            *_RECORD_FIELDS,
            "kind",
            "kind_label",
            "name",
            "commune",
            "beneficiaries",
            "value",
        ]


# --- input --------------------------------------------------------------------------------------


class RecordInputSerializer(serializers.Serializer):
    start_date = serializers.DateField(error_messages=field_messages())
    end_date = serializers.DateField(
        required=False, allow_null=True, error_messages=field_messages()
    )
    organising_unit = UnitRefField(
        required=False,
        allow_null=True,
        error_messages=field_messages(),
        help_text=_(
            "Đơn vị chủ trì (mã đơn vị hoặc mã định danh): đơn vị của người dùng (mặc định) "
            "hoặc đơn vị cấp dưới."
        ),
    )
    participating_units = UnitRefListField(
        required=False,
        error_messages=field_messages(),
        help_text=_(
            "Các đơn vị phối hợp (nhận bản ghi): mỗi đơn vị là mã đơn vị hoặc mã định danh."
        ),
    )
    classification = serializers.ChoiceField(
        choices=STORABLE_CLASSIFICATIONS, default=0, error_messages=field_messages()
    )
    is_joint = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ChangeSerializer(serializers.Serializer):
    """A PATCH body: the `version` being edited and any of the kind's fields; a field that is
    not sent is not changed (no default applies)."""

    version = serializers.IntegerField(
        help_text=_("Phiên bản đang sửa: nếu người khác đã sửa trước, yêu cầu bị từ chối (409).")
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "version":
                field.required = False
                field.default = empty
        return fields


class OpinionInputSerializer(serializers.Serializer):
    topic = serializers.ChoiceField(choices=OpinionTopic.choices, error_messages=field_messages())
    content = serializers.CharField(error_messages=field_messages())
    raised_by = serializers.CharField(required=False, allow_blank=True, default="")
    assigned_unit = UnitRefField(
        required=False,
        allow_null=True,
        error_messages=field_messages(),
        help_text=_("Đơn vị giải quyết: mã đơn vị hoặc mã định danh."),
    )


class ForumInputSerializer(RecordInputSerializer):
    title = serializers.CharField(required=False, allow_blank=True, default="")
    commune = serializers.CharField(help_text=_("Mã xã, phường (5 chữ số)."))
    attendees = serializers.IntegerField(error_messages=field_messages())
    opinions = serializers.IntegerField(
        error_messages=field_messages(), help_text=_("Tổng số ý kiến nhận được.")
    )
    topic_counts = TopicCountSerializer(
        many=True,
        required=False,
        help_text=_("Số ý kiến theo lĩnh vực; tổng không được vượt quá tổng số ý kiến."),
    )
    opinion_items = OpinionInputSerializer(many=True, required=False)


class ForumChangeSerializer(ChangeSerializer, ForumInputSerializer):
    pass


class OpinionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(error_messages=field_messages())
    version = serializers.IntegerField(required=False)


class OpinionCloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class OpinionAssignSerializer(serializers.Serializer):
    assigned_unit = UnitRefField(
        allow_null=True,
        error_messages=field_messages(),
        help_text=_("Đơn vị giải quyết (mã đơn vị hoặc mã định danh); null: bỏ giao."),
    )
    version = serializers.IntegerField(required=False)


class PropagandaInputSerializer(RecordInputSerializer):
    title = serializers.CharField(error_messages=field_messages())
    commune = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    laws = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Mã các luật trong danh mục (GET /api/v1/mobilisation/laws/)."),
    )
    sessions = serializers.IntegerField(default=1, error_messages=field_messages())
    attendees = serializers.IntegerField(error_messages=field_messages())
    leaflets = serializers.IntegerField(default=0, error_messages=field_messages())


class PropagandaChangeSerializer(ChangeSerializer, PropagandaInputSerializer):
    pass


class CampaignInputSerializer(RecordInputSerializer):
    name = serializers.CharField(error_messages=field_messages())
    area = serializers.CharField(
        required=False, help_text=_("Mã tỉnh; mặc định tỉnh của đơn vị chủ trì.")
    )


class CampaignChangeSerializer(ChangeSerializer, RecordInputSerializer):
    name = serializers.CharField(error_messages=field_messages())


class LaunchInputSerializer(serializers.Serializer):
    commune = serializers.CharField(help_text=_("Mã xã, phường thuộc tỉnh của đợt vận động."))
    launched_on = serializers.DateField(error_messages=field_messages())
    unit = UnitRefField(
        required=False,
        allow_null=True,
        error_messages=field_messages(),
        help_text=_(
            "Đơn vị phát động (mã đơn vị hoặc mã định danh); mặc định đơn vị của người dùng."
        ),
    )
    attendees = serializers.IntegerField(required=False, allow_null=True)


class HandedInRowSerializer(serializers.Serializer):
    commune = serializers.CharField()
    handed_in_on = serializers.DateField(error_messages=field_messages())
    item = serializers.CharField(help_text=_("Mã mặt hàng trong danh mục (ví dụ sung, thuoc-no)."))
    quantity = serializers.CharField(
        help_text=_("Số thập phân viết thường, dấu chấm thập phân (ví dụ 2.4).")
    )
    unit = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Mặc định: đơn vị chuẩn.")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HandedInInputSerializer(serializers.Serializer):
    items = HandedInRowSerializer(many=True)


class ProgrammeInputSerializer(RecordInputSerializer):
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices, error_messages=field_messages())
    name = serializers.CharField(error_messages=field_messages())
    commune = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    beneficiaries = serializers.IntegerField(error_messages=field_messages())
    value = serializers.CharField(help_text=_("Trị giá bằng đồng, số nguyên (ví dụ 2900000)."))


class ProgrammeChangeSerializer(ChangeSerializer, ProgrammeInputSerializer):
    pass


# --- period figures -----------------------------------------------------------------------------


class FiguresQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text=_("Từ ngày (YYYY-MM-DD), kể cả."))
    end = serializers.DateField(required=False, help_text=_("Đến ngày (YYYY-MM-DD), kể cả."))
    area = serializers.CharField(
        required=False, help_text=_("Mã tỉnh (cả tỉnh) hoặc mã xã, phường.")
    )


class TopicFigureSerializer(serializers.Serializer):
    topic = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    opinions = serializers.IntegerField()


class ForumFiguresSerializer(serializers.Serializer):
    forums = serializers.IntegerField()
    attendees = serializers.IntegerField()
    opinions = serializers.IntegerField()
    unclassified = serializers.IntegerField()
    by_topic = serializers.SerializerMethodField()
    followed_up = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Ý kiến ghi nhận riêng, theo trạng thái.")
    )
    by_force = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))

    @extend_schema_field(TopicFigureSerializer(many=True))
    def get_by_topic(self, figures: ForumFigures) -> Any:
        rows = [{"topic": t, "label": label, "opinions": n} for t, label, n in figures.topic_rows]
        return TopicFigureSerializer(rows, many=True).data


class LawFigureSerializer(serializers.Serializer):
    law = serializers.CharField(source="law.code")
    name = serializers.CharField(source="law.name")
    records = serializers.IntegerField()
    sessions = serializers.IntegerField()
    attendees = serializers.IntegerField()
    leaflets = serializers.IntegerField()


class PropagandaFiguresSerializer(serializers.Serializer):
    records = serializers.IntegerField()
    sessions = serializers.IntegerField()
    attendees = serializers.IntegerField()
    leaflets = serializers.IntegerField()
    by_law = LawFigureSerializer(many=True)
    by_force = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))


class CampaignCoverageSerializer(CoverageSerializer):
    public_id = serializers.UUIDField(source="campaign.public_id")
    name = serializers.CharField(source="campaign.name")
    launched_in_period = serializers.IntegerField()


class CampaignFiguresSerializer(serializers.Serializer):
    communes = serializers.IntegerField(allow_null=True)
    launched = serializers.IntegerField(allow_null=True)
    share = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    campaigns = CampaignCoverageSerializer(many=True)
    handed_in = HandedInTotalSerializer(many=True)


class KindFigureSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    records = serializers.IntegerField()
    beneficiaries = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=0)


class ProgrammeFiguresSerializer(serializers.Serializer):
    records = serializers.IntegerField()
    beneficiaries = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=0)
    by_kind = serializers.SerializerMethodField()

    @extend_schema_field(KindFigureSerializer(many=True))
    def get_by_kind(self, figures: ProgrammeFigures) -> Any:
        rows = [{"kind": k, "label": label, **values} for k, label, values in figures.kind_rows]
        return KindFigureSerializer(rows, many=True).data


class FiguresSerializer(serializers.Serializer):
    # Reads `selectors.MobilisationFigures` off its dataclasses.
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    area = serializers.CharField(source="area.code", allow_null=True)
    forums = ForumFiguresSerializer()
    propaganda = PropagandaFiguresSerializer()
    campaigns = CampaignFiguresSerializer()
    programmes = ProgrammeFiguresSerializer()
