"""Outgoing e-mail: checked now, queued for the worker once the current transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.errors import DomainError
from phoihop.core.tasks import send_email
from phoihop.core.text import clean_text, nfc


def _clean_recipients(recipients: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in recipients:
        address = clean_text(raw or "")
        try:
            validate_email(address)
        except ValidationError as exc:
            raise DomainError(
                _("Địa chỉ thư điện tử không hợp lệ: %(address)s.") % {"address": address or "∅"},
                code="invalid",
                fields={
                    "recipients": [_("Địa chỉ %(address)s không hợp lệ.") % {"address": address}]
                },
            ) from exc
        if address not in cleaned:
            cleaned.append(address)
    if not cleaned:
        raise DomainError(
            _("Thư điện tử phải có ít nhất một người nhận."),
            code="invalid",
            fields={"recipients": [_("Bắt buộc.")]},
        )
    return cleaned


def email_enqueue(*, recipients: Iterable[str], subject: str, body: str) -> None:
    """Queue a plain-text e-mail to be sent by the worker after the current transaction commits.

    If the transaction rolls back, nothing is sent: the mail never announces a change that did
    not happen. Bad addresses or an empty subject are refused at once, naming the field.
    """
    to = _clean_recipients(recipients)
    # One line: a newline in a subject would be a header injection (and Django refuses it).
    subject = clean_text(subject)
    if not subject:
        raise DomainError(
            _("Thư điện tử phải có tiêu đề."), code="invalid", fields={"subject": [_("Bắt buộc.")]}
        )
    # robust: a queue failure after the commit is logged, it does not undo or fail the request.
    transaction.on_commit(
        partial(send_email.enqueue, recipients=to, subject=subject, body=nfc(body)), robust=True
    )
