"""Attachments of information items and verification requests.

Files live on disk under MEDIA_ROOT (never in the database, never under /static/) with a random
name; they are served only by `attachment_download`, which asks the access rule about the item
the file belongs to. Size and type are limited by settings, the type checked on the content's
first bytes as well as on the name, so a renamed executable is refused.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.access.rules import get_visible
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.models import BaseModel

_OOXML = "application/vnd.openxmlformats-officedocument"
# Extension → (content type, accepted leading bytes; empty = text, checked as UTF-8).
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "docx": (f"{_OOXML}.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": (f"{_OOXML}.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "txt": ("text/plain; charset=utf-8", ()),
}


def _upload_to(instance: Attachment, filename: str) -> str:
    return f"exchange/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(BaseModel):
    item = models.ForeignKey(
        "exchange.InformationItem", on_delete=models.CASCADE, related_name="attachments"
    )
    verification = models.ForeignKey(
        "exchange.VerificationRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(gettext_lazy("tệp"), upload_to=_upload_to, max_length=200)
    original_name = models.CharField(gettext_lazy("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(gettext_lazy("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")

    class Meta(BaseModel.Meta):
        verbose_name = gettext_lazy("tệp đính kèm")
        verbose_name_plural = gettext_lazy("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"file": [message]})


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The safe name and content type of an upload, or a refusal naming the `file` field."""
    name = PurePath(upload.name or "").name[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = settings.PHOIHOP_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise _refuse(
            _("Tệp %(name)s quá lớn: tối đa %(mb)s MB.")
            % {"name": name, "mb": limit // (1024 * 1024)},
            "attachment_too_large",
        )
    if upload.size == 0:
        raise _refuse(_("Tệp %(name)s rỗng.") % {"name": name}, "attachment_empty")
    allowed = settings.PHOIHOP_ATTACHMENT_TYPES
    if ext not in allowed or ext not in SIGNATURES:
        raise _refuse(
            _("Không nhận tệp loại .%(ext)s. Chỉ nhận: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(allowed)},
            "attachment_type",
        )
    content_type, magic = SIGNATURES[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic:
        ok = any(head.startswith(m) for m in magic)
    else:
        try:
            head.decode("utf-8")
            ok = b"\x00" not in head
        except UnicodeDecodeError:
            # The 2 KB cut may split a multi-byte letter; only a clean prefix counts.
            ok = _decodes_but_last_char(head)
    if not ok:
        raise _refuse(
            _("Nội dung tệp %(name)s không đúng với loại .%(ext)s.") % {"name": name, "ext": ext},
            "attachment_content",
        )
    return name, content_type


def _decodes_but_last_char(head: bytes) -> bool:
    for cut in range(1, 4):
        try:
            head[:-cut].decode("utf-8")
            return b"\x00" not in head
        except UnicodeDecodeError:
            continue
    return False


@transaction.atomic
def attachment_add(
    *, actor: Any, item: Any, upload: UploadedFile, verification: Any = None
) -> Attachment:
    """Attach a file to an item the actor may see (and, optionally, to one of its requests)."""
    visible_item = get_visible(type(item), actor, pk=item.pk)
    name, content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        item=visible_item,
        verification=verification,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    # The file is written before the row; if saving the row fails, it is removed again.
    attachment.file.save(name, upload, save=False)
    stored = attachment.file.name

    def _cleanup_on_rollback() -> None:
        attachment.file.storage.delete(stored)

    try:
        attachment.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=attachment,
            changes={"item": str(visible_item.public_id), "name": name, "size": attachment.size},
        )
    except Exception:
        _cleanup_on_rollback()
        raise
    return attachment


@login_required
def attachment_download(request: HttpRequest, public_id: str) -> FileResponse:
    from phoihop.exchange.models import InformationItem

    attachment = Attachment.objects.filter(public_id=public_id).select_related("item").first()
    if attachment is None:
        raise Http404
    try:
        item = get_visible(InformationItem, request.user, pk=attachment.item_id)
    except NotFound as exc:
        raise Http404 from exc
    if item.classification >= Classification.MAT:
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW_CLASSIFIED,
            obj=attachment,
            changes={"item": str(item.public_id)},
        )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
