"""The item catalogue, edited by administrators (cases themselves are kept in the pages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from phoihop.cases.measures import MEASURES
from phoihop.cases.models import CatalogueItem
from phoihop.core.admin import SoftDeleteHistoryAdmin, VersionedModelForm


class CatalogueItemForm(VersionedModelForm):
    allowed_units = forms.MultipleChoiceField(
        label=gettext_lazy("đơn vị được nhập"),
        choices=[(code, m.label) for code, m in MEASURES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Ngoài đơn vị chuẩn; chỉ chọn đơn vị cùng loại (khối lượng, độ dài, thể tích)."
        ),
    )

    class Meta:
        model = CatalogueItem
        fields = (
            "code",
            "name",
            "category",
            "canonical_unit",
            "allowed_units",
            "report_phrase",
            "order",
            "is_active",
        )


@admin.register(CatalogueItem)
class CatalogueItemAdmin(SoftDeleteHistoryAdmin):
    form = CatalogueItemForm
    list_display = (
        "name",
        "code",
        "category",
        "canonical_unit",
        "units",
        "report_phrase",
        "is_active",
    )
    list_filter = ("category", "is_active")
    search_fields = ("code", "name", "report_phrase")
    ordering = ("order", "name")

    @admin.display(description=gettext_lazy("đơn vị được nhập"))
    def units(self, obj: CatalogueItem) -> str:
        return ", ".join(obj.input_units)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # The code is the key imports and other modules use.
        return ("code",) if obj is not None else ()
