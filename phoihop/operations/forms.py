"""Forms of the operation pages: a record of any kind, its units taking part, a day of counts.

Forms only shape input; the services decide, and a refusal is put back on the field it names
(`units.1.personnel` on the second unit row, `day` on the count form…).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from phoihop.access.policy import classification_choices
from phoihop.cases.models import Case
from phoihop.cases.selectors import case_list
from phoihop.core.forms import (
    BootstrapForm,
    classification_field,
    control,
    date_field,
    joint_field,
    select,
    text_input,
)
from phoihop.operations.kinds import PATROLS, Kind
from phoihop.operations.models import OperationRecord
from phoihop.operations.selectors import destroyable_items, zone_categories
from phoihop.operations.services import UnitPart
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import grouped_unit_choices, province_communes, province_units

_CATALOGUE_FIELDS = ("zone_kind", "item", "entered_quantity")


def _number_widget() -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"})


def _count_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, widget=_number_widget())


def _catalogue_field(name: str, field: forms.Field) -> forms.Field:
    """A field naming a catalogue row by its code: a zone's kind (active kinds), an item
    destroyed (active explosives and weapons); a quantity typed the Vietnamese way."""
    if name == "zone_kind":
        kinds = [(c.code, c.name) for c in zone_categories()]
        return forms.ChoiceField(label=field.label, choices=[("", "—"), *kinds], widget=select())
    if name == "item":
        return forms.ModelChoiceField(
            label=field.label,
            queryset=destroyable_items(),
            to_field_name="code",
            widget=select(),
        )
    return forms.CharField(
        label=field.label,
        widget=text_input(),
        help_text=_("Ví dụ: 500 hoặc 11,09"),
    )


def _kind_field(field: forms.Field) -> forms.Field:
    """A kind's own field, made from its model (a choice or a count), styled like the others."""
    if isinstance(field, forms.IntegerField):
        field.widget = _number_widget()
        # The services name a negative count; the form leaves it to them.
        field.validators = []
    else:
        control(field.widget, "form-select")
    return field


class OperationForm(BootstrapForm):
    """The fields every kind has, then the kind's own (from its model)."""

    title = forms.CharField(label=_("Nội dung"), max_length=300, widget=text_input())
    start_date = date_field(_("Từ ngày"))
    end_date = date_field(_("Đến ngày"), required=False)
    place = forms.CharField(
        label=_("Địa điểm"), max_length=300, required=False, widget=text_input()
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("Xã, phường"),
        queryset=AdministrativeArea.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
        help_text=_("Để trống: hoạt động trên địa bàn cả tỉnh."),
    )
    classification = classification_field()
    is_joint = joint_field(_("Hoạt động phối hợp chung (tham mưu tổng hợp cấp tỉnh được xem)"))
    outcome = forms.CharField(
        label=_("Kết quả, ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    COMMON = ("title", "start_date", "end_date", "place", "classification", "is_joint", "outcome")

    def __init__(
        self,
        *args: Any,
        actor: User,
        kind: Kind,
        record: OperationRecord | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.record = record
        self.fields["classification"].choices = classification_choices()  # type: ignore[attr-defined]
        communes = province_communes(actor)
        if record is not None:
            # A record may name communes that no longer exist (before 2025): keep them offered.
            named = AdministrativeArea.objects.filter(pk__in=record.places.values("commune_id"))
            communes = (communes | named).distinct()
        self.fields["communes"].queryset = communes.order_by("name")  # type: ignore[attr-defined]
        for name, field in fields_for_model(kind.model, fields=kind.model.kind_fields).items():
            if name in _CATALOGUE_FIELDS:
                self.fields[name] = _catalogue_field(name, field)
            else:
                self.fields[name] = _kind_field(field)
        if kind is PATROLS:
            self.fields["cases"] = forms.ModelMultipleChoiceField(
                label=_("Vụ việc liên quan"),
                queryset=case_list(actor=actor).order_by("-detected_at"),
                to_field_name="public_id",
                required=False,
                widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
            )
        if record is not None and not self.is_bound:
            for name in (*self.COMMON, *kind.model.kind_fields):
                self.initial[name] = getattr(record, name)
            self.initial["communes"] = [c.code for c in communes.filter(pk__in=named)]
            self.initial["version"] = record.version
            if kind is PATROLS:
                self.initial["cases"] = [
                    str(c.public_id)
                    for c in case_list(actor=actor).filter(pk__in=record.cases.all())  # type: ignore[attr-defined]
                ]

    def kind_field_names(self) -> list[str]:
        return list(self.kind.model.kind_fields)

    def values(self) -> dict[str, Any]:
        """The record's own fields, as the services take them."""
        data = self.cleaned_data
        return {name: data.get(name) for name in (*self.COMMON, *self.kind.model.kind_fields)}

    def communes_chosen(self) -> list[AdministrativeArea]:
        return list(self.cleaned_data.get("communes") or [])

    def cases_chosen(self) -> list[Case] | None:
        if self.kind is not PATROLS:
            return None
        return list(self.cleaned_data.get("cases") or [])


class UnitRowForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=(), required=False, widget=select())
    personnel = _count_field(_("Lượt cán bộ, chiến sĩ"))
    vehicles = _count_field(_("Lượt phương tiện"))
    vessels = _count_field(_("Lượt tàu, xuồng"))

    def __init__(self, *args: Any, key: int, choices: Sequence[Any], **kwargs: Any) -> None:
        kwargs["prefix"] = f"units-{key}"
        super().__init__(*args, **kwargs)
        self.key = key
        self.fields["unit"].choices = [("", _("— Chọn đơn vị —")), *choices]  # type: ignore[attr-defined]

    @property
    def chosen(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("unit"))


_ROW_KEY = re.compile(r"^units-(?P<key>\d{1,4})-unit$")
_NUMBERS = ("personnel", "vehicles", "vessels")


class UnitRows:
    """The rows of units taking part, keyed by a number unique in the page (htmx adds rows
    with the next key; a removed row is simply gone).

    Not the kernel's `InlineRows`: a row here is a unit and what it committed, not a saved
    child record — it has no public id, version or delete box (the service replaces the whole
    list), and a row is told by its `units-N-unit` select, which the page, the htmx row and
    the browser tests post; `InlineRows` needs a `units-N-row` marker and renders the bookkeeping
    fields of a saved row, which the row template would show."""

    def __init__(self, actor: User, forms_: list[UnitRowForm], units: Mapping[str, Unit]) -> None:
        self.actor = actor
        self.forms = forms_
        self.units = units

    @staticmethod
    def choices(actor: User, also: Sequence[Unit] = ()) -> tuple[list[Any], dict[str, Unit]]:
        """The units of the actor's province, and `also` (the units a record already names,
        which may be of another province)."""
        units = list(province_units(actor, include_past=True).select_related("force", "level"))
        known = {u.pk for u in units}
        units += [u for u in also if u.pk not in known]
        return grouped_unit_choices(units), {str(u.public_id): u for u in units}

    @classmethod
    def blank(cls, actor: User, parts: Sequence[UnitPart] = (), extra: int = 1) -> UnitRows:
        choices, units = cls.choices(actor, [p.unit for p in parts])
        initials = [
            {"unit": str(p.unit.public_id), **{n: getattr(p, n) for n in _NUMBERS}} for p in parts
        ]
        initials += [{}] * extra
        rows = [UnitRowForm(key=k, choices=choices, initial=i) for k, i in enumerate(initials)]
        return cls(actor, rows, units)

    @classmethod
    def bound(cls, actor: User, data: Mapping[str, Any], also: Sequence[Unit] = ()) -> UnitRows:
        choices, units = cls.choices(actor, also)
        keys = sorted({int(m["key"]) for name in data if (m := _ROW_KEY.match(name))})
        return cls(actor, [UnitRowForm(data, key=k, choices=choices) for k in keys], units)

    @property
    def next_key(self) -> int:
        return max((f.key for f in self.forms), default=-1) + 1

    def is_valid(self) -> bool:
        return all(f.is_valid() for f in self.forms)

    def _chosen(self) -> list[UnitRowForm]:
        return [f for f in self.forms if f.chosen]

    def parts(self) -> list[UnitPart]:
        return [
            UnitPart(
                self.units[f.cleaned_data["unit"]],
                **{n: f.cleaned_data.get(n) or 0 for n in _NUMBERS},
            )
            for f in self._chosen()
        ]

    def as_rows(self) -> dict[str, list[UnitRowForm]]:
        """For `place_domain_error`: the service names `units.N.field` in the order of the
        chosen rows."""
        return {"units": self._chosen()}


class CountForm(BootstrapForm):
    """One day of a checkpoint."""

    day = date_field(_("Ngày"))
    vehicles = forms.IntegerField(label=_("Lượt phương tiện"), widget=_number_widget())
    people = forms.IntegerField(label=_("Lượt người"), widget=_number_widget())
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False, widget=text_input())


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("Tệp số liệu (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )


class PeriodForm(BootstrapForm):
    start = date_field(_("Từ ngày"))
    end = date_field(_("Đến ngày"))
    area = forms.CharField(
        label=_("Mã địa bàn"),
        required=False,
        max_length=5,
        widget=text_input(placeholder="42, 18196…"),
        help_text=_("Mã tỉnh hoặc mã xã; để trống: mọi địa bàn được xem."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data
