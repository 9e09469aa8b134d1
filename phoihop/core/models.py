"""Base model of every record: public UUID, optimistic-lock version, timestamps, soft delete."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.text import fold


class AliveQuerySet(models.QuerySet):
    def alive(self) -> AliveQuerySet:
        return self.filter(deleted_at__isnull=True)


class AliveManager(models.Manager.from_queryset(AliveQuerySet)):  # type: ignore[misc]
    """Hides soft-deleted rows. `all_objects` still sees them (history, restore, audit)."""

    def get_queryset(self) -> AliveQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class BaseModel(models.Model):
    public_id = models.UUIDField(_("mã định danh"), default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("thời điểm sửa"), auto_now=True)
    deleted_at = models.DateTimeField(_("thời điểm xóa"), null=True, blank=True, editable=False)

    objects: ClassVar[Any] = AliveManager()
    all_objects: ClassVar[Any] = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"
        # Stable order for pagination; models refine it.
        ordering = ["-created_at", "-id"]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Searchable(models.Model):
    """A record found by its words: `search_text` is its `search_fields` folded (no diacritics,
    đ → d), kept in step on every save. Bulk inserts, which skip `save`, call
    `refresh_search_text` themselves."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    search_text: Any  # the column, declared by each model beside its history

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(self.search_fields) & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.search_text = fold("\n".join(getattr(self, name) for name in self.search_fields))


class IdempotencyRecord(models.Model):
    """The answer given to a POST carrying an `Idempotency-Key`, replayed when it is retried."""

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    # Null while the first request is still being processed.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class TransitionLog(models.Model):
    """The log of one status change of a workflow record: from what to what, when, by whom, why.

    Each log declares its record (named by `record_field`), its status and person fields (their
    names and choices differ from module to module); the note, the order and the label are
    said here once."""

    record_field: ClassVar[str]
    from_status: Any
    to_status: Any

    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        record_id = getattr(self, f"{self.record_field}_id")
        return f"{record_id}: {self.from_status} → {self.to_status}"
