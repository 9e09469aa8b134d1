"""The indicator catalogue, report forms and consistency rules, edited by administrators.

Entered indicators are the administrators' own; a derived indicator is defined by the code of the
module that registers it, so only its order and whether it is in use may change here.
Submissions are kept in the pages (the access rule applies to them), not in the admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.admin import SoftDeleteHistoryAdmin, VersionedModelForm
from phoihop.indicators.enums import IndicatorKind
from phoihop.indicators.models import ConsistencyRule, Indicator, ReportForm, ReportFormLine

_DERIVED_EDITABLE = {"order", "is_active"}


class IndicatorForm(VersionedModelForm):
    class Meta:
        model = Indicator
        fields = (
            "code",
            "name",
            "unit",
            "value_kind",
            "aggregation",
            "description",
            "order",
            "is_active",
        )


@admin.register(Indicator)
class IndicatorAdmin(SoftDeleteHistoryAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "unit", "kind", "value_kind", "aggregation", "is_active")
    list_filter = ("kind", "value_kind", "aggregation", "is_active")
    search_fields = ("code", "name")
    ordering = ("order", "code")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("kind",)
        if obj.kind == IndicatorKind.DERIVED:
            return tuple(
                name
                for name in ("code", "kind", *IndicatorForm.Meta.fields)
                if name not in _DERIVED_EDITABLE
            )
        # The code is the key imports, forms and other modules use.
        return ("code", "kind")

    def create_object(self, request: HttpRequest, obj: Any, form: Any) -> bool:
        # Administrators add entered indicators; derived ones come from the modules' code.
        obj.kind = IndicatorKind.ENTERED
        return super().create_object(request, obj, form)


class ReportFormLineInline(admin.TabularInline):
    model = ReportFormLine
    extra = 1
    fields = ("indicator", "order", "required", "rise_factor", "drop_share")
    autocomplete_fields = ("indicator",)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from phoihop.core.adminsite import is_administrator

        return is_administrator(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class ReportFormForm(VersionedModelForm):
    class Meta:
        model = ReportForm
        fields = (
            "code",
            "name",
            "force",
            "level",
            "period_kind",
            "deadline_days",
            "rise_factor",
            "drop_share",
            "is_joint",
            "description",
            "is_active",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


@admin.register(ReportForm)
class ReportFormAdmin(SoftDeleteHistoryAdmin):
    form = ReportFormForm
    inlines = [ReportFormLineInline]
    list_display = ("code", "name", "force", "level", "period_kind", "deadline_days", "is_active")
    list_filter = ("force", "level", "period_kind", "is_active")
    search_fields = ("code", "name")
    ordering = ("code",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        before = [
            str(line.indicator.code) for line in form.instance.lines.select_related("indicator")
        ]
        super().save_formset(request, form, formset, change)
        after = [
            str(line.indicator.code) for line in form.instance.lines.select_related("indicator")
        ]
        if before != after or formset.has_changed():
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE,
                obj=form.instance,
                changes={"indicators": [before, after]},
            )


@admin.register(ConsistencyRule)
class ConsistencyRuleAdmin(SoftDeleteHistoryAdmin):
    list_display = ("__str__", "form", "is_active")
    list_filter = ("is_active",)
    autocomplete_fields = ("left", "right")
    fields = ("left", "comparison", "right", "form", "is_active")

    @admin.display(description=gettext_lazy("quy tắc"))
    def rule(self, obj: ConsistencyRule) -> str:
        return str(obj)
