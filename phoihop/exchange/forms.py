"""Forms and list filters of the information exchange pages.

Forms only shape input; the services decide. A service's DomainError is put back on the form's
fields (`show_domain_error`), so the page shows the same Vietnamese message as the API.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.access.policy import installation_ceiling
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.forms import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    BootstrapForm,
)
from phoihop.core.forms import control as _control
from phoihop.core.forms import select as _select
from phoihop.core.text import fold
from phoihop.exchange.enums import (
    Credibility,
    Handling,
    Reliability,
    Topic,
    Urgency,
    VerificationResult,
)
from phoihop.exchange.models import InformationItem, Receipt
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import grouped_unit_choices, province_communes, units_by_public_id
from phoihop.org.refs import province_units as province_units_of


def province_units(actor: User) -> QuerySet[Unit]:
    """Active units of the actor's province other than the actor's own: possible recipients."""
    return province_units_of(actor, include_own=False)


def force_level_choices(units: Iterable[Unit]) -> list[tuple[str, str]]:
    """`BP:xa` → "Tất cả đơn vị Bộ đội Biên phòng — Cấp xã" for each force and level present."""
    seen: dict[str, str] = {}
    for unit in units:
        key = f"{unit.force.code}:{unit.level.code}"
        seen.setdefault(
            key,
            _("Tất cả đơn vị %(force)s — %(level)s")
            % {"force": unit.force.name, "level": unit.level.name},
        )
    return list(seen.items())


class ComposeForm(BootstrapForm):
    """A new information item, its distribution and an optional verification request."""

    # Service field name → form field name, for DomainError messages.
    FIELD_MAP = {
        "assigned_unit": "verify_unit",
        "question": "verify_question",
        "due_at": "verify_due",
        "areas": "areas",
    }

    title = forms.CharField(
        label=_("Trích yếu"), max_length=300, widget=_control(forms.TextInput())
    )
    content = forms.CharField(
        label=_("Nội dung"), widget=_control(forms.Textarea(attrs={"rows": 6}))
    )
    topic = forms.ChoiceField(label=_("Lĩnh vực"), choices=Topic.choices, widget=_select())
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.THUONG,
        widget=_select(),
    )
    classification = forms.TypedChoiceField(
        label=_("Độ mật"), choices=(), coerce=int, initial=0, widget=_select()
    )
    reliability = forms.ChoiceField(
        label=_("Độ tin cậy của nguồn"),
        choices=Reliability.choices,
        initial=Reliability.F,
        widget=_select(),
    )
    credibility = forms.TypedChoiceField(
        label=_("Mức xác thực của thông tin"),
        choices=Credibility.choices,
        coerce=int,
        initial=Credibility.UNKNOWN,
        widget=_select(),
    )
    handling = forms.ChoiceField(
        label=_("Chế độ xử lý"),
        choices=Handling.choices,
        initial=Handling.MAY_FORWARD,
        widget=_select(),
    )
    is_joint = forms.BooleanField(
        label=_("Thông tin phối hợp chung (tham mưu tổng hợp cấp tỉnh được xem)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Địa bàn"),
        queryset=AdministrativeArea.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
        help_text=_("Giữ Ctrl (hoặc chạm trên điện thoại) để chọn nhiều xã, phường."),
    )
    recipients = forms.MultipleChoiceField(
        label=_("Đơn vị nhận"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
        help_text=_("Chọn từng đơn vị, hoặc chọn cả lực lượng ở một cấp bên dưới."),
    )
    force_levels = forms.MultipleChoiceField(
        label=_("Gửi cả lực lượng ở một cấp"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    verify_unit = forms.ChoiceField(
        label=_("Đơn vị xác minh"), choices=(), required=False, widget=_select()
    )
    verify_question = forms.CharField(
        label=_("Nội dung cần xác minh"),
        required=False,
        widget=_control(forms.Textarea(attrs={"rows": 3})),
    )
    verify_due = forms.DateTimeField(
        label=_("Hạn trả lời xác minh"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=_control(forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"})),
        help_text=_("Để trống: hạn mặc định theo độ khẩn."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.units = province_units(actor)
        units = list(self.units)
        grouped = grouped_unit_choices(units)
        self.fields["recipients"].choices = grouped  # type: ignore[attr-defined]
        self.fields["verify_unit"].choices = [("", _("— Không yêu cầu xác minh —")), *grouped]  # type: ignore[attr-defined]
        self.fields["force_levels"].choices = force_level_choices(units)  # type: ignore[attr-defined]
        ceiling = installation_ceiling()
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in STORABLE_CLASSIFICATIONS if value <= ceiling
        ]
        self.fields["areas"].queryset = province_communes(actor)  # type: ignore[attr-defined]

    def clean_recipients(self) -> list[Unit]:
        return units_by_public_id(self.units, self.cleaned_data["recipients"])

    def clean_force_levels(self) -> list[tuple[str, str]]:
        return [
            (force, level)
            for force, _sep, level in (v.partition(":") for v in self.cleaned_data["force_levels"])
        ]

    def clean_verify_unit(self) -> Unit | None:
        value = self.cleaned_data["verify_unit"]
        if not value:
            return None
        found = units_by_public_id(self.units, [value])
        return found[0] if found else None

    def clean_verify_due(self) -> dt.datetime | None:
        due = self.cleaned_data["verify_due"]
        if due is not None and due <= timezone.now():
            raise forms.ValidationError(_("Hạn trả lời phải ở tương lai."), code="due_in_past")
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verify_unit") and not (data.get("verify_question") or "").strip():
            self.add_error("verify_question", _("Hãy ghi nội dung cần xác minh."))
        if (data.get("verify_question") or "").strip() and not data.get("verify_unit"):
            self.add_error("verify_unit", _("Hãy chọn đơn vị xác minh."))
        return data

    def item_fields(self) -> dict[str, Any]:
        """Keyword arguments of `info_item_create`."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "content": data["content"],
            "topic": data["topic"],
            "urgency": data["urgency"],
            "classification": data["classification"],
            "reliability": data["reliability"],
            "credibility": data["credibility"],
            "handling": data["handling"],
            "is_joint": data["is_joint"],
            "areas": list(data["areas"]),
            "recipients": data["recipients"],
            "force_levels": data["force_levels"],
        }

    def verification_fields(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("verify_unit"):
            return None
        return {
            "assigned_unit": data["verify_unit"],
            "question": data["verify_question"],
            "due_at": data.get("verify_due"),
        }


class ReplyForm(BootstrapForm):
    body = forms.CharField(
        label=_("Trả lời"),
        widget=_control(forms.Textarea(attrs={"rows": 3})),
        error_messages={"required": _("Hãy nhập nội dung trả lời.")},
    )


class ForwardForm(BootstrapForm):
    FIELD_MAP = {"handling": "units"}

    units = forms.MultipleChoiceField(
        label=_("Chuyển tiếp cho đơn vị cấp dưới"),
        choices=(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Hãy chọn đơn vị cấp dưới để chuyển tiếp.")},
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = units
        self.fields["units"].choices = [(str(u.public_id), u.name) for u in units]  # type: ignore[attr-defined]

    def clean_units(self) -> list[Unit]:
        return units_by_public_id(self.targets, self.cleaned_data["units"])


class VerificationRequestForm(BootstrapForm):
    """A verification request on an item already sent (the detail page)."""

    FIELD_MAP = {
        "assigned_unit": "verify_unit",
        "question": "verify_question",
        "due_at": "verify_due",
    }

    verify_unit = ComposeForm.base_fields["verify_unit"]
    verify_question = ComposeForm.base_fields["verify_question"]
    verify_due = ComposeForm.base_fields["verify_due"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = province_units(actor)
        self.fields["verify_unit"].required = True
        self.fields["verify_unit"].choices = [("", "—"), *grouped_unit_choices(self.units)]  # type: ignore[attr-defined]
        self.fields["verify_question"].required = True

    clean_verify_unit = ComposeForm.clean_verify_unit
    clean_verify_due = ComposeForm.clean_verify_due

    def verification_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "assigned_unit": data["verify_unit"],
            "question": data["verify_question"],
            "due_at": data.get("verify_due"),
        }


class VerificationAnswerForm(BootstrapForm):
    result = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[("", "—"), *VerificationResult.choices],
        widget=_select(),
        error_messages={"required": _("Phải chọn kết quả xác minh.")},
    )
    findings = forms.CharField(
        label=_("Kết quả xác minh cụ thể"),
        widget=_control(forms.Textarea(attrs={"rows": 3})),
        error_messages={"required": _("Phải ghi kết quả xác minh cụ thể.")},
    )


class VerificationReturnForm(BootstrapForm):
    note = forms.CharField(
        label=_("Lý do yêu cầu xác minh thêm"),
        widget=_control(forms.Textarea(attrs={"rows": 2})),
        error_messages={"required": _("Phải ghi lý do yêu cầu xác minh thêm.")},
    )


# --- list filters -------------------------------------------------------------------------------


class ItemStatus:
    PENDING = "pending"
    ACKNOWLEDGED = "acknowledged"
    CHOICES = [
        (PENDING, _("Chưa xác nhận")),
        (ACKNOWLEDGED, _("Đã xác nhận")),
    ]


_NUMBER = re.compile(r"^0*(\d{1,6})(?:/tt-?([a-z0-9-]*))?$")


def _number_q(needle: str) -> Q:
    """`15/TT-DBP-SK`, `15/tt-dbp` or plain `15`: the item number, and the issuer's code."""
    match = _NUMBER.match(needle)
    if match is None:
        return Q(pk__in=[])
    number, code = match.groups()
    found = Q(number=int(number))
    return found & Q(owner_unit__code__istartswith=code) if code else found


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ItemFilter(django_filters.FilterSet):
    """Inbox and outbox filters. `box` says what "pending" means: the actor's own receipt
    (inbox) or any recipient's (outbox)."""

    q = django_filters.CharFilter(
        label=_("Tìm"),
        method="filter_text",
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("Số, trích yếu, nội dung…")}
        ),
    )
    topic = django_filters.ChoiceFilter(
        label=_("Lĩnh vực"),
        choices=Topic.choices,
        empty_label=_("Tất cả"),
        widget=_select(),
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Độ khẩn"),
        choices=Urgency.choices,
        empty_label=_("Tất cả"),
        widget=_select(),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=ItemStatus.CHOICES,
        empty_label=_("Tất cả"),
        method="filter_status",
        widget=_select(),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Địa bàn"),
        field_name="areas",
        to_field_name="code",
        queryset=AdministrativeArea.objects.none(),
        empty_label=_("Tất cả"),
        widget=_select(),
    )
    sent_from = django_filters.DateFilter(
        label=_("Gửi từ ngày"),
        method="filter_from",
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}),
    )
    sent_to = django_filters.DateFilter(
        label=_("đến ngày"),
        method="filter_to",
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}),
    )

    class Meta:
        model = InformationItem
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, actor: User, box: str) -> None:
        super().__init__(data, queryset)
        self.actor = actor
        self.box = box
        self.filters["area"].queryset = province_communes(actor)

    def filter_status(self, queryset: QuerySet[InformationItem], name: str, value: str) -> Any:
        if self.box == "inbox":
            pending = Q(pending=True)
        else:
            pending = Q(
                Exists(Receipt.objects.filter(item=OuterRef("pk"), acknowledged_at__isnull=True))
            )
        if value == ItemStatus.PENDING:
            return queryset.filter(pending)
        if value == ItemStatus.ACKNOWLEDGED:
            return queryset.exclude(pending)
        return queryset

    def filter_from(self, queryset: QuerySet[InformationItem], name: str, value: dt.date) -> Any:
        return queryset.filter(sent_at__gte=_local_midnight(value))

    def filter_to(self, queryset: QuerySet[InformationItem], name: str, value: dt.date) -> Any:
        return queryset.filter(sent_at__lt=_local_midnight(value + dt.timedelta(days=1)))

    def filter_text(self, queryset: QuerySet[InformationItem], name: str, value: str) -> Any:
        """Number, title or content, ignoring case and diacritics (`nguyen` finds `Nguyễn`)."""
        needle = fold(value)
        if not needle:
            return queryset
        return queryset.filter(Q(search_text__contains=needle) | _number_q(needle))


class AttachmentForm(BootstrapForm):
    file = forms.FileField(label=_("Tệp đính kèm"))
