"""The list filters of the operation records, used by the pages and the API: the common ones,
and for each kind a choice for each of its own choice fields (`kind_filter`)."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from phoihop.core.qualifiers import SUFFIX
from phoihop.core.text import fold
from phoihop.operations.models import OperationRecord, OperationUnit
from phoihop.operations.selectors import (
    destroyable_items,
    in_area,
    records_in,
    zone_categories,
)
from phoihop.org.models import AdministrativeArea, Force
from phoihop.org.refs import area_by_code


class OperationFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_text", label=gettext_lazy("Tìm theo nội dung, địa điểm"))
    start = filters.DateFilter(method="filter_start", label=gettext_lazy("Từ ngày"))
    end = filters.DateFilter(method="filter_end", label=gettext_lazy("Đến ngày"))
    force = filters.ModelChoiceFilter(
        queryset=Force.objects.all(),
        to_field_name="code",
        method="filter_force",
        label=gettext_lazy("Lực lượng tham gia"),
    )
    area = filters.CharFilter(
        method="filter_area",
        label=gettext_lazy("Mã địa bàn (mã tỉnh hoặc mã xã)"),
    )

    class Meta:
        model: type[OperationRecord]
        fields: list[str] = []

    @property
    def form(self) -> Any:
        form = super().form
        if not getattr(form, "styled", False):
            for field in form.fields.values():
                widget = field.widget
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs.setdefault("class", css)
                if isinstance(field, forms.DateField):
                    widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
            form.styled = True
        return form

    def filter_text(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in fold(value).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def filter_start(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return records_in(qs, start=value) if value else qs

    def filter_end(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return records_in(qs, end=value) if value else qs

    def filter_force(self, qs: QuerySet[Any], name: str, value: Force | None) -> QuerySet[Any]:
        if value is None:
            return qs
        taking_part = OperationUnit.objects.filter(
            content_type=ContentType.objects.get_for_model(qs.model), force=value
        )
        return qs.filter(pk__in=taking_part.values("object_id"))

    def filter_area(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not (value or "").strip():
            return qs
        area = area_by_code(value)
        return qs.none() if area is None else in_area(qs, area)

    @property
    def period(self) -> tuple[Any, Any]:
        """The (start, end) asked for, once the filter is valid; (None, None) otherwise."""
        data = getattr(self.form, "cleaned_data", None) or {}
        return data.get("start"), data.get("end")

    @property
    def area_asked(self) -> AdministrativeArea | None:
        data = getattr(self.form, "cleaned_data", None) or {}
        return area_by_code(data.get("area") or "")


def _zone_kinds() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in zone_categories(active=False)]


def kind_filter(model: type[OperationRecord]) -> type[OperationFilter]:
    """The filters of one kind: the common ones, then a choice for each of its own choice fields
    (`target`, `purpose`…) and catalogue fields (a zone's kind, an item destroyed, by code),
    labelled as the model names them. Qualifiers and units of entry are no filters."""
    attrs: dict[str, Any] = {}
    for name in model.kind_fields:
        field = model._meta.get_field(name)
        label = capfirst(getattr(field, "verbose_name", name))
        if name.endswith(SUFFIX) or name == "entered_unit":
            continue
        if name == "zone_kind":
            attrs[name] = filters.ChoiceFilter(choices=_zone_kinds, label=label)
        elif field.is_relation:
            attrs[name] = filters.ModelChoiceFilter(
                queryset=destroyable_items(), to_field_name="code", label=label
            )
        elif getattr(field, "choices", None):
            attrs[name] = filters.ChoiceFilter(choices=field.choices, label=label)  # type: ignore[union-attr]
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": list(attrs)})
    return type(f"{model.__name__}Filter", (OperationFilter,), attrs)
