"""Background tasks of the indicators module.

django-tasks has no scheduler: `manage.py send_submission_reminders --enqueue`, run daily by cron
or a systemd timer, queues `send_submission_reminders` for the worker (`phoihop worker`); without
`--enqueue` the command sends the reminders itself.
"""

from __future__ import annotations

from django_tasks import task

from phoihop.indicators import reminders


@task()
def send_submission_reminders() -> dict[str, int]:
    """Remind units of submissions due soon or overdue (once per step)."""
    return reminders.send_reminders()
