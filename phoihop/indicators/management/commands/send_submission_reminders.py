"""Remind units of periodic submissions due soon or overdue, and the level above of overdue ones.

django-tasks has no periodic scheduler, so something outside must call this, e.g. every morning
(each step is sent once however often it runs, and concurrent runs are safe):

    cron:     15 7 * * *  cd /srv/phoihop && .venv/bin/phoihop manage send_submission_reminders
    systemd:  phoihop-reminders.service with phoihop-reminders.timer (OnCalendar=*-*-* 07:15)

`--enqueue` hands the run to the task worker (`phoihop worker`) instead of running it here;
`--every N` keeps running it every N minutes in the foreground, for machines with no cron.
"""

from __future__ import annotations

from phoihop.core.periodic import PeriodicCommand
from phoihop.indicators import reminders
from phoihop.indicators.tasks import send_submission_reminders


class Command(PeriodicCommand):
    help = "Remind units of periodic submissions due soon or overdue."
    enqueue_help = "Queue the reminders for the task worker instead of sending them here."
    run = staticmethod(reminders.send_reminders)
    task = send_submission_reminders
    summary = "reminded units={units} notifications={notifications} emails={emails}"
