"""The forces taking part in a province's coordination (`ProvinceForce`): read and changed here.

The report's title, issuer line, opening sentence and tasks, its signature blocks (one per force,
with the force's head title) and the dashboard's force filter all follow this list.

Rules:
- A province without rows has the standard forces: every force that is not a partner, in the
  forces' order, named as the forces are, with the head titles of `reference.HEAD_TITLES`.
- The first change writes those defaults down before applying itself, so that adding the Coast
  Guard to a province gives four forces, not one.
- A force takes part once: adding a force that already takes part is refused naming `code`, as is
  an unknown code; a province keeps at least one force.
- Only an administrator of the province (or the installation's superuser) changes the list;
  every change is audited in its own transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.adminsite import is_administrator
from phoihop.core.errors import PermissionDenied, invalid, validate
from phoihop.core.text import clean_text
from phoihop.core.versioning import apply_changes, audit_changes, soft_delete
from phoihop.org.models import AdministrativeArea, Force, ProvinceForce
from phoihop.org.reference import DEFAULT_HEAD_TITLE, HEAD_TITLES

# "Cả ba lực lượng", "giữa bốn lực lượng": the counts official texts write in words.
_COUNT_WORDS = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


# What a province's report takes from each of its forces.
_NAMING = ("head_title", "title_name", "issuer_name")


def count_in_words(count: int) -> str:
    return _COUNT_WORDS[count] if 0 < count < len(_COUNT_WORDS) else str(count)


def province_forces(province: AdministrativeArea) -> list[ProvinceForce]:
    """The forces of `province` in their order; unsaved defaults when none was ever set."""
    rows = list(
        ProvinceForce.objects.filter(province=province)
        .select_related("force")
        .order_by("order", "id")
    )
    return rows or _defaults(province)


def _defaults(province: AdministrativeArea) -> list[ProvinceForce]:
    return [
        ProvinceForce(
            province=province,
            force=force,
            order=force.order,
            head_title=HEAD_TITLES.get(force.code, DEFAULT_HEAD_TITLE),
            title_name=force.name,
            issuer_name=force.short_name or force.name,
        )
        for force in Force.objects.filter(is_partner=False).order_by("order", "code")
    ]


def may_administer(actor: Any, province: AdministrativeArea) -> bool:
    """An administrator of a unit in `province`, or the installation's superuser."""
    if not is_administrator(actor):
        return False
    if getattr(actor, "is_superuser", False):
        return True
    unit = getattr(actor, "unit", None)
    return unit is not None and unit.province_id == province.pk


def require_administrator_of(actor: Any, province: AdministrativeArea) -> None:
    if not may_administer(actor, province):
        raise PermissionDenied(
            _("Chỉ quản trị viên của %(province)s được thay đổi thiết lập này.")
            % {"province": province.name}
        )


def _written(*, actor: Any, province: AdministrativeArea) -> list[ProvinceForce]:
    """The province's rows, the defaults saved (and audited) first if there were none."""
    rows = province_forces(province)
    for row in rows:
        if row.pk is None:
            row.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=row,
                changes={"province": province.code, "code": row.code, "default": True},
            )
    return rows


def _force(code: str) -> Force:
    cleaned = (code or "").strip().upper()
    force = Force.objects.filter(code=cleaned).first()
    if force is None:
        raise invalid(
            "code",
            _("Không có lực lượng nào mang mã “%(code)s”.") % {"code": cleaned},
            code="unknown_force",
        )
    return force


def province_force_add(
    *,
    actor: Any,
    province: AdministrativeArea,
    code: str,
    head_title: str = "",
    title_name: str = "",
    issuer_name: str = "",
    order: int | None = None,
) -> ProvinceForce:
    """Add a force to the province's coordination (after the others unless `order` is given)."""
    require_administrator_of(actor, province)
    force = _force(code)
    with transaction.atomic():
        rows = _written(actor=actor, province=province)
        if any(row.force_id == force.pk for row in rows):
            raise invalid(
                "code",
                _("Lực lượng “%(code)s” đã tham gia phối hợp ở %(province)s.")
                % {"code": force.code, "province": province.name},
                code="duplicate_force",
            )
        row = ProvinceForce(
            province=province,
            force=force,
            order=order if order is not None else max((r.order for r in rows), default=0) + 1,
            head_title=clean_text(head_title).upper() or HEAD_TITLES.get(force.code, ""),
            title_name=clean_text(title_name) or force.name,
            issuer_name=clean_text(issuer_name) or force.short_name or force.name,
        )
        validate(row)
        row.save()
        named = {name: getattr(row, name) for name in _NAMING}
        changes = {"province": province.code, "code": force.code, "order": row.order} | named
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, changes=changes)
    return row


def province_force_update(
    *,
    actor: Any,
    province: AdministrativeArea,
    code: str,
    head_title: str,
    title_name: str = "",
    issuer_name: str = "",
) -> ProvinceForce:
    """Change how the province's report names a force and titles its head (blank names: the
    force's own)."""
    require_administrator_of(actor, province)
    force = _force(code)
    with transaction.atomic():
        row = _taking_part(_written(actor=actor, province=province), force, province)
        changes = {
            "head_title": clean_text(head_title).upper(),
            "title_name": clean_text(title_name) or force.name,
            "issuer_name": clean_text(issuer_name) or force.short_name or force.name,
        }
        audit_changes(
            actor=actor,
            instance=row,
            changed=apply_changes(row, expected_version=row.version, changes=changes),
            province=province.code,
            code=force.code,
        )
    return row


def _taking_part(
    rows: list[ProvinceForce], force: Force, province: AdministrativeArea
) -> ProvinceForce:
    row = next((r for r in rows if r.force_id == force.pk), None)
    if row is None:
        raise invalid(
            "code",
            _("Lực lượng “%(code)s” không tham gia phối hợp ở %(province)s.")
            % {"code": force.code, "province": province.name},
            code="force_not_taking_part",
        )
    return row


def province_force_remove(*, actor: Any, province: AdministrativeArea, code: str) -> None:
    """Take a force out of the province's coordination; the last one stays."""
    require_administrator_of(actor, province)
    force = _force(code)
    with transaction.atomic():
        rows = _written(actor=actor, province=province)
        row = _taking_part(rows, force, province)
        if len(rows) == 1:
            raise invalid(
                "code",
                _("Mỗi tỉnh phải có ít nhất một lực lượng tham gia phối hợp."),
                code="last_force",
            )
        soft_delete(row)
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=row,
            changes={"province": province.code, "code": force.code},
        )
