"""Remind units of periodic submissions due soon or overdue, and the level above of overdue ones.

django-tasks has no periodic scheduler, so something outside must call this, e.g. every morning
(each step is sent once however often it runs, and concurrent runs are safe):

    cron:     15 7 * * *  cd /srv/phoihop && .venv/bin/phoihop manage send_submission_reminders
    systemd:  phoihop-reminders.service with phoihop-reminders.timer (OnCalendar=*-*-* 07:15)

`--enqueue` hands the run to the task worker (`phoihop worker`) instead of running it here;
`--every N` keeps running it every N minutes in the foreground, for machines with no cron.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.indicators import reminders
from phoihop.indicators.tasks import send_submission_reminders


class Command(BaseCommand):
    help = "Remind units of periodic submissions due soon or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the reminders for the task worker instead of sending them here.",
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="MINUTES",
            default=0,
            help="Repeat every MINUTES minutes until interrupted (no cron needed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = max(0, int(options["every"]))
        while True:
            self._run_once(enqueue=options["enqueue"])
            if not every:
                return
            time.sleep(every * 60)

    def _run_once(self, *, enqueue: bool) -> None:
        if enqueue:
            result = send_submission_reminders.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        summary = reminders.send_reminders()
        self.stdout.write(
            "reminded units={units} notifications={notifications} emails={emails}".format(**summary)
        )
