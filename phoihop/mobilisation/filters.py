"""The filters of mobilisation lists, used by the pages and the API alike.

Period bounds are dates, inclusive (`dd/mm/yyyy` on pages, `YYYY-MM-DD` in the API); a record
is in the period of its first day, a campaign in every period it overlaps. `area` is an official
code: a province's code selects the whole province, a commune's code that commune.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.core.forms import DATE_INPUT_FORMATS, select
from phoihop.mobilisation.enums import ProgrammeKind
from phoihop.mobilisation.models import (
    Forum,
    Law,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.mobilisation.selectors import campaigns_in, records_in
from phoihop.org.models import AdministrativeArea, Force
from phoihop.org.refs import area_by_code, province_communes


def _date_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"})


def area_choices(actor: Any) -> list[tuple[str, str]]:
    """The actor's province and its current communes, for the area select of the pages."""
    unit = getattr(actor, "unit", None)
    if unit is None:
        return []
    province = unit.province
    communes = province_communes(actor)
    return [
        ("", _("Tất cả")),
        (province.code, province.name),
        *((c.code, f"\u2003{c.name}") for c in communes),
    ]


class RecordFilter(filters.FilterSet):
    # Which records a period and an area select: a record by its first day and its place.
    selects: ClassVar[Callable[..., QuerySet[Any]]] = staticmethod(records_in)

    start = filters.DateFilter(
        label=_("Từ ngày"),
        method="filter_start",
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_widget(),
    )
    end = filters.DateFilter(
        label=_("Đến ngày"),
        method="filter_end",
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_widget(),
    )
    area = filters.CharFilter(
        label=_("Địa bàn"),
        method="filter_area",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    force = filters.ModelChoiceFilter(
        label=_("Lực lượng chủ trì"),
        queryset=Force.objects.all(),
        to_field_name="code",
        field_name="owner_unit__force",
        empty_label=_("Tất cả"),
        widget=select(),
    )

    def __init__(self, data: Any = None, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        request = kwargs.get("request")
        actor = getattr(request, "user", None)
        choices = area_choices(actor) if actor is not None else []
        if choices:
            self.filters["area"].extra["widget"] = forms.Select(
                attrs={"class": "form-select"}, choices=choices
            )

    def filter_start(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.selects(qs, start=value) if value else qs

    def filter_end(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.selects(qs, end=value) if value else qs

    def filter_area(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not (value or "").strip():
            return qs
        found = area_by_code(value)
        return qs.none() if found is None else self.selects(qs, area=found)

    @property
    def period(self) -> tuple[Any, Any]:
        data = getattr(self.form, "cleaned_data", {}) or {}
        return data.get("start"), data.get("end")

    @property
    def chosen_area(self) -> AdministrativeArea | None:
        data = getattr(self.form, "cleaned_data", {}) or {}
        return area_by_code(data["area"]) if data.get("area") else None


class ForumFilter(RecordFilter):
    class Meta:
        model = Forum
        fields = ["start", "end", "area", "force"]


class PropagandaFilter(RecordFilter):
    law = filters.ModelChoiceFilter(
        label=_("Luật"),
        queryset=Law.objects.all(),
        to_field_name="code",
        field_name="laws",
        empty_label=_("Tất cả"),
        widget=select(),
    )

    class Meta:
        model = PropagandaSession
        fields = ["start", "end", "area", "force", "law"]


class CampaignFilter(RecordFilter):
    # A campaign is in every period it runs, over its province.
    selects = staticmethod(campaigns_in)

    class Meta:
        model = SurrenderCampaign
        fields = ["start", "end", "area", "force"]


class ProgrammeFilter(RecordFilter):
    kind = filters.ChoiceFilter(
        label=_("Chương trình"),
        choices=ProgrammeKind.choices,
        empty_label=_("Tất cả"),
        widget=select(),
    )

    class Meta:
        model = SocialProgramme
        fields = ["start", "end", "area", "force", "kind"]
