"""The administrators' audit page: the log, read only for everyone, and the chain check."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.models import AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from phoihop.core import formats
from phoihop.core.admin import ReadOnlyPermissions, admin_page


def at_vi(entry: AuditEntry) -> str:
    """`23/11/2026 14:05:09`, in the installation's time zone."""
    local = timezone.localtime(entry.at)
    return f"{formats.date(local)} {local:%H:%M:%S}"


class ActorUnitFilter(admin.SimpleListFilter):
    title = gettext_lazy("đơn vị người thực hiện")
    parameter_name = "actor_unit"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from phoihop.org.models import Unit

        codes = (
            AuditEntry.objects.exclude(actor_unit="")
            .order_by("actor_unit")
            .values_list("actor_unit", flat=True)
            .distinct()
        )
        names = dict(Unit.all_objects.filter(code__in=list(codes)).values_list("code", "name"))
        return [(code, f"{code} — {names[code]}" if code in names else code) for code in codes]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value():
            return queryset.filter(actor_unit=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    """Nobody adds, changes or deletes entries here, superusers included."""

    list_display = ("seq", "at_display", "actor_username", "actor_unit", "action", "object", "ip")
    list_display_links = ("seq", "at_display")
    list_filter = ("action", "object_type", ActorUnitFilter)
    date_hierarchy = "at"
    search_fields = ("actor_username", "object_id", "object_repr")
    ordering = ("-seq",)
    list_per_page = 100
    show_full_result_count = False
    fields = (
        "seq",
        "at_display",
        "actor_username",
        "actor_id",
        "actor_unit",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes_display",
        "ip",
        "user_agent",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("thời điểm"), ordering="at")
    def at_display(self, entry: AuditEntry) -> str:
        return at_vi(entry)

    @admin.display(description=gettext_lazy("bản ghi"))
    def object(self, entry: AuditEntry) -> str:
        if not entry.object_type:
            return "—"
        return f"{entry.object_repr or entry.object_id} ({entry.object_type})"

    @admin.display(description=gettext_lazy("nội dung"))
    def changes_display(self, entry: AuditEntry) -> str:
        text = json.dumps(entry.changes, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html('<pre style="white-space: pre-wrap; margin: 0">{}</pre>', text)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    # --- "Kiểm tra chuỗi"

    def get_urls(self) -> list[Any]:
        return [admin_page(self, "verify/", self.verify_view, "verify"), *super().get_urls()]

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = audit_chain_verify()
        bad_entry_url = None
        if report.problem is not None:
            pk = (
                AuditEntry.objects.filter(seq=report.problem.seq)
                .values_list("pk", flat=True)
                .first()
            )
            if pk is not None:
                bad_entry_url = reverse(
                    f"{self.admin_site.name}:audit_auditentry_change", args=[pk]
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Kiểm tra chuỗi nhật ký"),
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "report": report,
            "checked": formats.number(report.checked),
            "bad_entry_url": bad_entry_url,
        }
        return TemplateResponse(request, "admin/audit/auditentry/verify.html", context)
