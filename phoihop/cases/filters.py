"""The filters of case and wanted-person lists, used by the pages and the API alike."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from phoihop.cases.enums import CaseCategory, CaseDomain, CaseStatus, WantedStatus
from phoihop.cases.models import Case, WantedPerson
from phoihop.cases.selectors import cases_in
from phoihop.core.text import fold
from phoihop.org.models import Force
from phoihop.org.refs import area_by_code, area_q


class CaseFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_text", label=gettext_lazy("Tìm theo tên, tóm tắt"))
    category = filters.ChoiceFilter(
        choices=CaseCategory.choices, label=gettext_lazy("Loại vụ việc")
    )
    domain = filters.ChoiceFilter(choices=CaseDomain.choices, label=gettext_lazy("Địa bàn xảy ra"))
    status = filters.ChoiceFilter(choices=CaseStatus.choices, label=gettext_lazy("Trạng thái"))
    force = filters.ModelChoiceFilter(
        queryset=Force.objects.all(),
        to_field_name="code",
        method="filter_force",
        label=gettext_lazy("Lực lượng (chủ trì hoặc phối hợp)"),
    )
    lead_force = filters.ModelChoiceFilter(
        queryset=Force.objects.all(),
        to_field_name="code",
        field_name="lead_force",
        label=gettext_lazy("Lực lượng chủ trì"),
    )
    area = filters.CharFilter(
        method="filter_area",
        label=gettext_lazy("Mã địa bàn (mã tỉnh: cả tỉnh; mã xã: xã đó)"),
    )
    detected_from = filters.DateFilter(
        method="filter_from", label=gettext_lazy("Phát hiện từ ngày")
    )
    detected_to = filters.DateFilter(method="filter_to", label=gettext_lazy("Đến ngày"))

    class Meta:
        model = Case
        fields = ["q", "category", "domain", "status", "force", "lead_force", "area"]

    def filter_text(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        words = fold(value).split()
        for word in words:
            qs = qs.filter(search_text__contains=word)
        return qs

    def filter_force(self, qs: QuerySet[Case], name: str, value: Force | None) -> QuerySet[Case]:
        if value is None:
            return qs
        return qs.filter(Q(participants__force=value)).distinct()

    def filter_area(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if not (value or "").strip():
            return qs
        found = area_by_code(value)
        return qs.filter(area_q(found)) if found is not None else qs.none()

    def filter_from(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        return cases_in(qs, start=value) if value else qs

    def filter_to(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        return cases_in(qs, end=value) if value else qs


class WantedFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=WantedStatus.choices, label=gettext_lazy("Trạng thái"))

    class Meta:
        model = WantedPerson
        fields = ["status"]
