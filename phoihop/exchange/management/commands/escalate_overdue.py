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

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.exchange import escalation
from phoihop.exchange.tasks import escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue acknowledgements and verifications to the commanders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the escalation for the task worker instead of running it here.",
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
            result = escalate_overdue.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        summary = escalation.escalate_overdue()
        self.stdout.write(
            "escalated receipts={receipts} verifications={verifications} "
            "notifications={notifications} emails={emails}".format(**summary)
        )
