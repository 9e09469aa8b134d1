"""API of the organisation: the current user, forces, units, users, administrative areas and
API tokens.

Every member reads forces, units and areas; only administrators (`core.adminsite.is_administrator`)
write them, and only they read or write accounts. Writes go through `org.services`; units in
bodies are named by code or public id (`org.refs`), areas by official code. A new account gets
no password: the answer carries a one-time set-up link, shown once and stored nowhere.

API tokens and the second factor: a token stands in for the password, so users cleared Mật and
above (who must pass TOTP on the web) get one only by also sending `otp_token`, checked against
their confirmed django-otp devices. Tokens expire `PHOIHOP_API_TOKEN_HOURS` after issue, and each
issue replaces the user's previous token. Credentials go through
`django.contrib.auth.authenticate(request, ...)`, so django-axes counts failures and locks out,
and the audit log records them; a wrong second factor counts as a failed login as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from django_otp import devices_for_user, verify_token
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.schema import IDEMPOTENCY_KEY, post_errors, read_errors, write_errors
from phoihop.core.adminsite import is_administrator
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError, invalid
from phoihop.core.idempotency import idempotent
from phoihop.core.serializers import validated
from phoihop.core.tabular import XLSX_CONTENT_TYPE
from phoihop.core.text import fold
from phoihop.org.authentication import token_lifetime
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.imports import OrganisationImport, organisation_import, organisation_template
from phoihop.org.models import AdministrativeArea, Force, Unit, UnitLevel, User
from phoihop.org.refs import unit_by_ref
from phoihop.org.selectors import (
    area_filter_by_name,
    area_get,
    area_list,
    force_by_code,
    force_get,
    force_list,
    level_by_code,
    unit_get,
    unit_ids_matching,
    unit_list,
    units_by_id,
    user_get,
    user_list,
    user_profile,
)
from phoihop.org.serializers import (
    AreaSerializer,
    ErrorSerializer,
    ForceChangeSerializer,
    ForceDetailSerializer,
    ForceInputSerializer,
    MeSerializer,
    OrganisationImportRequestSerializer,
    OrganisationImportResultSerializer,
    PasswordSetupSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UnitChangeSerializer,
    UnitCloseSerializer,
    UnitInputSerializer,
    UnitMoveSerializer,
    UnitSerializer,
    UserChangeSerializer,
    UserCreatedSerializer,
    UserInputSerializer,
    UserSerializer,
)
from phoihop.org.services import (
    areas_by_code,
    force_create,
    force_update,
    password_setup_path,
    province_by_code,
    require_administrator,
    unit_close,
    unit_create,
    unit_move,
    unit_update,
    user_create,
    user_update,
)
from phoihop.org.tokens import api_token_issue, api_token_revoke

_DENIED = {
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, gettext_lazy("Chưa xác thực.")),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(ErrorSerializer, gettext_lazy("Không có quyền.")),
}
_NOT_FOUND = {
    status.HTTP_404_NOT_FOUND: OpenApiResponse(ErrorSerializer, gettext_lazy("Không tìm thấy."))
}
_BAD_INPUT = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        ErrorSerializer, gettext_lazy("Dữ liệu không hợp lệ; `fields` nêu trường sai.")
    )
}
_AUTH_TAG: Any = gettext_lazy("Xác thực")
_ORG_TAG: Any = gettext_lazy("Tổ chức")
_TRUE_FALSE = [("true", gettext_lazy("Có")), ("false", gettext_lazy("Không"))]


# --- authentication -------------------------------------------------------------------------


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"
    default_detail = gettext_lazy(
        "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Hãy thử lại sau."
    )


class _AnonymousMayPost(BasePermission):
    """Anyone may ask for a token; revoking one needs a signed-in user."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "POST":
            return True
        return bool(request.user and request.user.is_authenticated)


def _login_failed(request: Request, username: str) -> None:
    # The same signal `authenticate` sends: django-axes counts it, the audit log records it.
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def _check_second_factor(request: Request, user: User, otp_token: str) -> None:
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        raise exceptions.PermissionDenied(
            _(
                "Tài khoản có mức tiếp cận Mật trở lên phải thiết lập xác thực hai lớp trên "
                "trang web trước khi dùng API."
            ),
            code="second_factor_setup_required",
        )
    if not otp_token:
        raise DomainError(
            _("Tài khoản có mức tiếp cận Mật trở lên phải nhập mã xác thực hai lớp."),
            code="second_factor_required",
            fields={"otp_token": [_("Hãy nhập mã xác thực hai lớp.")]},
        )
    if not any(verify_token(user, d.persistent_id, otp_token) for d in devices):
        _login_failed(request, user.get_username())
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        raise DomainError(
            _("Mã xác thực hai lớp không đúng."),
            code="invalid_second_factor",
            fields={"otp_token": [_("Mã xác thực hai lớp không đúng hoặc đã hết hạn.")]},
        )


class TokenView(APIView):
    """Obtain (POST) or revoke (DELETE) the API token of a user."""

    permission_classes = [_AnonymousMayPost]

    @extend_schema(
        tags=[_AUTH_TAG],
        summary=gettext_lazy("Lấy mã truy cập API"),
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            **_BAD_INPUT,
            status.HTTP_403_FORBIDDEN: ErrorSerializer,
            status.HTTP_429_TOO_MANY_REQUESTS: ErrorSerializer,
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        username: str = form.validated_data["username"]
        found = authenticate(request, username=username, password=form.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        if found is None:
            raise DomainError(
                _("Tên đăng nhập hoặc mật khẩu không đúng."),
                code="invalid_credentials",
                fields={"password": [_("Tên đăng nhập hoặc mật khẩu không đúng.")]},
            )
        user = cast(User, found)
        if user.needs_second_factor:
            _check_second_factor(request, user, form.validated_data.get("otp_token", "").strip())
        token = api_token_issue(user=user)
        # As `login()` does: the audit log records the login, axes clears earlier failures.
        user_logged_in.send(sender=type(user), request=request, user=user)
        body = TokenResponseSerializer(
            {"token": token.key, "expires_at": token.created + token_lifetime()}
        )
        return Response(body.data)

    @extend_schema(
        tags=[_AUTH_TAG],
        summary=gettext_lazy("Thu hồi mã truy cập API của mình"),
        request=None,
        responses={204: None, **_DENIED},
    )
    def delete(self, request: Request) -> Response:
        api_token_revoke(actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the current user -----------------------------------------------------------------------


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[_ORG_TAG],
        summary=gettext_lazy("Người dùng hiện tại"),
        responses={200: MeSerializer, **_DENIED},
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(user_profile(actor=request.user)).data)


# --- who may write --------------------------------------------------------------------------


class _AdministratorWrites(BasePermission):
    """Every member reads the organisation; only administrators change it."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_administrator(user)


class _AdministratorsOnly(BasePermission):
    """Accounts hold personal data: administrators only, reads included."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and is_administrator(user))


_ADMIN_TAG: Any = gettext_lazy("Quản trị tổ chức")
_WRITE_DENIED = {
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, gettext_lazy("Chưa xác thực.")),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(
        ErrorSerializer, gettext_lazy("Chỉ quản trị viên được thay đổi tổ chức.")
    ),
}
_STALE = {
    status.HTTP_409_CONFLICT: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy("Phiên bản đã cũ (stale_version): người khác đã lưu trước."),
    )
}
_PUBLIC_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def _body(request: Request, serializer: Any, **kwargs: Any) -> dict[str, Any]:
    return validated(serializer, request.data, **kwargs)


# --- forces ---------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[_ORG_TAG],
        summary=gettext_lazy("Danh sách lực lượng"),
        responses={200: ForceDetailSerializer(many=True), **_DENIED},
    ),
    post=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Thêm lực lượng (cơ quan phối hợp)"),
        description=gettext_lazy(
            "Mã lực lượng không được trùng với lực lượng đã có (kể cả đã xóa): trùng thì 400 "
            "duplicate_code, nêu trường code."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=ForceInputSerializer,
        responses={201: ForceDetailSerializer, **post_errors()},
    ),
)
class ForceListView(generics.ListAPIView):
    permission_classes = [_AdministratorWrites]
    serializer_class = ForceDetailSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Force]:
        return force_list(actor=self.request.user)

    def post(self, request: Request) -> Response:
        def handler() -> Response:
            data = _body(request, ForceInputSerializer)
            force = force_create(actor=cast(User, request.user), **data)
            return Response(ForceDetailSerializer(force).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)


@extend_schema_view(
    get=extend_schema(
        tags=[_ORG_TAG],
        summary=gettext_lazy("Một lực lượng"),
        parameters=[_PUBLIC_ID],
        responses={200: ForceDetailSerializer, **_NOT_FOUND, **_DENIED},
    ),
    patch=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Sửa lực lượng (gửi kèm version)"),
        parameters=[_PUBLIC_ID],
        request=ForceChangeSerializer,
        responses={200: ForceDetailSerializer, **write_errors()},
    ),
)
class ForceDetailView(APIView):
    permission_classes = [_AdministratorWrites]

    def get(self, request: Request, public_id: str) -> Response:
        return Response(
            ForceDetailSerializer(force_get(actor=request.user, public_id=public_id)).data
        )

    def patch(self, request: Request, public_id: str) -> Response:
        force = force_get(actor=request.user, public_id=public_id)
        data = _body(request, ForceChangeSerializer)
        version = data.pop("version")
        force_update(actor=cast(User, request.user), force=force, version=version, **data)
        return Response(
            ForceDetailSerializer(force_get(actor=request.user, public_id=public_id)).data
        )


# --- units ----------------------------------------------------------------------------------


def _unit_answer(request: Request, unit: Unit, http_status: int = status.HTTP_200_OK) -> Response:
    fresh = unit_get(actor=request.user, public_id=unit.public_id)
    return Response(UnitSerializer(fresh).data, status=http_status)


def _areas(data: dict[str, Any], on: dt.date | None) -> Any:
    return areas_by_code(data["areas"], on=on) if "areas" in data else None


class UnitFilter(filters.FilterSet):
    force = filters.ModelChoiceFilter(
        queryset=Force.objects.all(), to_field_name="code", label=gettext_lazy("Mã lực lượng")
    )
    level = filters.ModelChoiceFilter(
        queryset=UnitLevel.objects.all(), to_field_name="code", label=gettext_lazy("Mã cấp")
    )
    parent = filters.ModelChoiceFilter(
        queryset=Unit.objects.all(),
        to_field_name="public_id",
        label=gettext_lazy("Mã định danh đơn vị cấp trên"),
    )
    province = filters.ModelChoiceFilter(
        queryset=AdministrativeArea.objects.filter(
            level=AreaLevel.PROVINCE, valid_until__isnull=True
        ),
        to_field_name="code",
        label=gettext_lazy("Mã tỉnh"),
    )
    current = filters.ChoiceFilter(
        choices=_TRUE_FALSE, method="filter_current", label=gettext_lazy("Còn hoạt động")
    )
    q = filters.CharFilter(method="filter_q", label=gettext_lazy("Tìm theo tên (không dấu)"))

    class Meta:
        model = Unit
        fields = ["force", "level", "parent", "province", "current", "q"]

    def filter_current(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.filter(valid_until__isnull=(value == "true"))

    def filter_q(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.filter(pk__in=unit_ids_matching(queryset, value))


@extend_schema_view(
    get=extend_schema(
        tags=[_ORG_TAG],
        summary=gettext_lazy("Danh sách đơn vị"),
        responses={200: UnitSerializer(many=True), **_BAD_INPUT, **_DENIED},
    ),
    post=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Thêm đơn vị"),
        description=gettext_lazy(
            "Đơn vị thuộc một lực lượng, một cấp, một tỉnh; đơn vị cấp trên (nếu có) cùng tỉnh và "
            "đang hoạt động; các địa bàn phụ trách thuộc tỉnh và còn hiệu lực vào ngày đơn vị "
            "bắt đầu hoạt động. Ký hiệu không được trùng (duplicate_code)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=UnitInputSerializer,
        responses={201: UnitSerializer, **post_errors()},
    ),
)
class UnitListView(generics.ListAPIView):
    permission_classes = [_AdministratorWrites]
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list(actor=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        units = list(page if page is not None else queryset)
        # Every ancestor named on the page, read in one query rather than one per unit.
        ancestor_ids = {i for unit in units for i in unit.ancestor_ids()[:-1]}
        context = {**self.get_serializer_context(), "units_by_id": units_by_id(ancestor_ids)}
        data = UnitSerializer(units, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def post(self, request: Request) -> Response:
        def handler() -> Response:
            data = _body(request, UnitInputSerializer)
            actor = cast(User, request.user)
            valid_from = data.get("valid_from")
            code = data.get("province", "").strip()
            parent = unit_by_ref(actor, data.get("parent"), field="parent")
            province = province_by_code(code, on=valid_from) if code else None
            if province is None and parent is None:
                raise invalid(
                    "province", _("Hãy ghi mã tỉnh hoặc đơn vị cấp trên."), code="required"
                )
            require_administrator(actor, province or (parent.province if parent else None))
            unit = unit_create(
                actor=actor,
                force=force_by_code(data["force"]),
                code=data["code"],
                name=data["name"],
                short_name=data.get("short_name", ""),
                level=level_by_code(data["level"]),
                parent=parent,
                province=province,
                areas=_areas(data, valid_from) or (),
                valid_from=valid_from,
                reason=data.get("reason", ""),
            )
            return _unit_answer(request, unit, status.HTTP_201_CREATED)

        return idempotent(request, handler)


@extend_schema_view(
    get=extend_schema(
        tags=[_ORG_TAG],
        summary=gettext_lazy("Một đơn vị"),
        responses={200: UnitSerializer, **_NOT_FOUND, **_DENIED},
    ),
    patch=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Sửa đơn vị: tên, ký hiệu, cấp, địa bàn (gửi kèm version)"),
        description=gettext_lazy(
            "Đổi trực thuộc qua …/move/, kết thúc hoạt động qua …/close/, để giữ quá trình trực "
            "thuộc có ngày và căn cứ."
        ),
        request=UnitChangeSerializer,
        responses={200: UnitSerializer, **write_errors()},
    ),
)
class UnitDetailView(generics.RetrieveAPIView):
    permission_classes = [_AdministratorWrites]
    serializer_class = UnitSerializer

    def get_object(self) -> Unit:
        return unit_get(actor=self.request.user, public_id=self.kwargs["public_id"])

    def patch(self, request: Request, public_id: str) -> Response:
        unit = self.get_object()
        require_administrator(cast(User, request.user), unit.province)
        data = _body(request, UnitChangeSerializer)
        version = data.pop("version")
        reason = data.pop("reason", "")
        if "level" in data:
            data["level"] = level_by_code(data["level"])
        if "areas" in data:
            data["areas"] = _areas(data, unit.valid_from)
        unit_update(
            actor=cast(User, request.user), unit=unit, version=version, reason=reason, **data
        )
        return _unit_answer(request, unit)


class _UnitStepView(APIView):
    """A dated step of a unit's life (a move, a closing): the administrator of its province,
    the body checked by `serializer`, the service called by `step`, idempotent."""

    permission_classes = [_AdministratorsOnly]
    serializer: type[serializers.Serializer]

    def step(self, actor: User, unit: Unit, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = cast(User, request.user)
            unit = unit_get(actor=actor, public_id=public_id)
            require_administrator(actor, unit.province)
            self.step(actor, unit, _body(request, self.serializer))
            return _unit_answer(request, unit)

        return idempotent(request, handler)


@extend_schema(
    tags=[_ADMIN_TAG],
    summary=gettext_lazy("Chuyển trực thuộc đơn vị (ngày hiệu lực, căn cứ)"),
    description=gettext_lazy(
        "Đơn vị và các đơn vị cấp dưới chuyển sang đơn vị cấp trên mới từ ngày hiệu lực; quá "
        "trình trực thuộc trước đó được giữ lại. Đơn vị cấp trên mới phải cùng tỉnh."
    ),
    parameters=[IDEMPOTENCY_KEY],
    request=UnitMoveSerializer,
    responses={200: UnitSerializer, **post_errors()},
)
class UnitMoveView(_UnitStepView):
    serializer = UnitMoveSerializer

    def step(self, actor: User, unit: Unit, data: dict[str, Any]) -> None:
        unit_move(
            actor=actor,
            unit=unit,
            new_parent=unit_by_ref(actor, data.get("parent"), field="parent"),
            effective=data["effective"],
            reason=data["reason"],
            version=data["version"],
        )


@extend_schema(
    tags=[_ADMIN_TAG],
    summary=gettext_lazy("Kết thúc hoạt động đơn vị (ngày, căn cứ)"),
    parameters=[IDEMPOTENCY_KEY],
    request=UnitCloseSerializer,
    responses={200: UnitSerializer, **post_errors()},
)
class UnitCloseView(_UnitStepView):
    serializer = UnitCloseSerializer

    def step(self, actor: User, unit: Unit, data: dict[str, Any]) -> None:
        unit_close(
            actor=actor,
            unit=unit,
            until=data["until"],
            reason=data["reason"],
            version=data["version"],
        )


# --- administrative areas -------------------------------------------------------------------


def _parse_day(raw: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None:
        message = _("Ngày %(value)s không hợp lệ: hãy viết theo dạng YYYY-MM-DD.") % {"value": raw}
        raise DomainError(message, code="invalid", fields={"on": [message]})
    return day


class AreaFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=AreaLevel.choices, label=gettext_lazy("Cấp"))
    kind = filters.ChoiceFilter(choices=AreaKind.choices, label=gettext_lazy("Loại"))
    parent = filters.CharFilter(method="filter_parent", label=gettext_lazy("Mã địa bàn cấp trên"))
    current = filters.ChoiceFilter(
        choices=_TRUE_FALSE, method="filter_current", label=gettext_lazy("Còn hiệu lực")
    )
    q = filters.CharFilter(
        method="filter_q", label=gettext_lazy("Tìm theo tên (không dấu) hoặc mã")
    )

    class Meta:
        model = AdministrativeArea
        fields = ["level", "kind", "parent", "current", "q"]

    def filter_parent(
        self, queryset: QuerySet[AdministrativeArea], name: str, value: str
    ) -> QuerySet[AdministrativeArea]:
        code = value.strip()
        if not AdministrativeArea.objects.filter(code=code).exists():
            message = _("Không có địa bàn hành chính mã %(code)s.") % {"code": code}
            raise DomainError(message, code="unknown_area", fields={"parent": [message]})
        return queryset.filter(parent__code=code)

    def filter_current(
        self, queryset: QuerySet[AdministrativeArea], name: str, value: str
    ) -> QuerySet[AdministrativeArea]:
        return queryset.filter(valid_until__isnull=(value == "true"))

    def filter_q(
        self, queryset: QuerySet[AdministrativeArea], name: str, value: str
    ) -> QuerySet[AdministrativeArea]:
        return area_filter_by_name(queryset, value)


@extend_schema(
    tags=[_ORG_TAG],
    summary=gettext_lazy("Danh sách địa bàn hành chính"),
    responses={200: AreaSerializer(many=True), **_BAD_INPUT, **_DENIED},
)
class AreaListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AreaSerializer
    filterset_class = AreaFilter

    def get_queryset(self) -> QuerySet[AdministrativeArea]:
        return area_list(actor=self.request.user)


@extend_schema(
    tags=[_ORG_TAG],
    summary=gettext_lazy("Một địa bàn hành chính theo cấp và mã chính thức"),
    parameters=[
        OpenApiParameter("level", OpenApiTypes.STR, OpenApiParameter.PATH, enum=AreaLevel.values),
        OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH),
        OpenApiParameter(
            "on",
            OpenApiTypes.DATE,
            OpenApiParameter.QUERY,
            description=gettext_lazy(
                "Địa bàn có hiệu lực vào ngày này (YYYY-MM-DD); mặc định là địa bàn hiện hành."
            ),
        ),
    ],
    responses={200: AreaSerializer, **_BAD_INPUT, **_NOT_FOUND, **_DENIED},
)
class AreaDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AreaSerializer

    def get_object(self) -> AdministrativeArea:
        raw = self.request.query_params.get("on", "").strip()
        on = _parse_day(raw) if raw else None
        return area_get(
            actor=self.request.user, level=self.kwargs["level"], code=self.kwargs["code"], on=on
        )


# --- users ----------------------------------------------------------------------------------


def password_setup_answer(request: Any, *, actor: User | None, user: User) -> dict[str, Any]:
    """A fresh one-time set-up link of `user`, absolute, and when it stops working."""
    path = password_setup_path(actor=actor, user=user)
    expires = timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return {
        "password_setup_url": request.build_absolute_uri(path),
        "password_setup_expires_at": expires,
    }


def _refuse_password(request: Request) -> None:
    """No password travels in an administrator's request: the user sets their own."""
    data = request.data
    if isinstance(data, Mapping) and any("password" in str(key) for key in data):
        raise invalid(
            "password",
            _(
                "Không gửi mật khẩu: người dùng tự đặt mật khẩu qua đường dẫn dùng một lần "
                "(password_setup_url)."
            ),
            code="password_not_accepted",
        )


class UserFilter(filters.FilterSet):
    unit = filters.CharFilter(method="filter_unit", label=gettext_lazy("Mã đơn vị"))
    q = filters.CharFilter(
        method="filter_q", label=gettext_lazy("Tìm theo tên đăng nhập hoặc họ tên (không dấu)")
    )

    class Meta:
        model = User
        fields = ["unit", "q"]

    def filter_unit(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(unit__code=value.strip())

    def filter_q(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        needle = fold(value)
        ids = [
            pk
            for pk, username, full_name in queryset.values_list("pk", "username", "full_name")
            if needle in fold(username) or needle in fold(full_name)
        ]
        return queryset.filter(pk__in=ids)


@extend_schema_view(
    get=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Danh sách người dùng"),
        responses={200: UserSerializer(many=True), **_BAD_INPUT, **_WRITE_DENIED},
    ),
    post=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Thêm người dùng"),
        description=gettext_lazy(
            "Không gửi mật khẩu: tài khoản mới chưa có mật khẩu dùng được; câu trả lời có đường "
            "dẫn dùng một lần (password_setup_url) để người dùng tự đặt mật khẩu. Đường dẫn chỉ "
            "hiện một lần, trong câu trả lời này, và không được lưu (kể cả theo Idempotency-Key): "
            "gửi lại cùng yêu cầu thì bị từ chối vì tên đăng nhập đã có."
        ),
        request=UserInputSerializer,
        responses={201: UserCreatedSerializer, **post_errors()},
    ),
)
class UserListView(generics.ListAPIView):
    permission_classes = [_AdministratorsOnly]
    serializer_class = UserSerializer
    filterset_class = UserFilter

    def get_queryset(self) -> QuerySet[User]:
        return user_list(actor=self.request.user)

    def post(self, request: Request) -> Response:
        # Not through `idempotent`: its stored answer would keep the set-up link. A retry is
        # refused as the username is taken, so no account is made twice.
        actor = cast(User, request.user)
        _refuse_password(request)
        data = _body(request, UserInputSerializer)
        unit = unit_by_ref(actor, data["unit"], field="unit", required=True)
        require_administrator(actor, unit.province if unit else None)
        user = user_create(
            actor=actor,
            username=data["username"],
            password=None,
            unit=unit,
            full_name=data["full_name"],
            rank_title=data.get("rank_title", ""),
            email=data.get("email", ""),
            roles=data["roles"],
            clearance=data.get("clearance", Classification.THUONG),
        )
        # The shape of UserCreatedSerializer: the user and their link.
        link = password_setup_answer(request, actor=actor, user=user)
        body = {
            **UserSerializer(user_get(actor=actor, public_id=user.public_id)).data,
            **PasswordSetupSerializer(link).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Một người dùng"),
        parameters=[_PUBLIC_ID],
        responses={200: UserSerializer, **_NOT_FOUND, **_WRITE_DENIED},
    ),
    patch=extend_schema(
        tags=[_ADMIN_TAG],
        summary=gettext_lazy("Sửa người dùng: đơn vị, vai trò, mức tiếp cận, kích hoạt"),
        description=gettext_lazy(
            "Khi đơn vị, vai trò, mức tiếp cận hoặc trạng thái kích hoạt thay đổi, mã truy cập "
            "API của người dùng bị thu hồi."
        ),
        parameters=[_PUBLIC_ID],
        request=UserChangeSerializer,
        responses={200: UserSerializer, **read_errors()},
    ),
)
class UserDetailView(APIView):
    permission_classes = [_AdministratorsOnly]

    def get(self, request: Request, public_id: str) -> Response:
        return Response(UserSerializer(user_get(actor=request.user, public_id=public_id)).data)

    def patch(self, request: Request, public_id: str) -> Response:
        actor = cast(User, request.user)
        user = user_get(actor=actor, public_id=public_id)
        _refuse_password(request)
        data = _body(request, UserChangeSerializer)
        if "unit" in data:
            data["unit"] = unit_by_ref(actor, data["unit"], field="unit", required=True)
        user_update(actor=actor, user=user, **data)
        return Response(UserSerializer(user_get(actor=actor, public_id=public_id)).data)


@extend_schema(
    tags=[_ADMIN_TAG],
    summary=gettext_lazy("Cấp đường dẫn đặt mật khẩu mới cho người dùng"),
    description=gettext_lazy(
        "Đường dẫn dùng một lần; hết hiệu lực khi mật khẩu đã được đặt hoặc khi hết hạn."
    ),
    parameters=[_PUBLIC_ID],
    request=None,
    responses={200: PasswordSetupSerializer, **read_errors()},
)
class UserPasswordSetupView(APIView):
    permission_classes = [_AdministratorsOnly]

    def post(self, request: Request, public_id: str) -> Response:
        actor = cast(User, request.user)
        user = user_get(actor=actor, public_id=public_id)
        answer = password_setup_answer(request, actor=actor, user=user)
        return Response(PasswordSetupSerializer(answer).data)


# --- the organisation import ----------------------------------------------------------------


def _import_province(actor: User, code: str) -> AdministrativeArea:
    if code:
        return province_by_code(code)
    if actor.unit is None:
        raise invalid("province", _("Hãy ghi mã tỉnh."), code="required")
    return actor.unit.province


def import_answer(
    request: Any, result: OrganisationImport, *, province: AdministrativeArea, dry_run: bool
) -> dict[str, Any]:
    """What the API answers and the page shows once: the new accounts' absolute set-up links."""
    return {
        "province": province.code,
        "dry_run": dry_run,
        "rows": result.rows,
        "forces": [f.code for f in result.forces],
        "units": [u.code for u in result.units],
        "users": [
            {
                "username": a.user.username,
                "full_name": a.user.full_name,
                "unit": a.user.unit.code if a.user.unit else "",
                "password_setup_url": request.build_absolute_uri(a.setup_path)
                if a.setup_path
                else "",
            }
            for a in result.accounts
        ],
    }


@extend_schema(
    tags=[_ADMIN_TAG],
    summary=gettext_lazy("Nhập tổ chức của tỉnh từ tệp XLSX/CSV (cả tệp hoặc không gì cả)"),
    description=gettext_lazy(
        "Lực lượng, đơn vị (đơn vị cấp trên theo ký hiệu: đã có của tỉnh hoặc ở dòng phía trên) "
        "và người dùng. Tệp có lỗi: 400 import_failed, `errors` nêu sheet, dòng, cột; không lưu "
        "gì. Mỗi tài khoản mới có đường dẫn đặt mật khẩu dùng một lần, chỉ hiện trong câu trả "
        "lời này."
    ),
    request={"multipart/form-data": OrganisationImportRequestSerializer},
    responses={201: OrganisationImportResultSerializer, **post_errors()},
)
class OrganisationImportView(APIView):
    permission_classes = [_AdministratorsOnly]
    parser_classes = [MultiPartParser]

    def post(self, request: Request) -> Response:
        actor = cast(User, request.user)
        data = _body(request, OrganisationImportRequestSerializer)
        province = _import_province(actor, data.get("province", "").strip())
        upload = data["file"]
        result = organisation_import(
            actor=actor,
            province=province,
            content=upload.read(),
            filename=upload.name,
            commit=not data["dry_run"],
        )
        answer = import_answer(request, result, province=province, dry_run=data["dry_run"])
        return Response(answer, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=[_ADMIN_TAG],
    summary=gettext_lazy("Tệp mẫu XLSX để nhập tổ chức của tỉnh"),
    responses={
        (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
        **read_errors(),
    },
)
class OrganisationImportTemplateView(APIView):
    permission_classes = [_AdministratorsOnly]

    def get(self, request: Request) -> HttpResponse:
        unit = cast(User, request.user).unit
        return xlsx_download(
            organisation_template(unit.province if unit else None), "mau-nhap-to-chuc.xlsx"
        )


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
