"""Forms of the mobilisation pages.

Forms only shape input; the services decide. Counts are taken as whole numbers of any sign so
that a negative count reaches the service, whose refusal names the field; a service's
DomainError is put back on the form's fields (`show_domain_error`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phoihop.access.policy import installation_ceiling
from phoihop.cases.measures import MEASURE_CHOICES
from phoihop.core.enums import STORABLE_CLASSIFICATIONS
from phoihop.core.forms import BootstrapForm
from phoihop.mobilisation.enums import OpinionTopic, ProgrammeKind
from phoihop.mobilisation.models import FORUM_TITLE, MobilisationRecord
from phoihop.mobilisation.selectors import catalogue_items, laws
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import grouped_unit_choices, province_communes
from phoihop.org.selectors import unit_list

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _control(widget: forms.Widget, css: str = "form-control") -> forms.Widget:
    widget.attrs.setdefault("class", css)
    return widget


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select"})


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        widget=_control(forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})),
    )


def _count_field(label: Any, *, required: bool = True, initial: Any = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        initial=initial,
        widget=_control(forms.NumberInput(attrs={"step": 1})),
        error_messages={"invalid": _("Phải là một số nguyên.")},
    )


def own_units(actor: User) -> QuerySet[Unit]:
    """The actor's unit and the active units below it: who may organise a record."""
    unit = actor.unit
    if unit is None:
        return Unit.objects.none()
    return unit_list(actor=actor).filter(path__startswith=unit.path, valid_until__isnull=True)


def partner_units(actor: User) -> QuerySet[Unit]:
    """Active units of the actor's province, of every force: possible participants."""
    unit = actor.unit
    if unit is None:
        return Unit.objects.none()
    return (
        unit_list(actor=actor)
        .filter(province_id=unit.province_id, valid_until__isnull=True)
        .order_by("force__order", "force__code", "path")
    )


def _by_public_id(units: QuerySet[Unit], values: list[str]) -> list[Unit]:
    found = {str(u.public_id): u for u in units.filter(public_id__in=values)}
    return [found[v] for v in values if v in found]


class RecordForm(BootstrapForm):
    """The fields every mobilisation record has."""

    COMMON = (
        "start_date",
        "end_date",
        "organising_unit",
        "participating_units",
        "classification",
        "is_joint",
        "note",
    )

    start_date = _date_field(_("Từ ngày"))
    end_date = _date_field(_("Đến ngày"), required=False, help_text=_("Để trống nếu trong ngày."))
    organising_unit = forms.ChoiceField(
        label=_("Đơn vị chủ trì"), choices=(), required=False, widget=_select()
    )
    participating_units = forms.MultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
        help_text=_("Các đơn vị phối hợp (mọi lực lượng) được xem bản ghi."),
    )
    classification = forms.TypedChoiceField(
        label=_("Độ mật"), choices=(), coerce=int, initial=0, widget=_select()
    )
    is_joint = forms.BooleanField(
        label=_("Hoạt động phối hợp chung (tham mưu tổng hợp cấp tỉnh được xem)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=_control(forms.Textarea(attrs={"rows": 2}))
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
        self.partners = partner_units(actor)
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
        ceiling = installation_ceiling()
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in STORABLE_CLASSIFICATIONS if value <= ceiling
        ]

    @staticmethod
    def initial_from(record: MobilisationRecord) -> dict[str, Any]:
        return {
            "start_date": record.start_date,
            "end_date": record.end_date,
            "participating_units": [str(u.public_id) for u in record.participating_units.all()],
            "classification": record.classification,
            "is_joint": record.is_joint,
            "note": record.note,
        }

    def clean_organising_unit(self) -> Unit | None:
        value = self.cleaned_data["organising_unit"]
        found = _by_public_id(self.own, [value]) if value else []
        return found[0] if found else None

    def clean_participating_units(self) -> list[Unit]:
        return _by_public_id(self.partners, self.cleaned_data["participating_units"])

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
        return {}


def _commune_field(*, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Xã, phường"),
        queryset=AdministrativeArea.objects.none(),
        to_field_name="code",
        required=required,
        empty_label=_("— Chọn —") if required else _("— Nhiều xã, phường hoặc toàn tỉnh —"),
        widget=_select(),
    )


class ForumForm(RecordForm):
    FIELD_MAP = {"topic_counts": "opinions"}

    title = forms.CharField(
        label=_("Tên diễn đàn"),
        max_length=300,
        required=False,
        initial=FORUM_TITLE,
        widget=_control(forms.TextInput()),
    )
    commune = _commune_field()
    attendees = _count_field(_("Số người tham dự"))
    opinions = _count_field(_("Tổng số ý kiến"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].label = _("Ngày tổ chức")
        self.fields["commune"].queryset = province_communes(self.actor)  # type: ignore[attr-defined]
        record = self.record
        if record is not None and not self.is_bound:
            for name in ("title", "attendees", "opinions"):
                self.initial[name] = getattr(record, name)
            self.initial["commune"] = record.commune.code  # type: ignore[attr-defined]

    def kind_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "commune", "attendees", "opinions")}


class TopicRowForm(BootstrapForm):
    topic = forms.ChoiceField(
        label=_("Lĩnh vực"),
        choices=[("", "—"), *OpinionTopic.choices],
        required=False,
        widget=_select(),
    )
    count = forms.IntegerField(
        label=_("Số ý kiến"),
        required=False,
        widget=_control(forms.NumberInput(attrs={"step": 1})),
        error_messages={"invalid": _("Phải là một số nguyên.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("count") is not None and not data.get("topic"):
            self.add_error("topic", _("Hãy chọn lĩnh vực."))
        return data


TopicFormSet = forms.formset_factory(TopicRowForm, extra=0, can_delete=False)
TOPIC_PREFIX = "topics"


def topic_rows(formset: forms.BaseFormSet) -> list[tuple[str, Any]]:
    """The filled rows of a topic formset, as (topic, count) pairs for the service."""
    return [
        (form.cleaned_data["topic"], form.cleaned_data["count"] or 0)
        for form in formset.forms
        if form.cleaned_data.get("topic")
    ]


class OpinionForm(BootstrapForm):
    FIELD_MAP = {"opinions": "content"}

    topic = forms.ChoiceField(label=_("Lĩnh vực"), choices=OpinionTopic.choices, widget=_select())
    content = forms.CharField(
        label=_("Nội dung ý kiến"), widget=_control(forms.Textarea(attrs={"rows": 2}))
    )
    raised_by = forms.CharField(
        label=_("Người nêu ý kiến"),
        required=False,
        max_length=200,
        widget=_control(forms.TextInput()),
    )
    assigned_unit = forms.ChoiceField(
        label=_("Đơn vị giải quyết"), choices=(), required=False, widget=_select()
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = partner_units(actor)
        self.fields["assigned_unit"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chưa giao —")),
            *grouped_unit_choices(self.units),
        ]

    def clean_assigned_unit(self) -> Unit | None:
        value = self.cleaned_data["assigned_unit"]
        found = _by_public_id(self.units, [value]) if value else []
        return found[0] if found else None


class AnswerForm(BootstrapForm):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        widget=_control(forms.Textarea(attrs={"rows": 2})),
        error_messages={"required": _("Phải ghi nội dung trả lời.")},
    )


class PropagandaForm(RecordForm):
    title = forms.CharField(
        label=_("Nội dung, hình thức"), max_length=300, widget=_control(forms.TextInput())
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
        self.fields["commune"].queryset = province_communes(self.actor)  # type: ignore[attr-defined]
        record = self.record
        if record is not None and not self.is_bound:
            for name in ("title", "sessions", "attendees", "leaflets"):
                self.initial[name] = getattr(record, name)
            commune = getattr(record, "commune", None)
            self.initial["commune"] = commune.code if commune else None
            self.initial["laws"] = [law.code for law in record.laws.all()]  # type: ignore[attr-defined]

    def kind_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data[name] for name in ("title", "commune", "sessions", "attendees", "leaflets")
        }
        values["laws"] = list(data["laws"])
        return values


class CampaignForm(RecordForm):
    name = forms.CharField(
        label=_("Tên đợt vận động"), max_length=300, widget=_control(forms.TextInput())
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].help_text = _("Để trống nếu chưa kết thúc.")
        if self.record is not None and not self.is_bound:
            self.initial["name"] = self.record.name  # type: ignore[attr-defined]

    def kind_values(self) -> dict[str, Any]:
        return {"name": self.cleaned_data["name"]}


class LaunchForm(BootstrapForm):
    commune = _commune_field()
    launched_on = _date_field(_("Ngày phát động"))
    attendees = _count_field(_("Số người dự"), required=False)

    def __init__(self, *args: Any, actor: User, campaign: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = AdministrativeArea.objects.filter(  # type: ignore[attr-defined]
            parent=campaign.area, level="commune", valid_until__isnull=True
        ).order_by("name")


class HandedInRowForm(BootstrapForm):
    commune = forms.ChoiceField(label=_("Xã, phường"), choices=(), required=False, widget=_select())
    handed_in_on = _date_field(_("Ngày giao nộp"), required=False)
    item = forms.ChoiceField(label=_("Loại"), choices=(), required=False, widget=_select())
    quantity = forms.CharField(
        label=_("Số lượng"),
        required=False,
        widget=_control(forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "2,4"})),
    )
    unit = forms.ChoiceField(
        label=_("Đơn vị tính"),
        choices=[("", _("Đơn vị chuẩn")), *MEASURE_CHOICES],
        required=False,
        widget=_select(),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=300, widget=_control(forms.TextInput())
    )

    def __init__(self, *args: Any, campaign: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = (
            AdministrativeArea.objects.filter(
                parent=campaign.area, level="commune", valid_until__isnull=True
            ).order_by("name")
            if campaign is not None
            else AdministrativeArea.objects.none()
        )
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


class HandedInFormSetBase(forms.BaseFormSet):
    def __init__(self, *args: Any, campaign: Any = None, **kwargs: Any) -> None:
        self.campaign = campaign
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"campaign": self.campaign}


HandedInFormSet: Any = forms.formset_factory(
    HandedInRowForm, formset=HandedInFormSetBase, extra=0, can_delete=False
)
HANDED_IN_PREFIX = "items"


class ProgrammeForm(RecordForm):
    kind = forms.ChoiceField(
        label=_("Chương trình"), choices=ProgrammeKind.choices, widget=_select()
    )
    name = forms.CharField(
        label=_("Nội dung hỗ trợ"), max_length=300, widget=_control(forms.TextInput())
    )
    commune = _commune_field(required=False)
    beneficiaries = _count_field(_("Số người được hỗ trợ"))
    value = forms.CharField(
        label=_("Trị giá (đồng)"),
        widget=_control(
            forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2.900.000"})
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = province_communes(self.actor)  # type: ignore[attr-defined]
        record = self.record
        if record is not None and not self.is_bound:
            for name in ("kind", "name", "beneficiaries"):
                self.initial[name] = getattr(record, name)
            self.initial["value"] = f"{record.value:,.0f}".replace(",", ".")  # type: ignore[attr-defined]
            commune = getattr(record, "commune", None)
            self.initial["commune"] = commune.code if commune else None

    def kind_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "name", "commune", "beneficiaries", "value")}


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("Tệp XLSX hoặc CSV"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )
