"""The shared base of every model admin: administrator-only, validated, audited, versioned.

Admin pages are one more way of writing, so they follow the rules of the services:

- every form runs the model's full validation (`full_clean`), so a rule written in a model's
  `clean()` shows up as a Vietnamese message on its field;
- an edit applies only the fields of the form, through `apply_changes` for versioned records (a
  hidden `expected_version` catches an edit made by someone else meanwhile);
- every create, update, delete and restore writes an audit entry in the same transaction as the
  change (Django's admin views run inside `transaction.atomic`);
- records with soft delete are never removed: "delete" sets `deleted_at`, and a deleted record can
  be restored;
- restoring an earlier version through django-simple-history is audited as `restore`.

Models whose creation has a service (units, users) override `create_object` to call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.adminsite import is_administrator
from phoihop.core.errors import StaleVersion
from phoihop.core.models import BaseModel
from phoihop.core.versioning import apply_changes, soft_delete

# Dates are typed the Vietnamese way; ISO stays accepted (the admin calendar inserts it).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# Never copied into an audit entry's changes (secrets, bookkeeping).
AUDIT_EXCLUDED_FIELDS = frozenset({"password", "last_login", "updated_at", "version", "path"})

# Set on the request while django-simple-history's revert view saves an earlier version.
_RESTORING_ATTR = "_phoihop_restoring_history_id"
# Set on the saved object by `save_model`, consumed by `log_addition` / `log_change`.
_PENDING_ATTR = "_phoihop_pending_audit"


# --- forms ----------------------------------------------------------------------------------


class FullCleanFormMixin:
    """Runs the model's whole validation, also for fields the form does not show.

    A ModelForm validates only its own fields; a model rule about a field that is not on the form
    (or read-only on it) would otherwise be skipped. Such errors are shown at the top of the form
    with the field's name.
    """

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self._errors:  # type: ignore[attr-defined]
            return
        instance = self.instance  # type: ignore[attr-defined]
        opts = instance._meta
        exclude = {f.name for f in opts.get_fields() if not getattr(f, "editable", False)}
        exclude |= {f.name for f in opts.many_to_many}
        # A new user's password is set from the password fields after validation.
        exclude.add("password")
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            for name, messages_ in exc.message_dict.items():
                if name in self.fields:  # type: ignore[attr-defined]
                    self.add_error(name, messages_)  # type: ignore[attr-defined]
                elif name == "__all__":
                    self.add_error(None, messages_)  # type: ignore[attr-defined]
                else:
                    label = str(opts.get_field(name).verbose_name)
                    self.add_error(  # type: ignore[attr-defined]
                        None, [f"{label}: {message}" for message in messages_]
                    )


class AuditedModelForm(FullCleanFormMixin, forms.ModelForm):
    pass


class VersionedModelForm(AuditedModelForm):
    """For `BaseModel` records: remembers the version the editor started from."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # The version in the database now, not the instance's: when reverting to an earlier
            # version (django-simple-history) the instance carries that old version number.
            self.initial["expected_version"] = self._current_version(lock=False)

    def _current_version(self, *, lock: bool) -> int | None:
        qs = type(self.instance).all_objects.filter(pk=self.instance.pk)
        if lock and transaction.get_connection().in_atomic_block:
            qs = qs.select_for_update()
        return qs.values_list("version", flat=True).first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        expected = cleaned.get("expected_version")
        if self.instance.pk is not None and expected is not None:
            # Locked until the admin view's transaction ends: nobody can save in between.
            current = self._current_version(lock=True)
            if current is not None and current != expected:
                raise ValidationError(
                    StaleVersion(expected=expected, actual=current).message, code="stale_version"
                )
        return cleaned


# --- snapshots of a record, for the audit entry ---------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_snapshot(instance: models.Model) -> dict[str, Any]:
    """The editable fields of a record as they would read in an audit entry."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if not field.editable or field.name in AUDIT_EXCLUDED_FIELDS:
            continue
        value = (
            getattr(instance, field.name)
            if field.is_relation
            else field.value_from_object(instance)
        )
        data[field.name] = _plain(value)
    if instance.pk is not None:
        for m2m in instance._meta.many_to_many:
            if m2m.editable:
                data[m2m.name] = sorted(str(o) for o in getattr(instance, m2m.name).all())
    return data


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


# --- model admins ---------------------------------------------------------------------------


class AdministratorPermissions:
    """Administrators (role) and superusers may do everything the admin offers; nobody else.

    Django's per-model permissions are not used: roles are PhốiHợp's permission model.
    Subclasses narrow it down (read-only lists, no deletion of users).
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)


class ReadOnlyPermissions(AdministratorPermissions):
    """Lists an administrator may read but not edit (loaded data, the audit log)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedModelAdmin(AdministratorPermissions, admin.ModelAdmin):
    form: Any = VersionedModelForm

    # --- forms

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if not issubclass(self.model, BaseModel) and kwargs.get("form", self.form) is (
            VersionedModelForm
        ):
            kwargs["form"] = AuditedModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not issubclass(self.model, BaseModel) or not fieldsets:
            return fieldsets
        names = {n for _name, opts in fieldsets for n in _flatten(opts.get("fields", ()))}
        if "expected_version" not in names:
            title, opts = fieldsets[-1]
            fieldsets[-1] = (title, {**opts, "fields": (*opts["fields"], "expected_version")})
        return fieldsets

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            field.input_formats = DATE_INPUT_FORMATS
            field.widget.format = DATE_INPUT_FORMATS[0]
            field.widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
        return field

    # --- writes

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        restoring = getattr(request, _RESTORING_ATTR, None)
        with transaction.atomic():
            if not change:
                audited = self.create_object(request, obj, form)
                setattr(obj, _PENDING_ATTR, None if audited else (AuditAction.CREATE, {}, {}))
                return
            before = audit_snapshot(type(obj)._base_manager.get(pk=obj.pk))
            self.update_object(request, obj, form, restoring=restoring)
            extra = {"restored_from_history_id": restoring} if restoring is not None else {}
            action = AuditAction.RESTORE if restoring is not None else AuditAction.UPDATE
            setattr(obj, _PENDING_ATTR, (action, before, extra))

    def create_object(self, request: HttpRequest, obj: Any, form: Any) -> bool:
        """Save a new record; return True when a service already wrote its audit entry."""
        obj.full_clean()
        obj.save()
        return False

    def update_object(
        self, request: HttpRequest, obj: Any, form: Any, *, restoring: Any = None
    ) -> None:
        """Apply the form's fields to the stored record, and nothing else.

        `obj` may be built from an earlier version (simple-history's revert): fields the form
        does not edit (path, password, version, deleted_at) must keep their stored values.
        """
        model = type(obj)
        current = model._base_manager.select_for_update().get(pk=obj.pk)
        changes = {name: getattr(obj, name) for name in self._form_model_fields(form)}
        if restoring is not None:
            current._change_reason = _("Khôi phục phiên bản %(id)s") % {"id": restoring}
        if isinstance(current, BaseModel):
            apply_changes(
                current,
                expected_version=form.cleaned_data.get("expected_version"),
                changes=changes,
            )
        else:
            changed = [n for n, v in changes.items() if getattr(current, n) != v]
            for name in changed:
                setattr(current, name, changes[name])
            current.full_clean()
            if changed:
                current.save(update_fields=changed)
        obj.refresh_from_db()

    def _form_model_fields(self, form: Any) -> list[str]:
        concrete = {f.name for f in self.model._meta.concrete_fields if f.editable}
        return [
            name
            for name, field in form.fields.items()
            if name in concrete and not field.disabled and name in form.cleaned_data
        ]

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        self._write_pending_audit(request, obj, message)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        self._write_pending_audit(request, obj, message)
        return entry

    def _write_pending_audit(self, request: HttpRequest, obj: Any, message: Any) -> None:
        # Called after the many-to-many fields are saved, still inside the view's transaction.
        if not hasattr(obj, _PENDING_ATTR):
            # A change made by another admin view (e.g. the password form): say what it was.
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE,
                obj=obj,
                changes={"admin": message},
            )
            return
        pending = obj.__dict__.pop(_PENDING_ATTR)
        if pending is None:
            return
        action, before, extra = pending
        after = audit_snapshot(obj)
        if action == AuditAction.CREATE:
            changes = after
        else:
            changes = audit_diff(before, after)
            if not changes and action == AuditAction.UPDATE:
                return
        audit_record(actor=request.user, action=action, obj=obj, changes={**changes, **extra})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            if isinstance(obj, BaseModel):
                soft_delete(obj)
                audit_record(
                    actor=request.user,
                    action=AuditAction.DELETE,
                    obj=obj,
                    changes={"deleted_at": _plain(obj.deleted_at)},
                )
            else:
                audit_record(
                    actor=request.user,
                    action=AuditAction.DELETE,
                    obj=obj,
                    changes=audit_snapshot(obj),
                )
                obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class DeletedFilter(admin.SimpleListFilter):
    title = gettext_lazy("trạng thái")
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Đã xóa")), ("all", _("Tất cả"))]

    def choices(self, changelist: Any) -> Any:
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Đang hoạt động"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(deleted_at__isnull=True)


class SoftDeleteAdmin(AuditedModelAdmin):
    """Admin of a `BaseModel`: "delete" soft-deletes; deleted records can be listed and restored.

    `soft_delete_blockers` names what still depends on a record (live units of a force, users of
    a unit): such a record cannot be deleted until they are moved or deleted.
    """

    actions = ["restore_deleted"]

    def get_queryset(self, request: HttpRequest) -> Any:
        # Deleted records stay reachable (list filter, history, restore); `DeletedFilter` hides
        # them from the list by default.
        qs = self.model.all_objects.all()
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [DeletedFilter, *super().get_list_filter(request)]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            # Choosing a related record: deleted ones are not offered.
            queryset = queryset.filter(deleted_at__isnull=True)
        return super().get_search_results(request, queryset, search_term)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and obj.is_deleted)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_deleted)

    def soft_delete_blockers(self, obj: Any) -> list[str]:
        return []

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        objs = list(objs)
        protected = [blocker for obj in objs for blocker in self.soft_delete_blockers(obj)]
        perms_needed = (
            set()
            if all(self.has_delete_permission(request, obj) for obj in objs)
            else {str(self.opts.verbose_name)}
        )
        model_count = {str(self.opts.verbose_name_plural): len(objs)}
        return [str(obj) for obj in objs], model_count, perms_needed, protected

    @admin.action(description=gettext_lazy("Khôi phục các bản ghi đã xóa"), permissions=["change"])
    def restore_deleted(self, request: HttpRequest, queryset: Any) -> None:
        restored = 0
        with transaction.atomic():
            for obj in queryset.filter(deleted_at__isnull=False).select_for_update():
                deleted_at = obj.deleted_at
                obj.deleted_at = None
                obj.version += 1
                obj.save(update_fields=["deleted_at", "version", "updated_at"])
                audit_record(
                    actor=request.user,
                    action=AuditAction.RESTORE,
                    obj=obj,
                    changes={"deleted_at": [_plain(deleted_at), None]},
                )
                restored += 1
        self.message_user(
            request, _("Đã khôi phục %(count)d bản ghi.") % {"count": restored}, messages.SUCCESS
        )


class HistoryAuditMixin(SimpleHistoryAdmin):
    """django-simple-history's history pages; reverting to an earlier version is audited."""

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        setattr(request, _RESTORING_ATTR, version_id)
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        # simple-history's view is not atomic; the save, its history row and the audit entry
        # must be one transaction.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


class AuditedHistoryAdmin(HistoryAuditMixin, AuditedModelAdmin, SimpleHistoryAdmin):
    pass


class SoftDeleteHistoryAdmin(HistoryAuditMixin, SoftDeleteAdmin, SimpleHistoryAdmin):
    pass


def _flatten(fields: Iterable[Any]) -> list[str]:
    names: list[str] = []
    for item in fields:
        if isinstance(item, list | tuple):
            names.extend(item)
        else:
            names.append(item)
    return names


def admin_page(
    model_admin: admin.ModelAdmin, route: str, view: Callable[..., HttpResponse], name: str
) -> URLPattern:
    """An extra page of a model's admin (`get_urls`): behind the admin site's login, named
    `<app>_<model>_<name>` as Django names the admin's own pages."""
    opts = model_admin.opts
    return path(
        route,
        model_admin.admin_site.admin_view(view),
        name=f"{opts.app_label}_{opts.model_name}_{name}",
    )
