"""The dashboard's and the map's filters: period, force, case category and domain, map figure."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from phoihop.cases.enums import CaseCategory, CaseDomain
from phoihop.core.errors import DomainError
from phoihop.dashboards.selectors import (
    MAP_FIGURES,
    PERIOD_KINDS,
    Filters,
    current_period,
    trailing,
)
from phoihop.indicators.periods import Period, PeriodKind
from phoihop.org.enums import AreaLevel
from phoihop.org.forces import count_in_words, province_forces
from phoihop.org.models import AdministrativeArea, Force


def default_period() -> Period:
    """The current quarter; a demo installation may pin its own (`PHOIHOP_DASHBOARD_PERIOD`)."""
    pinned = (getattr(settings, "PHOIHOP_DASHBOARD_PERIOD", "") or "").strip()
    return Period.parse(pinned) if pinned else current_period()


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select form-select-sm"})


def _one_of(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    """An optional filter: one of `choices`."""
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=_select())


def _by_code(label: Any, queryset: Any, everything: Any) -> forms.ModelChoiceField:
    """An optional filter on a row of `queryset` named by its code; `everything` is the blank."""
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        to_field_name="code",
        required=False,
        empty_label=everything,
        widget=_select(),
    )


class DashboardFilterForm(forms.Form):
    # Any month, quarter, half or year can be asked for by its key; the list offers recent ones.
    period = forms.CharField(label=_("Kỳ"), widget=_select())
    force = _by_code(
        _("Lực lượng"),
        Force.objects.filter(is_partner=False).order_by("order", "code"),
        _("Tất cả lực lượng"),
    )
    category = _one_of(_("Loại vụ việc"), [("", _("Tất cả")), *CaseCategory.choices])
    domain = _one_of(_("Địa bàn"), [("", _("Tất cả")), *CaseDomain.choices])
    area = _by_code(_("Tỉnh, xã"), AdministrativeArea.objects.none(), _("Toàn bộ phạm vi của tôi"))
    figure = _one_of(_("Chỉ tiêu trên bản đồ"), list(MAP_FIGURES.items()))

    def __init__(self, data: Any = None, *, areas: Any = None, **kwargs: Any) -> None:
        self.default = default_period()
        if data is not None and not data.get("period"):
            data = data.copy()
            data["period"] = self.default.key
        super().__init__(data, **kwargs)
        choices: list[tuple[str, str]] = []
        for kind in PERIOD_KINDS:
            latest = Period.containing(self.default.end, kind)
            count = 12 if kind in (PeriodKind.MONTH, PeriodKind.QUARTER) else 4
            choices += [(p.key, str(p.label)) for p in reversed(trailing(latest, count))]
        asked = str((data or {}).get("period") or "")
        if asked and asked not in dict(choices):
            with contextlib.suppress(DomainError):
                choices.insert(0, (asked, str(Period.parse(asked).label)))
        self.fields["period"].widget.choices = choices
        self.fields["period"].initial = self.default.key
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]
            self._province_forces(areas)

    def _province_forces(self, areas: Any) -> None:
        """A user of one province filters by the forces taking part there ("Cả bốn lực
        lượng"); above the provinces, by every standard force ("Tất cả lực lượng")."""
        provinces = list(areas.filter(level=AreaLevel.PROVINCE)[:2])
        if len(provinces) != 1:
            return
        codes = [f.code for f in province_forces(provinces[0])]
        field = self.fields["force"]
        field.queryset = Force.objects.filter(code__in=codes).order_by("order", "code")  # type: ignore[attr-defined]
        field.empty_label = _("Cả %(count)s lực lượng") % {"count": count_in_words(len(codes))}  # type: ignore[attr-defined]

    def clean_period(self) -> Period:
        key = self.cleaned_data["period"]
        try:
            period = Period.parse(key)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        if period.kind not in PERIOD_KINDS:
            raise forms.ValidationError(_("Chọn kỳ tháng, quý, 6 tháng hoặc năm."))
        return period

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Filters(
            period=data.get("period") or self.default,
            force=data.get("force"),
            category=data.get("category") or "",
            domain=data.get("domain") or "",
            area=data.get("area"),
        )

    @property
    def map_figure(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("figure") or "cases"
