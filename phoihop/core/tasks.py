"""Background tasks of the core: e-mail sending.

Tasks run in the worker (`phoihop worker`, i.e. `manage.py db_worker`) from the database queue;
enqueue them through the helpers in `phoihop.core.mail`, which wait for the transaction to commit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(*, recipients: list[str], subject: str, body: str, from_email: str = "") -> int:
    """Send one plain-text e-mail; an SMTP failure fails the task (recorded by the backend)."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    return message.send(fail_silently=False)
