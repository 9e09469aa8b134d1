"""Remind units of periodic submissions due soon or overdue, and the level above of overdue ones.

A scheduled command (`phoihop.core.periodic.PeriodicCommand`: `--enqueue`, `--every N`), run
e.g. every morning; each step is sent once however often it runs:

    cron:     15 7 * * *  cd /srv/phoihop && .venv/bin/phoihop manage send_submission_reminders
    systemd:  phoihop-reminders.service with phoihop-reminders.timer (OnCalendar=*-*-* 07:15)
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
