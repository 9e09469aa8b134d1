"""Forms of the information exchange pages (the list filter is `phoihop.exchange.filters`).

Forms only shape input; the services decide. A service's DomainError is put back on the form's
fields (`place_domain_error`), so the page shows the same Vietnamese message as the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.access.policy import installation_ceiling
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.forms import (
    DATETIME_INPUT_FORMATS,
    BootstrapForm,
    classification_field,
    control,
    datetime_field,
    joint_field,
    select,
)
from phoihop.exchange.enums import (
    Credibility,
    Handling,
    Reliability,
    Topic,
    Urgency,
    VerificationResult,
)
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import (
    grouped_unit_choices,
    province_communes,
    province_units,
    units_by_public_id,
)


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


class VerificationFields(BootstrapForm):
    """A verification request's fields, asked of a unit of the actor's province other than the
    actor's own: on the compose page (optional) and on an item already sent."""

    # Service field name → form field name, for DomainError messages.
    FIELD_MAP = {
        "assigned_unit": "verify_unit",
        "question": "verify_question",
        "due_at": "verify_due",
        "requested_at": "verify_requested_at",
        "answered_at": "verify_answered_at",
        "result": "verify_result",
        "findings": "verify_findings",
    }

    verify_unit = forms.ChoiceField(
        label=_("Đơn vị xác minh"), choices=(), required=False, widget=select()
    )
    verify_question = forms.CharField(
        label=_("Nội dung cần xác minh"),
        required=False,
        widget=control(forms.Textarea(attrs={"rows": 3})),
    )
    verify_due = forms.DateTimeField(
        label=_("Hạn trả lời xác minh"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=control(forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"})),
        help_text=_("Để trống: hạn mặc định theo độ khẩn."),
    )

    # Back-entry of a request made, and answered, earlier (rules: phoihop.core.backentry).
    verify_requested_at = datetime_field(
        _("Đã yêu cầu xác minh lúc"),
        required=False,
        help_text=_("Nhập bổ sung: để trống nếu yêu cầu ngay bây giờ."),
    )
    verify_answered_at = datetime_field(
        _("Đơn vị xác minh đã trả lời lúc"),
        required=False,
        help_text=_("Nhập bổ sung: kèm kết quả và nội dung đã trả lời."),
    )
    verify_result = forms.ChoiceField(
        label=_("Kết quả đã trả lời"),
        choices=[("", "—"), *VerificationResult.choices],
        required=False,
        widget=select(),
    )
    verify_findings = forms.CharField(
        label=_("Kết quả xác minh cụ thể đã trả lời"),
        required=False,
        widget=control(forms.Textarea(attrs={"rows": 2})),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        # The recipients and the verifying unit: the province's units but the actor's own.
        self.units = province_units(actor, include_own=False)

    def clean_verify_unit(self) -> Unit | None:
        value = self.cleaned_data["verify_unit"]
        if not value:
            return None
        found = units_by_public_id(self.units, [value])
        return found[0] if found else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        due, requested = data.get("verify_due"), data.get("verify_requested_at")
        # A request back-entered may have fallen due long ago; the service checks the rest.
        if due is not None and requested is None and due <= timezone.now():
            self.add_error("verify_due", _("Hạn trả lời phải ở tương lai."))
        elif due is not None and requested is not None and due <= requested:
            self.add_error("verify_due", _("Hạn trả lời phải sau thời điểm yêu cầu xác minh."))
        return data

    def verification_fields(self) -> dict[str, Any] | None:
        """Keyword arguments of `verification_request_create`, or None when none is asked."""
        data = self.cleaned_data
        if not data.get("verify_unit"):
            return None
        return {
            "assigned_unit": data["verify_unit"],
            "question": data["verify_question"],
            "due_at": data.get("verify_due"),
            "at": data.get("verify_requested_at"),
            "answered_at": data.get("verify_answered_at"),
            "result": data.get("verify_result") or "",
            "findings": data.get("verify_findings") or "",
        }


class ComposeForm(VerificationFields):
    """A new information item, its distribution and an optional verification request."""

    FIELD_MAP = {
        **VerificationFields.FIELD_MAP,
        "areas": "areas",
        "sent_at": "sent_at",
        "delivered_at": "delivered_at",
        "acknowledged_at": "acknowledged_at",
    }

    title = forms.CharField(label=_("Trích yếu"), max_length=300, widget=control(forms.TextInput()))
    content = forms.CharField(
        label=_("Nội dung"), widget=control(forms.Textarea(attrs={"rows": 6}))
    )
    topic = forms.ChoiceField(label=_("Lĩnh vực"), choices=Topic.choices, widget=select())
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.THUONG,
        widget=select(),
    )
    classification = classification_field()
    reliability = forms.ChoiceField(
        label=_("Độ tin cậy của nguồn"),
        choices=Reliability.choices,
        initial=Reliability.F,
        widget=select(),
    )
    credibility = forms.TypedChoiceField(
        label=_("Mức xác thực của thông tin"),
        choices=Credibility.choices,
        coerce=int,
        initial=Credibility.UNKNOWN,
        widget=select(),
    )
    handling = forms.ChoiceField(
        label=_("Chế độ xử lý"),
        choices=Handling.choices,
        initial=Handling.MAY_FORWARD,
        widget=select(),
    )
    is_joint = joint_field(_("Thông tin phối hợp chung (tham mưu tổng hợp cấp tỉnh được xem)"))
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
    # Back-entry of an exchange that took place earlier (rules: phoihop.core.backentry).
    sent_at = datetime_field(
        _("Đã gửi lúc"), required=False, help_text=_("Để trống nếu gửi ngay bây giờ.")
    )
    delivered_at = datetime_field(
        _("Đã chuyển đến lúc"), required=False, help_text=_("Để trống: cùng lúc gửi.")
    )
    acknowledged_at = datetime_field(
        _("Các đơn vị nhận đã xác nhận lúc"),
        required=False,
        help_text=_("Để trống nếu các đơn vị nhận chưa xác nhận."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
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

    # What makes no sense without a verifying unit.
    VERIFY_DETAILS = (
        "verify_question",
        "verify_due",
        "verify_requested_at",
        "verify_answered_at",
        "verify_result",
        "verify_findings",
    )

    def clean_recipients(self) -> list[Unit]:
        return units_by_public_id(self.units, self.cleaned_data["recipients"])

    def clean_force_levels(self) -> list[tuple[str, str]]:
        return [
            (force, level)
            for force, _sep, level in (v.partition(":") for v in self.cleaned_data["force_levels"])
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verify_unit") and not (data.get("verify_question") or "").strip():
            self.add_error("verify_question", _("Hãy ghi nội dung cần xác minh."))
        asked = [data.get(name) for name in self.VERIFY_DETAILS]
        if any(str(value or "").strip() for value in asked) and not data.get("verify_unit"):
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
            "sent_at": data.get("sent_at"),
            "delivered_at": data.get("delivered_at"),
            "acknowledged_at": data.get("acknowledged_at"),
        }


class ReplyForm(BootstrapForm):
    body = forms.CharField(
        label=_("Trả lời"),
        widget=control(forms.Textarea(attrs={"rows": 3})),
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


class VerificationRequestForm(VerificationFields):
    """A verification request on an item already sent (the detail page)."""

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["verify_unit"].required = True
        self.fields["verify_unit"].choices = [("", "—"), *grouped_unit_choices(self.units)]  # type: ignore[attr-defined]
        self.fields["verify_question"].required = True


class VerificationAnswerForm(BootstrapForm):
    result = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[("", "—"), *VerificationResult.choices],
        widget=select(),
        error_messages={"required": _("Phải chọn kết quả xác minh.")},
    )
    findings = forms.CharField(
        label=_("Kết quả xác minh cụ thể"),
        widget=control(forms.Textarea(attrs={"rows": 3})),
        error_messages={"required": _("Phải ghi kết quả xác minh cụ thể.")},
    )


class VerificationReturnForm(BootstrapForm):
    note = forms.CharField(
        label=_("Lý do yêu cầu xác minh thêm"),
        widget=control(forms.Textarea(attrs={"rows": 2})),
        error_messages={"required": _("Phải ghi lý do yêu cầu xác minh thêm.")},
    )


class AttachmentForm(BootstrapForm):
    file = forms.FileField(label=_("Tệp đính kèm"))
