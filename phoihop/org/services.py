"""Writes to the organisation: forces, units and their placement in the tree, users.

The rules:
- Only administrators (the administrator role) of a province change its organisation, the
  installation's superuser every province's (`require_administrator`): the forces, accounts,
  set-up links, `province_init` and the import check it here; the unit services and
  `user_create` leave it to their callers (the API, the import, the admin site), as before.
  `actor` None is the server's operator running a command.
- A force's code and a unit's code are unique among every force or unit ever made (a deleted
  one keeps its code): a second one is refused naming `code`.
- A unit lies in one province; the areas it is responsible for lie in that province (or in a
  province merged into it) and were still in force on the day the unit started.
- A unit changes parent only through `unit_move` (dated, with its basis), ends only through
  `unit_close`; `unit_update` changes its own fields and its areas.
- A user belongs to an active unit. No password travels in a request or a file: a new account
  has an unusable password and a one-time set-up link (`password_setup_path`, Django's
  password-reset token: it stops working once the password is set). When a user's unit,
  roles, clearance or active flag change, their API token is revoked (it carried the old rights).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError, PermissionDenied, invalid
from phoihop.core.text import clean_text
from phoihop.org.enums import AreaLevel
from phoihop.org.models import (
    AdministrativeArea,
    Force,
    Role,
    Unit,
    UnitLevel,
    UnitParentage,
    User,
)

# Changing any of these makes the user's API token stale: it carries the rights of its issue.
TOKEN_RIGHTS = ("unit", "roles", "clearance", "is_active")


def require_administrator(actor: User | None, province: AdministrativeArea | None = None) -> None:
    """Organisation writes are for administrators, of `province` when one is named (the
    installation's superuser: of every province); None is the server's operator."""
    from phoihop.core.adminsite import is_administrator

    if actor is None:
        return
    if not is_administrator(actor):
        raise PermissionDenied(
            _("Chỉ quản trị viên được thay đổi tổ chức (lực lượng, đơn vị, người dùng).")
        )
    if province is not None and not actor.is_superuser:
        unit = actor.unit
        if unit is None or unit.province_id != province.pk:
            raise PermissionDenied(
                _("Chỉ quản trị viên của %(province)s được thay đổi tổ chức của tỉnh này.")
                % {"province": province.name}
            )


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


def _check_code_free(model: Any, code: str, *, exclude: Any = None, label: str) -> None:
    """A code is never reused, not even a deleted record's."""
    taken = model.all_objects.filter(code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    other = taken.first()
    if other is not None:
        message = _("Mã %(code)s đã được dùng cho %(what)s “%(name)s”.") % {
            "code": code,
            "what": label,
            "name": other.name,
        }
        raise DomainError(message, code="duplicate_code", fields={"code": [message]})


# --- forces ---------------------------------------------------------------------------------


@transaction.atomic
def force_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    short_name: str = "",
    is_partner: bool = True,
    order: int | None = None,
) -> Force:
    """A force taking part (a partner agency by default: the three forces come with the data)."""
    require_administrator(actor)
    force = Force(
        code=clean_text(code).upper(),
        name=clean_text(name),
        short_name=clean_text(short_name) or clean_text(name),
        is_partner=is_partner,
        order=order if order is not None else _next_force_order(),
    )
    _check_code_free(Force, force.code, label=_("lực lượng"))
    _full_clean(force)
    force.save()
    audit_record(
        actor=actor,
        action="create",
        obj=force,
        changes={"code": force.code, "name": force.name, "is_partner": force.is_partner},
    )
    return force


def _next_force_order() -> int:
    last = Force.all_objects.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def force_update(*, actor: User | None, force: Force, version: int | None, **changes: Any) -> Force:
    """Change a force's code, names, partner flag or order, with history and audit."""
    from phoihop.core.versioning import apply_changes, audit_changes

    require_administrator(actor)
    _refuse_unknown(changes, {"code", "name", "short_name", "is_partner", "order"})
    cleaned = {k: clean_text(v) if isinstance(v, str) else v for k, v in changes.items()}
    if "code" in cleaned:
        cleaned["code"] = cleaned["code"].upper()
        _check_code_free(Force, cleaned["code"], exclude=force, label=_("lực lượng"))
    changed = apply_changes(force, expected_version=version, changes=cleaned)
    audit_changes(actor=actor, instance=force, changed=changed)
    return force


def _refuse_unknown(changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(
            _("Không sửa được các trường này ở đây: %(names)s.") % {"names": ", ".join(unknown)},
            code="invalid",
            fields={name: [_("Không được sửa trực tiếp.")] for name in unknown},
        )


# --- units ----------------------------------------------------------------------------------


def _in_province(area: AdministrativeArea, province: AdministrativeArea) -> bool:
    """`area` lies in `province`, in a province merged into it, or in the one it merged into."""
    home = area.province
    if home.pk == province.pk:
        return True
    return bool(
        home.successors.filter(pk=province.pk).exists()
        or province.successors.filter(pk=home.pk).exists()
    )


def check_unit_areas(
    areas: Iterable[AdministrativeArea],
    *,
    province: AdministrativeArea,
    valid_from: dt.date | None,
    field: str = "areas",
) -> None:
    """Every area of a unit lies in its province and had not ended when the unit started."""
    if province.level != AreaLevel.PROVINCE:
        raise invalid(
            "province",
            _("“%(name)s” không phải đơn vị hành chính cấp tỉnh.") % {"name": province.name},
            code="unknown_area",
        )
    for area in areas:
        if not _in_province(area, province):
            raise invalid(
                field,
                _("%(area)s không thuộc %(province)s.")
                % {"area": area.name, "province": province.name},
                code="area_outside_province",
            )
        if (
            valid_from is not None
            and area.valid_until is not None
            and area.valid_until < valid_from
        ):
            raise invalid(
                field,
                _("%(area)s đã hết hiệu lực từ sau ngày %(day)s, trước khi đơn vị hoạt động.")
                % {"area": area.name, "day": area.valid_until.strftime("%d/%m/%Y")},
                code="area_ended",
            )


def areas_by_code(
    codes: Iterable[str], *, on: dt.date | None = None, field: str = "areas"
) -> list[AdministrativeArea]:
    """Areas by official code, each once: the one in force on `on` (default: the current one)."""
    found: list[AdministrativeArea] = []
    for code in dict.fromkeys(str(c).strip() for c in codes if str(c or "").strip()):
        try:
            area = area_by_code(code, on=on)
        except DomainError:
            raise invalid(
                field,
                _("Không có địa bàn hành chính mã %(code)s.") % {"code": code},
                code="unknown_area",
            ) from None
        found.append(area)
    return found


def province_by_code(
    code: str, *, on: dt.date | None = None, field: str = "province"
) -> AdministrativeArea:
    """The province with this official code, in force on `on` (default: the current one)."""
    try:
        return area_by_code(str(code).strip(), level=AreaLevel.PROVINCE, on=on)
    except DomainError:
        raise invalid(
            field, _("Không có tỉnh, thành phố mã %(code)s.") % {"code": code}, code="unknown_area"
        ) from None


def _check_parent(parent: Unit | None, province: AdministrativeArea) -> None:
    if parent is None:
        return
    if parent.province_id != province.pk:
        raise invalid(
            "parent",
            _("Đơn vị cấp trên %(parent)s thuộc %(other)s, không thuộc %(province)s.")
            % {"parent": parent.name, "other": parent.province.name, "province": province.name},
            code="parent_outside_province",
        )
    if parent.valid_until is not None or parent.is_deleted:
        raise invalid(
            "parent",
            _("Đơn vị cấp trên %(parent)s đã kết thúc hoạt động.") % {"parent": parent.name},
            code="inactive_unit",
        )


def _check_version(unit: Unit, version: int | None) -> None:
    from phoihop.core.errors import StaleVersion

    if version is not None and version != unit.version:
        raise StaleVersion(expected=version, actual=unit.version)


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
    province = province or (parent.province if parent else None)
    if province is None:
        raise DomainError(
            _("Đơn vị phải thuộc một tỉnh."), code="invalid", fields={"province": [_("Bắt buộc.")]}
        )
    areas = list(areas)
    check_unit_areas(areas, province=province, valid_from=valid_from)
    _check_parent(parent, province)
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
    _check_code_free(Unit, unit.code, label=_("đơn vị"))
    _full_clean(unit, exclude=["path"])
    unit.save()
    unit.path = _path_for(unit, parent)
    unit.save(update_fields=["path"])
    unit.areas.set(areas)
    UnitParentage.objects.create(unit=unit, parent=parent, valid_from=valid_from, reason=reason)
    audit_record(
        actor=actor,
        action="create",
        obj=unit,
        changes={
            "code": unit.code,
            "name": unit.name,
            "parent": parent.code if parent else None,
            "areas": [a.code for a in areas],
            "reason": reason,
        },
    )
    return unit


@transaction.atomic
def unit_move(
    *,
    actor: User | None,
    unit: Unit,
    new_parent: Unit | None,
    effective: dt.date,
    reason: str,
    version: int | None = None,
) -> Unit:
    """Place a unit under another parent from `effective` on, keeping the earlier placement."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check_version(unit, version)
    if new_parent is not None:
        new_parent = Unit.objects.get(pk=new_parent.pk)
        _check_parent(new_parent, unit.province)
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
def unit_update(
    *, actor: User | None, unit: Unit, version: int | None, reason: str = "", **changes: Any
) -> Unit:
    """Change a unit's own fields (name, short name, code, level) and its areas, with history
    and audit.

    Placement in the tree changes only through `unit_move`, closing only through `unit_close`.
    """
    from phoihop.core.versioning import apply_changes

    _refuse_unknown(changes, {"name", "short_name", "code", "level", "areas"})
    areas = changes.pop("areas", None)
    cleaned = {k: clean_text(v) if isinstance(v, str) else v for k, v in changes.items()}
    if "code" in cleaned:
        _check_code_free(Unit, cleaned["code"], exclude=unit, label=_("đơn vị"))
    area_change: dict[str, Any] = {}
    if areas is not None:
        areas = list(areas)
        check_unit_areas(areas, province=unit.province, valid_from=unit.valid_from)
        before = sorted(unit.areas.values_list("code", flat=True))
        after = sorted(a.code for a in areas)
        if before != after:
            _check_version(unit, version)
            unit.areas.set(areas)
            area_change = {"areas": [before, after]}
    changed = apply_changes(unit, expected_version=version, changes=cleaned)
    if area_change and not changed:
        # The areas are a relation: the unit's own row moves its version on for them.
        unit.version += 1
        unit.save(update_fields=["version", "updated_at"])
    if changed or area_change:
        audit_record(
            actor=actor,
            action="update",
            obj=unit,
            changes={
                **{name: str(getattr(unit, name)) for name in changed},
                **area_change,
                "reason": reason,
            },
        )
    return unit


@transaction.atomic
def unit_close(
    *,
    actor: User | None,
    unit: Unit,
    until: dt.date,
    reason: str,
    version: int | None = None,
) -> Unit:
    """End a unit on `until` (district police on 28/02/2025…); its placement ends with it."""
    from phoihop.core.versioning import apply_changes

    if not reason.strip():
        raise DomainError(
            _("Phải ghi căn cứ của việc giải thể, sáp nhập đơn vị."),
            code="invalid",
            fields={"reason": [_("Bắt buộc.")]},
        )
    if unit.valid_until is not None:
        raise invalid(
            "valid_until",
            _("Đơn vị đã kết thúc hoạt động từ ngày %(day)s.")
            % {"day": unit.valid_until.strftime("%d/%m/%Y")},
            code="inactive_unit",
        )
    if unit.valid_from and until < unit.valid_from:
        raise DomainError(
            _("Ngày kết thúc phải sau ngày bắt đầu hoạt động."),
            code="invalid",
            fields={"valid_until": [_("Ngày không hợp lệ.")]},
        )
    apply_changes(unit, expected_version=version, changes={"valid_until": until})
    unit.parentages.filter(valid_until__isnull=True).update(valid_until=until)
    audit_record(
        actor=actor,
        action="update",
        obj=unit,
        changes={"valid_until": until.isoformat(), "reason": reason},
    )
    return unit


# --- users ----------------------------------------------------------------------------------


def _roles(codes: Iterable[str]) -> list[Role]:
    wanted = set(codes)
    found = list(Role.objects.filter(code__in=wanted))
    if len(found) != len(wanted):
        unknown = sorted(wanted - {r.code for r in found})
        raise DomainError(
            _("Vai trò không hợp lệ: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="invalid",
            fields={
                "roles": [_("Vai trò không tồn tại: %(codes)s.") % {"codes": ", ".join(unknown)}]
            },
        )
    return found


def _check_user_unit(unit: Unit | None) -> None:
    if unit is not None and (unit.valid_until is not None or unit.is_deleted):
        raise invalid(
            "unit",
            _("Đơn vị %(unit)s đã kết thúc hoạt động.") % {"unit": unit.name},
            code="inactive_unit",
        )


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
    """A new account. Without `password` it has none that works: the user sets one through
    the link of `password_setup_path`."""
    from django.contrib.auth.password_validation import validate_password

    _check_user_unit(unit)
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
    found = _roles(roles)
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
    user.roles.set(found)
    audit_record(
        actor=actor,
        action="create",
        obj=user,
        changes={
            "username": user.username,
            "unit": unit.code if unit else None,
            "roles": sorted(r.code for r in found),
            "clearance": user.clearance,
        },
    )
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, **changes: Any) -> User:
    """Change a user's names, e-mail, unit, roles, clearance or active flag, audited; their API
    token goes when their rights change. Only a superuser changes a superuser."""
    from phoihop.org.tokens import api_token_revoke

    require_administrator(actor, user.unit.province if user.unit else None)
    if user.is_superuser and actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Chỉ tài khoản quản trị kỹ thuật được sửa tài khoản này."))
    _refuse_unknown(
        changes, {"full_name", "rank_title", "email", "unit", "roles", "clearance", "is_active"}
    )
    user = User.objects.select_for_update().get(pk=user.pk)
    before_roles = sorted(user.roles.values_list("code", flat=True))
    roles = _roles(changes.pop("roles")) if "roles" in changes else None
    if "unit" in changes and changes["unit"] != user.unit:
        _check_user_unit(changes["unit"])
        if changes["unit"] is not None:
            require_administrator(actor, changes["unit"].province)
    audit: dict[str, Any] = {}
    for name, value in changes.items():
        value = clean_text(value) if isinstance(value, str) else value
        if getattr(user, name) != value:
            setattr(user, name, value)
            audit[name] = value.code if isinstance(value, Unit) else value
    _full_clean(user, exclude=["password"])
    if audit:
        user.save(update_fields=[*audit])
    if roles is not None:
        after_roles = sorted(r.code for r in roles)
        if after_roles != before_roles:
            user.roles.set(roles)
            audit["roles"] = [before_roles, after_roles]
    if audit:
        audit_record(actor=actor, action="update", obj=user, changes=audit)
        stale = [name for name in TOKEN_RIGHTS if name in audit]
        if stale:
            api_token_revoke(actor=actor, user=user, causes=stale)  # type: ignore[arg-type]
    return user


def password_setup_path(*, actor: User | None, user: User) -> str:
    """The path of the one-time link where `user` sets their own password (Django's
    password-reset token: it stops working once a password is set, or after
    PASSWORD_RESET_TIMEOUT). Issuing it is audited; the token itself is never stored."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    require_administrator(actor, user.unit.province if user.unit else None)
    if not user.is_active:
        raise invalid("user", _("Tài khoản đã bị vô hiệu hóa."), code="inactive_user")
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    audit_record(actor=actor, action="update", obj=user, changes={"password_setup": "issued"})
    return reverse("password_setup", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """The user's own password, set through their set-up link (the link then stops working)."""
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            _("Mật khẩu không đạt yêu cầu."), code="invalid", fields={"password": exc.messages}
        ) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user if user.is_authenticated else None,
        action="update",
        obj=user,
        changes={"password": "set through the set-up link"},
        username=user.username,
    )
    return user


# --- bringing a province on board -----------------------------------------------------------

# The title of each standard force's province-level command, before the province's name
# ("Bộ Chỉ huy Quân sự" + "tỉnh Hà Tĩnh"), and the prefix of its code (CAT-42). A force not
# listed is named by its own name ("Cảnh sát biển tỉnh …").
PROVINCE_COMMANDS = {
    "CA": ("CAT", "Công an"),
    "QS": ("BCHQS", "Bộ Chỉ huy Quân sự"),
    "BP": ("BDBP", "Bộ Chỉ huy Bộ đội Biên phòng"),
}
PROVINCE_LEVEL = "tinh"


@dataclass(frozen=True)
class ProvinceCommand:
    unit: Unit
    created: bool


def province_command_code(force: Force, province: AdministrativeArea) -> str:
    prefix = PROVINCE_COMMANDS.get(force.code, (force.code, ""))[0]
    return f"{prefix}-{province.code}"


def _in_words(province: AdministrativeArea) -> str:
    # "Tỉnh Hà Tĩnh" → "tỉnh Hà Tĩnh", as it reads after the command's title.
    return province.name[:1].lower() + province.name[1:]


@transaction.atomic
def province_init(
    *,
    actor: User | None,
    province: AdministrativeArea,
    forces: Iterable[Force] | None = None,
    valid_from: dt.date | None = None,
) -> list[ProvinceCommand]:
    """The province-level command of each force (default: every force that is not a partner),
    responsible for the whole province, ready for the organisation import. Idempotent: a force
    that already has a top-level unit in the province keeps it."""
    require_administrator(actor, province)
    if province.level != AreaLevel.PROVINCE:
        raise invalid(
            "province",
            _("“%(name)s” không phải đơn vị hành chính cấp tỉnh.") % {"name": province.name},
            code="unknown_area",
        )
    chosen = list(forces) if forces is not None else list(Force.objects.filter(is_partner=False))
    level = UnitLevel.objects.filter(code=PROVINCE_LEVEL).first()
    level = level or UnitLevel.objects.order_by("rank").first()
    if level is None:
        raise invalid("level", _("Chưa có cấp đơn vị nào."), code="unknown_level")
    done: list[ProvinceCommand] = []
    for force in sorted(chosen, key=lambda f: (f.order, f.code)):
        existing = (
            Unit.objects.filter(
                force=force, province=province, parent__isnull=True, valid_until__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            done.append(ProvinceCommand(existing, created=False))
            continue
        title = PROVINCE_COMMANDS.get(force.code, ("", force.name))[1]
        unit = unit_create(
            actor=actor,
            force=force,
            code=province_command_code(force, province),
            name=f"{title} {_in_words(province)}",
            short_name=title,
            level=level,
            province=province,
            areas=[province],
            valid_from=valid_from,
            reason=_("Khởi tạo tỉnh (phoihop province init)"),
        )
        done.append(ProvinceCommand(unit, created=True))
    return done
