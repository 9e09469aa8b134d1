"""Forms of the case registry pages: the case with its inline rows, transitions, wanted persons.

Forms only shape input; the services decide. A service's DomainError is put back where the user
typed the value by the kernel's `place_domain_error`: on the case's field, or on the field of the
inline row it names (`subjects.1.citizen_id`, `seized_items.0.quantity`). Inline rows are the
kernel's `RowForm`/`InlineRows`; unit and commune choices come from `phoihop.org.refs`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.access.policy import classification_choices
from phoihop.cases import selectors
from phoihop.cases.enums import (
    CaseCategory,
    CaseDomain,
    CaseOutcome,
    ParticipationRole,
    Sex,
    SubjectKind,
    SubjectResult,
    SubjectRole,
)
from phoihop.cases.filters import CaseFilter
from phoihop.cases.measures import MEASURE_CHOICES, MEASURES, parse_quantity
from phoihop.cases.models import Case, CatalogueItem, SeizedItem, Subject
from phoihop.cases.services import SeizedData, SubjectData
from phoihop.core.errors import DomainError
from phoihop.core.formats import number
from phoihop.core.forms import (
    DATE_INPUT_FORMATS,
    DATE_WIDGET_FORMAT,
    BootstrapForm,
    InlineRows,
    RowForm,
    checkbox,
    classification_field,
    date_field,
    datetime_field,
    joint_field,
    partner_units_field,
    select,
    text_input,
)
from phoihop.exchange.models import InformationItem
from phoihop.exchange.selectors import info_item_list
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import (
    grouped_unit_choices,
    own_units,
    province_communes,
    province_units,
    units_by_public_id,
)


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _coordinate_field(label: Any, example: str) -> forms.DecimalField:
    """A degree of latitude or longitude, typed the Vietnamese way (`18,3412`)."""
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        localize=True,
        widget=text_input(placeholder=example),
    )


def parse_money(value: str) -> Decimal | None:
    """`5.000.000` or `5000000` đồng; blank is None."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        amount = parse_quantity(text, field="fine_amount", localized=True)
    except DomainError:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise forms.ValidationError(
            _("Số tiền phải là số đồng nguyên, ví dụ 5.000.000."), code="invalid_amount"
        )
    return amount


# --- the list filter -----------------------------------------------------------------------


class CaseListFilter(CaseFilter):
    """The one case filter (filters.CaseFilter), dressed for the page: Bootstrap widgets,
    "Tất cả" for no choice, the area as a select of the actor's province and its communes."""

    def __init__(self, data: Any = None, queryset: Any = None, *, actor: User) -> None:
        super().__init__(data, queryset)
        for name in ("category", "domain", "status", "force", "lead_force"):
            self.filters[name].extra.update(empty_label=_("Tất cả"), widget=select())
        self.filters["q"].extra["widget"] = text_input(placeholder=_("Tên, tóm tắt vụ việc…"))
        self.filters["q"].label = _("Tìm")
        self.filters["area"].label = _("Địa bàn")
        self.filters["area"].extra["widget"] = forms.Select(
            attrs={"class": "form-select"}, choices=area_choices(actor)
        )
        for name in ("detected_from", "detected_to"):
            self.filters[name].extra.update(
                input_formats=DATE_INPUT_FORMATS,
                widget=forms.DateInput(
                    format=DATE_WIDGET_FORMAT,
                    attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"},
                ),
            )


def _chosen_unit(units: QuerySet[Unit], value: Any) -> Unit | None:
    """The unit picked in a select of `units` (by public id); None when none is."""
    found = units_by_public_id(units, [value])
    return found[0] if found else None


def area_choices(actor: User) -> list[tuple[str, Any]]:
    """The actor's province (all of it) and its current communes, by official code."""
    unit = actor.unit
    if unit is None:
        return [("", _("Tất cả"))]
    province = unit.province
    return [
        ("", _("Tất cả")),
        (province.code, str(_("Toàn %(province)s") % {"province": province.name})),
        *[(c.code, c.name) for c in province_communes(actor)],
    ]


# --- the case ------------------------------------------------------------------------------


class CaseForm(BootstrapForm):
    """The case itself; its subjects and seized items are inline rows (SubjectRowForm…)."""

    FIELD_MAP = {"owner_unit": "lead_unit", "province": "commune"}

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    title = forms.CharField(label=_("Tên vụ việc"), max_length=300, widget=text_input())
    summary = forms.CharField(
        label=_("Tóm tắt"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
    category = forms.ChoiceField(
        label=_("Loại vụ việc"), choices=[("", "—"), *CaseCategory.choices], widget=select()
    )
    domain = forms.ChoiceField(
        label=_("Địa bàn xảy ra"), choices=[("", "—"), *CaseDomain.choices], widget=select()
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường"),
        queryset=AdministrativeArea.objects.none(),
        to_field_name="code",
        empty_label="—",
        widget=select(),
    )
    detected_at = datetime_field(_("Thời điểm phát hiện"))
    occurred_at = datetime_field(_("Thời điểm xảy ra"), required=False)
    lead_unit = forms.ChoiceField(label=_("Đơn vị chủ trì"), choices=(), widget=select())
    detecting_unit = forms.ChoiceField(
        label=_("Đơn vị phát hiện"),
        choices=(),
        required=False,
        widget=select(),
        help_text=_("Để trống: đơn vị chủ trì."),
    )
    cooperating_units = partner_units_field(
        _("Các đơn vị phối hợp (mọi lực lượng) cũng được xem vụ việc.")
    )
    classification = classification_field()
    is_joint = joint_field(_("Vụ việc phối hợp chung (tham mưu tổng hợp cấp tỉnh được xem)"))
    latitude = _coordinate_field(_("Vĩ độ"), "18,3412")
    longitude = _coordinate_field(_("Kinh độ"), "105,2351")
    info_items = forms.ModelMultipleChoiceField(
        label=_("Thông tin liên quan"),
        queryset=InformationItem.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
    )

    def __init__(self, *args: Any, actor: User, case: Case | None = None, **kwargs: Any) -> None:
        if case is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(case)
        elif case is None and "initial" not in kwargs:
            kwargs["initial"] = {
                "detected_at": timezone.localtime().replace(second=0, microsecond=0),
                "lead_unit": str(actor.unit.public_id) if actor.unit else "",
            }
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.case = case
        self.fields["commune"].queryset = province_communes(  # type: ignore[attr-defined]
            actor, also=case.commune if case else None
        )
        self.fields["classification"].choices = classification_choices()  # type: ignore[attr-defined]
        self.units = province_units(actor)
        grouped = grouped_unit_choices(self.units)
        self.fields["detecting_unit"].choices = [("", "—"), *grouped]  # type: ignore[attr-defined]
        self.fields["cooperating_units"].choices = grouped  # type: ignore[attr-defined]
        if case is None:
            del self.fields["version"]
            self.lead_units = own_units(actor)
            top = actor.unit.depth if actor.unit is not None else 0
            self.fields["lead_unit"].choices = [  # type: ignore[attr-defined]
                (str(u.public_id), f"{chr(0x2003) * max(0, u.depth - top)}{u.name}")
                for u in self.lead_units
            ]
            self.fields["info_items"].queryset = info_item_list(actor=actor).order_by(  # type: ignore[attr-defined]
                "-sent_at", "-id"
            )
        else:
            # The lead unit owns the case and the linked information is set when it is recorded.
            del self.fields["lead_unit"]
            del self.fields["info_items"]
            self.fields["version"].required = True
            if case.detecting_unit_id and not any(
                str(case.detecting_unit.public_id) == value
                for _force, group in grouped
                for value, _label in group
            ):
                self.fields["detecting_unit"].choices = [  # type: ignore[attr-defined]
                    *self.fields["detecting_unit"].choices,  # type: ignore[attr-defined]
                    (str(case.detecting_unit.public_id), case.detecting_unit.name),
                ]

    @staticmethod
    def initial_of(case: Case) -> dict[str, Any]:
        return {
            "version": case.version,
            "title": case.title,
            "summary": case.summary,
            "category": case.category,
            "domain": case.domain,
            "commune": case.commune.code,
            "detected_at": timezone.localtime(case.detected_at),
            "occurred_at": timezone.localtime(case.occurred_at) if case.occurred_at else None,
            "detecting_unit": str(case.detecting_unit.public_id),
            "cooperating_units": [str(u.public_id) for u in cooperating_of(case)],
            "classification": int(case.classification),
            "is_joint": case.is_joint,
            "latitude": case.latitude,
            "longitude": case.longitude,
        }

    def clean_lead_unit(self) -> Unit | None:
        return _chosen_unit(self.lead_units, self.cleaned_data["lead_unit"])

    def clean_detecting_unit(self) -> Unit | None:
        value = self.cleaned_data["detecting_unit"]
        if not value:
            return None
        if self.case is not None and value == str(self.case.detecting_unit.public_id):
            return self.case.detecting_unit
        return _chosen_unit(self.units, value)

    def clean_cooperating_units(self) -> list[Unit]:
        return units_by_public_id(self.units, self.cleaned_data["cooperating_units"])

    def _case_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "category": data["category"],
            "domain": data["domain"],
            "commune": data["commune"],
            "detected_at": data["detected_at"],
            "occurred_at": data["occurred_at"],
            "classification": data["classification"],
            "is_joint": data["is_joint"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
        }

    def create_fields(self) -> dict[str, Any]:
        """Keyword arguments of `case_create`, rows aside."""
        data = self.cleaned_data
        return {
            **self._case_values(),
            "lead_unit": data["lead_unit"],
            "detecting_unit": data["detecting_unit"],
            "cooperating_units": data["cooperating_units"],
            "info_items": list(data["info_items"]),
        }

    def changes(self) -> dict[str, Any]:
        """The `changes` of `case_update`: every editable field; the service keeps what moved."""
        assert self.case is not None
        values = self._case_values()
        values["detecting_unit"] = self.cleaned_data["detecting_unit"] or self.case.owner_unit
        values["summary"] = (values["summary"] or "").strip()
        return values


def cooperating_of(case: Case) -> list[Unit]:
    return [
        p.unit
        for p in case.participants.filter(role=ParticipationRole.COOPERATING).select_related("unit")
    ]


# --- inline rows ---------------------------------------------------------------------------


class SubjectRowForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Loại"), choices=SubjectKind.choices, initial=SubjectKind.PERSON, widget=select()
    )
    name = forms.CharField(
        label=_("Họ tên / tên tổ chức"), max_length=200, required=False, widget=text_input()
    )
    other_names = forms.CharField(
        label=_("Tên gọi khác"), max_length=200, required=False, widget=text_input()
    )
    birth_date = date_field(_("Ngày sinh"), required=False)
    birth_year = forms.IntegerField(
        label=_("Năm sinh"), required=False, min_value=1900, max_value=2100, widget=text_input()
    )
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False, widget=select()
    )
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        required=False,
        widget=text_input(inputmode="numeric", placeholder=_("12 chữ số")),
    )
    passport = forms.CharField(
        label=_("Số hộ chiếu"), max_length=20, required=False, widget=text_input()
    )
    nationality = forms.CharField(
        label=_("Quốc tịch"), max_length=60, required=False, initial="Việt Nam", widget=text_input()
    )
    registration_number = forms.CharField(
        label=_("Số đăng ký kinh doanh (tổ chức)"),
        max_length=30,
        required=False,
        widget=text_input(),
    )
    address = forms.CharField(
        label=_("Địa chỉ"), max_length=300, required=False, widget=text_input()
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20, required=False, widget=text_input()
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=SubjectRole.choices,
        initial=SubjectRole.SUSPECT,
        widget=select(),
    )
    result = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[("", "—"), *SubjectResult.choices],
        required=False,
        widget=select(),
    )

    DATA_FIELDS = (
        "kind",
        "name",
        "other_names",
        "birth_date",
        "birth_year",
        "sex",
        "citizen_id",
        "passport",
        "nationality",
        "registration_number",
        "address",
        "phone",
        "role",
        "result",
    )

    @classmethod
    def initial_of(cls, subject: Subject) -> dict[str, Any]:
        values = {name: getattr(subject, name) for name in cls.DATA_FIELDS}
        return {**values, "public_id": subject.public_id, "version": subject.version, "row": "1"}

    def data_value(self) -> SubjectData:
        data = self.cleaned_data
        return SubjectData(**{name: data[name] for name in self.DATA_FIELDS})


class SeizedRowForm(RowForm):
    item = forms.ModelChoiceField(
        label=_("Mặt hàng"),
        queryset=CatalogueItem.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("— Chọn mặt hàng —"),
        widget=select(),
    )
    quantity = forms.CharField(
        label=_("Số lượng"),
        max_length=40,
        required=False,
        widget=text_input(inputmode="decimal", placeholder="11,09"),
    )
    unit = forms.ChoiceField(label=_("Đơn vị tính"), choices=(), required=False, widget=select())
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False, widget=text_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = selectors.catalogue_items()
        saved_item = self.initial.get("item")
        if saved_item:
            # A saved row keeps its item even if the catalogue has since retired it.
            items = items | CatalogueItem.objects.filter(code=saved_item)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        # Every unit validates (the service says which one fits the item); the select offers
        # the units of the chosen item.
        self.fields["unit"].choices = MEASURE_CHOICES  # type: ignore[attr-defined]
        self.fields["unit"].widget.choices = unit_choices(self._chosen_item())
        # Choosing the item refreshes the unit select with that item's units (htmx).
        self.fields["item"].widget.attrs.update(
            {
                "hx-get": reverse("cases:unit_options"),
                "hx-trigger": "change",
                "hx-target": f"#{self['unit'].auto_id}",
                "hx-swap": "innerHTML",
            }
        )

    def _chosen_item(self) -> CatalogueItem | None:
        code = self.data.get(self.add_prefix("item")) if self.is_bound else self.initial.get("item")
        if not code:
            return None
        return selectors.catalogue_items().filter(code=code).first() or (
            CatalogueItem.objects.filter(code=code).first()
        )

    @classmethod
    def initial_of(cls, seized: SeizedItem) -> dict[str, Any]:
        return {
            "item": seized.item.code,
            "quantity": format_quantity(seized.entered_quantity),
            "unit": seized.entered_unit,
            "note": seized.note,
            "public_id": seized.public_id,
            "version": seized.version,
            "row": "1",
        }

    def data_value(self) -> SeizedData:
        data = self.cleaned_data
        return SeizedData(
            item=data["item"] if data["item"] is not None else "",
            quantity=data["quantity"],
            unit=data["unit"],
            note=data["note"],
        )


def format_quantity(value: Decimal) -> str:
    """A stored quantity as the user types it: `11,09`, `1.508`."""
    return number(value, max_decimals=6)


def unit_choices(item: CatalogueItem | None) -> list[tuple[str, str]]:
    """The units a row may enter `item` in (its canonical unit first), or every unit."""
    if item is None:
        return [("", "—"), *MEASURE_CHOICES]
    return [(code, MEASURES[code].label) for code in item.input_units if code in MEASURES]


class CaseRows(InlineRows):
    """The inline rows of a case: its subjects and its seized items."""

    FORMS = {"subjects": SubjectRowForm, "seized_items": SeizedRowForm}


# --- transitions ---------------------------------------------------------------------------


class TransitionForm(BootstrapForm):
    version = _version_field()
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class HandleForm(TransitionForm):
    outcome = forms.ChoiceField(
        label=_("Kết quả xử lý"),
        choices=[
            ("", "—"),
            (CaseOutcome.PROSECUTION, CaseOutcome.PROSECUTION.label),
            (CaseOutcome.ADMINISTRATIVE, CaseOutcome.ADMINISTRATIVE.label),
            (CaseOutcome.NO_VIOLATION, CaseOutcome.NO_VIOLATION.label),
        ],
        widget=select(),
        error_messages={"required": _("Phải chọn kết quả xử lý.")},
    )
    fine_amount = forms.CharField(
        label=_("Số tiền phạt (đồng)"),
        required=False,
        widget=text_input(inputmode="numeric", placeholder="5.000.000"),
        help_text=_("Chỉ khi xử phạt vi phạm hành chính."),
    )

    def clean_fine_amount(self) -> Decimal | None:
        return parse_money(self.cleaned_data["fine_amount"])


class TransferForm(TransitionForm):
    transferred_to = forms.CharField(
        label=_("Cơ quan tiếp nhận"),
        max_length=200,
        widget=text_input(),
        error_messages={"required": _("Phải ghi cơ quan tiếp nhận.")},
    )


# --- wanted persons ------------------------------------------------------------------------


class WantedForm(BootstrapForm):
    notice_number = forms.CharField(
        label=_("Số quyết định truy nã"), max_length=40, widget=text_input()
    )
    notice_date = date_field(_("Ngày quyết định"))
    issuing_authority = forms.CharField(
        label=_("Cơ quan ra quyết định"), max_length=200, widget=text_input()
    )
    full_name = forms.CharField(label=_("Họ tên"), max_length=200, widget=text_input())
    # The person is entered as a subject of a case is.
    other_names = SubjectRowForm.base_fields["other_names"]
    birth_date = SubjectRowForm.base_fields["birth_date"]
    birth_year = SubjectRowForm.base_fields["birth_year"]
    sex = SubjectRowForm.base_fields["sex"]
    citizen_id = SubjectRowForm.base_fields["citizen_id"]
    address = forms.CharField(
        label=_("Nơi cư trú"), max_length=300, required=False, widget=text_input()
    )
    offence = forms.CharField(
        label=_("Tội danh"), max_length=300, required=False, widget=text_input()
    )
    classification = classification_field()
    is_joint = joint_field(_("Thông tin phối hợp chung (tham mưu tổng hợp cấp tỉnh được xem)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = classification_choices()  # type: ignore[attr-defined]

    def wanted_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ArrestForm(BootstrapForm):
    version = _version_field()
    arrested_at = datetime_field(_("Thời điểm bắt"))
    arresting_unit = forms.ChoiceField(label=_("Đơn vị bắt"), choices=(), widget=select())
    case = forms.ChoiceField(
        label=_("Vụ việc"),
        choices=(),
        required=False,
        widget=select(),
        help_text=_("Vụ việc trong đó đối tượng bị bắt (nếu có)."),
    )
    surrendered = forms.BooleanField(
        label=_("Đối tượng ra đầu thú"), required=False, widget=checkbox()
    )

    # Cases offered in the select: the most recent ones the actor sees.
    CASE_CHOICES = 200

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.units = province_units(actor)
        self.fields["arresting_unit"].choices = grouped_unit_choices(self.units)  # type: ignore[attr-defined]
        if not self.is_bound and actor.unit is not None:
            self.initial.setdefault("arresting_unit", str(actor.unit.public_id))
            self.initial.setdefault(
                "arrested_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        self.cases = selectors.case_list(actor=actor)
        recent = list(self.cases.order_by("-detected_at", "-id")[: self.CASE_CHOICES])
        chosen = self.data.get(self.add_prefix("case")) or self.initial.get("case")
        if chosen and not any(str(c.public_id) == str(chosen) for c in recent):
            recent += list(self.cases.filter(public_id=_uuid_or_none(chosen)))
        self.fields["case"].choices = [  # type: ignore[attr-defined]
            ("", _("— Không gắn vụ việc —")),
            *[(str(c.public_id), f"{c.display_number} {c.title}") for c in recent],
        ]

    def clean_arresting_unit(self) -> Unit | None:
        return _chosen_unit(self.units, self.cleaned_data["arresting_unit"])

    def clean_case(self) -> Case | None:
        value = self.cleaned_data["case"]
        if not value:
            return None
        return self.cases.filter(public_id=_uuid_or_none(value)).first()


def _uuid_or_none(value: Any) -> Any:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
