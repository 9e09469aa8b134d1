"""Pages of the case import: upload with the template to download, and the job's progress.

The upload is stored as a job and queued for the task worker; the status page polls its
progress fragment with htmx every second until the job is done or failed. A job is seen by its
owner only: anyone else gets 404, as for a job that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import cast
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from phoihop.cases import imports
from phoihop.cases.models import CaseImport
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.forms import BootstrapForm, place_domain_error
from phoihop.core.tabular import XLSX_CONTENT_TYPE, errors_xlsx
from phoihop.org.models import User

# Errors listed on the page; the downloadable report holds them all.
ERRORS_SHOWN = 200
# A job still queued after this long means no worker is running.
WORKER_MISSING_AFTER = dt.timedelta(seconds=30)
RECENT_JOBS = 10


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("Tệp XLSX hoặc CSV"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _job_or_404(request: HttpRequest, public_id: UUID) -> CaseImport:
    try:
        return imports.case_import_get(actor=_actor(request), public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc


def _cases_url() -> str | None:
    try:
        return reverse("cases:index")
    except NoReverseMatch:
        return None


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.case_import_start(
                actor=actor,
                upload=form.cleaned_data["file"],
                language=translation.get_language() or "",
            )
        except DomainError as error:
            place_domain_error(form, error)
        else:
            return redirect("cases:import_status", public_id=job.public_id)
    jobs = imports.case_import_list(actor=actor)[:RECENT_JOBS]
    return render(
        request,
        "cases/import.html",
        {
            "form": form,
            "jobs": jobs,
            "cases_url": _cases_url(),
            "max_mb": imports.MAX_UPLOAD_BYTES // (1024 * 1024),
            "tab": "import",
        },
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        imports.case_import_template(actor=_actor(request)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-vu-viec.xlsx"'
    return response


def _progress_context(job: CaseImport) -> dict[str, object]:
    processed, total = imports.case_import_progress(job)
    percent = 100 if job.status == CaseImport.Status.DONE else 0
    if total and job.status == CaseImport.Status.RUNNING:
        percent = min(100, processed * 100 // total)
    errors = imports.case_import_errors(job)
    return {
        "job": job,
        "processed": processed,
        "total": total,
        "percent": percent,
        "active": job.status in (CaseImport.Status.QUEUED, CaseImport.Status.RUNNING),
        "worker_missing": job.status == CaseImport.Status.QUEUED
        and timezone.now() - job.created_at > WORKER_MISSING_AFTER,
        "errors": errors[:ERRORS_SHOWN],
        "error_count": len(errors),
        "cases_url": _cases_url(),
        "tab": "import",
    }


@login_required
def import_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = _job_or_404(request, public_id)
    context = _progress_context(job)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/import_progress.html", context)
    return render(request, "cases/import_status.html", context)


@login_required
def import_errors(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = _job_or_404(request, public_id)
    if job.status != CaseImport.Status.FAILED:
        raise Http404
    response = HttpResponse(
        errors_xlsx(imports.case_import_errors(job)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="loi-nhap-vu-viec.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
