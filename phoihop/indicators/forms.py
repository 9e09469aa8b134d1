"""Forms of the indicators pages. Forms only shape input; the services decide, and a service's
refusal is put back on the field of the indicator it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core import formats
from phoihop.core.errors import DomainError
from phoihop.core.forms import BootstrapForm
from phoihop.indicators.enums import SubmissionStatus
from phoihop.indicators.models import VALUE_PLACES, ReportForm
from phoihop.indicators.periods import PeriodKind
from phoihop.indicators.selectors import Sheet
from phoihop.indicators.validation import explanation_field, value_field
from phoihop.org.models import Force


def value_name(indicator_id: int) -> str:
    return f"value_{indicator_id}"


def explanation_name(indicator_id: int) -> str:
    return f"explanation_{indicator_id}"


def _shown(value: Any) -> str:
    return "" if value is None else formats.number(value, max_decimals=VALUE_PLACES)


class SubmissionValuesForm(BootstrapForm):
    """One text box per entered indicator (typed the Vietnamese way: `1.508`, `11,09`), and an
    explanation box for each value that varies too much against the previous period."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, sheet: Sheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.codes: dict[str, str] = {}  # form field name → indicator code
        self.initial.setdefault("version", sheet.submission.version)
        for row in sheet.rows:
            indicator = row.indicator
            if indicator.is_derived:
                continue
            name = value_name(indicator.pk)
            self.fields[name] = forms.CharField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_length=40,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm text-end",
                        "inputmode": "decimal",
                        "autocomplete": "off",
                    }
                ),
            )
            self.initial.setdefault(name, _shown(row.value))
            self.codes[name] = indicator.code
            if row.warning is not None or row.explanation:
                ename = explanation_name(indicator.pk)
                self.fields[ename] = forms.CharField(
                    label=_("Giải trình: %(name)s") % {"name": indicator.name},
                    required=False,
                    max_length=4000,
                    widget=forms.Textarea(
                        attrs={"class": "form-control form-control-sm", "rows": 2}
                    ),
                )
                self.initial.setdefault(ename, row.explanation)
                self.codes[ename] = indicator.code

    def value_field(self, row: Any) -> forms.BoundField | None:
        name = value_name(row.indicator.pk)
        return self[name] if name in self.fields else None

    def explanation_field(self, row: Any) -> forms.BoundField | None:
        name = explanation_name(row.indicator.pk)
        return self[name] if name in self.fields else None

    def values(self) -> dict[str, str]:
        return {
            self.codes[name]: self.cleaned_data.get(name, "")
            for name in self.fields
            if name.startswith("value_")
        }

    def explanations(self) -> dict[str, str]:
        return {
            self.codes[name]: self.cleaned_data.get(name, "")
            for name in self.fields
            if name.startswith("explanation_")
        }

    def show_error(self, error: DomainError) -> None:
        """The service's messages on the boxes of the indicators they name."""
        by_field = {
            value_field(code): name
            for name, code in self.codes.items()
            if name.startswith("value_")
        }
        by_field |= {
            explanation_field(code): name
            for name, code in self.codes.items()
            if name.startswith("explanation_")
        }
        self.add_error(None, error.message)
        for field, messages in error.fields.items():
            name = by_field.get(field)
            if name is None and field.startswith("explanations."):
                # A warning without a box yet (the value just changed): show it on the value.
                name = by_field.get(value_field(field.split(".", 1)[1]))
            for message in messages:
                if name is not None:
                    self.add_error(name, message)
                elif message != error.message:
                    self.add_error(None, message)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class OpenSubmissionForm(BootstrapForm):
    form = forms.CharField(widget=forms.HiddenInput)
    period = forms.CharField(widget=forms.HiddenInput)


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("Tệp số liệu (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )


def _small_select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select form-select-sm"})


def _by_code(label: Any, queryset: Any, *, everything: Any) -> forms.ModelChoiceField:
    """An optional filter naming a record by its code in the query (`?force=CA`); left empty
    (`everything`), it keeps all."""
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        to_field_name="code",
        empty_label=everything,
        widget=_small_select(),
    )


class CompletenessFilterForm(BootstrapForm):
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        max_length=10,
        help_text=_("Ví dụ 2024-Q3, 2024-H1, 2024-9M, 2024, 2024-07."),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    form = _by_code(_("Biểu mẫu"), ReportForm.objects.none(), everything=_("Mọi biểu mẫu"))
    force = _by_code(_("Lực lượng"), Force.objects.all(), everything=_("Mọi lực lượng"))

    def __init__(self, *args: Any, forms_qs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = forms_qs  # type: ignore[attr-defined]


class SubmissionFilterForm(BootstrapForm):
    period = forms.CharField(
        label=_("Kỳ"),
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "2024-Q3"}
        ),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *SubmissionStatus.choices],
        widget=_small_select(),
    )


PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _("Tháng"),
    PeriodKind.QUARTER: _("Quý"),
    PeriodKind.HALF: _("6 tháng"),
    PeriodKind.NINE_MONTHS: _("9 tháng"),
    PeriodKind.YEAR: _("Năm"),
}
