"""Background tasks of the information exchange.

django-tasks has no scheduler: `manage.py escalate_overdue --enqueue`, run by cron or a systemd
timer, queues `escalate_overdue` for the worker (`phoihop worker`); without `--enqueue` the
command runs the escalation itself.
"""

from __future__ import annotations

from django_tasks import task

from phoihop.exchange import escalation


@task()
def escalate_overdue() -> dict[str, int]:
    """Escalate overdue acknowledgements and verifications to the commanders (once per step)."""
    return escalation.escalate_overdue()
