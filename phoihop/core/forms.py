"""Form plumbing shared by every module's pages: one base form, one way to put a service's
refusal on a form, one inline-rows mechanism, one pagination.

The rules:
- Forms only shape input; the services decide. A service's `DomainError` goes back where the user
  typed the value (`place_domain_error`): on the form's field, or on the field of the inline row
  it names (`subjects.1.citizen_id`); a stale version, or a field the page does not show, goes on
  top of the form with the whole message.
- Inline rows (`InlineRows`) are keyed by a number that only has to be unique in the page: rows
  added with htmx take the next key, removed rows are just gone, the page's order is kept.
- Dates are typed the Vietnamese way (`07/01/2022`), ISO accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms.fields import BaseTemporalField
from django.forms.widgets import DateTimeBaseInput
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import DomainError

# The first format of each list is the one a field shows.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%H:%M %d/%m/%Y",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
]
DATE_WIDGET_FORMAT = DATE_INPUT_FORMATS[0]
DATETIME_WIDGET_FORMAT = DATETIME_INPUT_FORMATS[0]

PAGE_SIZE = 25

F = TypeVar("F", bound=BaseTemporalField)


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page:
    """The page of `queryset` that `?page=` asks for (the last one if it is past the end)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# --- widgets ------------------------------------------------------------------------------------


def control(widget: forms.Widget, css: str = "form-control") -> forms.Widget:
    widget.attrs.setdefault("class", css)
    return widget


def text_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def select(**attrs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def checkbox() -> forms.CheckboxInput:
    return forms.CheckboxInput(attrs={"class": "form-check-input"})


def _typed(
    field: type[F], widget: type[DateTimeBaseInput], formats: list[str], hint: str, **kw: Any
) -> F:
    """A date or moment field: typed in any of `formats`, shown in the first, `hint` as its
    placeholder."""
    attrs = {"class": "form-control", "placeholder": hint, "autocomplete": "off"}
    return field(input_formats=formats, widget=widget(format=formats[0], attrs=attrs), **kw)


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    """A date typed `dd/mm/yyyy` (ISO accepted), shown the same way."""
    kw = {"label": label, "required": required, "help_text": help_text}
    return _typed(forms.DateField, forms.DateInput, DATE_INPUT_FORMATS, "dd/mm/yyyy", **kw)


def datetime_field(
    label: Any, *, required: bool = True, help_text: Any = ""
) -> forms.DateTimeField:
    """A moment typed `dd/mm/yyyy hh:mm` (ISO accepted), shown the same way."""
    kw = {"label": label, "required": required, "help_text": help_text}
    hint = "dd/mm/yyyy hh:mm"
    return _typed(forms.DateTimeField, forms.DateTimeInput, DATETIME_INPUT_FORMATS, hint, **kw)


def partner_units_field(help_text: Any) -> forms.MultipleChoiceField:
    """The units of any force that take part in a record (and so see it); the page sets their
    choices per actor, by public id."""
    return forms.MultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
        help_text=help_text,
    )


def classification_field() -> forms.TypedChoiceField:
    """The record's classification; its choices are set per actor (`classification_choices`)."""
    return forms.TypedChoiceField(
        label=_("Độ mật"), choices=(), coerce=int, initial=0, widget=select()
    )


def joint_field(label: Any) -> forms.BooleanField:
    """The joint flag (joint staff of the province see the record), labelled for the kind."""
    return forms.BooleanField(label=label, required=False, widget=checkbox())


# --- the base form ------------------------------------------------------------------------------


class BootstrapForm(forms.Form):
    """Marks a field's widget invalid (red border, `aria-invalid`) as soon as it has an error."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


def _shown_field(form: forms.Form, name: str) -> bool:
    return name in form.fields and not form.fields[name].widget.is_hidden


def place_domain_error(
    form: forms.Form,
    error: DomainError,
    *,
    rows: Mapping[str, Sequence[forms.Form]] | None = None,
    field_map: Mapping[str, str] | None = None,
) -> None:
    """Put a service's refusal on the field the user typed it in, else on top of the form.

    `rows` maps a list name of the service (`subjects`, `units`) to the inline row forms in the
    order they were passed, so `subjects.1.citizen_id` lands on the second row's field;
    `field_map` renames a service field to the form's (`{"item": "body"}`). A stale version is
    never a field's fault: its whole message goes on top.
    """
    lists = rows or {}
    mapping = field_map or {}
    placed = False
    for name, messages in error.fields.items():
        head, _sep, rest = name.partition(".")
        if head in lists and rest:
            index, _sep, sub = rest.partition(".")
            try:
                row = lists[head][int(index)]
            except (ValueError, IndexError):
                continue
            if _shown_field(row, sub):
                for message in messages:
                    row.add_error(sub, message)
            else:
                row.add_error(None, error.message if sub == "version" else messages[0])
            placed = True
            continue
        if name == "version":
            form.add_error(None, error.message)
            placed = True
            continue
        target = mapping.get(name, name)
        if _shown_field(form, target):
            for message in messages:
                form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


# --- inline rows --------------------------------------------------------------------------------


class RowForm(BootstrapForm):
    """One inline row. `public_id`/`version` say which saved row it edits (blank: a new row);
    `row` marks the row present in the page, so a removed row is simply absent."""

    row = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    public_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    DELETE = forms.BooleanField(label=_("Xóa dòng này"), required=False, widget=checkbox())

    def __init__(self, *args: Any, key: int, list_name: str, **kwargs: Any) -> None:
        kwargs["prefix"] = f"{list_name}-{key}"
        super().__init__(*args, **kwargs)
        self.key = key
        self.list_name = list_name

    @property
    def is_saved(self) -> bool:
        return bool(self.initial.get("public_id"))

    @property
    def deleting(self) -> bool:
        return bool(self.is_saved and self.cleaned_data.get("DELETE"))

    @classmethod
    def initial_of(cls, record: Any) -> dict[str, Any]:
        raise NotImplementedError

    def data_value(self) -> Any:
        raise NotImplementedError

    def is_blank(self) -> bool:
        """A new row left as it came: nothing to save, nothing to complain about."""
        return not self.is_saved and not self.has_changed()


_ROW_KEY = re.compile(r"^(?P<list>[a-z_]+)-(?P<key>\d{1,4})-row$")


class InlineRows:
    """The inline rows of one list as the page posted them. A module subclasses it and names
    its row forms in `FORMS` (`{"subjects": SubjectRowForm, …}`)."""

    FORMS: ClassVar[dict[str, type[RowForm]]] = {}

    def __init__(self, list_name: str, forms_: list[RowForm]) -> None:
        self.list_name = list_name
        self.forms = forms_

    @property
    def next_key(self) -> int:
        return max((f.key for f in self.forms), default=-1) + 1

    @classmethod
    def blank(cls, list_name: str, count: int = 1, **extra: Any) -> InlineRows:
        form_class = cls.FORMS[list_name]
        return cls(
            list_name, [form_class(key=k, list_name=list_name, **extra) for k in range(count)]
        )

    @classmethod
    def of_saved(cls, list_name: str, records: Iterable[Any], **extra: Any) -> InlineRows:
        form_class = cls.FORMS[list_name]
        forms_ = [
            form_class(key=k, list_name=list_name, initial=form_class.initial_of(r), **extra)
            for k, r in enumerate(records)
        ]
        return cls(list_name, forms_)

    @classmethod
    def from_post(
        cls,
        list_name: str,
        data: Mapping[str, Any],
        saved: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> InlineRows:
        """The posted rows; `saved` maps a row's public id to its record (edit page), whose
        values are the row's initial, so an untouched saved row is seen as unchanged."""
        form_class = cls.FORMS[list_name]
        keys = sorted(
            {
                int(m.group("key"))
                for name in data
                if (m := _ROW_KEY.match(name)) and m.group("list") == list_name
            }
        )
        forms_: list[RowForm] = []
        for key in keys:
            public_id = str(data.get(f"{list_name}-{key}-public_id") or "").strip()
            record = (saved or {}).get(public_id) if public_id else None
            initial = form_class.initial_of(record) if record is not None else None
            if public_id and record is None:
                # The row was deleted by someone else meanwhile: keep the id, so the page says so.
                initial = {"public_id": public_id, "row": "1"}
            forms_.append(form_class(data, key=key, list_name=list_name, initial=initial, **extra))
        return cls(list_name, forms_)

    def is_valid(self) -> bool:
        # Every row is validated, so each shows its own errors.
        return all([f.is_valid() for f in self.forms])

    def active(self) -> list[RowForm]:
        """The rows that mean something: saved rows, and new rows the user filled in."""
        return [f for f in self.forms if not f.is_blank()]

    def has_errors(self) -> bool:
        return any(f.errors for f in self.forms)
