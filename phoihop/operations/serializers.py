"""API shapes of the joint-operation records.

Input serializers check shape only: units (by code or public id), communes (by official code)
and cases (by public id) are resolved against what the actor may see in
`phoihop.operations.api`, and every rule (dates, counts, who takes part) lives in the services,
which name the field they refuse. Counts are plain integers; a negative one is refused by the
service with the field named (`units.1.personnel`, `people_rescued`…).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.cases.models import Case
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.serializers import PublicIdListField, field_messages
from phoihop.operations.enums import (
    CheckpointPurpose,
    DelegationLevel,
    EventCategory,
    ExerciseKind,
    IncidentKind,
    PatrolRoute,
    ProtectionTarget,
    ZoneKind,
)
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    Exercise,
    OperationCommune,
    OperationUnit,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.org.serializers import UnitRefSerializer, UserRefSerializer

# --- read ---------------------------------------------------------------------------------


class OperationUnitSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    force = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = OperationUnit
        fields = ["unit", "force", "role", "role_label", "personnel", "vehicles", "vessels"]


class OperationCommuneSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="commune.code", read_only=True)
    name = serializers.CharField(source="commune.name", read_only=True)

    class Meta:
        model = OperationCommune
        fields = ["code", "name"]


class LinkedCaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="display_number", read_only=True)

    class Meta:
        model = Case
        fields = ["public_id", "number", "title"]


_COMMON_READ = [
    "public_id",
    "title",
    "start_date",
    "end_date",
    "place",
    "communes",
    "units",
    "outcome",
    "owner_unit",
    "province",
    "classification",
    "classification_label",
    "is_joint",
    "created_by",
    "created_at",
    "updated_at",
    "version",
]


class OperationSerializer(serializers.ModelSerializer):
    owner_unit = UnitRefSerializer(read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    classification_label = serializers.CharField(
        source="get_classification_display", read_only=True
    )
    units = OperationUnitSerializer(
        source="participants", many=True, read_only=True, help_text=_("Các đơn vị tham gia.")
    )
    communes = OperationCommuneSerializer(
        source="places", many=True, read_only=True, help_text=_("Các xã, phường.")
    )
    created_by = UserRefSerializer(read_only=True)


class ProtectionSerializer(OperationSerializer):
    target_label = serializers.CharField(source="get_target_display", read_only=True)
    delegation_level_label = serializers.CharField(
        source="get_delegation_level_display", read_only=True
    )
    event_category_label = serializers.CharField(
        source="get_event_category_display", read_only=True
    )

    class Meta:
        model = Protection
        fields = [
            *_COMMON_READ,
            "target",
            "target_label",
            "delegation_level",
            "delegation_level_label",
            "event_category",
            "event_category_label",
            "event_size",
            "incidents",
        ]


class CountTotalsSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text=_("Số ngày đã có số liệu."))
    vehicles = serializers.IntegerField(help_text=_("Tổng lượt phương tiện."))
    people = serializers.IntegerField(help_text=_("Tổng lượt người."))


class CheckpointSerializer(OperationSerializer):
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    totals = serializers.SerializerMethodField(
        help_text=_("Tổng số liệu theo ngày của chốt (mọi ngày đã nhập).")
    )

    class Meta:
        model = Checkpoint
        fields = [*_COMMON_READ, "purpose", "purpose_label", "totals"]

    @extend_schema_field(CountTotalsSerializer)
    def get_totals(self, checkpoint: Checkpoint) -> dict[str, int]:
        return {
            "days": int(getattr(checkpoint, "count_days", 0) or 0),
            "vehicles": int(getattr(checkpoint, "count_vehicles", 0) or 0),
            "people": int(getattr(checkpoint, "count_people", 0) or 0),
        }


class ZoneSerializer(OperationSerializer):
    zone_kind_label = serializers.CharField(source="get_zone_kind_display", read_only=True)

    class Meta:
        model = ProtectedZone
        fields = [*_COMMON_READ, "zone_kind", "zone_kind_label", "people"]


class PatrolSerializer(OperationSerializer):
    route_label = serializers.CharField(source="get_route_display", read_only=True)
    cases = serializers.SerializerMethodField(
        help_text=_("Vụ việc liên quan mà người gọi được xem.")
    )

    class Meta:
        model = Patrol
        fields = [*_COMMON_READ, "route", "route_label", "sorties", "violations", "cases"]

    @extend_schema_field(LinkedCaseSerializer(many=True))
    def get_cases(self, patrol: Patrol) -> Any:
        return LinkedCaseSerializer(getattr(patrol, "visible_cases", []), many=True).data


class RescueSerializer(OperationSerializer):
    incident_kind_label = serializers.CharField(source="get_incident_kind_display", read_only=True)

    class Meta:
        model = Rescue
        fields = [
            *_COMMON_READ,
            "incident_kind",
            "incident_kind_label",
            "people_rescued",
            "people_evacuated",
            "vessels_assisted",
        ]


class ExerciseSerializer(OperationSerializer):
    exercise_kind_label = serializers.CharField(source="get_exercise_kind_display", read_only=True)

    class Meta:
        model = Exercise
        fields = [*_COMMON_READ, "exercise_kind", "exercise_kind_label", "participants_count"]


class CheckpointCountSerializer(serializers.ModelSerializer):
    checkpoint = serializers.UUIDField(source="checkpoint.public_id", read_only=True)
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = CheckpointCount
        fields = [
            "public_id",
            "checkpoint",
            "day",
            "vehicles",
            "people",
            "note",
            "created_by",
            "created_at",
            "version",
        ]


# --- write --------------------------------------------------------------------------------


def _count(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        error_messages=field_messages(invalid=_("Phải là số nguyên.")), **kwargs
    )


class UnitPartInputSerializer(serializers.Serializer):
    unit = serializers.CharField(
        max_length=40,
        error_messages=field_messages(),
        help_text=_("Mã đơn vị (ví dụ DBP-SK) hoặc mã định danh (UUID) của đơn vị."),
    )
    personnel = _count(default=0, help_text=_("Lượt cán bộ, chiến sĩ."))
    vehicles = _count(default=0, help_text=_("Lượt phương tiện (ô tô, xe máy…)."))
    vessels = _count(default=0, help_text=_("Lượt tàu, xuồng."))


class OperationInputSerializer(serializers.Serializer):
    """Create (POST): every required field; change (PATCH): `version` and what changes.
    `units`, `communes` (and a patrol's `cases`) replace the lists when sent."""

    title = serializers.CharField(max_length=300, error_messages=field_messages())
    start_date = serializers.DateField(
        error_messages=field_messages(invalid=_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD."))
    )
    end_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        error_messages=field_messages(invalid=_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.")),
    )
    place = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        error_messages=field_messages(),
    )
    outcome = serializers.CharField(
        required=False, allow_blank=True, default="", error_messages=field_messages()
    )
    communes = serializers.ListField(
        child=serializers.CharField(max_length=5),
        required=False,
        default=list,
        help_text=_("Mã xã, phường (5 chữ số)."),
        error_messages=field_messages(),
    )
    units = UnitPartInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_(
            "Các đơn vị tham gia và lực lượng, phương tiện từng đơn vị huy động. Đơn vị chủ trì "
            "(đơn vị của người nhập, hoặc lead_unit) luôn có trong danh sách."
        ),
    )
    lead_unit = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Đơn vị chủ trì: đơn vị của người nhập (mặc định) hoặc đơn vị cấp dưới."),
    )
    classification = serializers.ChoiceField(
        choices=STORABLE_CLASSIFICATIONS, default=0, error_messages=field_messages()
    )
    is_joint = serializers.BooleanField(
        default=False,
        help_text=_("Bản ghi phối hợp chung: tham mưu tổng hợp cấp tỉnh được xem."),
    )
    version = serializers.IntegerField(
        required=False,
        help_text=_("Khi sửa (PATCH): phiên bản đang sửa, để phát hiện sửa đồng thời."),
        error_messages=field_messages(invalid=_("Phiên bản phải là số nguyên.")),
    )

    # Fields of the kind, passed to the service as they are.
    kind_fields: tuple[str, ...] = ()


class ProtectionInputSerializer(OperationInputSerializer):
    target = serializers.ChoiceField(
        choices=ProtectionTarget.choices, error_messages=field_messages()
    )
    delegation_level = serializers.ChoiceField(
        choices=DelegationLevel.choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages=field_messages(),
    )
    event_category = serializers.ChoiceField(
        choices=EventCategory.choices,
        required=False,
        allow_blank=True,
        default="",
        error_messages=field_messages(),
    )
    event_size = _count(required=False, allow_null=True, default=None)
    incidents = _count(default=0)

    kind_fields = ("target", "delegation_level", "event_category", "event_size", "incidents")


class CheckpointInputSerializer(OperationInputSerializer):
    purpose = serializers.ChoiceField(
        choices=CheckpointPurpose.choices, error_messages=field_messages()
    )

    kind_fields = ("purpose",)


class ZoneInputSerializer(OperationInputSerializer):
    zone_kind = serializers.ChoiceField(choices=ZoneKind.choices, error_messages=field_messages())
    people = _count(required=False, allow_null=True, default=None)

    kind_fields = ("zone_kind", "people")


class PatrolInputSerializer(OperationInputSerializer):
    route = serializers.ChoiceField(choices=PatrolRoute.choices, error_messages=field_messages())
    sorties = _count(default=1)
    violations = _count(default=0)
    cases = PublicIdListField(
        required=False, default=list, help_text=_("Mã định danh các vụ việc liên quan.")
    )

    kind_fields = ("route", "sorties", "violations")


class RescueInputSerializer(OperationInputSerializer):
    incident_kind = serializers.ChoiceField(
        choices=IncidentKind.choices, error_messages=field_messages()
    )
    people_rescued = _count(default=0)
    people_evacuated = _count(default=0)
    vessels_assisted = _count(default=0)

    kind_fields = ("incident_kind", "people_rescued", "people_evacuated", "vessels_assisted")


class ExerciseInputSerializer(OperationInputSerializer):
    exercise_kind = serializers.ChoiceField(
        choices=ExerciseKind.choices, error_messages=field_messages()
    )
    participants_count = _count(default=0)

    kind_fields = ("exercise_kind", "participants_count")


class CheckpointCountInputSerializer(serializers.Serializer):
    day = serializers.DateField(
        error_messages=field_messages(invalid=_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD."))
    )
    vehicles = _count(help_text=_("Lượt phương tiện được kiểm soát trong ngày."))
    people = _count(help_text=_("Lượt người được kiểm soát trong ngày."))
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        error_messages=field_messages(),
    )
    version = serializers.IntegerField(
        required=False,
        help_text=_("Khi sửa (PATCH): phiên bản đang sửa."),
        error_messages=field_messages(invalid=_("Phiên bản phải là số nguyên.")),
    )


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("Tệp .xlsx hoặc .csv theo mẫu."))


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Số ngày số liệu đã lưu."))
    counts = CheckpointCountSerializer(many=True)


# --- figures ------------------------------------------------------------------------------


class ForceShareSerializer(serializers.Serializer):
    records = serializers.IntegerField(help_text=_("Số bản ghi lực lượng tham gia."))
    personnel = serializers.IntegerField(help_text=_("Lượt cán bộ, chiến sĩ."))
    vehicles = serializers.IntegerField(help_text=_("Lượt phương tiện."))
    vessels = serializers.IntegerField(help_text=_("Lượt tàu, xuồng."))
    sorties = serializers.IntegerField(help_text=_("Tuần tra: số lượt của các chuyến tham gia."))


class CommitmentSerializer(serializers.Serializer):
    personnel = serializers.IntegerField()
    vehicles = serializers.IntegerField()
    vessels = serializers.IntegerField()
    by_force = serializers.DictField(
        child=ForceShareSerializer(), help_text=_("Theo mã lực lượng (CA, QS, BP).")
    )


def _by(help_text: Any) -> serializers.DictField:
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


class ProtectionFiguresSerializer(serializers.Serializer):
    delegations = serializers.IntegerField()
    events = serializers.IntegerField()
    by_level = _by(_("Số đoàn theo cấp."))
    by_category = _by(_("Số sự kiện theo loại."))
    attendees = serializers.IntegerField(help_text=_("Tổng quy mô các sự kiện (người)."))
    incidents = serializers.IntegerField()
    commitment = CommitmentSerializer()


class CheckpointFiguresSerializer(serializers.Serializer):
    checkpoints = serializers.IntegerField(help_text=_("Số chốt hoạt động trong kỳ."))
    by_purpose = _by(_("Số chốt theo mục đích."))
    days = serializers.IntegerField(help_text=_("Số ngày-chốt có số liệu trong kỳ."))
    vehicles = serializers.IntegerField(help_text=_("Lượt phương tiện được kiểm soát."))
    people = serializers.IntegerField(help_text=_("Lượt người được kiểm soát."))
    commitment = CommitmentSerializer()


class ZoneFiguresSerializer(serializers.Serializer):
    zones = serializers.IntegerField()
    by_kind = _by(_("Số khu vực theo loại."))
    people = serializers.IntegerField()
    commitment = CommitmentSerializer()


class RouteTotalSerializer(serializers.Serializer):
    patrols = serializers.IntegerField()
    sorties = serializers.IntegerField()
    violations = serializers.IntegerField()


class PatrolFiguresSerializer(serializers.Serializer):
    patrols = serializers.IntegerField()
    sorties = serializers.IntegerField()
    violations = serializers.IntegerField()
    cases = serializers.IntegerField(help_text=_("Số vụ việc liên quan (được xem)."))
    by_route = serializers.DictField(child=RouteTotalSerializer())
    commitment = CommitmentSerializer()


class RescueFiguresSerializer(serializers.Serializer):
    incidents = serializers.IntegerField()
    by_kind = _by(_("Số vụ theo loại sự cố."))
    people_rescued = serializers.IntegerField()
    people_evacuated = serializers.IntegerField()
    vessels_assisted = serializers.IntegerField()
    commitment = CommitmentSerializer()


class ExerciseFiguresSerializer(serializers.Serializer):
    exercises = serializers.IntegerField()
    by_kind = _by(_("Số cuộc diễn tập theo loại."))
    participants = serializers.IntegerField()
    commitment = CommitmentSerializer()


class OperationsFiguresSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    area = serializers.CharField(allow_null=True, help_text=_("Mã địa bàn đã lọc."))
    protection = ProtectionFiguresSerializer()
    checkpoints = CheckpointFiguresSerializer()
    zones = ZoneFiguresSerializer()
    patrols = PatrolFiguresSerializer()
    rescues = RescueFiguresSerializer()
    exercises = ExerciseFiguresSerializer()
