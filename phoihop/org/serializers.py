"""API shapes of the organisation: forces, units, areas, users, the current user, API tokens,
errors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.serializers import field_messages
from phoihop.org.models import AdministrativeArea, Force, Role, Unit, UnitLevel, User
from phoihop.org.selectors import unit_ancestors


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API: a message, a stable code and messages per field."""

    message = serializers.CharField()
    code = serializers.CharField()
    # The metaclass pops declared fields, so this does not shadow `Serializer.fields`.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


# --- units ----------------------------------------------------------------------------------


class ForceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Force
        fields = ["code", "name", "short_name"]


class UnitLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitLevel
        fields = ["code", "name", "rank"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["public_id", "code", "name"]


class UnitSerializer(serializers.ModelSerializer):
    force = ForceSerializer(read_only=True)
    level = UnitLevelSerializer(read_only=True)
    parent = UnitRefSerializer(read_only=True, allow_null=True)
    ancestors = serializers.SerializerMethodField(
        help_text=_("Các đơn vị cấp trên, từ gốc của cây đến đơn vị cấp trên trực tiếp.")
    )
    province: serializers.SlugRelatedField[AdministrativeArea] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    areas: serializers.SlugRelatedField[AdministrativeArea] = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Mã các địa bàn hành chính đơn vị phụ trách."),
    )

    class Meta:
        model = Unit
        fields = [
            "public_id",
            "code",
            "name",
            "short_name",
            "force",
            "level",
            "parent",
            "ancestors",
            "province",
            "areas",
            "valid_from",
            "valid_until",
            "version",
        ]

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_ancestors(self, unit: Unit) -> list[dict[str, Any]]:
        # A list view hands over every ancestor of the page, read in one query.
        known = self.context.get("units_by_id")
        return UnitRefSerializer(unit_ancestors(unit, known=known), many=True).data  # type: ignore[return-value]


# --- administrative areas -------------------------------------------------------------------


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeArea
        fields = ["level", "code", "name"]


class AreaSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = AreaRefSerializer(read_only=True, allow_null=True)
    current = serializers.BooleanField(
        source="is_current", read_only=True, help_text=_("Còn hiệu lực (chưa có ngày kết thúc).")
    )
    successors: serializers.SlugRelatedField[AdministrativeArea] = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Mã các địa bàn kế thừa địa bàn đã kết thúc."),
    )

    class Meta:
        model = AdministrativeArea
        fields = [
            "level",
            "level_label",
            "code",
            "name",
            "kind",
            "kind_label",
            "parent",
            "valid_from",
            "valid_until",
            "current",
            "successors",
        ]


# --- the current user -----------------------------------------------------------------------


class MeUnitSerializer(serializers.ModelSerializer):
    force: serializers.SlugRelatedField[Force] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Unit
        fields = ["public_id", "code", "name", "force"]


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["code", "name"]


class ClearanceSerializer(serializers.Serializer):
    value = serializers.IntegerField(source="clearance")
    # Declared fields are popped by the metaclass: no clash with `Field.label`.
    label = serializers.CharField(source="get_clearance_display")  # type: ignore[assignment]


class MeSerializer(serializers.ModelSerializer):
    unit = MeUnitSerializer(read_only=True, allow_null=True)
    roles = RoleSerializer(many=True, read_only=True)
    clearance = ClearanceSerializer(source="*", read_only=True)
    needs_second_factor = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "public_id",
            "username",
            "full_name",
            "rank_title",
            "unit",
            "roles",
            "clearance",
            "needs_second_factor",
        ]


# --- API tokens -----------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        error_messages={
            "required": _("Hãy nhập tên đăng nhập."),
            "blank": _("Hãy nhập tên đăng nhập."),
        },
    )
    password = serializers.CharField(
        label=_("Mật khẩu"),
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        error_messages={"required": _("Hãy nhập mật khẩu."), "blank": _("Hãy nhập mật khẩu.")},
    )
    otp_token = serializers.RegexField(
        r"^\s*[0-9a-zA-Z]{6,16}\s*$",
        label=_("Mã xác thực hai lớp"),
        required=False,
        allow_blank=True,
        help_text=_(
            "Bắt buộc với tài khoản có mức tiếp cận Mật trở lên: mã 6 số của ứng dụng xác thực."
        ),
        error_messages={"invalid": _("Mã xác thực hai lớp không đúng định dạng.")},
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


# --- references in input ------------------------------------------------------------------


class UserRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["public_id", "full_name", "rank_title"]


_UNIT_REF_HELP = _("Đơn vị: mã đơn vị (ví dụ CAX-SK1) hoặc mã định danh (public_id, UUID).")


class UnitRefField(serializers.CharField):
    """A unit named by its code or its public id (resolved by `phoihop.org.refs`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", _UNIT_REF_HELP)
        super().__init__(**kwargs)


class UnitRefListField(serializers.ListField):
    """Units named by code or public id, mixed freely."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("Danh sách đơn vị: mỗi đơn vị là mã đơn vị hoặc mã định danh (public_id)."),
        )
        super().__init__(child=serializers.CharField(max_length=64), **kwargs)


# --- writes of administrators: forces, units, users -----------------------------------------

# Input serializers check shape only; references are resolved and every rule is checked by
# the services (`phoihop.org.services`).


def _text(label: Any, *, max_length: int, required: bool = True, **kwargs: Any) -> Any:
    return serializers.CharField(
        label=label,
        max_length=max_length,
        required=required,
        allow_blank=not required,
        error_messages=field_messages(),
        **kwargs,
    )


def _version() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        help_text=_("Phiên bản đang sửa; nếu người khác đã lưu trước, yêu cầu bị từ chối (409)."),
        error_messages=field_messages(),
    )


def _day(label: Any, *, required: bool, help_text: Any = "") -> serializers.DateField:
    return serializers.DateField(
        label=label,
        required=required,
        allow_null=not required,
        help_text=help_text,
        error_messages=field_messages(
            invalid=_("Ngày không hợp lệ: hãy viết theo dạng YYYY-MM-DD.")
        ),
    )


_REASON_HELP = _("Căn cứ: quyết định, văn bản làm căn cứ của thay đổi.")
_AREAS_HELP = _(
    "Mã chính thức các địa bàn đơn vị phụ trách (tỉnh 2 chữ số, xã 5 chữ số), thuộc tỉnh của "
    "đơn vị; địa bàn có hiệu lực vào ngày đơn vị bắt đầu hoạt động."
)


class ForceDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Force
        fields = ["public_id", "code", "name", "short_name", "is_partner", "order", "version"]


class ForceInputSerializer(serializers.Serializer):
    code = _text(_("Mã lực lượng"), max_length=10, help_text=_("Ví dụ CSB (Cảnh sát biển)."))
    name = _text(_("Tên"), max_length=100)
    short_name = _text(_("Tên ngắn"), max_length=30, required=False)
    is_partner = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("Cơ quan phối hợp (không phải một trong ba lực lượng)."),
    )
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767)


class ForceChangeSerializer(serializers.Serializer):
    version = _version()
    code = _text(_("Mã lực lượng"), max_length=10, required=False)
    name = _text(_("Tên"), max_length=100, required=False)
    short_name = _text(_("Tên ngắn"), max_length=30, required=False)
    is_partner = serializers.BooleanField(required=False)
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767)


def _area_codes(*, required: bool) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=5),
        required=required,
        help_text=_AREAS_HELP,
        error_messages=field_messages(),
    )


class UnitInputSerializer(serializers.Serializer):
    force = _text(_("Mã lực lượng"), max_length=10, help_text=_("Ví dụ CA, QS, BP."))
    code = _text(_("Ký hiệu đơn vị"), max_length=30)
    name = _text(_("Tên"), max_length=200)
    short_name = _text(_("Tên ngắn"), max_length=80, required=False)
    level = _text(_("Mã cấp"), max_length=20, help_text=_("Ví dụ tinh, khu_vuc, xa."))
    parent = UnitRefField(  # type: ignore[assignment]
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Đơn vị cấp trên (mã đơn vị hoặc public_id); để trống: cấp cao nhất."),
    )
    province = _text(
        _("Mã tỉnh"),
        max_length=2,
        required=False,
        help_text=_("Mã tỉnh, thành phố; để trống: tỉnh của đơn vị cấp trên."),
    )
    areas = _area_codes(required=False)
    valid_from = _day(_("Hoạt động từ"), required=False)
    reason = _text(_("Căn cứ thành lập"), max_length=300, required=False, help_text=_REASON_HELP)


class UnitChangeSerializer(serializers.Serializer):
    version = _version()
    code = _text(_("Ký hiệu đơn vị"), max_length=30, required=False)
    name = _text(_("Tên"), max_length=200, required=False)
    short_name = _text(_("Tên ngắn"), max_length=80, required=False)
    level = _text(_("Mã cấp"), max_length=20, required=False)
    areas = _area_codes(required=False)
    reason = _text(_("Căn cứ"), max_length=300, required=False, help_text=_REASON_HELP)


class UnitMoveSerializer(serializers.Serializer):
    version = _version()
    parent = UnitRefField(  # type: ignore[assignment]
        required=True,
        allow_blank=True,
        allow_null=True,
        help_text=_("Đơn vị cấp trên mới (mã đơn vị hoặc public_id); rỗng: cấp cao nhất."),
    )
    effective = _day(_("Ngày hiệu lực"), required=True)
    reason = _text(_("Căn cứ"), max_length=300, help_text=_REASON_HELP)


class UnitCloseSerializer(serializers.Serializer):
    version = _version()
    until = _day(_("Ngày cuối cùng hoạt động"), required=True)
    reason = _text(_("Căn cứ"), max_length=300, help_text=_REASON_HELP)


class UserSerializer(serializers.ModelSerializer):
    unit = MeUnitSerializer(read_only=True, allow_null=True)
    roles = RoleSerializer(many=True, read_only=True)
    clearance = ClearanceSerializer(source="*", read_only=True)

    class Meta:
        model = User
        fields = [
            "public_id",
            "username",
            "full_name",
            "rank_title",
            "email",
            "unit",
            "roles",
            "clearance",
            "is_active",
        ]


class UserCreatedSerializer(UserSerializer):
    password_setup_url = serializers.CharField(
        read_only=True,
        help_text=_(
            "Đường dẫn dùng một lần để người dùng tự đặt mật khẩu; chỉ hiện trong câu trả lời "
            "này, không lưu ở đâu. Hết hạn sau password_setup_expires_at."
        ),
    )
    password_setup_expires_at = serializers.DateTimeField(read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password_setup_url", "password_setup_expires_at"]


class PasswordSetupSerializer(serializers.Serializer):
    password_setup_url = serializers.CharField(read_only=True)
    password_setup_expires_at = serializers.DateTimeField(read_only=True)


def _roles_field(*, required: bool) -> serializers.ListField:
    # Plain codes, checked by the service: an enum here would repeat the roles' own in the schema.
    return serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=required,
        allow_empty=False,
        help_text=_("Mã vai trò: officer, commander, joint_staff, administrator."),
        error_messages=field_messages(),
    )


def _clearance_field(*, required: bool) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required,
        min_value=min(value for value, _label in STORABLE_CLASSIFICATIONS),
        max_value=max(value for value, _label in STORABLE_CLASSIFICATIONS),
        help_text=_("Mức được tiếp cận: 0 Thường, 1 Mật, 2 Tối mật (Tuyệt mật không lưu)."),
        error_messages=field_messages(
            min_value=_("Mức tiếp cận không hợp lệ."), max_value=_("Mức tiếp cận không hợp lệ.")
        ),
    )


class UserInputSerializer(serializers.Serializer):
    username = _text(_("Tên đăng nhập"), max_length=150)
    full_name = _text(_("Họ và tên"), max_length=150)
    rank_title = _text(_("Cấp bậc, chức vụ"), max_length=120, required=False)
    email = serializers.EmailField(
        required=False, allow_blank=True, error_messages=field_messages()
    )
    unit = UnitRefField(required=True)
    roles = _roles_field(required=True)
    clearance = _clearance_field(required=False)


class UserChangeSerializer(serializers.Serializer):
    full_name = _text(_("Họ và tên"), max_length=150, required=False)
    rank_title = _text(_("Cấp bậc, chức vụ"), max_length=120, required=False)
    email = serializers.EmailField(
        required=False, allow_blank=True, error_messages=field_messages()
    )
    unit = UnitRefField(required=False)
    roles = _roles_field(required=False)
    clearance = _clearance_field(required=False)
    is_active = serializers.BooleanField(required=False)


# --- the organisation import ----------------------------------------------------------------


class OrganisationImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("Tệp .xlsx (các sheet Lực lượng, Đơn vị, Người dùng) hoặc .csv (Đơn vị)."),
        error_messages=field_messages(),
    )
    province = _text(
        _("Mã tỉnh"),
        max_length=2,
        required=False,
        help_text=_("Tỉnh được nhập; để trống: tỉnh của đơn vị người nhập."),
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Chỉ kiểm tra, không lưu gì.")
    )


class ImportedAccountSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    unit = serializers.CharField(help_text=_("Ký hiệu đơn vị."))
    password_setup_url = serializers.CharField(
        help_text=_("Đường dẫn dùng một lần để tự đặt mật khẩu; chỉ hiện trong câu trả lời này.")
    )


class OrganisationImportResultSerializer(serializers.Serializer):
    province = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    forces = serializers.ListField(child=serializers.CharField(), help_text=_("Mã lực lượng."))
    units = serializers.ListField(child=serializers.CharField(), help_text=_("Ký hiệu đơn vị."))
    users = ImportedAccountSerializer(many=True)
