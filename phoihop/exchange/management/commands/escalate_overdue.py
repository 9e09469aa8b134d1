"""Escalate overdue acknowledgements and verifications to the responsible commanders.

django-tasks has no periodic scheduler, so something outside must call this, e.g. every 10
minutes (each lateness is escalated once however often it runs, and concurrent runs are safe):

    cron:     */10 * * * *  cd /srv/phoihop && .venv/bin/phoihop manage escalate_overdue
    systemd:  phoihop-escalate.service (ExecStart=…/phoihop manage escalate_overdue) with
              phoihop-escalate.timer (OnCalendar=*:0/10, Persistent=true)

`--enqueue` hands the run to the task worker (`phoihop worker`) instead of running it here;
`--every N` keeps running it every N minutes in the foreground, for machines with no cron.
"""

from __future__ import annotations

from phoihop.core.periodic import PeriodicCommand
from phoihop.exchange import escalation
from phoihop.exchange.tasks import escalate_overdue


class Command(PeriodicCommand):
    help = "Escalate overdue acknowledgements and verifications to the commanders."
    enqueue_help = "Queue the escalation for the task worker instead of running it here."
    run = staticmethod(escalation.escalate_overdue)
    task = escalate_overdue
    summary = (
        "escalated receipts={receipts} verifications={verifications} "
        "notifications={notifications} emails={emails}"
    )
