"""Forms of the conference tasks and the report preview. Validation of meaning (the deadline after
the conference, a known force, an allowed transition) stays in the services: a refusal is put back
on the form with `show_domain_error`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.forms import DATE_INPUT_FORMATS, BootstrapForm
from phoihop.org.models import Force, User
from phoihop.org.refs import province_communes
from phoihop.reports.enums import TaskStatus

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _date() -> forms.DateInput:
    return forms.DateInput(
        attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"
    )


def force_choices() -> list[tuple[str, str]]:
    return [(f.code, f.name) for f in Force.objects.order_by("order", "code")]


def area_choices(actor: User) -> list[tuple[str, str]]:
    """The actor's province, then its communes, by official code."""
    unit = actor.unit
    if unit is None:
        return []
    province = unit.province
    return [(province.code, province.name)] + [
        (a.code, f"— {a.name}") for a in province_communes(actor).order_by("name")
    ]


class TaskForm(BootstrapForm):
    period_key = forms.CharField(
        label=_("Kỳ báo cáo của hội nghị"),
        max_length=10,
        widget=_text(placeholder="2024-Q3"),
        help_text=_("Ví dụ: 2024-Q3 (quý), 2024-H1 (6 tháng), 2024 (năm)."),
    )
    area = forms.ChoiceField(
        label=_("Địa bàn"), widget=forms.Select(attrs={"class": "form-select"})
    )
    conference_date = forms.DateField(
        label=_("Ngày hội nghị"), input_formats=DATE_INPUT_FORMATS, widget=_date()
    )
    content = forms.CharField(
        label=_("Nội dung nhiệm vụ"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    lead_force = forms.ChoiceField(
        label=_("Lực lượng chủ trì"), widget=forms.Select(attrs={"class": "form-select"})
    )
    supporting_forces = forms.MultipleChoiceField(
        label=_("Lực lượng phối hợp"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    deadline = forms.DateField(
        label=_("Thời hạn"), input_formats=DATE_INPUT_FORMATS, widget=_date()
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forces = force_choices()
        self.fields["lead_force"].choices = [("", "—"), *forces]  # type: ignore[attr-defined]
        self.fields["supporting_forces"].choices = forces  # type: ignore[attr-defined]
        self.fields["area"].choices = area_choices(actor)  # type: ignore[attr-defined]


class NoteForm(BootstrapForm):
    body = forms.CharField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    noted_on = forms.DateField(
        label=_("Ngày"), required=False, input_formats=DATE_INPUT_FORMATS, widget=_date()
    )


class TransitionForm(BootstrapForm):
    to = forms.ChoiceField(label=_("Chuyển sang"), choices=TaskStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput())
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("unfinished", _("Chưa hoàn thành")), *TaskStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    overdue = forms.BooleanField(
        label=_("Chỉ nhiệm vụ quá hạn"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    force = forms.ChoiceField(
        label=_("Lực lượng"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    period = forms.CharField(
        label=_("Kỳ hội nghị"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "2024-Q3"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].choices = [("", _("Tất cả")), *force_choices()]  # type: ignore[attr-defined]


class PreviewForm(forms.Form):
    area = forms.CharField(
        label=_("Mã địa bàn (tỉnh hoặc xã)"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "42"}),
    )
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2024-Q3"}),
    )


def _optional(
    label: StrOrPromise,
    help_text: StrOrPromise,
    *,
    max_length: int | None = None,
    rows: int = 0,
    **attrs: Any,
) -> forms.CharField:
    """An optional text (a textarea of `rows` lines when given): blank means the default."""
    widget: forms.Widget = (
        forms.Textarea(attrs={"class": "form-control", "rows": rows, **attrs})
        if rows
        else _text(**attrs)
    )
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=widget, help_text=help_text
    )


class ReportSettingsForm(BootstrapForm):
    """A province's report header and closing; a blank field shows (as its placeholder) what the
    report uses instead."""

    issuer = _optional(
        _("Cơ quan ban hành"),
        _("Mỗi dòng một dòng của khối cơ quan ban hành, dòng cuối in đậm."),
        rows=3,
    )
    recipients = _optional(_("Nơi nhận"), _("Mỗi dòng một nơi nhận."), rows=4)
    place = _optional(_("Địa danh"), _("Ghi trước ngày tháng của báo cáo."), max_length=60)
    document_symbol = _optional(
        _("Ký hiệu văn bản"),
        _("Phần sau số của báo cáo: “Số: 15/BC-BCĐ” có ký hiệu BC-BCĐ."),
        max_length=30,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, fallback: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, text in fallback.items():
            self.fields[name].widget.attrs["placeholder"] = text


class ProvinceForceForm(BootstrapForm):
    """A force joining the province's coordination."""

    code = forms.ChoiceField(
        label=_("Lực lượng"), widget=forms.Select(attrs={"class": "form-select"})
    )
    head_title = _optional(
        _("Chức danh người đứng đầu"),
        _("Ghi ở khối chữ ký, ví dụ GIÁM ĐỐC, CHỈ HUY TRƯỞNG, TƯ LỆNH."),
        max_length=60,
        placeholder="TƯ LỆNH",
    )
    title_name = _optional(
        _("Tên trong trích yếu báo cáo"), _("Để trống: tên của lực lượng."), max_length=100
    )
    issuer_name = _optional(
        _("Tên trong dòng cơ quan ban hành"),
        _("Để trống: tên ngắn của lực lượng."),
        max_length=60,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "—"), *force_choices()]  # type: ignore[attr-defined]
