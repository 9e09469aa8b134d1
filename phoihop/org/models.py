"""Forces, administrative areas, units (a dated tree), users with roles and clearance."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.core.enums import STORABLE_CLASSIFICATIONS, Classification
from phoihop.core.models import BaseModel
from phoihop.org.enums import AreaKind, AreaLevel, RoleCode

# The day the two-tier local government took effect (Nghị quyết 202/2025/QH15).
REFORM_2025 = dt.date(2025, 7, 1)


class Force(BaseModel):
    """Lực lượng: data, so that a partner agency (Hải quan, Kiểm lâm, Kiểm ngư) can be added."""

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=30)
    is_partner = models.BooleanField(_("cơ quan phối hợp"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("lực lượng")
        verbose_name_plural = _("lực lượng")

    def __str__(self) -> str:
        return self.name


class ProvinceForce(BaseModel):
    """A force taking part in a province's coordination, as the province's report names it.

    A province without rows takes the standard forces (every force that is not a partner) with
    the head titles of `org.reference.HEAD_TITLES`; the first change an administrator makes
    writes those defaults down, so that a fourth force (Cảnh sát biển, "TƯ LỆNH") joins the three
    instead of replacing them. Reads and writes: `org.forces`.
    """

    province = models.ForeignKey(
        "AdministrativeArea",
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="province_forces",
        limit_choices_to={"level": AreaLevel.PROVINCE},
    )
    force = models.ForeignKey(
        Force, verbose_name=_("lực lượng"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    head_title = models.CharField(
        _("chức danh người đứng đầu"),
        max_length=60,
        help_text=_("Ghi ở khối chữ ký, ví dụ GIÁM ĐỐC, CHỈ HUY TRƯỞNG, TƯ LỆNH"),
    )
    title_name = models.CharField(
        _("tên trong trích yếu báo cáo"),
        max_length=100,
        help_text=_("Ví dụ: Bộ đội Biên phòng, Cảnh sát biển"),
    )
    issuer_name = models.CharField(
        _("tên trong dòng cơ quan ban hành"),
        max_length=60,
        help_text=_("Ví dụ: Biên phòng, Cảnh sát biển"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["province", "order", "id"]
        verbose_name = _("lực lượng tham gia phối hợp của tỉnh")
        verbose_name_plural = _("lực lượng tham gia phối hợp của tỉnh")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "force"],
                condition=Q(deleted_at__isnull=True),
                name="one_live_row_per_province_force",
            )
        ]

    def __str__(self) -> str:
        return self.title_name or str(self.force)

    @property
    def code(self) -> str:
        return str(self.force.code)


class AdministrativeArea(models.Model):
    """Địa bàn with its official code (QĐ 19/2025/QĐ-TTg; older codes for historic records).

    Codes are unique per level among areas valid at the same time, but a pre-2025 province may
    share its two digits with a 2025 one, so the key is (level, code, valid_from).
    """

    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AreaKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # Legacy areas point at the 2025 areas they became part of.
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị hành chính kế thừa"),
    )
    # The commune's administrative centre (trụ sở): the map places a commune's records there
    # when they carry no coordinates of their own. Filled by `manage.py load_area_centres`.
    latitude = models.DecimalField(
        _("vĩ độ trụ sở"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ trụ sở"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("địa bàn hành chính")
        verbose_name_plural = _("địa bàn hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"],
                name="area_code_unique_per_generation",
                condition=Q(valid_from__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["level", "code"],
                name="area_code_unique_undated",
                condition=Q(valid_from__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        """The label every picker shows: an area that has ended carries its dates, so no two
        choices read the same ("Tỉnh Quảng Bình (đến 30/06/2025)"); a current one its name."""
        from phoihop.org.refs import area_label  # refs imports this module

        return area_label(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from phoihop.core.text import fold

        self.name_folded = fold(self.name)[:120]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Cần nhập cả vĩ độ và kinh độ.")
        if self.latitude is not None and not (-90 <= self.latitude <= 90):
            errors["latitude"] = _("Vĩ độ phải trong khoảng -90 đến 90.")
        if self.longitude is not None and not (-180 <= self.longitude <= 180):
            errors["longitude"] = _("Kinh độ phải trong khoảng -180 đến 180.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.valid_until is None

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    @property
    def province(self) -> AdministrativeArea:
        node = self
        while node.parent_id is not None and node.level != AreaLevel.PROVINCE:
            node = node.parent  # type: ignore[assignment]
        return node


class UnitLevel(models.Model):
    """Cấp đơn vị: data, because the organisation changes (district police ended 1/3/2025)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=80)
    rank = models.PositiveSmallIntegerField(_("bậc"), help_text=_("1 là cấp cao nhất"))

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("cấp đơn vị")
        verbose_name_plural = _("cấp đơn vị")

    def __str__(self) -> str:
        return self.name


class Unit(BaseModel):
    """Đơn vị: one node of a configurable tree.

    `parent` and `path` describe the tree as it is now; `UnitParentage` keeps every placement
    with its dates, so a reorganisation (the 2025 move of the Border Guard command under the
    Military Command) is recorded without losing what came before.
    """

    force = models.ForeignKey(Force, verbose_name=_("lực lượng"), on_delete=models.PROTECT)
    code = models.CharField(
        _("ký hiệu"),
        max_length=30,
        unique=True,
        help_text=_("Ký hiệu dùng trong số văn bản, ví dụ CAT, PC04, BCHQS"),
    )
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    level = models.ForeignKey(UnitLevel, verbose_name=_("cấp"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ids ("/3/17/42/"): a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    province = models.ForeignKey(
        AdministrativeArea,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"level": AreaLevel.PROVINCE},
    )
    areas = models.ManyToManyField(
        AdministrativeArea,
        verbose_name=_("địa bàn phụ trách"),
        blank=True,
        related_name="responsible_units",
    )
    valid_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    valid_until = models.DateField(_("hoạt động đến"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    def ancestor_ids(self) -> list[int]:
        """Ids of this unit and every unit above it, nearest last."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: Unit) -> bool:
        return bool(self.path) and self.path.startswith(other.path)


class UnitParentage(models.Model):
    """Where a unit stood in the tree, and when."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="parentages")
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("đến ngày"), null=True, blank=True)
    reason = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        # Undated first placements sort first on every database (PostgreSQL puts NULLs last).
        ordering = ["unit", models.F("valid_from").asc(nulls_first=True), "pk"]
        verbose_name = _("quá trình trực thuộc")
        verbose_name_plural = _("quá trình trực thuộc")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(valid_until__isnull=True),
                name="one_open_parentage_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.parent_id} ({self.valid_from}–{self.valid_until})"


class Role(models.Model):
    code = models.CharField(_("mã"), max_length=20, unique=True, choices=RoleCode.choices)
    name = models.CharField(_("tên"), max_length=80)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")

    def __str__(self) -> str:
        return self.name


class PhoihopUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    public_id = models.UUIDField(_("mã định danh"), unique=True, editable=False, default=uuid.uuid4)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    rank_title = models.CharField(_("cấp bậc, chức vụ"), max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("vai trò"), blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("mức được tiếp cận"), choices=STORABLE_CLASSIFICATIONS, default=Classification.THUONG
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[PhoihopUserManager] = PhoihopUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        # Only the installation's technical superuser may stand outside the unit tree.
        if self.unit_id is None and not self.is_superuser:
            raise ValidationError({"unit": _("Người dùng phải thuộc một đơn vị.")})

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("code", flat=True))

    def has_role(self, code: RoleCode | str) -> bool:
        return str(code) in self.role_codes

    @property
    def needs_second_factor(self) -> bool:
        return self.clearance >= Classification.MAT
