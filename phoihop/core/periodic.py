"""One shape for the commands that something outside runs on a schedule.

django-tasks has no periodic scheduler, so cron or a systemd timer calls a management command;
each such command runs its job here, or hands it to the task worker (`--enqueue`), or repeats it
every N minutes in the foreground for machines with no cron (`--every N`). The jobs themselves
are idempotent (each step is done once however often they run, and concurrent runs are safe).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class PeriodicCommand(BaseCommand):
    """A subclass names its job (`run`), the task that runs it on the worker (`task`), and how
    its summary reads (`summary`, a format over the job's returned counts)."""

    run: Callable[[], Mapping[str, int]]
    task: Any
    summary: str
    enqueue_help = "Queue the job for the task worker instead of running it here."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help=self.enqueue_help)
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
            result = self.task.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        counts = self.run()
        self.stdout.write(self.summary.format(**counts))
