"""The catalogue of zone kinds, edited by administrators (records themselves are kept in the
pages). A kind is retired by unticking "đang dùng": zones already naming it keep it and are
still reported on its line; new zones cannot name it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from phoihop.core.admin import SoftDeleteHistoryAdmin
from phoihop.operations.models import ZoneCategory


@admin.register(ZoneCategory)
class ZoneCategoryAdmin(SoftDeleteHistoryAdmin):
    list_display = ("name", "code", "report_phrase", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "report_phrase")
    ordering = ("order", "name")
    fields = ("code", "name", "report_phrase", "order", "is_active")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # The code is what zones, imports and the API name the kind by.
        return ("code",) if obj is not None else ()
