"""Factories for tests: areas, units and users built through the real services."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from phoihop.core.enums import Classification
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import REFORM_2025, AdministrativeArea, Force, Unit, UnitLevel, User
from phoihop.org.services import unit_create, user_create

_seq = itertools.count(1)
PASSWORD = "Mat-khau-thu-nghiem-2026"


def area(
    code: str,
    name: str,
    *,
    level: str = AreaLevel.COMMUNE,
    parent: AdministrativeArea | None = None,
    kind: str = AreaKind.XA,
) -> AdministrativeArea:
    obj, _ = AdministrativeArea.objects.get_or_create(
        level=level,
        code=code,
        valid_from=REFORM_2025,
        defaults={"name": name, "kind": kind, "parent": parent},
    )
    return obj


def province(code: str = "42", name: str = "Tỉnh Hà Tĩnh") -> AdministrativeArea:
    return area(code, name, level=AreaLevel.PROVINCE, kind=AreaKind.TINH)


def unit(
    force_code: str,
    code: str,
    name: str,
    *,
    level: str = "tinh",
    parent: Unit | None = None,
    prov: AdministrativeArea | None = None,
    areas: Iterable[AdministrativeArea] = (),
) -> Unit:
    return unit_create(
        actor=None,
        force=Force.objects.get(code=force_code),
        code=code,
        name=name,
        level=UnitLevel.objects.get(code=level),
        parent=parent,
        province=prov or (parent.province if parent else province()),
        areas=areas,
    )


def user(
    unit_: Unit | None,
    *,
    roles: Iterable[str] = ("officer",),
    clearance: int = Classification.THUONG,
    username: str | None = None,
    password: str = PASSWORD,
    is_superuser: bool = False,
) -> User:
    name = username or f"user{next(_seq)}"
    u = (
        user_create(
            actor=None,
            username=name,
            password=password,
            unit=unit_,
            full_name=f"Cán bộ {name}",
            roles=roles,
            clearance=clearance,
        )
        if unit_ is not None or not is_superuser
        else None
    )
    if u is None:
        u = User.objects.create_superuser(username=name, password=password)
    return u


@dataclass
class OrgWorld:
    """Two provinces' worth of units: enough to test every branch of the visibility rule."""

    province: AdministrativeArea
    other_province: AdministrativeArea
    commune_a: AdministrativeArea
    commune_b: AdministrativeArea
    units: dict[str, Unit] = field(default_factory=dict)

    def u(self, key: str) -> Unit:
        return self.units[key]


def build_world() -> OrgWorld:
    ht = province("42", "Tỉnh Hà Tĩnh")
    na = province("40", "Tỉnh Nghệ An")
    xa_a = area("18196", "Xã Sơn Kim 1", parent=ht)
    xa_b = area("18676", "Xã Thiên Cầm", parent=ht)
    w = OrgWorld(province=ht, other_province=na, commune_a=xa_a, commune_b=xa_b)
    cat = unit("CA", "CAT", "Công an tỉnh Hà Tĩnh", areas=[ht])
    w.units["ca_province"] = cat
    w.units["ca_pc04"] = unit(
        "CA", "PC04", "Phòng Cảnh sát điều tra tội phạm về ma túy", parent=cat
    )
    w.units["ca_commune_a"] = unit(
        "CA", "CAX-SK1", "Công an xã Sơn Kim 1", level="xa", parent=cat, areas=[xa_a]
    )
    w.units["ca_commune_b"] = unit(
        "CA", "CAX-TC", "Công an xã Thiên Cầm", level="xa", parent=cat, areas=[xa_b]
    )
    qs = unit("QS", "BCHQS", "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh", areas=[ht])
    w.units["qs_province"] = qs
    w.units["qs_commune_a"] = unit(
        "QS", "BCHQSX-SK1", "Ban Chỉ huy Quân sự xã Sơn Kim 1", level="xa", parent=qs, areas=[xa_a]
    )
    bp = unit("BP", "BCHBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Hà Tĩnh", areas=[ht])
    w.units["bp_province"] = bp
    w.units["bp_post_a"] = unit(
        "BP", "DBP-SK", "Đồn Biên phòng Sơn Kim", level="xa", parent=bp, areas=[xa_a]
    )
    w.units["ca_other_province"] = unit("CA", "CAT-NA", "Công an tỉnh Nghệ An", prov=na, areas=[na])
    return w


def login(client: Any, user: User) -> None:
    """Log `user` in on a test client, passing the second factor when their clearance needs it."""
    client.force_login(user)
    if user.needs_second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
