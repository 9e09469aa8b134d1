"""The law catalogue, edited by administrators (records themselves are kept in the pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from phoihop.core.admin import SoftDeleteHistoryAdmin
from phoihop.mobilisation.models import Law


@admin.register(Law)
class LawAdmin(SoftDeleteHistoryAdmin):
    list_display = ("name", "code", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    ordering = ("order", "name")
    fields = ("code", "name", "order", "is_active")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # The code is the key imports and the API use.
        return ("code",) if obj is not None else ()
