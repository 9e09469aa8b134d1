"""Background tasks of the joint operations: the bulk import of a file of records.

The import page (or the API) stores the file as a job and queues `run_record_import`; the worker
(`phoihop worker`, i.e. `manage.py db_worker`) runs it while the status page shows the progress.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from phoihop.operations import record_imports


@task()
def run_record_import(job_public_id: str) -> dict[str, Any]:
    """Import the file of one queued job, all or nothing; the job records the outcome."""
    return record_imports.record_import_run(public_id=job_public_id)
