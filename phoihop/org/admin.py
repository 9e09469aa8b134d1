"""Administrators manage the organisation here: forces, unit levels, the unit tree and users.

Administrative areas are loaded from the `vietnam-provinces` package (`manage.py load_areas`) and
only listed; a unit's area pickers offer the areas in force first and label one that has ended
with its dates ("Tỉnh Quảng Bình (đến 30/06/2025)"), never two identical names.

Units and users are created through their services (`unit_create`, `user_create`); a unit
changes its parent only through "Chuyển trực thuộc", which calls `unit_move` so that the cycle
check and the dated placement history apply, and ends only through "Kết thúc hoạt động"
(`unit_close`), which also ends its placement.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core import formats
from phoihop.core.admin import (
    DATE_INPUT_FORMATS,
    AuditedHistoryAdmin,
    AuditedModelAdmin,
    AuditedModelForm,
    FullCleanFormMixin,
    ReadOnlyPermissions,
    SoftDeleteHistoryAdmin,
)
from phoihop.core.errors import DomainError
from phoihop.core.text import fold
from phoihop.org.enums import AreaLevel
from phoihop.org.lockout import login_lockout_reset
from phoihop.org.models import (
    AdministrativeArea,
    Force,
    Role,
    Unit,
    UnitLevel,
    UnitParentage,
    User,
)
from phoihop.org.refs import area_label
from phoihop.org.second_factor import second_factor_reset
from phoihop.org.services import unit_close, unit_create, unit_move, user_create
from phoihop.org.tokens import api_token_revoke

# Roles are PhốiHợp's permission model; Django's groups are not used.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _date(value: Any) -> str:
    return formats.date(value) if value else "—"


# --- forces, levels, roles ------------------------------------------------------------------


@admin.register(Force)
class ForceAdmin(SoftDeleteHistoryAdmin):
    list_display = ("code", "name", "short_name", "is_partner", "order")
    search_fields = ("code", "name", "short_name")
    ordering = ("order", "code")
    fields = ("code", "name", "short_name", "is_partner", "order")

    def soft_delete_blockers(self, obj: Force) -> list[str]:
        units = Unit.objects.filter(force=obj)
        count = units.count()
        if not count:
            return []
        return [_("%(count)s đơn vị đang hoạt động thuộc lực lượng này") % {"count": count}]


@admin.register(UnitLevel)
class UnitLevelAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "rank")
    search_fields = ("code", "name")
    ordering = ("rank", "code")


@admin.register(Role)
class RoleAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    """Roles are fixed codes the access rule knows; their list is shown for reference."""

    list_display = ("code", "name")


# --- administrative areas (loaded, not edited) ----------------------------------------------


class AreaChoiceField(forms.ModelChoiceField):
    """An area picker: an area that has ended shows its dates, so the old and the current
    "Tỉnh Hà Tĩnh" never read the same (`org.refs.area_label`)."""

    def label_from_instance(self, obj: Any) -> str:
        return area_label(obj)


class AreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return area_label(obj)


# Current areas first, then the most recently ended.
_AREA_ORDER = (F("valid_until").desc(nulls_first=True), "level", "name")


class CurrentAreaFilter(admin.SimpleListFilter):
    title = gettext_lazy("hiệu lực")
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Đang hiệu lực")), ("no", _("Đã hết hiệu lực"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.filter(valid_until__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_until__isnull=False)
        return queryset


class CentreFilter(admin.SimpleListFilter):
    """Which communes still lack the position of their administrative centre (for the map)."""

    title = gettext_lazy("tọa độ trụ sở")
    parameter_name = "centre"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Đã có")), ("no", _("Chưa có"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.filter(latitude__isnull=False)
        if self.value() == "no":
            return queryset.filter(latitude__isnull=True)
        return queryset


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "level",
        "parent",
        "valid_from_vi",
        "valid_until_vi",
        "centre_vi",
    )
    list_filter = ("level", "kind", CurrentAreaFilter, CentreFilter)
    search_fields = ("code", "name", "name_folded")
    list_select_related = ("parent",)
    ordering = ("level", "code", "valid_from")
    fields = (
        "code",
        "name",
        "kind",
        "level",
        "parent",
        "valid_from",
        "valid_until",
        "successors",
        "latitude",
        "longitude",
    )

    @admin.display(description=gettext_lazy("hiệu lực từ"), ordering="valid_from")
    def valid_from_vi(self, obj: AdministrativeArea) -> str:
        return _date(obj.valid_from)

    @admin.display(description=gettext_lazy("hiệu lực đến"), ordering="valid_until")
    def valid_until_vi(self, obj: AdministrativeArea) -> str:
        return _date(obj.valid_until)

    @admin.display(description=gettext_lazy("tọa độ trụ sở"))
    def centre_vi(self, obj: AdministrativeArea) -> str:
        if obj.latitude is None or obj.longitude is None:
            return "—"
        latitude = formats.number(obj.latitude, max_decimals=6)
        longitude = formats.number(obj.longitude, max_decimals=6)
        return f"{latitude}; {longitude}"

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        # "ha tinh" finds "Hà Tĩnh": the term is also matched against the folded name.
        qs, distinct = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded and folded != search_term:
            qs = qs | queryset.filter(name_folded__contains=folded)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            # Choosing an area for a unit: the areas in force first.
            qs = qs.order_by(*_AREA_ORDER)
        return qs, distinct


# --- units ----------------------------------------------------------------------------------


class UnitParentageInline(ReadOnlyPermissions, admin.TabularInline):
    """Where the unit stood in the tree, and when: written by "Chuyển trực thuộc" only."""

    model = UnitParentage
    fk_name = "unit"
    fields = ("parent", "valid_from", "valid_until", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    # The first placement of a unit often has no date: it comes first on every database.
    ordering = (F("valid_from").asc(nulls_first=True),)  # type: ignore[assignment]


class UnitAddForm(AuditedModelForm):
    reason = forms.CharField(
        label=gettext_lazy("căn cứ thành lập"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Quyết định, văn bản làm căn cứ (ghi vào quá trình trực thuộc)."),
    )

    class Meta:
        model = Unit
        fields = "__all__"


class UnitAdmin(SoftDeleteHistoryAdmin):
    list_display = (
        "tree_name",
        "code",
        "force",
        "level",
        "province",
        "valid_from_vi",
        "valid_until_vi",
    )
    list_filter = ("force", "level", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "short_name")
    list_select_related = ("force", "level", "province")
    ordering = ("path",)
    autocomplete_fields = ("parent", "province", "areas")
    inlines = [UnitParentageInline]
    list_per_page = 200
    fieldsets = (
        (None, {"fields": ("force", "code", "name", "short_name", "level", "parent")}),
        (gettext_lazy("Địa bàn"), {"fields": ("province", "areas")}),
        (gettext_lazy("Thời gian hoạt động"), {"fields": ("valid_from", "valid_until")}),
    )

    @admin.display(description=gettext_lazy("đơn vị"), ordering="path")
    def tree_name(self, obj: Unit) -> str:
        label = obj.name if not obj.is_deleted else _("%(name)s (đã xóa)") % {"name": obj.name}
        indent = f"{max(obj.depth - 1, 0) * 1.5:g}"
        return format_html('<span style="padding-left: {}em">{}</span>', indent, label)

    @admin.display(description=gettext_lazy("hoạt động từ"), ordering="valid_from")
    def valid_from_vi(self, obj: Unit) -> str:
        return _date(obj.valid_from)

    @admin.display(description=gettext_lazy("hoạt động đến"), ordering="valid_until")
    def valid_until_vi(self, obj: Unit) -> str:
        return _date(obj.valid_until)

    add_fieldsets = (
        (None, {"fields": ("force", "code", "name", "short_name", "level", "parent")}),
        (gettext_lazy("Địa bàn"), {"fields": ("province", "areas")}),
        (gettext_lazy("Thành lập"), {"fields": ("valid_from", "reason")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Unit | None = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Unit | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = UnitAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "province":
            kwargs["form_class"] = AreaChoiceField
            kwargs["queryset"] = AdministrativeArea.objects.filter(
                level=AreaLevel.PROVINCE
            ).order_by(*_AREA_ORDER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "areas":
            kwargs["form_class"] = AreaMultipleChoiceField
            kwargs["queryset"] = AdministrativeArea.objects.select_related("parent").order_by(
                *_AREA_ORDER
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> Any:
        # The parent changes only through "Chuyển trực thuộc" (unit_move), the end date only
        # through "Kết thúc hoạt động" (unit_close): both keep the placement history right.
        return ("parent", "valid_until") if obj is not None else ()

    def create_object(self, request: HttpRequest, obj: Unit, form: Any) -> bool:
        created = unit_create(
            actor=request.user,  # type: ignore[arg-type]
            force=obj.force,
            code=obj.code,
            name=obj.name,
            short_name=obj.short_name,
            level=obj.level,
            parent=obj.parent,
            province=obj.province,
            areas=form.cleaned_data.get("areas", ()),
            valid_from=obj.valid_from,
            reason=form.cleaned_data.get("reason", ""),
        )
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False
        return True

    def soft_delete_blockers(self, obj: Unit) -> list[str]:
        blockers = [
            _("Đơn vị cấp dưới: %(unit)s") % {"unit": child}
            for child in Unit.objects.filter(parent=obj)
        ]
        users = obj.users.filter(is_active=True).count()
        if users:
            blockers.append(
                _("%(count)s tài khoản người dùng đang hoạt động thuộc đơn vị") % {"count": users}
            )
        return blockers

    # --- "Chuyển trực thuộc" and "Kết thúc hoạt động": forms that call one unit service

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/move/",
                self.admin_site.admin_view(self.move_view),
                name="{}_{}_move".format(*info),
            ),
            path(
                "<path:object_id>/close/",
                self.admin_site.admin_view(self.close_view),
                name="{}_{}_close".format(*info),
            ),
            *super().get_urls(),
        ]

    def move_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._unit_service_view(request, object_id, UnitMoveForm)

    def close_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._unit_service_view(request, object_id, UnitCloseForm)

    def _unit_service_view(
        self, request: HttpRequest, object_id: str, form_class: type[UnitServiceForm]
    ) -> HttpResponse:
        unit = self.get_object(request, unquote(object_id))
        if unit is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, unit) or not form_class.applies_to(unit):
            raise PermissionDenied
        form = form_class(request.POST or None, unit=unit)
        if request.method == "POST" and form.is_valid():
            try:
                done = form.run(actor=request.user)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:org_unit_change", args=[unit.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{form.action}: {unit}",
            "subtitle": None,
            "action": form.action,
            "intro": form.intro(),
            "form": form,
            "original": unit,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/org/object_action.html", context)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name} ({obj.code})"


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=AdminDateWidget(format=DATE_INPUT_FORMATS[0], attrs={"placeholder": "dd/mm/yyyy"}),
    )


def _reason_field(help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Căn cứ"),
        max_length=300,
        help_text=help_text,
        widget=forms.TextInput(attrs={"size": 80}),
    )


class UnitServiceForm(forms.Form):
    """The data of one unit service; the service's own refusals land back on these fields."""

    action: Any = ""
    # The service's field names → this form's.
    field_of: dict[str, str] = {}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit

    @classmethod
    def applies_to(cls, unit: Unit) -> bool:
        return not unit.is_deleted

    def intro(self) -> str:
        return ""

    def run(self, *, actor: Any) -> str:
        """Call the service; return the message for the administrator."""
        raise NotImplementedError

    def add_domain_error(self, exc: DomainError) -> None:
        placed = False
        for name, msgs in exc.fields.items():
            field = self.field_of.get(name, name if name in self.fields else None)
            if field:
                self.add_error(field, msgs)
                placed = True
        if not placed:
            self.add_error(None, exc.message)


class UnitMoveForm(UnitServiceForm):
    action = gettext_lazy("Chuyển trực thuộc")
    field_of = {"parent": "new_parent"}

    new_parent = UnitChoiceField(
        label=gettext_lazy("Đơn vị cấp trên mới"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("(không có — đơn vị cấp cao nhất)"),
    )
    effective = _date_field(gettext_lazy("Ngày hiệu lực"))
    reason = _reason_field(
        gettext_lazy("Quyết định, văn bản làm căn cứ của việc thay đổi trực thuộc.")
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["new_parent"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.exclude(pk=unit.pk).order_by("path")
        )
        self.initial.setdefault("new_parent", unit.parent_id)

    def intro(self) -> str:
        return _(
            "Hiện trực thuộc: %(parent)s. Quá trình trực thuộc trước đây được giữ lại; các đơn "
            "vị cấp dưới đi theo đơn vị này."
        ) % {"parent": self.unit.parent or _("(cấp cao nhất)")}

    def clean_new_parent(self) -> Unit | None:
        parent = self.cleaned_data.get("new_parent")
        if (parent.pk if parent else None) == self.unit.parent_id:
            raise forms.ValidationError(_("Đơn vị đang trực thuộc đơn vị này."))
        return parent

    def run(self, *, actor: Any) -> str:
        data = self.cleaned_data
        unit_move(
            actor=actor,
            unit=self.unit,
            new_parent=data["new_parent"],
            effective=data["effective"],
            reason=data["reason"],
        )
        return _("Đã chuyển %(unit)s sang trực thuộc %(parent)s.") % {
            "unit": self.unit,
            "parent": data["new_parent"] or _("(cấp cao nhất)"),
        }


class UnitCloseForm(UnitServiceForm):
    action = gettext_lazy("Kết thúc hoạt động")
    field_of = {"valid_until": "until"}

    until = _date_field(gettext_lazy("Ngày cuối cùng hoạt động"))
    reason = _reason_field(gettext_lazy("Quyết định giải thể, sáp nhập hay tổ chức lại đơn vị."))

    @classmethod
    def applies_to(cls, unit: Unit) -> bool:
        return super().applies_to(unit) and unit.valid_until is None

    def intro(self) -> str:
        return _(
            "Đơn vị và quá trình trực thuộc hiện tại kết thúc vào ngày này; hồ sơ và lịch sử của "
            "đơn vị được giữ nguyên."
        )

    def run(self, *, actor: Any) -> str:
        data = self.cleaned_data
        unit_close(actor=actor, unit=self.unit, until=data["until"], reason=data["reason"])
        return _("Đơn vị %(unit)s kết thúc hoạt động từ sau ngày %(day)s.") % {
            "unit": self.unit,
            "day": formats.date(data["until"]),
        }


admin.site.register(Unit, UnitAdmin)


# --- users ----------------------------------------------------------------------------------


class UserAddForm(FullCleanFormMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "rank_title", "email", "unit", "roles", "clearance")
        field_classes = {"username": auth_forms.UsernameField}


class UserChangeForm(FullCleanFormMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": auth_forms.UsernameField}


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        max_length=300,
        required=False,  # the service says what is missing, on this field
        help_text=gettext_lazy("Ví dụ: mất điện thoại, đổi điện thoại; ai đã xác minh yêu cầu."),
        widget=forms.TextInput(attrs={"size": 80}),
    )


class LoginUnlockForm(forms.Form):
    """Nothing to fill in: the page asks for confirmation."""


# Changing any of these makes the user's API token stale: it carries the rights of its issue.
TOKEN_RIGHTS = ("unit", "roles", "clearance", "is_active")
_RIGHTS_BEFORE_ATTR = "_phoihop_rights_before"


def _rights(user: User) -> dict[str, Any]:
    return {
        "unit": user.unit_id,
        "roles": frozenset(user.roles.values_list("code", flat=True)),
        "clearance": user.clearance,
        "is_active": user.is_active,
    }


@admin.register(User)
class UserAdmin(AuditedHistoryAdmin, auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = (
        "username",
        "full_name",
        "unit",
        "role_list",
        "clearance",
        "is_active",
        "last_login_vi",
    )
    list_filter = (
        "unit__force",
        "roles",
        "clearance",
        "is_active",
        ("unit", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("username", "full_name", "email", "unit__code", "unit__name")
    list_select_related = ("unit",)
    ordering = ("username",)
    autocomplete_fields = ("unit",)
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Thông tin cá nhân"), {"fields": ("full_name", "rank_title", "email")}),
        (
            gettext_lazy("Đơn vị và quyền"),
            {"fields": ("unit", "roles", "clearance", "is_active")},
        ),
        (gettext_lazy("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (gettext_lazy("Thông tin cá nhân"), {"fields": ("full_name", "rank_title", "email")}),
        (gettext_lazy("Đơn vị và quyền"), {"fields": ("unit", "roles", "clearance")}),
    )

    @admin.display(description=gettext_lazy("vai trò"))
    def role_list(self, obj: User) -> str:
        return ", ".join(str(role) for role in obj.roles.all())

    @admin.display(description=gettext_lazy("đăng nhập lần cuối"), ordering="last_login")
    def last_login_vi(self, obj: User) -> str:
        if obj.last_login is None:
            return "—"
        from django.utils import timezone

        local = timezone.localtime(obj.last_login)
        return f"{formats.date(local)} {local:%H:%M}"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("roles")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "roles":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and request.user.is_superuser:
            # Only a superuser may make another one.
            title, opts = fieldsets[2]
            fieldsets[2] = (title, {**opts, "fields": (*opts["fields"], "is_superuser")})
        return fieldsets

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Accounts are deactivated, never deleted: the audit log and history name them.
        return False

    def create_object(self, request: HttpRequest, obj: User, form: Any) -> bool:
        data = form.cleaned_data
        created = user_create(
            actor=request.user,  # type: ignore[arg-type]
            username=obj.username,
            password=data.get("password1") if data.get("set_usable_password", True) else None,
            unit=obj.unit,
            full_name=obj.full_name,
            rank_title=obj.rank_title,
            email=obj.email,
            roles=[role.code for role in data.get("roles", ())],
            clearance=obj.clearance,
        )
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False
        return True

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        from django.db import transaction

        # The new password and its audit entry in one transaction.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    # --- API tokens follow the user's rights

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            stored = User._base_manager.get(pk=obj.pk)
            setattr(obj, _RIGHTS_BEFORE_ATTR, _rights(stored))
        super().save_model(request, obj, form, change)

    def log_change(self, request: HttpRequest, obj: User, message: Any) -> Any:
        # Called once the roles are saved too (the change form and the history revert alike),
        # still inside the view's transaction.
        entry = super().log_change(request, obj, message)
        before = obj.__dict__.pop(_RIGHTS_BEFORE_ATTR, None)
        if before is not None:
            after = _rights(User._base_manager.get(pk=obj.pk))
            changed = [name for name in TOKEN_RIGHTS if before[name] != after[name]]
            if changed:
                api_token_revoke(actor=request.user, user=obj, causes=changed)  # type: ignore[arg-type]
        return entry

    # --- "Đặt lại xác thực hai lớp" and "Mở khóa đăng nhập"

    actions = ["unlock_logins"]

    @admin.action(description=gettext_lazy("Mở khóa đăng nhập"), permissions=["change"])
    def unlock_logins(self, request: HttpRequest, queryset: Any) -> None:
        unlocked, refused = [], []
        for user_ in queryset:
            try:
                login_lockout_reset(actor=request.user, user=user_)  # type: ignore[arg-type]
            except DomainError:
                refused.append(user_.username)
            else:
                unlocked.append(user_.username)
        if unlocked:
            self.message_user(
                request,
                _("Đã mở khóa đăng nhập cho: %(users)s.") % {"users": ", ".join(unlocked)},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("Không được mở khóa đăng nhập của tài khoản quản trị kỹ thuật: %(users)s.")
                % {"users": ", ".join(refused)},
                messages.ERROR,
            )

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/second-factor-reset/",
                self.admin_site.admin_view(self.second_factor_reset_view),
                name="{}_{}_second_factor_reset".format(*info),
            ),
            path(
                "<path:object_id>/unlock/",
                self.admin_site.admin_view(self.unlock_view),
                name="{}_{}_unlock".format(*info),
            ),
            *super().get_urls(),
        ]

    def second_factor_reset_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def run(target: User, form: forms.Form) -> str:
            removed = second_factor_reset(
                actor=request.user,  # type: ignore[arg-type]
                user=target,
                reason=form.cleaned_data.get("reason", ""),
            )
            if not removed:
                return _(
                    "%(user)s chưa có thiết bị xác thực nào; lần đăng nhập tới sẽ phải đăng ký."
                ) % {"user": target}
            return _(
                "Đã đặt lại xác thực hai lớp của %(user)s: lần đăng nhập tới sẽ phải đăng ký "
                "lại ứng dụng xác thực."
            ) % {"user": target}

        return self._user_action_view(
            request,
            object_id,
            form_class=SecondFactorResetForm,
            action=_("Đặt lại xác thực hai lớp"),
            intro=_(
                "Xóa thiết bị xác thực hai lớp (ứng dụng trên điện thoại, mã dự phòng) của tài "
                "khoản, khi điện thoại bị mất hay được thay. Người dùng sẽ phải đăng ký lại ứng "
                "dụng xác thực ở lần đăng nhập tới."
            ),
            run=run,
        )

    def unlock_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def run(target: User, form: forms.Form) -> str:
            login_lockout_reset(actor=request.user, user=target)  # type: ignore[arg-type]
            return _("Đã mở khóa đăng nhập cho %(user)s.") % {"user": target}

        return self._user_action_view(
            request,
            object_id,
            form_class=LoginUnlockForm,
            action=_("Mở khóa đăng nhập"),
            intro=_(
                "Xóa các lần đăng nhập sai đã ghi nhận của tài khoản, để người dùng đăng nhập lại "
                "ngay mà không phải chờ hết thời gian khóa. Các lần đăng nhập sai vẫn còn trong "
                "nhật ký."
            ),
            run=run,
        )

    def _user_action_view(
        self,
        request: HttpRequest,
        object_id: str,
        *,
        form_class: type[forms.Form],
        action: str,
        intro: str,
        run: Any,
    ) -> HttpResponse:
        target = self.get_object(request, unquote(object_id))
        if target is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, target):
            raise PermissionDenied
        form = form_class(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                done = run(target, form)
            except DomainError as exc:
                placed = False
                for name, msgs in exc.fields.items():
                    if name in form.fields:
                        form.add_error(name, msgs)
                        placed = True
                if not placed:
                    form.add_error(None, exc.message)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:org_user_change", args=[target.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{action}: {target}",
            "subtitle": None,
            "action": action,
            "intro": intro,
            "form": form,
            "original": target,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/org/object_action.html", context)
