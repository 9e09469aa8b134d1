"""Joint operations (hoạt động phối hợp): protection of delegations and events, checkpoints and
their daily counts, protected zones, patrols, disaster response and search and rescue, exercises.

Every record kind shares `OperationRecord`: the owner (lead) unit, dates, communes, the place,
classification and the joint flag. The units taking part — of one or more forces, with the
personnel and vehicles each committed — are rows of `OperationUnit`, and the communes rows of
`OperationCommune`: one table each for every kind, so that figures by force or by commune read
them the same way whatever the kind. A participating unit outside the owner's tree receives the
record through `phoihop.access.models.Distribution` and therefore sees it.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.access.models import ScopedModel
from phoihop.cases.enums import ParticipationRole
from phoihop.cases.measures import MEASURE_CHOICES, QUANTITY_PLACES
from phoihop.core.models import BaseModel, Searchable
from phoihop.core.qualifiers import qualifier_field
from phoihop.operations.enums import (
    CheckpointPurpose,
    DelegationLevel,
    EventCategory,
    ExerciseKind,
    IncidentKind,
    PatrolRoute,
    ProtectionTarget,
)

QUANTITY_DIGITS = 24


class OperationRow(models.Model):
    """A row of one operation record, whatever its kind: the record is reached through its
    content type and id, and the rows are read in the order of their record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True
        ordering = ["content_type", "object_id", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class OperationUnit(OperationRow):
    """A unit taking part in an operation record: the lead (owner) unit or a cooperating one,
    with the personnel (lượt cán bộ, chiến sĩ) and vehicles (lượt phương tiện) it committed."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    force = models.ForeignKey(
        "org.Force", verbose_name=_("lực lượng"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=ParticipationRole.choices)
    personnel = models.PositiveIntegerField(_("lượt cán bộ, chiến sĩ"), default=0)
    vehicles = models.PositiveIntegerField(_("lượt phương tiện"), default=0)
    vessels = models.PositiveIntegerField(_("lượt tàu, xuồng"), default=0)
    history = HistoricalRecords()

    class Meta(OperationRow.Meta):
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "unit"], name="operation_unit_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.unit_id} ({self.role})"


class OperationCommune(OperationRow):
    """A commune (xã, phường; or a pre-2025 one for older records) where an operation took place.

    The field is called `commune` so that `phoihop.org.refs.area_q` filters these rows.
    """

    commune = models.ForeignKey(
        "org.AdministrativeArea",
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(OperationRow.Meta):
        verbose_name = _("địa bàn")
        verbose_name_plural = _("địa bàn")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "commune"], name="operation_commune_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.commune_id}"


class OperationRecord(ScopedModel, Searchable):
    """What every joint-operation record has. Concrete kinds add their own fields."""

    title = models.CharField(_("nội dung"), max_length=300)
    start_date = models.DateField(_("từ ngày"), db_index=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    outcome = models.TextField(_("kết quả, ghi chú"), blank=True)
    created_by = models.ForeignKey(
        "org.User", verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    participants = GenericRelation(OperationUnit)
    places = GenericRelation(OperationCommune)

    search_fields = ("title", "place")
    # Subclasses: the counts refused below zero, the fields specific to the kind, and the
    # entered counts that may carry a qualifier (`<count>_qualifier`, phoihop.core.qualifiers).
    count_fields: tuple[str, ...] = ()
    kind_fields: tuple[str, ...] = ()
    qualified: tuple[str, ...] = ()
    computed_fields: tuple[str, ...] = ()  # shown, never entered (a canonical quantity)

    class Meta(ScopedModel.Meta):
        abstract = True
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})


class Protection(OperationRecord):
    """Bảo vệ đoàn, sự kiện: a delegation (by level) or an event (by category and size)."""

    target = models.CharField(_("đối tượng bảo vệ"), max_length=20, choices=ProtectionTarget)
    delegation_level = models.CharField(
        _("cấp đoàn"), max_length=20, choices=DelegationLevel, blank=True
    )
    event_category = models.CharField(
        _("loại sự kiện"), max_length=20, choices=EventCategory, blank=True
    )
    event_size = models.PositiveIntegerField(_("quy mô (người)"), null=True, blank=True)
    incidents = models.PositiveIntegerField(_("số vụ việc phát sinh"), default=0)
    history = HistoricalRecords(excluded_fields=["search_text"])

    count_fields = ("event_size", "incidents")
    kind_fields = ("target", "delegation_level", "event_category", "event_size", "incidents")

    class Meta(OperationRecord.Meta):
        verbose_name = _("nhiệm vụ bảo vệ đoàn, sự kiện")
        verbose_name_plural = _("bảo vệ đoàn, sự kiện")
        indexes = [models.Index(fields=["province", "start_date"])]

    def clean(self) -> None:
        super().clean()
        if self.target == ProtectionTarget.DELEGATION:
            if not self.delegation_level:
                raise ValidationError({"delegation_level": _("Phải chọn cấp đoàn.")})
            if self.event_category:
                raise ValidationError(
                    {"event_category": _("Chỉ chọn loại sự kiện khi bảo vệ sự kiện.")}
                )
        elif self.target == ProtectionTarget.EVENT:
            if not self.event_category:
                raise ValidationError({"event_category": _("Phải chọn loại sự kiện.")})
            if self.delegation_level:
                raise ValidationError({"delegation_level": _("Chỉ chọn cấp đoàn khi bảo vệ đoàn.")})


class Checkpoint(OperationRecord):
    """Chốt kiểm soát: its purpose, its period of operation and its daily counts."""

    purpose = models.CharField(_("mục đích"), max_length=20, choices=CheckpointPurpose)
    history = HistoricalRecords(excluded_fields=["search_text"])

    kind_fields = ("purpose",)

    class Meta(OperationRecord.Meta):
        verbose_name = _("chốt kiểm soát")
        verbose_name_plural = _("chốt kiểm soát")
        indexes = [models.Index(fields=["province", "start_date"])]

    def clean(self) -> None:
        super().clean()
        if not self.place:
            raise ValidationError({"place": _("Phải ghi vị trí đặt chốt.")})


class CheckpointCount(BaseModel):
    """One day of a checkpoint: vehicles (lượt phương tiện) and people (lượt người) controlled."""

    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("chốt"), on_delete=models.CASCADE, related_name="counts"
    )
    day = models.DateField(_("ngày"))
    vehicles = models.PositiveIntegerField(_("lượt phương tiện"))
    people = models.PositiveIntegerField(_("lượt người"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "org.User", verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    count_fields = ("vehicles", "people")

    class Meta(BaseModel.Meta):
        ordering = ["checkpoint", "day"]
        verbose_name = _("số liệu chốt theo ngày")
        verbose_name_plural = _("số liệu chốt theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "day"],
                condition=Q(deleted_at__isnull=True),
                name="one_count_per_checkpoint_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.day}: {self.vehicles}/{self.people}"


class ZoneCategory(BaseModel):
    """Loại khu vực: the catalogue of protected-zone kinds (phong tỏa, cách ly, điều trị, điều trị
    tăng cường, mục tiêu trọng điểm…), edited by administrators. A zone names its kind by `code`;
    the report gives every kind its own line, written with `report_phrase` ("khu phong tỏa")."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    report_phrase = models.CharField(
        _("cách ghi trong báo cáo"), max_length=120, help_text=_("Ví dụ: “khu phong tỏa”.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["order", "name"]
        verbose_name = _("loại khu vực")
        verbose_name_plural = _("danh mục loại khu vực")

    def __str__(self) -> str:
        return self.name


# The kind of zone that is a key target guarded (mục tiêu trọng điểm): reported with the
# protection of delegations and events, not with the zones.
KEY_TARGET = "key_target"


class ProtectedZone(OperationRecord):
    """Khu vực phong tỏa, điều trị, cách ly, or a key target (mục tiêu trọng điểm) guarded.

    `zone_kind` is the code of a `ZoneCategory`. One record may stand for several zones of its
    kind (`zone_count`, default 1), as a province reports them: "trên 120 khu phong tỏa"."""

    zone_kind = models.CharField(_("loại khu vực"), max_length=40, db_index=True)
    zone_count = models.PositiveIntegerField(_("số khu vực"), default=1)
    zone_count_qualifier = qualifier_field(_("số khu vực: mức độ"))
    people = models.PositiveIntegerField(_("số người trong khu vực"), null=True, blank=True)
    people_qualifier = qualifier_field(_("số người: mức độ"))
    history = HistoricalRecords(excluded_fields=["search_text"])

    count_fields = ("zone_count", "people")
    kind_fields = ("zone_kind", "zone_count", "zone_count_qualifier", "people", "people_qualifier")
    qualified = ("zone_count", "people")

    class Meta(OperationRecord.Meta):
        verbose_name = _("khu vực bảo vệ")
        verbose_name_plural = _("khu vực phong tỏa, cách ly, mục tiêu bảo vệ")
        indexes = [models.Index(fields=["province", "start_date"])]

    def get_zone_kind_display(self) -> str:
        """The kind's name in the catalogue (read with the list when it annotated it)."""
        name = getattr(self, "zone_kind_name", None)
        if name is None:
            name = (
                ZoneCategory.objects.filter(code=self.zone_kind)
                .values_list("name", flat=True)
                .first()
            )
        return str(name or self.zone_kind)

    def clean(self) -> None:
        super().clean()
        if self.zone_count is not None and self.zone_count < 1:
            raise ValidationError({"zone_count": _("Số khu vực ít nhất là 1.")})


class Patrol(OperationRecord):
    """Tuần tra, kiểm soát on land, along the border or at sea, and what it found."""

    route = models.CharField(_("tuyến"), max_length=20, choices=PatrolRoute)
    sorties = models.PositiveIntegerField(_("số lượt tuần tra"), default=1)
    sorties_qualifier = qualifier_field(_("số lượt: mức độ"))
    violations = models.PositiveIntegerField(_("số vụ vi phạm phát hiện"), default=0)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("vụ việc liên quan"), blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    count_fields = ("sorties", "violations")
    kind_fields = ("route", "sorties", "sorties_qualifier", "violations")
    qualified = ("sorties",)

    class Meta(OperationRecord.Meta):
        verbose_name = _("tuần tra, kiểm soát")
        verbose_name_plural = _("tuần tra, kiểm soát")
        indexes = [models.Index(fields=["province", "start_date"])]

    def clean(self) -> None:
        super().clean()
        if self.sorties is not None and self.sorties < 1:
            raise ValidationError({"sorties": _("Số lượt tuần tra ít nhất là 1.")})


class Rescue(OperationRecord):
    """Phòng chống thiên tai, tìm kiếm cứu nạn: the incident and what the forces did.

    What each force committed (lượt cán bộ, chiến sĩ; lượt phương tiện; lượt tàu, xuồng) is on
    its units' rows; the means of the population mobilised (tàu, thuyền and people of the
    Nhân dân) are the record's own."""

    incident_kind = models.CharField(_("loại sự cố"), max_length=20, choices=IncidentKind)
    people_rescued = models.PositiveIntegerField(_("số người được cứu"), default=0)
    people_rescued_qualifier = qualifier_field(_("số người được cứu: mức độ"))
    people_evacuated = models.PositiveIntegerField(_("số người được sơ tán"), default=0)
    people_evacuated_qualifier = qualifier_field(_("số người được sơ tán: mức độ"))
    vessels_assisted = models.PositiveIntegerField(_("số tàu, thuyền được hỗ trợ"), default=0)
    civilian_vessels = models.PositiveIntegerField(
        _("lượt tàu, thuyền của Nhân dân huy động"), default=0
    )
    civilian_vessels_qualifier = qualifier_field(_("lượt tàu, thuyền của Nhân dân: mức độ"))
    civilian_people = models.PositiveIntegerField(_("lượt người dân huy động"), default=0)
    civilian_people_qualifier = qualifier_field(_("lượt người dân: mức độ"))
    history = HistoricalRecords(excluded_fields=["search_text"])

    count_fields = (
        "people_rescued",
        "people_evacuated",
        "vessels_assisted",
        "civilian_vessels",
        "civilian_people",
    )
    kind_fields = (
        "incident_kind",
        "people_rescued",
        "people_rescued_qualifier",
        "people_evacuated",
        "people_evacuated_qualifier",
        "vessels_assisted",
        "civilian_vessels",
        "civilian_vessels_qualifier",
        "civilian_people",
        "civilian_people_qualifier",
    )
    qualified = ("people_rescued", "people_evacuated", "civilian_vessels", "civilian_people")

    class Meta(OperationRecord.Meta):
        verbose_name = _("phòng chống thiên tai, tìm kiếm cứu nạn")
        verbose_name_plural = _("phòng chống thiên tai, tìm kiếm cứu nạn")
        indexes = [models.Index(fields=["province", "start_date"])]


class Exercise(OperationRecord):
    """Diễn tập: defensive area, civil defence, search and rescue."""

    exercise_kind = models.CharField(_("loại diễn tập"), max_length=20, choices=ExerciseKind)
    participants_count = models.PositiveIntegerField(_("số người tham gia"), default=0)
    history = HistoricalRecords(excluded_fields=["search_text"])

    count_fields = ("participants_count",)
    kind_fields = ("exercise_kind", "participants_count")

    class Meta(OperationRecord.Meta):
        verbose_name = _("diễn tập")
        verbose_name_plural = _("diễn tập")
        indexes = [models.Index(fields=["province", "start_date"])]


class Destruction(OperationRecord):
    """Tiêu hủy vật liệu nổ, bom mìn, vũ khí: one catalogue item destroyed (the shared item
    catalogue of seizures and surrender campaigns) and how much — "500 kg thuốc nổ". The
    quantity is entered in one of the item's units and kept in its canonical unit too (what is
    summed). A destruction of several items is one record per item."""

    item = models.ForeignKey(
        "cases.CatalogueItem",
        verbose_name=_("vật liệu nổ, bom mìn, vũ khí"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_quantity = models.DecimalField(
        _("số lượng"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    entered_unit = models.CharField(
        _("đơn vị tính"), max_length=20, choices=MEASURE_CHOICES, blank=True
    )
    quantity = models.DecimalField(
        _("số lượng (đơn vị chuẩn)"),
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        editable=False,
    )
    quantity_qualifier = qualifier_field(_("số lượng: mức độ"))
    history = HistoricalRecords(excluded_fields=["search_text"])

    kind_fields = ("item", "entered_quantity", "entered_unit", "quantity_qualifier")
    computed_fields = ("quantity",)

    class Meta(OperationRecord.Meta):
        verbose_name = _("tiêu hủy vật liệu nổ, bom mìn, vũ khí")
        verbose_name_plural = _("tiêu hủy vật liệu nổ, bom mìn, vũ khí")
        indexes = [models.Index(fields=["province", "start_date"])]

    def get_item_display(self) -> str:
        return self.item.name


RECORD_MODELS: tuple[type[OperationRecord], ...] = (
    Protection,
    Checkpoint,
    ProtectedZone,
    Patrol,
    Rescue,
    Exercise,
    Destruction,
)
