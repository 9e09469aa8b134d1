"""API shapes of the organisation: units, areas, the current user, API tokens, errors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
