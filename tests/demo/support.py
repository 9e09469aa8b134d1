"""Helpers for the demo tests: run the command, read back the printed table of logins."""

from __future__ import annotations

import io

from django.core.management import call_command


def run_load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    """(username, password, clearance) of every row of the printed table."""
    lines = output.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    clearance_at = lines[rule - 1].index("Mức tiếp cận")
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip() or line.startswith("("):
            break
        username, password = line.split()[:2]
        rows.append((username, password, line[clearance_at:].strip()))
    return rows
