"""API shapes of the joint-operation records.

A kind's shapes are built from its model (`record_serializer`, `record_input_serializer`): the
common fields, then the kind's own in `kind_fields`, so adding a field to a kind is a change to
its model only. Input serializers check shape only: units (by code or public id), communes (by
official code) and cases (by public id) are resolved against what the actor may see in
`phoihop.operations.api`, and every rule (dates, counts, who takes part) lives in the services,
which name the field they refuse. Counts are plain integers; a negative one is refused by the
service with the field named (`units.1.personnel`, `people_rescued`…).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.cases.models import Case
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.serializers import PublicIdListField, field_messages
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    OperationCommune,
    OperationRecord,
    OperationUnit,
    Patrol,
)
from phoihop.org.serializers import UnitRefField, UnitRefSerializer, UserRefSerializer

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
    """What every kind shows; `record_serializer` adds the kind's own fields."""

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

    # Fields a kind shows after its own (declared by the subclass).
    extra_fields: ClassVar[tuple[str, ...]] = ()


class CountTotalsSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text=_("Số ngày đã có số liệu."))
    vehicles = serializers.IntegerField(help_text=_("Tổng lượt phương tiện."))
    people = serializers.IntegerField(help_text=_("Tổng lượt người."))


class _CheckpointShape(OperationSerializer):
    totals = serializers.SerializerMethodField(
        help_text=_("Tổng số liệu theo ngày của chốt (mọi ngày đã nhập).")
    )

    extra_fields = ("totals",)

    @extend_schema_field(CountTotalsSerializer)
    def get_totals(self, checkpoint: Checkpoint) -> dict[str, int]:
        return {
            "days": int(getattr(checkpoint, "count_days", 0) or 0),
            "vehicles": int(getattr(checkpoint, "count_vehicles", 0) or 0),
            "people": int(getattr(checkpoint, "count_people", 0) or 0),
        }


class _PatrolShape(OperationSerializer):
    cases = serializers.SerializerMethodField(
        help_text=_("Vụ việc liên quan mà người gọi được xem.")
    )

    extra_fields = ("cases",)

    @extend_schema_field(LinkedCaseSerializer(many=True))
    def get_cases(self, patrol: Patrol) -> Any:
        return LinkedCaseSerializer(getattr(patrol, "visible_cases", []), many=True).data


_READ_BASES: dict[type[OperationRecord], type[OperationSerializer]] = {
    Checkpoint: _CheckpointShape,
    Patrol: _PatrolShape,
}


def record_serializer(model: type[OperationRecord], name: str) -> type[OperationSerializer]:
    """The read shape of a kind: the common fields, then the kind's own in the model's order,
    each choice followed by its Vietnamese label (`target`, `target_label`)."""
    base = _READ_BASES.get(model, OperationSerializer)
    fields = [*_COMMON_READ]
    attrs: dict[str, Any] = {}
    for field_name in model.kind_fields:
        fields.append(field_name)
        field = model._meta.get_field(field_name)
        if field.is_relation:
            # A catalogue row (an item destroyed) is named by its code, as it is sent.
            attrs[field_name] = serializers.SlugRelatedField(slug_field="code", read_only=True)
        if getattr(field, "choices", None) or hasattr(model, f"get_{field_name}_display"):
            label = f"{field_name}_label"
            fields.append(label)
            attrs[label] = serializers.CharField(source=f"get_{field_name}_display", read_only=True)
    fields += [n for n in model.computed_fields if n not in fields]
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": [*fields, *base.extra_fields]})
    return type(f"{name.title()}Serializer", (base,), attrs)


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


_DATE_MESSAGES = field_messages(invalid=_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD."))


def _count(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        error_messages=field_messages(invalid=_("Phải là số nguyên.")), **kwargs
    )


class UnitPartInputSerializer(serializers.Serializer):
    unit = UnitRefField(error_messages=field_messages())
    personnel = _count(default=0, help_text=_("Lượt cán bộ, chiến sĩ."))
    vehicles = _count(default=0, help_text=_("Lượt phương tiện (ô tô, xe máy…)."))
    vessels = _count(default=0, help_text=_("Lượt tàu, xuồng."))


class OperationInputSerializer(serializers.Serializer):
    """Create (POST): every required field; change (PATCH): `version` and what changes.
    `units`, `communes` (and a patrol's `cases`) replace the lists when sent.
    `record_input_serializer` adds the kind's own fields."""

    title = serializers.CharField(max_length=300, error_messages=field_messages())
    start_date = serializers.DateField(error_messages=_DATE_MESSAGES)
    end_date = serializers.DateField(
        required=False, allow_null=True, default=None, error_messages=_DATE_MESSAGES
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
            "Các đơn vị tham gia và lực lượng, phương tiện từng đơn vị huy động; mỗi đơn vị là mã "
            "đơn vị hoặc mã định danh. Đơn vị chủ trì (đơn vị của người nhập, hoặc lead_unit) "
            "luôn có trong danh sách."
        ),
    )
    lead_unit = UnitRefField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Đơn vị chủ trì: đơn vị của người nhập (mặc định) hoặc đơn vị cấp dưới; mã đơn vị "
            "hoặc mã định danh."
        ),
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


def _kind_input(field: Any) -> serializers.Field:
    """A kind's own field as the API takes it: a choice (blank allowed where the model allows
    it), a catalogue code (a zone's kind, an item), a decimal quantity, or a count whose default
    and emptiness are the model's; the service checks the rest."""
    if field.is_relation or (isinstance(field, models.CharField) and not field.choices):
        return serializers.CharField(
            max_length=40, help_text=_("Mã trong danh mục."), error_messages=field_messages()
        )
    if isinstance(field, models.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            error_messages=field_messages(invalid=_("Phải là số.")),
        )
    if field.choices:
        if field.blank:
            return serializers.ChoiceField(
                choices=field.choices,
                required=False,
                allow_blank=True,
                default="",
                error_messages=field_messages(),
            )
        return serializers.ChoiceField(choices=field.choices, error_messages=field_messages())
    if field.null:
        return _count(required=False, allow_null=True, default=None)
    return _count(default=field.default)


def record_input_serializer(
    model: type[OperationRecord], name: str
) -> type[OperationInputSerializer]:
    """The input shape of a kind: the common fields and the kind's own (from its model); a
    patrol also names the cases it led to."""
    attrs = {n: _kind_input(model._meta.get_field(n)) for n in model.kind_fields}
    if model is Patrol:
        attrs["cases"] = PublicIdListField(
            required=False, default=list, help_text=_("Mã định danh các vụ việc liên quan.")
        )
    return type(f"{name.title()}InputSerializer", (OperationInputSerializer,), attrs)


class CheckpointCountInputSerializer(serializers.Serializer):
    day = serializers.DateField(error_messages=_DATE_MESSAGES)
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


class FiguresQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text=_("Từ ngày (YYYY-MM-DD), tính cả ngày này.")
    )
    end = serializers.DateField(
        required=False, help_text=_("Đến ngày (YYYY-MM-DD), tính cả ngày này.")
    )
    area = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Mã địa bàn: mã tỉnh (cả tỉnh) hoặc mã xã, phường."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end": [_("Ngày kết thúc không được trước ngày bắt đầu.")]}
            )
        return attrs


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


class QualifiedSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=30, decimal_places=6, coerce_to_string=False)
    qualifier = serializers.CharField(
        help_text=_("Trên (tren), hơn (hon), gần (gan), khoảng (khoang) hoặc trống: chính xác.")
    )


class ZoneFiguresSerializer(serializers.Serializer):
    zones = serializers.IntegerField(help_text=_("Số khu vực (mỗi bản ghi tính số khu vực)."))
    by_kind = _by(_("Số khu vực theo mã loại khu vực."))
    qualified_by_kind = serializers.DictField(
        child=QualifiedSerializer(), help_text=_("Số khu vực theo loại, kèm mức độ.")
    )
    people = serializers.IntegerField()
    people_qualified = QualifiedSerializer()
    commitment = CommitmentSerializer()


class RouteTotalSerializer(serializers.Serializer):
    patrols = serializers.IntegerField()
    sorties = serializers.IntegerField()
    violations = serializers.IntegerField()


class PatrolFiguresSerializer(serializers.Serializer):
    patrols = serializers.IntegerField()
    sorties = serializers.IntegerField()
    sorties_qualified = QualifiedSerializer()
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
    civilian_vessels = serializers.IntegerField(help_text=_("Lượt tàu, thuyền của Nhân dân."))
    civilian_people = serializers.IntegerField(help_text=_("Lượt người dân huy động."))
    qualified = serializers.DictField(
        child=QualifiedSerializer(), help_text=_("Các số liệu nhập kèm mức độ, đã cộng.")
    )
    commitment = CommitmentSerializer()


class ExerciseFiguresSerializer(serializers.Serializer):
    exercises = serializers.IntegerField()
    by_kind = _by(_("Số cuộc diễn tập theo loại."))
    participants = serializers.IntegerField()
    commitment = CommitmentSerializer()


class DestroyedTotalSerializer(serializers.Serializer):
    item = serializers.CharField(source="item.code", help_text=_("Mã mặt hàng."))
    quantity = serializers.DecimalField(max_digits=30, decimal_places=6)
    qualifier = serializers.CharField()


class DestructionFiguresSerializer(serializers.Serializer):
    destructions = serializers.IntegerField(help_text=_("Số đợt tiêu hủy."))
    by_item = serializers.DictField(
        child=serializers.DecimalField(max_digits=30, decimal_places=6),
        help_text=_("Số lượng (đơn vị chuẩn) theo mã mặt hàng."),
    )
    items = DestroyedTotalSerializer(many=True)
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
    destructions = DestructionFiguresSerializer()
