"""Pages of the bulk import of zones, rescues and patrols: the upload with the template to
download, and the job's progress.

The upload is stored as a job and queued for the task worker; the status page polls its progress
fragment with htmx every second until the job is done or failed. Only officers and commanders of
a unit (the access rule's create) reach the upload and the template; a job is seen by its owner
only: anyone else gets 404, as for a job that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation

from phoihop.access.rules import Action, can
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.forms import place_domain_error
from phoihop.core.tabular import XLSX_CONTENT_TYPE, errors_xlsx
from phoihop.operations import record_imports
from phoihop.operations.forms import ImportForm
from phoihop.operations.kinds import KINDS, Kind
from phoihop.operations.record_imports import ImportJob, JobStatus
from phoihop.org.models import User

# Errors listed on the page; the downloadable report holds them all.
ERRORS_SHOWN = 200
# A job still queued after this long means no worker is running.
WORKER_MISSING_AFTER = dt.timedelta(seconds=30)
RECENT_JOBS = 10


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _importer_kind(request: HttpRequest, slug: str) -> Kind:
    try:
        kind = record_imports.import_kind(slug)
    except NotFound as exc:
        raise Http404 from exc
    if not can(_actor(request), Action.CREATE):
        raise HttpForbidden
    return kind


def _job_or_404(request: HttpRequest, public_id: UUID) -> ImportJob:
    try:
        return record_imports.record_import_get(actor=_actor(request), public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"operation_kinds": KINDS.values(), **context})


@login_required
def import_page(request: HttpRequest, kind: str) -> HttpResponse:
    k = _importer_kind(request, kind)
    actor = _actor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = record_imports.record_import_start(
                actor=actor,
                kind=k,
                upload=form.cleaned_data["file"],
                language=translation.get_language() or "",
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            return redirect("operations:import_status", public_id=job.public_id)
    return _render(
        request,
        "operations/record_import.html",
        {
            "kind": k,
            "form": form,
            "jobs": record_imports.record_import_list(actor=actor, kind=k)[:RECENT_JOBS],
            "max_mb": record_imports.MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    k = _importer_kind(request, kind)
    response = HttpResponse(
        record_imports.import_template(actor=_actor(request), kind=k),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{k.slug}.xlsx"'
    return response


@login_required
def import_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = _job_or_404(request, public_id)
    errors = job.cell_errors()
    context = {
        "job": job,
        "kind": KINDS[job.kind],
        "worker_missing": job.status == JobStatus.QUEUED
        and timezone.now() - job.created > WORKER_MISSING_AFTER,
        "errors": errors[:ERRORS_SHOWN],
        "error_count": len(errors),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return _render(request, "operations/record_import_progress.html", context)
    return _render(request, "operations/record_import_status.html", context)


@login_required
def import_errors(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = _job_or_404(request, public_id)
    if job.status != JobStatus.FAILED:
        raise Http404
    response = HttpResponse(errors_xlsx(job.cell_errors()), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="loi-nhap.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
