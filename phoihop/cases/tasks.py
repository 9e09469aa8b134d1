"""Background tasks of the case registry: the import of a case file.

The upload page stores the file as a `CaseImport` job and queues `run_case_import`; the worker
(`phoihop worker`, i.e. `manage.py db_worker`) runs it while the status page shows the progress.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from phoihop.cases import imports


@task()
def run_case_import(job_public_id: str) -> dict[str, Any]:
    """Import the file of one queued job, all or nothing; the job records the outcome."""
    return imports.case_import_run(public_id=job_public_id)
