"""Reading an admin form back as the POST data a browser would send."""

from __future__ import annotations

from typing import Any

from django import forms


def form_data(response: Any, **overrides: Any) -> dict[str, Any]:
    """The values of the rendered admin form (and its inlines), with `overrides` applied."""
    context = response.context
    data: dict[str, Any] = {}
    _add(data, context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        _add(data, formset.management_form)
        for form in formset.forms:
            _add(data, form)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _add(data: dict[str, Any], form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        if field.disabled:
            continue
        bound = form[name]
        value = bound.value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif not isinstance(value, str):
            value = str(value)
        data[bound.html_name] = value
