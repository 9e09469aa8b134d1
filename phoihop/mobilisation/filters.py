"""The filters of mobilisation lists, used by the pages and the API alike.

Period bounds are dates, inclusive (`dd/mm/yyyy` on pages, `YYYY-MM-DD` in the API); a record
is in the period of its first day, a campaign in every period it overlaps. `area` is an official
code: a province's code selects the whole province, a commune's code that commune.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.mobilisation.enums import ProgrammeKind
from phoihop.mobilisation.models import (
    Forum,
    Law,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.mobilisation.selectors import campaigns_in, records_in
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Force
from phoihop.org.refs import area_q

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"})


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


def area_by_code(code: str) -> AdministrativeArea | None:
    """The area with this official code: current first, then the most recently ended."""
    return (
        AdministrativeArea.objects.filter(code=(code or "").strip())
        .order_by("valid_until", "-valid_from", "level")
        .first()
    )


def area_choices(actor: Any) -> list[tuple[str, str]]:
    """The actor's province and its current communes, for the area select of the pages."""
    unit = getattr(actor, "unit", None)
    if unit is None:
        return []
    province = unit.province
    communes = AdministrativeArea.objects.filter(
        level=AreaLevel.COMMUNE, parent=province, valid_until__isnull=True
    ).order_by("name")
    return [
        ("", _("Tất cả")),
        (province.code, province.name),
        *((c.code, f"\u2003{c.name}") for c in communes),
    ]


class RecordFilter(filters.FilterSet):
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
        widget=_select(),
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
        return records_in(qs, start=value) if value else qs

    def filter_end(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return records_in(qs, end=value) if value else qs

    def filter_area(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not (value or "").strip():
            return qs
        found = area_by_code(value)
        if found is None:
            return qs.none()
        return qs.filter(area_q(found))

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
        widget=_select(),
    )

    class Meta:
        model = PropagandaSession
        fields = ["start", "end", "area", "force", "law"]


class CampaignFilter(RecordFilter):
    class Meta:
        model = SurrenderCampaign
        fields = ["start", "end", "area", "force"]

    def filter_start(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return campaigns_in(qs, start=value) if value else qs

    def filter_end(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return campaigns_in(qs, end=value) if value else qs

    def filter_area(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not (value or "").strip():
            return qs
        found = area_by_code(value)
        if found is None:
            return qs.none()
        return campaigns_in(qs, area=found)


class ProgrammeFilter(RecordFilter):
    kind = filters.ChoiceFilter(
        label=_("Chương trình"),
        choices=ProgrammeKind.choices,
        empty_label=_("Tất cả"),
        widget=_select(),
    )

    class Meta:
        model = SocialProgramme
        fields = ["start", "end", "area", "force", "kind"]
