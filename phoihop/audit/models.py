"""The append-only, hash-chained audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xóa")
    RESTORE = "restore", _("Khôi phục")
    EXPORT = "export", _("Xuất dữ liệu")
    VIEW_CLASSIFIED = "view_classified", _("Xem bản ghi mật")
    SECOND_FACTOR = "second_factor", _("Xác thực hai lớp")


class AppendOnly(RuntimeError):
    """Raised by every ORM path that would change or remove an audit entry."""

    def __init__(self) -> None:
        super().__init__("Audit entries are append-only.")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    # Bulk paths bypass Model.save()/delete(): closed too, so the ORM has no way to rewrite the
    # log. (Raw SQL still can, and `audit_verify` finds it.)
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly()

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnly()

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEntry]:
        # Entries must be chained one by one by `audit_record`.
        raise AppendOnly()

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly()


class AuditEntry(models.Model):
    """One entry; `hash` covers its own fields and the previous entry's hash.

    Rows are never updated or deleted by the application; `phoihop audit verify` recomputes the
    chain and names the first entry whose content, predecessor or position does not match.
    """

    seq = models.PositiveBigIntegerField(_("số thứ tự"), unique=True, editable=False)
    at = models.DateTimeField(_("thời điểm"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        # Never SET_NULL: deleting a user would rewrite their entries and break the chain.
        # The username and unit are kept in the entry itself.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(_("tài khoản"), max_length=150, blank=True)
    actor_unit = models.CharField(_("đơn vị"), max_length=30, blank=True)
    action = models.CharField(
        _("hành động"), max_length=20, choices=AuditAction.choices, db_index=True
    )
    object_type = models.CharField(_("loại bản ghi"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("mã bản ghi"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("bản ghi"), max_length=200, blank=True)
    changes = models.JSONField(_("nội dung"), default=dict, blank=True)
    ip = models.CharField(_("địa chỉ IP"), max_length=45, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký kiểm tra")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly()
