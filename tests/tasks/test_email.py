"""E-mail goes out through a background task, and only once the transaction has committed."""

from __future__ import annotations

from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from phoihop.core.errors import DomainError
from phoihop.core.mail import email_enqueue

SUBJECT = "Thông tin cần xác minh quá hạn: Đồn Biên phòng Sơn Kim"
BODY = "Kính gửi đồng chí chỉ huy,\nyêu cầu xác minh số 12/2026 đã quá hạn."
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_mail_is_sent_only_after_the_transaction_commits(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_enqueue(recipients=["chihuy@bp.local"], subject=SUBJECT, body=BODY)
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["chihuy@bp.local"]
    assert sent.subject == SUBJECT
    assert sent.body == BODY
    # The Vietnamese subject survives MIME encoding on the wire.
    wire = message_from_bytes(sent.message().as_bytes())
    assert str(make_header(decode_header(wire["Subject"]))) == SUBJECT


def test_no_mail_leaves_when_the_transaction_rolls_back(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_enqueue(recipients=["chihuy@bp.local"], subject=SUBJECT, body=BODY)
        raise RuntimeError("the change failed")

    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("recipients", "subject", "field"),
    [
        ([], SUBJECT, "recipients"),
        (["khong-phai-dia-chi"], SUBJECT, "recipients"),
        (["chihuy@bp.local"], "   ", "subject"),
    ],
)
def test_bad_mail_is_refused_naming_the_field_and_nothing_is_queued(
    db: None,
    django_capture_on_commit_callbacks: Any,
    recipients: list[str],
    subject: str,
    field: str,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError) as refused,
    ):
        email_enqueue(recipients=recipients, subject=subject, body=BODY)

    assert list(refused.value.fields) == [field]
    assert callbacks == []
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()


def test_a_subject_cannot_smuggle_a_header(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(recipients=["a@bp.local"], subject="Báo cáo\nBcc: x@evil.example", body=BODY)

    assert mail.outbox[0].subject == "Báo cáo Bcc: x@evil.example"
    assert mail.outbox[0].bcc == []


# The worker closes and reopens connections like a request does, so it needs real commits.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_database_queue_holds_the_mail_until_the_worker_runs() -> None:
    with transaction.atomic():
        email_enqueue(recipients=["chihuy@bp.local", "thamuu@qs.local"], subject=SUBJECT, body=BODY)
        assert not DBTaskResult.objects.exists()

    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "phoihop.core.tasks.send_email"
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chihuy@bp.local", "thamuu@qs.local"]
    assert mail.outbox[0].subject == SUBJECT
