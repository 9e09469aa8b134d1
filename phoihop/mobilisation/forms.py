"""Forms of the mobilisation pages.

Forms only shape input; the services decide. Counts are taken as whole numbers of any sign so
that a negative count reaches the service, whose refusal names the field; a service's
DomainError is put back on the form's fields (`core.forms.place_domain_error`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.access.policy import classification_choices
from phoihop.cases.measures import MEASURE_CHOICES
from phoihop.core.forms import (
    BootstrapForm,
    classification_field,
    control,
    date_field,
    joint_field,
    partner_units_field,
    select,
)
from phoihop.mobilisation.enums import OpinionTopic, ProgrammeKind
from phoihop.mobilisation.models import FORUM_TITLE, MobilisationRecord
from phoihop.mobilisation.selectors import area_communes, catalogue_items, laws
from phoihop.mobilisation.services import HandedInData
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import (
    grouped_unit_choices,
    own_units,
    province_communes,
    province_units,
    units_by_public_id,
)


def _count_field(label: Any, *, required: bool = True, initial: Any = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        initial=initial,
        widget=control(forms.NumberInput(attrs={"step": 1})),
        error_messages={"invalid": _("Phải là một số nguyên.")},
    )


def _campaign_communes(campaign: Any) -> QuerySet[AdministrativeArea]:
    """Where a campaign is launched and items handed in: its province's communes today."""
    if campaign is None:
        return AdministrativeArea.objects.none()
    return area_communes(campaign.area).order_by("name")


class RecordForm(BootstrapForm):
    """The fields every mobilisation record has; a kind's form names its own in `KIND_FIELDS`
    (shown from the record on its edit page, passed to its services as they are cleaned)."""

    KIND_FIELDS: ClassVar[tuple[str, ...]] = ()

    COMMON = (
        "start_date",
        "end_date",
        "organising_unit",
        "participating_units",
        "classification",
        "is_joint",
        "note",
    )

    start_date = date_field(_("Từ ngày"))
    end_date = date_field(_("Đến ngày"), required=False, help_text=_("Để trống nếu trong ngày."))
    organising_unit = forms.ChoiceField(
        label=_("Đơn vị chủ trì"), choices=(), required=False, widget=select()
    )
    participating_units = partner_units_field(
        _("Các đơn vị phối hợp (mọi lực lượng) được xem bản ghi.")
    )
    classification = classification_field()
    is_joint = joint_field(_("Hoạt động phối hợp chung (tham mưu tổng hợp cấp tỉnh được xem)"))
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=control(forms.Textarea(attrs={"rows": 2}))
    )

    def __init__(
        self, *args: Any, actor: User, record: MobilisationRecord | None = None, **kwargs: Any
    ) -> None:
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(record)
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.record = record
        self.own = own_units(actor)
        self.partners = province_units(actor)
        if record is None:
            self.fields["organising_unit"].choices = [  # type: ignore[attr-defined]
                (str(u.public_id), ("\u2003" * max(0, u.depth - 1)) + u.name) for u in self.own
            ]
            if actor.unit is not None:
                self.fields["organising_unit"].initial = str(actor.unit.public_id)
        else:
            # The organising unit owns the record and is not changed afterwards.
            del self.fields["organising_unit"]
        self.fields["participating_units"].choices = grouped_unit_choices(self.partners)  # type: ignore[attr-defined]
        self.fields["classification"].choices = classification_choices()  # type: ignore[attr-defined]
        if "commune" in self.fields:
            # A record made in a commune merged since keeps it selectable.
            also = getattr(record, "commune", None)
            self.fields["commune"].queryset = province_communes(actor, also=also)  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, record: MobilisationRecord) -> dict[str, Any]:
        return {
            "start_date": record.start_date,
            "end_date": record.end_date,
            "participating_units": [str(u.public_id) for u in record.participating_units.all()],
            "classification": record.classification,
            "is_joint": record.is_joint,
            "note": record.note,
            **{name: cls.initial_of(record, name) for name in cls.KIND_FIELDS},
        }

    @staticmethod
    def initial_of(record: MobilisationRecord, name: str) -> Any:
        """A kind's field as its form shows it: a commune by its code."""
        value = getattr(record, name)
        return getattr(value, "code", value)

    def clean_organising_unit(self) -> Unit | None:
        value = self.cleaned_data["organising_unit"]
        found = units_by_public_id(self.own, [value])
        return found[0] if found else None

    def clean_participating_units(self) -> list[Unit]:
        return units_by_public_id(self.partners, self.cleaned_data["participating_units"])

    def common_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in self.COMMON if name in self.fields}
        return values

    def changes(self) -> dict[str, Any]:
        """Keyword changes for an `<entity>_update` service: every field of the form."""
        values = self.common_values()
        values.pop("organising_unit", None)
        return {**values, **self.kind_values()}

    def create_values(self) -> dict[str, Any]:
        return {**self.common_values(), **self.kind_values()}

    def kind_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.KIND_FIELDS}


def _commune_field(*, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Xã, phường"),
        queryset=AdministrativeArea.objects.none(),
        to_field_name="code",
        required=required,
        empty_label=_("— Chọn —") if required else _("— Nhiều xã, phường hoặc toàn tỉnh —"),
        widget=select(),
    )


class ForumForm(RecordForm):
    KIND_FIELDS = ("title", "commune", "attendees", "opinions")
    FIELD_MAP = {"topic_counts": "opinions"}

    title = forms.CharField(
        label=_("Tên diễn đàn"),
        max_length=300,
        required=False,
        initial=FORUM_TITLE,
        widget=control(forms.TextInput()),
    )
    commune = _commune_field()
    attendees = _count_field(_("Số người tham dự"))
    opinions = _count_field(_("Tổng số ý kiến"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].label = _("Ngày tổ chức")


class TopicRowForm(BootstrapForm):
    topic = forms.ChoiceField(
        label=_("Lĩnh vực"),
        choices=[("", "—"), *OpinionTopic.choices],
        required=False,
        widget=select(),
    )
    count = _count_field(_("Số ý kiến"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("count") is not None and not data.get("topic"):
            self.add_error("topic", _("Hãy chọn lĩnh vực."))
        return data

    def pair(self) -> tuple[str, int]:
        """(topic, count), as the services take a row."""
        return self.cleaned_data["topic"], self.cleaned_data["count"] or 0


# Rows of opinions by topic and of handed-in items are Django formsets, not `core.forms.InlineRows`:
# their pages post `topics-<n>-…`/`items-<n>-…` with a management form (`…-TOTAL_FORMS`, bumped by
# the htmx row fragments), which the templates and the browser journeys rely on, and rows are
# only ever added (never edited or removed one by one), so InlineRows' row keys, public ids and
# versions have nothing to carry.
TopicFormSet = forms.formset_factory(TopicRowForm, extra=0, can_delete=False)
TOPIC_PREFIX = "topics"


def topic_forms(formset: forms.BaseFormSet) -> list[TopicRowForm]:
    """The filled rows of a topic formset, in order: the service's `topic_counts.<n>`."""
    return [form for form in formset.forms if form.cleaned_data.get("topic")]


class OpinionForm(BootstrapForm):
    FIELD_MAP = {"opinions": "content"}

    topic = forms.ChoiceField(label=_("Lĩnh vực"), choices=OpinionTopic.choices, widget=select())
    content = forms.CharField(
        label=_("Nội dung ý kiến"), widget=control(forms.Textarea(attrs={"rows": 2}))
    )
    raised_by = forms.CharField(
        label=_("Người nêu ý kiến"),
        required=False,
        max_length=200,
        widget=control(forms.TextInput()),
    )
    assigned_unit = forms.ChoiceField(
        label=_("Đơn vị giải quyết"), choices=(), required=False, widget=select()
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = province_units(actor)
        self.fields["assigned_unit"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chưa giao —")),
            *grouped_unit_choices(self.units),
        ]

    def clean_assigned_unit(self) -> Unit | None:
        value = self.cleaned_data["assigned_unit"]
        found = units_by_public_id(self.units, [value])
        return found[0] if found else None


class AnswerForm(BootstrapForm):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        widget=control(forms.Textarea(attrs={"rows": 2})),
        error_messages={"required": _("Phải ghi nội dung trả lời.")},
    )


class PropagandaForm(RecordForm):
    KIND_FIELDS = ("title", "commune", "laws", "sessions", "attendees", "leaflets")

    title = forms.CharField(
        label=_("Nội dung, hình thức"), max_length=300, widget=control(forms.TextInput())
    )
    commune = _commune_field(required=False)
    laws = forms.ModelMultipleChoiceField(
        label=_("Luật được tuyên truyền"),
        queryset=laws(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Phải chọn ít nhất một luật được tuyên truyền.")},
    )
    sessions = _count_field(_("Số buổi"), initial=1)
    attendees = _count_field(_("Số lượt người nghe"))
    leaflets = _count_field(_("Số tờ rơi, tài liệu phát"), initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["laws"].queryset = laws()  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(record: MobilisationRecord, name: str) -> Any:
        if name == "laws":
            return [law.code for law in record.laws.all()]  # type: ignore[attr-defined]
        return RecordForm.initial_of(record, name)


class CampaignForm(RecordForm):
    KIND_FIELDS = ("name",)

    name = forms.CharField(
        label=_("Tên đợt vận động"), max_length=300, widget=control(forms.TextInput())
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].help_text = _("Để trống nếu chưa kết thúc.")


class LaunchForm(BootstrapForm):
    commune = _commune_field()
    launched_on = date_field(_("Ngày phát động"))
    attendees = _count_field(_("Số người dự"), required=False)

    def __init__(self, *args: Any, actor: User, campaign: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = _campaign_communes(campaign)  # type: ignore[attr-defined]


class HandedInRowForm(BootstrapForm):
    commune = forms.ChoiceField(label=_("Xã, phường"), choices=(), required=False, widget=select())
    handed_in_on = date_field(_("Ngày giao nộp"), required=False)
    item = forms.ChoiceField(label=_("Loại"), choices=(), required=False, widget=select())
    quantity = forms.CharField(
        label=_("Số lượng"),
        required=False,
        widget=control(forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "2,4"})),
    )
    unit = forms.ChoiceField(
        label=_("Đơn vị tính"),
        choices=[("", _("Đơn vị chuẩn")), *MEASURE_CHOICES],
        required=False,
        widget=select(),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=300, widget=control(forms.TextInput())
    )

    def __init__(self, *args: Any, campaign: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = _campaign_communes(campaign)
        self.communes = {c.code: c for c in communes}
        self.fields["commune"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((c.code, c.name) for c in communes),
        ]
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((i.code, f"{i.name} ({i.canonical_unit})") for i in catalogue_items()),
        ]

    @property
    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return any(data.get(name) for name in ("commune", "item", "quantity"))

    def handed_in(self) -> HandedInData:
        data = self.cleaned_data
        return HandedInData(
            commune=self.communes.get(data["commune"]),
            handed_in_on=data["handed_in_on"],
            item=data["item"],
            quantity=data["quantity"],
            unit=data["unit"],
            note=data["note"],
        )


class HandedInFormSetBase(forms.BaseFormSet):
    # A refusal that is not one row's goes on top of the rows, as on a form: the formset
    # stands for the form in `core.forms.place_domain_error`.
    fields: ClassVar[dict[str, forms.Field]] = {}

    def __init__(self, *args: Any, campaign: Any = None, **kwargs: Any) -> None:
        self.campaign = campaign
        super().__init__(*args, **kwargs)

    def add_error(self, field: str | None, error: Any) -> None:
        self.non_form_errors().append(error)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"campaign": self.campaign}


HandedInFormSet: Any = forms.formset_factory(
    HandedInRowForm, formset=HandedInFormSetBase, extra=0, can_delete=False
)
HANDED_IN_PREFIX = "items"


class ProgrammeForm(RecordForm):
    KIND_FIELDS = ("kind", "name", "commune", "beneficiaries", "value")

    kind = forms.ChoiceField(
        label=_("Chương trình"), choices=ProgrammeKind.choices, widget=select()
    )
    name = forms.CharField(
        label=_("Nội dung hỗ trợ"), max_length=300, widget=control(forms.TextInput())
    )
    commune = _commune_field(required=False)
    beneficiaries = _count_field(_("Số người được hỗ trợ"))
    value = forms.CharField(
        label=_("Trị giá (đồng)"),
        widget=control(forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2.900.000"})),
    )

    @staticmethod
    def initial_of(record: MobilisationRecord, name: str) -> Any:
        if name == "value":
            # Typed back the Vietnamese way, as the service reads it from pages.
            return f"{record.value:,.0f}".replace(",", ".")  # type: ignore[attr-defined]
        return RecordForm.initial_of(record, name)


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("Tệp XLSX hoặc CSV"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )
