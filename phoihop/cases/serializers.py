"""API shapes of the case registry: cases, their subjects and seized items, wanted persons, the
item catalogue and the counting-rule figures of a filtered list.

Input serializers check shape only. Units (by code or public id, `phoihop.org.refs`), communes,
catalogue items and linked records are resolved against what the actor may see in
`phoihop.cases.api`, and every rule of the registry
(citizen ID structure, birth dates, units of measure, quantities, transitions) lives in its
services, which name the field they refuse.

Quantities travel as plain decimal strings (`"11.09"`), never as JSON floats: they are read with
`SeizedData(localized=False)` and written back without trailing zeros.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.cases.enums import (
    CASE_TRANSITIONS,
    CaseCategory,
    CaseDomain,
    CaseOutcome,
    CaseStatus,
    Sex,
    SubjectKind,
    SubjectResult,
    SubjectRole,
)
from phoihop.cases.models import (
    Case,
    CaseTransition,
    CaseUnit,
    CatalogueItem,
    SeizedItem,
    WantedPerson,
)
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.formats import count, number
from phoihop.core.serializers import PublicIdListField, field_messages
from phoihop.org.serializers import (
    AreaRefSerializer,
    UnitRefField,
    UnitRefListField,
    UnitRefSerializer,
    UserRefSerializer,
)

F = TypeVar("F", bound=serializers.Field)


def plain_decimal(value: Decimal) -> str:
    """`Decimal('10.000000')` → `"10"`, `Decimal('11.090000')` → `"11.09"`: exact, no exponent."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class PlainDecimalField(serializers.DecimalField):
    """A Decimal written as a plain string without trailing zeros (read-only use)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", None)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        # DRF writes null itself: a None never reaches here.
        return plain_decimal(Decimal(value))


# The same choice set under a field name another app already uses with other choices ("result"
# of a verification) makes drf-spectacular warn unless settings name both enums; until then the
# schema shows these as strings whose values the help text lists.
@extend_schema_field(OpenApiTypes.STR)
class SchemaStringChoiceField(serializers.ChoiceField):
    pass


def _values(choices: Any) -> str:
    return ", ".join(str(value) for value, _label in choices)


def blank_allowed(field_class: Callable[..., F], **kwargs: Any) -> F:
    """An input field that may be left out or blank: then `default` ("" unless given)."""
    kwargs.setdefault("default", "")
    kwargs.setdefault("error_messages", field_messages())
    return field_class(required=False, allow_blank=True, **kwargs)


def optional_text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return blank_allowed(serializers.CharField, max_length=max_length, **kwargs)


def null_allowed(field_class: Callable[..., F], **kwargs: Any) -> F:
    """An input field that may be left out or null: then None."""
    kwargs.setdefault("error_messages", field_messages())
    return field_class(required=False, allow_null=True, default=None, **kwargs)


def birth_date_field(**kwargs: Any) -> serializers.DateField:
    return null_allowed(
        serializers.DateField,
        error_messages=field_messages(invalid=_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.")),
        **kwargs,
    )


def birth_year_field(**kwargs: Any) -> serializers.IntegerField:
    return null_allowed(
        serializers.IntegerField,
        error_messages=field_messages(invalid=_("Năm sinh phải là số nguyên.")),
        **kwargs,
    )


def classification_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=STORABLE_CLASSIFICATIONS,
        default=0,
        help_text=_("Độ mật; không được cao hơn mức cho phép của hệ thống."),
        error_messages=field_messages(),
    )


def version_field(help_text: Any = "", **kwargs: Any) -> serializers.IntegerField:
    """The `version` a change was decided on (409 `stale_version` when it is no longer current)."""
    return serializers.IntegerField(
        min_value=1,
        help_text=help_text,
        error_messages=field_messages(invalid=_("Phiên bản phải là số nguyên.")),
        **kwargs,
    )


# --- catalogue --------------------------------------------------------------------------------


class CatalogueItemSerializer(serializers.ModelSerializer):
    # Plain strings: the item categories and units share field names with other choice sets.
    category = serializers.CharField(read_only=True, help_text=_("Nhóm mặt hàng."))
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    canonical_unit = serializers.CharField(
        read_only=True, help_text=_("Đơn vị chuẩn: số lượng được lưu và cộng theo đơn vị này.")
    )
    input_units = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Các đơn vị được nhập, đơn vị chuẩn trước."),
    )

    class Meta:
        model = CatalogueItem
        fields = [
            "code",
            "name",
            "category",
            "category_label",
            "canonical_unit",
            "input_units",
            "report_phrase",
        ]


class CatalogueItemRefSerializer(serializers.ModelSerializer):
    canonical_unit = serializers.CharField(read_only=True)

    class Meta:
        model = CatalogueItem
        fields = ["code", "name", "report_phrase", "canonical_unit"]


# --- rows of a case ---------------------------------------------------------------------------


class CaseParticipantSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    force = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = CaseUnit
        fields = ["unit", "force", "role", "role_label"]


class CaseTransitionSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True)

    class Meta:
        model = CaseTransition
        fields = ["from_status", "to_status", "at", "by", "note"]


class CaseSubjectSerializer(serializers.Serializer):
    """A subject (đối tượng): the same shape is written (POST, PATCH) and read back."""

    public_id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(
        choices=SubjectKind.choices, default=SubjectKind.PERSON, error_messages=field_messages()
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.CharField(
        max_length=200,
        help_text=_("Họ tên cá nhân hoặc tên tổ chức."),
        error_messages=field_messages(),
    )
    other_names = optional_text(max_length=200)
    birth_date = birth_date_field(help_text=_("Ngày sinh (YYYY-MM-DD), không được ở tương lai."))
    birth_year = birth_year_field(help_text=_("Năm sinh, khi không biết ngày sinh."))
    sex = blank_allowed(serializers.ChoiceField, choices=Sex.choices)
    citizen_id = optional_text(
        max_length=12,
        help_text=_("Số định danh cá nhân: 12 chữ số, kiểm tra theo cấu trúc."),
        error_messages=field_messages(max_length=_("Số định danh cá nhân gồm đúng 12 chữ số.")),
    )
    passport = optional_text(max_length=20)
    nationality = optional_text(max_length=60, default="Việt Nam")
    registration_number = optional_text(
        max_length=30, help_text=_("Số đăng ký kinh doanh (tổ chức).")
    )
    address = optional_text(max_length=300)
    phone = optional_text(max_length=20)
    role = serializers.ChoiceField(
        choices=SubjectRole.choices, default=SubjectRole.SUSPECT, error_messages=field_messages()
    )
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    result = blank_allowed(
        SchemaStringChoiceField,
        choices=SubjectResult.choices,
        help_text=_("Kết quả xử lý đối tượng: %(values)s (hoặc để trống).")
        % {"values": _values(SubjectResult.choices)},
    )
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    version = version_field(
        _("Phiên bản của đối tượng; bắt buộc khi sửa (PATCH) để phát hiện sửa trùng."),
        required=False,
    )


class SeizedItemSerializer(serializers.ModelSerializer):
    """A seized item as stored: canonical quantity, and the quantity and unit as entered."""

    item = CatalogueItemRefSerializer(read_only=True)
    quantity = PlainDecimalField(help_text=_("Số lượng theo đơn vị chuẩn của mặt hàng."))
    unit = serializers.CharField(source="item.canonical_unit", read_only=True)
    entered_quantity = PlainDecimalField(help_text=_("Số lượng như đã nhập."))
    entered_unit = serializers.CharField(read_only=True, help_text=_("Đơn vị tính như đã nhập."))
    display = serializers.SerializerMethodField(
        help_text=_("Cách ghi trong báo cáo, ví dụ “11,09 gam heroin”.")
    )

    class Meta:
        model = SeizedItem
        fields = [
            "public_id",
            "item",
            "quantity",
            "unit",
            "entered_quantity",
            "entered_unit",
            "display",
            "note",
            "version",
        ]

    def get_display(self, seized: SeizedItem) -> str:
        return f"{number(seized.quantity, max_decimals=6)} {seized.item.report_phrase}"


class SeizedItemInputSerializer(serializers.Serializer):
    item = serializers.CharField(
        max_length=40,
        help_text=_("Mã mặt hàng trong danh mục tang vật, ví dụ heroin."),
        error_messages=field_messages(),
    )
    quantity = serializers.CharField(
        max_length=40,
        help_text=_('Số lượng: số thập phân dạng chuỗi, dấu chấm thập phân, ví dụ "11.09".'),
        error_messages=field_messages(),
    )
    unit = optional_text(
        max_length=20,
        help_text=_(
            "Đơn vị tính, một trong các đơn vị được nhập của mặt hàng; mặc định đơn vị chuẩn."
        ),
    )
    note = optional_text(max_length=300)


class PartialInput:
    """An input serializer that is always partial (PATCH): only the fields sent change, and
    `version`, required, is checked by `access.api.version_required`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class SeizedItemUpdateSerializer(PartialInput, SeizedItemInputSerializer):
    """PATCH of one seized item: the fields given replace the ones stored."""

    version = version_field(_("Phiên bản của tang vật đang sửa."))


class NumberedRefSerializer(serializers.Serializer):
    """A numbered record named in another's answer: the arrest case, a linked information item."""

    public_id = serializers.UUIDField(read_only=True)
    number = serializers.CharField(source="display_number", read_only=True)
    title = serializers.CharField(read_only=True)


# --- cases ------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    """A case in a list."""

    number = serializers.CharField(
        source="display_number", read_only=True, help_text=_("Số vụ việc, ví dụ 01/VV-CAX-SK1.")
    )
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    domain_label = serializers.CharField(source="get_domain_display", read_only=True)
    commune = AreaRefSerializer(read_only=True)
    owner_unit = UnitRefSerializer(
        read_only=True, help_text=_("Đơn vị chủ trì, đơn vị quản lý vụ việc.")
    )
    lead_force = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    forces = serializers.SerializerMethodField(
        help_text=_("Mã các lực lượng tham gia (chủ trì và phối hợp).")
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    classification_label = serializers.CharField(
        source="get_classification_display", read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "public_id",
            "number",
            "year",
            "title",
            "category",
            "category_label",
            "domain",
            "domain_label",
            "commune",
            "detected_at",
            "owner_unit",
            "lead_force",
            "forces",
            "status",
            "status_label",
            "outcome",
            "outcome_label",
            "classification",
            "classification_label",
            "is_joint",
            "version",
        ]

    def get_forces(self, case: Case) -> list[str]:
        codes = {p.force.code: p.force.order for p in case.participants.all()}
        return sorted(codes, key=lambda code: (codes[code], code))


class CaseDetailSerializer(CaseSerializer):
    detecting_unit = UnitRefSerializer(read_only=True)
    created_by = UserRefSerializer(read_only=True)
    latitude = PlainDecimalField(allow_null=True)
    longitude = PlainDecimalField(allow_null=True)
    fine_amount = PlainDecimalField(allow_null=True, help_text=_("Số tiền phạt (đồng)."))
    participants = CaseParticipantSerializer(many=True, read_only=True)
    subjects = CaseSubjectSerializer(many=True, read_only=True)
    seized_items = SeizedItemSerializer(many=True, read_only=True)
    transitions = CaseTransitionSerializer(many=True, read_only=True)
    next_statuses = serializers.SerializerMethodField(
        help_text=_("Các trạng thái được chuyển sang từ trạng thái hiện tại.")
    )
    info_items = serializers.SerializerMethodField(
        help_text=_("Các thông tin liên quan mà người dùng được xem.")
    )

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "summary",
            "latitude",
            "longitude",
            "occurred_at",
            "detecting_unit",
            "fine_amount",
            "transferred_to",
            "participants",
            "subjects",
            "seized_items",
            "transitions",
            "next_statuses",
            "info_items",
            "created_by",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(CaseStatus.choices)))
    def get_next_statuses(self, case: Case) -> list[str]:
        return [s.value for s in CaseStatus if s in CASE_TRANSITIONS[case.status]]

    @extend_schema_field(NumberedRefSerializer(many=True))
    def get_info_items(self, case: Case) -> list[dict[str, Any]]:
        items = self.context.get("info_items", [])
        return NumberedRefSerializer(items, many=True).data  # type: ignore[return-value]


class CaseFieldsSerializer(serializers.Serializer):
    """The fields of a case that are written when it is recorded and may be changed later."""

    title = serializers.CharField(
        max_length=300, label=_("Tên vụ việc"), error_messages=field_messages()
    )
    summary = optional_text(max_length=50000)
    category = serializers.ChoiceField(
        choices=CaseCategory.choices, error_messages=field_messages()
    )
    domain = serializers.ChoiceField(choices=CaseDomain.choices, error_messages=field_messages())
    commune = serializers.CharField(
        max_length=5,
        help_text=_("Mã chính thức của xã, phường, đặc khu nơi xảy ra (5 chữ số)."),
        error_messages=field_messages(),
    )
    latitude = null_allowed(serializers.DecimalField, max_digits=9, decimal_places=6)
    longitude = null_allowed(serializers.DecimalField, max_digits=9, decimal_places=6)
    occurred_at = null_allowed(serializers.DateTimeField)
    detected_at = serializers.DateTimeField(
        help_text=_("Thời điểm phát hiện; tính kỳ báo cáo theo thời điểm này."),
        error_messages=field_messages(),
    )
    detecting_unit = blank_allowed(
        UnitRefField,
        help_text=_(
            "Đơn vị phát hiện, mặc định đơn vị chủ trì: mã đơn vị (ví dụ CAX-SK1) hoặc mã định "
            "danh (public_id)."
        ),
    )
    classification = classification_field()
    is_joint = serializers.BooleanField(
        default=False,
        help_text=_("Vụ việc chung ba lực lượng: tham mưu tổng hợp của tỉnh cũng thấy."),
    )


class CaseCreateSerializer(CaseFieldsSerializer):
    lead_unit = blank_allowed(
        UnitRefField,
        help_text=_(
            "Đơn vị chủ trì: đơn vị mình (mặc định) hoặc đơn vị cấp dưới; mã đơn vị hoặc mã "
            "định danh (public_id)."
        ),
    )
    cooperating_units = UnitRefListField(
        default=list,
        help_text=_(
            "Các đơn vị phối hợp (mọi lực lượng): mỗi đơn vị là mã đơn vị hoặc mã định danh "
            "(public_id)."
        ),
        error_messages=field_messages(),
    )
    info_items = PublicIdListField(
        default=list, help_text=_("Mã định danh các thông tin liên quan (được xem).")
    )
    subjects = CaseSubjectSerializer(many=True, default=list)
    seized_items = SeizedItemInputSerializer(many=True, default=list)


class CaseUpdateSerializer(PartialInput, CaseFieldsSerializer):
    """PATCH of a case: only the fields given change; `version` is the one the editor read.
    A blank `detecting_unit` is the lead unit again."""

    version = version_field(_("Phiên bản của vụ việc khi bắt đầu sửa."))


class CaseStepSerializer(serializers.Serializer):
    """A transition of the case workflow."""

    version = version_field(_("Phiên bản của vụ việc khi bắt đầu thao tác."))
    note = optional_text(max_length=5000)
    at = null_allowed(
        serializers.DateTimeField, help_text=_("Thời điểm chuyển trạng thái; mặc định bây giờ.")
    )


class CaseHandleSerializer(CaseStepSerializer):
    outcome = serializers.ChoiceField(
        choices=CaseOutcome.choices,
        help_text=_("prosecution, administrative (kèm số tiền phạt) hoặc no_violation."),
        error_messages=field_messages(),
    )
    fine_amount = null_allowed(
        serializers.DecimalField,
        max_digits=15,
        decimal_places=0,
        min_value=Decimal(0),
        help_text=_("Số tiền phạt (đồng), khi xử phạt vi phạm hành chính."),
        error_messages=field_messages(min_value=_("Số tiền phạt không được âm.")),
    )


class CaseTransferSerializer(CaseStepSerializer):
    transferred_to = serializers.CharField(
        max_length=200,
        label=_("Cơ quan tiếp nhận"),
        error_messages=field_messages(),
    )


class CaseCooperatingUnitsSerializer(serializers.Serializer):
    cooperating_units = UnitRefListField(
        allow_empty=True,
        help_text=_(
            "Toàn bộ danh sách đơn vị phối hợp mới: mỗi đơn vị là mã đơn vị hoặc mã định danh "
            "(public_id)."
        ),
        error_messages=field_messages(),
    )
    version = version_field()


# --- figures of a filtered list ---------------------------------------------------------------


class SeizedTotalSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    phrase = serializers.CharField(source="item.report_phrase")
    unit = serializers.CharField(source="item.canonical_unit")
    quantity = PlainDecimalField(help_text=_("Tổng số lượng theo đơn vị chuẩn, chính xác."))
    display = serializers.SerializerMethodField(help_text=_("Ví dụ “11,09 gam heroin”."))

    def get_display(self, total: Any) -> str:
        return f"{number(total.quantity, max_decimals=6)} {total.item.report_phrase}"


def _counts(help_text: Any) -> serializers.DictField:
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


class CaseTotalsSerializer(serializers.Serializer):
    """The counting rules over the same filtered, visible list."""

    cases = serializers.IntegerField(
        help_text=_("Số vụ: mỗi vụ một lần dù bao nhiêu lực lượng tham gia.")
    )
    persons = serializers.IntegerField(
        help_text=_("Số đối tượng (cá nhân nghi phạm, bị bắt), tính riêng trong từng vụ.")
    )
    organisations = serializers.IntegerField(help_text=_("Số tổ chức vi phạm."))
    summary = serializers.SerializerMethodField(
        help_text=_("Cách ghi trong báo cáo, ví dụ “200 vụ/226 đối tượng và 01 tổ chức”.")
    )
    by_category = _counts(_("Số vụ theo loại vụ việc."))
    by_domain = _counts(_("Số vụ theo địa bàn xảy ra."))
    by_lead_force = _counts(_("Số vụ theo lực lượng chủ trì."))
    by_participating_force = _counts(
        _("Số vụ mỗi lực lượng tham gia (chủ trì hoặc phối hợp); tổng có thể lớn hơn số vụ.")
    )
    by_outcome = _counts(_("Số vụ theo kết quả xử lý."))
    fines = PlainDecimalField(help_text=_("Tổng tiền phạt vi phạm hành chính (đồng)."))
    seized = SeizedTotalSerializer(many=True, help_text=_("Tổng tang vật theo từng mặt hàng."))

    def get_summary(self, figures: Any) -> str:
        text = _("%(cases)s vụ/%(persons)s đối tượng") % {
            "cases": count(figures.cases),
            "persons": count(figures.persons),
        }
        if figures.organisations:
            text = _("%(text)s và %(organisations)s tổ chức") % {
                "text": text,
                "organisations": count(figures.organisations),
            }
        return str(text)


# --- wanted persons ---------------------------------------------------------------------------


class WantedPersonSerializer(serializers.ModelSerializer):
    """A wanted person (đối tượng truy nã): written on create, read back with the arrest."""

    birth_date = birth_date_field()
    birth_year = birth_year_field()
    sex = blank_allowed(serializers.ChoiceField, choices=Sex.choices)
    classification = classification_field()
    is_joint = serializers.BooleanField(default=False)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    owner_unit = UnitRefSerializer(read_only=True)
    arresting_unit = UnitRefSerializer(read_only=True, allow_null=True)
    arrest_case = serializers.SerializerMethodField(
        help_text=_("Vụ việc bắt giữ, khi người dùng được xem vụ việc đó; nếu không, null.")
    )

    class Meta:
        model = WantedPerson
        fields = [
            "public_id",
            "notice_number",
            "notice_date",
            "issuing_authority",
            "full_name",
            "other_names",
            "birth_date",
            "birth_year",
            "sex",
            "citizen_id",
            "address",
            "offence",
            "classification",
            "is_joint",
            "status",
            "status_label",
            "arrested_at",
            "arresting_unit",
            "arrest_case",
            "owner_unit",
            "version",
            "created_at",
        ]
        read_only_fields = ["status", "arrested_at", "version", "created_at"]
        extra_kwargs = {
            name: {"error_messages": field_messages()}
            for name in (
                "notice_number",
                "notice_date",
                "issuing_authority",
                "full_name",
                "other_names",
                "citizen_id",
                "address",
                "offence",
            )
        }

    @extend_schema_field(NumberedRefSerializer(allow_null=True))
    def get_arrest_case(self, wanted: WantedPerson) -> dict[str, Any] | None:
        shown: set[int] = self.context.get("visible_case_ids", set())
        if wanted.arrest_case_id is None or wanted.arrest_case_id not in shown:
            return None
        return NumberedRefSerializer(wanted.arrest_case).data


class WantedArrestSerializer(serializers.Serializer):
    arrested_at = serializers.DateTimeField(
        help_text=_("Thời điểm bắt (hoặc đầu thú)."), error_messages=field_messages()
    )
    arresting_unit = blank_allowed(
        UnitRefField,
        help_text=_("Đơn vị bắt, mặc định đơn vị mình: mã đơn vị hoặc mã định danh (public_id)."),
    )
    case = null_allowed(
        serializers.UUIDField, help_text=_("Mã định danh vụ việc bắt giữ (được xem).")
    )
    surrendered = serializers.BooleanField(
        default=False, help_text=_("Đối tượng ra đầu thú thay vì bị bắt.")
    )
    version = version_field()
