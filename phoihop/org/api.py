"""API of the organisation: the current user, units, administrative areas and API tokens.

API tokens and the second factor: a token stands in for the password, so users cleared Mật and
above (who must pass TOTP on the web) get one only by also sending `otp_token`, checked against
their confirmed django-otp devices. Tokens expire `PHOIHOP_API_TOKEN_HOURS` after issue, and each
issue replaces the user's previous token. Credentials go through
`django.contrib.auth.authenticate(request, ...)`, so django-axes counts failures and locks out,
and the audit log records them; a wrong second factor counts as a failed login as well.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from django_otp import devices_for_user, verify_token
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.core.errors import DomainError
from phoihop.org.authentication import token_lifetime
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea, Force, Unit, UnitLevel, User
from phoihop.org.selectors import (
    area_filter_by_name,
    area_get,
    area_list,
    unit_get,
    unit_ids_matching,
    unit_list,
    units_by_id,
    user_profile,
)
from phoihop.org.serializers import (
    AreaSerializer,
    ErrorSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UnitSerializer,
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


# --- units ----------------------------------------------------------------------------------


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


@extend_schema(
    tags=[_ORG_TAG],
    summary=gettext_lazy("Danh sách đơn vị"),
    responses={200: UnitSerializer(many=True), **_BAD_INPUT, **_DENIED},
)
class UnitListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
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


@extend_schema(
    tags=[_ORG_TAG],
    summary=gettext_lazy("Một đơn vị"),
    responses={200: UnitSerializer, **_NOT_FOUND, **_DENIED},
)
class UnitDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = UnitSerializer

    def get_object(self) -> Unit:
        return unit_get(actor=self.request.user, public_id=self.kwargs["public_id"])


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
