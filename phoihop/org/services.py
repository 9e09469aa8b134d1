"""Writes to the organisation: units and their placement in the tree, users."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError
from phoihop.org.models import AdministrativeArea, Force, Unit, UnitLevel, UnitParentage, User


def _full_clean(instance: object, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))  # type: ignore[attr-defined]
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from exc


def _path_for(unit: Unit, parent: Unit | None) -> str:
    return f"{parent.path if parent else '/'}{unit.pk}/"


def _check_no_cycle(unit: Unit, parent: Unit | None) -> None:
    if parent is None or unit.pk is None:
        return
    if parent.pk == unit.pk or parent.path.startswith(unit.path):
        raise DomainError(
            _("Không thể đặt đơn vị %(unit)s dưới %(parent)s: cây đơn vị sẽ có vòng lặp.")
            % {"unit": unit.name, "parent": parent.name},
            code="unit_cycle",
            fields={
                "parent": [_("Đơn vị cấp trên không được là chính nó hay đơn vị cấp dưới của nó.")]
            },
        )


def area_by_code(
    code: str, *, level: str | None = None, on: dt.date | None = None
) -> AdministrativeArea:
    """The area with this official code, current (or valid on `on`); a clear error otherwise."""
    qs = AdministrativeArea.objects.filter(code=code)
    if level:
        qs = qs.filter(level=level)
    if on is None:
        found = list(qs.filter(valid_until__isnull=True))
    else:
        found = [a for a in qs if a.is_valid_on(on)]
    if len(found) != 1:
        raise DomainError(
            _("Không có địa bàn hành chính mã %(code)s.") % {"code": code},
            code="unknown_area",
            fields={"area": [_("Mã địa bàn %(code)s không tồn tại.") % {"code": code}]},
        )
    return found[0]


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    force: Force,
    code: str,
    name: str,
    level: UnitLevel,
    parent: Unit | None = None,
    province: AdministrativeArea | None = None,
    areas: Iterable[AdministrativeArea] = (),
    short_name: str = "",
    valid_from: dt.date | None = None,
    reason: str = "",
) -> Unit:
    from phoihop.core.text import clean_text

    province = province or (parent.province if parent else None)
    if province is None:
        raise DomainError(
            _("Đơn vị phải thuộc một tỉnh."), code="invalid", fields={"province": [_("Bắt buộc.")]}
        )
    unit = Unit(
        force=force,
        code=clean_text(code),
        name=clean_text(name),
        short_name=clean_text(short_name),
        level=level,
        parent=parent,
        province=province,
        valid_from=valid_from,
    )
    _full_clean(unit, exclude=["path"])
    unit.save()
    unit.path = _path_for(unit, parent)
    unit.save(update_fields=["path"])
    unit.areas.set(list(areas))
    UnitParentage.objects.create(unit=unit, parent=parent, valid_from=valid_from, reason=reason)
    audit_record(
        actor=actor, action="create", obj=unit, changes={"code": unit.code, "name": unit.name}
    )
    return unit


@transaction.atomic
def unit_move(
    *, actor: User | None, unit: Unit, new_parent: Unit | None, effective: dt.date, reason: str
) -> Unit:
    """Place a unit under another parent from `effective` on, keeping the earlier placement."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if new_parent is not None:
        new_parent = Unit.objects.get(pk=new_parent.pk)
    _check_no_cycle(unit, new_parent)
    if not reason.strip():
        raise DomainError(
            _("Phải ghi căn cứ của việc thay đổi trực thuộc."),
            code="invalid",
            fields={"reason": [_("Bắt buộc.")]},
        )
    current = unit.parentages.filter(valid_until__isnull=True).first()
    if current is not None:
        if current.valid_from and effective <= current.valid_from:
            raise DomainError(
                _("Ngày hiệu lực phải sau ngày %(day)s.")
                % {"day": current.valid_from.strftime("%d/%m/%Y")},
                code="invalid",
                fields={"effective": [_("Ngày không hợp lệ.")]},
            )
        current.valid_until = effective - dt.timedelta(days=1)
        current.save(update_fields=["valid_until"])
    UnitParentage.objects.create(unit=unit, parent=new_parent, valid_from=effective, reason=reason)
    old_parent, old_path = unit.parent, unit.path
    unit.parent = new_parent
    unit.path = _path_for(unit, new_parent)
    unit.version += 1
    unit.save(update_fields=["parent", "path", "version", "updated_at"])
    # Re-root the subtree: one pass over the descendants' paths.
    for child in Unit.all_objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
        child.path = unit.path + child.path[len(old_path) :]
        child.save(update_fields=["path"])
    audit_record(
        actor=actor,
        action="update",
        obj=unit,
        changes={
            "parent": [
                old_parent.code if old_parent else None,
                new_parent.code if new_parent else None,
            ],
            "effective": effective.isoformat(),
            "reason": reason,
        },
    )
    return unit


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    unit: Unit | None,
    full_name: str = "",
    roles: Iterable[str] = (),
    clearance: int = 0,
    email: str = "",
    rank_title: str = "",
    is_staff: bool = False,
) -> User:
    from django.contrib.auth.password_validation import validate_password

    from phoihop.core.text import clean_text
    from phoihop.org.models import Role

    user = User(
        username=username.strip(),
        unit=unit,
        full_name=clean_text(full_name),
        clearance=clearance,
        email=email,
        rank_title=clean_text(rank_title),
        is_staff=is_staff,
    )
    _full_clean(user, exclude=["password"])
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(
                _("Mật khẩu không đạt yêu cầu."), code="invalid", fields={"password": exc.messages}
            ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    wanted = set(roles)
    found = list(Role.objects.filter(code__in=wanted))
    if len(found) != len(wanted):
        unknown = sorted(wanted - {r.code for r in found})
        raise DomainError(
            _("Vai trò không hợp lệ: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="invalid",
            fields={"roles": [_("Vai trò không tồn tại.")]},
        )
    user.roles.set(found)
    audit_record(actor=actor, action="create", obj=user, changes={"username": user.username})
    return user


@transaction.atomic
def unit_update(
    *, actor: User | None, unit: Unit, version: int | None, reason: str = "", **changes: object
) -> Unit:
    """Change a unit's own fields (name, short name, code, level) with history and audit.

    Placement in the tree changes only through `unit_move`, closing only through `unit_close`.
    """
    from phoihop.core.text import clean_text
    from phoihop.core.versioning import apply_changes

    allowed = {"name", "short_name", "code", "level"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(
            _("Không sửa được các trường này ở đây: %(names)s.") % {"names": ", ".join(unknown)},
            code="invalid",
            fields={name: [_("Không được sửa trực tiếp.")] for name in unknown},
        )
    cleaned = {k: clean_text(v) if isinstance(v, str) else v for k, v in changes.items()}
    changed = apply_changes(unit, expected_version=version, changes=cleaned)
    if changed:
        audit_record(
            actor=actor,
            action="update",
            obj=unit,
            changes={**{name: str(getattr(unit, name)) for name in changed}, "reason": reason},
        )
    return unit


@transaction.atomic
def unit_close(*, actor: User | None, unit: Unit, until: dt.date, reason: str) -> Unit:
    """End a unit on `until` (district police on 28/02/2025…); its placement ends with it."""
    from phoihop.core.versioning import apply_changes

    if not reason.strip():
        raise DomainError(
            _("Phải ghi căn cứ của việc giải thể, sáp nhập đơn vị."),
            code="invalid",
            fields={"reason": [_("Bắt buộc.")]},
        )
    if unit.valid_from and until < unit.valid_from:
        raise DomainError(
            _("Ngày kết thúc phải sau ngày bắt đầu hoạt động."),
            code="invalid",
            fields={"valid_until": [_("Ngày không hợp lệ.")]},
        )
    apply_changes(unit, expected_version=None, changes={"valid_until": until})
    unit.parentages.filter(valid_until__isnull=True).update(valid_until=until)
    audit_record(
        actor=actor,
        action="update",
        obj=unit,
        changes={"valid_until": until.isoformat(), "reason": reason},
    )
    return unit
