"""The case registry: cases, their units and subjects, seized items, the item catalogue, wanted
persons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.access.models import ScopedModel
from phoihop.cases.enums import (
    CaseCategory,
    CaseDomain,
    CaseOutcome,
    CaseStatus,
    ItemCategory,
    ParticipationRole,
    Sex,
    SubjectKind,
    SubjectResult,
    SubjectRole,
    WantedStatus,
)
from phoihop.cases.measures import MEASURE_CHOICES, MEASURES, QUANTITY_PLACES
from phoihop.core.models import BaseModel, Searchable, TransitionLog

QUANTITY_DIGITS = 24


class CatalogueItem(BaseModel):
    """Danh mục tang vật: shared by seizures and surrender campaigns; administrators edit it."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    category = models.CharField(_("nhóm"), max_length=20, choices=ItemCategory.choices)
    canonical_unit = models.CharField(_("đơn vị chuẩn"), max_length=20, choices=MEASURE_CHOICES)
    allowed_units = models.JSONField(
        _("đơn vị được nhập"),
        default=list,
        blank=True,
        help_text=_("Các đơn vị cùng loại với đơn vị chuẩn; để trống: chỉ đơn vị chuẩn."),
    )
    report_phrase = models.CharField(
        _("cách ghi trong báo cáo"), max_length=120, help_text=_("Ví dụ: “gam heroin”.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["order", "name"]
        verbose_name = _("mặt hàng tang vật")
        verbose_name_plural = _("danh mục tang vật")

    def __str__(self) -> str:
        return self.name

    @property
    def input_units(self) -> list[str]:
        units = [self.canonical_unit]
        units += [u for u in (self.allowed_units or []) if u != self.canonical_unit]
        return units

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.allowed_units, list):
            raise ValidationError({"allowed_units": _("Phải là danh sách đơn vị.")})
        canonical = MEASURES.get(self.canonical_unit)
        for unit in self.allowed_units:
            found = MEASURES.get(unit)
            if found is None:
                raise ValidationError(
                    {
                        "allowed_units": _("Đơn vị “%(unit)s” không có trong danh mục.")
                        % {"unit": unit}
                    }
                )
            if canonical is not None and found.dimension != canonical.dimension:
                raise ValidationError(
                    {
                        "allowed_units": _(
                            "Đơn vị “%(unit)s” không quy đổi được sang %(canonical)s."
                        )
                        % {"unit": unit, "canonical": canonical.label}
                    }
                )
        if self.pk is not None:
            stored = (
                type(self)
                .all_objects.filter(pk=self.pk)
                .values_list("canonical_unit", flat=True)
                .first()
            )
            if stored is not None and stored != self.canonical_unit and self._in_use():
                # Stored quantities are expressed in the canonical unit.
                raise ValidationError(
                    {
                        "canonical_unit": _(
                            "Mặt hàng đã có tang vật được ghi nhận: không đổi được đơn vị chuẩn."
                        )
                    }
                )

    def _in_use(self) -> bool:
        """Whether any record (a seizure, a handed-in item…) holds a quantity of this item."""
        # Hidden reverse relations too: the referring fields use related_name="+".
        for relation in self._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and not relation.concrete and relation.one_to_many):
                continue
            related: Any = relation.related_model
            manager = getattr(related, "all_objects", related._default_manager)
            if manager.filter(**{relation.field.name: self.pk}).exists():  # type: ignore[union-attr]
                return True
        return False


def case_number(number: int, unit_code: str) -> str:
    """A case's number as written: "01/VV-CAX-SK1" (per unit and year)."""
    return f"{number:02d}/VV-{unit_code}"


class Case(ScopedModel, Searchable):
    """Vụ việc / vụ án: owned by the lead unit, shared with cooperating units (distribution)."""

    number = models.PositiveIntegerField(_("số"), editable=False)
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    title = models.CharField(_("tên vụ việc"), max_length=300)
    summary = models.TextField(_("tóm tắt"), blank=True)
    category = models.CharField(_("loại vụ việc"), max_length=20, choices=CaseCategory.choices)
    domain = models.CharField(_("địa bàn xảy ra"), max_length=20, choices=CaseDomain.choices)
    commune = models.ForeignKey(
        "org.AdministrativeArea",
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    occurred_at = models.DateTimeField(_("thời điểm xảy ra"), null=True, blank=True)
    detected_at = models.DateTimeField(_("thời điểm phát hiện"), db_index=True)
    detecting_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị phát hiện"), on_delete=models.PROTECT, related_name="+"
    )
    lead_force = models.ForeignKey(
        "org.Force", verbose_name=_("lực lượng chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.DETECTED,
        db_index=True,
    )
    outcome = models.CharField(
        _("kết quả xử lý"), max_length=20, choices=CaseOutcome.choices, blank=True
    )
    fine_amount = models.DecimalField(
        _("số tiền phạt (đồng)"),
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    transferred_to = models.CharField(_("cơ quan tiếp nhận"), max_length=200, blank=True)
    info_items = models.ManyToManyField(
        "exchange.InformationItem",
        verbose_name=_("thông tin liên quan"),
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])
    search_fields = ("title", "summary")

    class Meta(ScopedModel.Meta):
        ordering = ["-detected_at", "-id"]
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "year", "number"], name="case_number_per_unit_year"
            )
        ]
        indexes = [models.Index(fields=["province", "detected_at"])]

    def __str__(self) -> str:
        return f"{self.display_number} {self.title}"

    @property
    def display_number(self) -> str:
        return case_number(self.number, self.owner_unit.code)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.occurred_at and self.detected_at and self.occurred_at > self.detected_at:
            errors["occurred_at"] = _("Thời điểm xảy ra không được sau thời điểm phát hiện.")
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Cần nhập cả vĩ độ và kinh độ.")
        if self.latitude is not None and not (-90 <= self.latitude <= 90):
            errors["latitude"] = _("Vĩ độ phải trong khoảng -90 đến 90.")
        if self.longitude is not None and not (-180 <= self.longitude <= 180):
            errors["longitude"] = _("Kinh độ phải trong khoảng -180 đến 180.")
        if self.fine_amount is not None and self.outcome != CaseOutcome.ADMINISTRATIVE:
            errors["fine_amount"] = _("Chỉ ghi số tiền phạt khi xử phạt vi phạm hành chính.")
        if errors:
            raise ValidationError(errors)


class CaseUnit(models.Model):
    """A unit taking part in a case: the lead unit, or a cooperating unit of any force."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    force = models.ForeignKey("org.Force", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=20, choices=ParticipationRole.choices)

    class Meta:
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="case_unit_once")]
        indexes = [models.Index(fields=["force", "case"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.unit_id} ({self.role})"


class CaseTransition(TransitionLog):
    record_field = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")


class Subject(BaseModel):
    """Đối tượng of one case: a person or an organisation, with its role and result.

    Kept per case: a person in two cases is two subjects (the press counts "lượt"), and their
    personal data is seen only by those who see the case.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(
        _("loại"), max_length=20, choices=SubjectKind.choices, default=SubjectKind.PERSON
    )
    name = models.CharField(_("họ tên / tên tổ chức"), max_length=200)
    other_names = models.CharField(_("tên gọi khác"), max_length=200, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=10, choices=Sex.choices, blank=True)
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, db_index=True
    )
    passport = models.CharField(_("số hộ chiếu"), max_length=20, blank=True)
    nationality = models.CharField(_("quốc tịch"), max_length=60, blank=True, default="Việt Nam")
    registration_number = models.CharField(_("số đăng ký kinh doanh"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    role = models.CharField(
        _("vai trò"), max_length=20, choices=SubjectRole.choices, default=SubjectRole.SUSPECT
    )
    result = models.CharField(
        _("kết quả"), max_length=20, choices=SubjectResult.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["case", "created_at", "id"]
        verbose_name = _("đối tượng")
        verbose_name_plural = _("đối tượng")

    def __str__(self) -> str:
        return self.name


class SeizedItem(BaseModel):
    """Tang vật: the quantity in the catalogue's canonical unit, and as it was entered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seized_items")
    item = models.ForeignKey(
        CatalogueItem, verbose_name=_("mặt hàng"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("số lượng (đơn vị chuẩn)"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    entered_quantity = models.DecimalField(
        _("số lượng"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )
    entered_unit = models.CharField(_("đơn vị tính"), max_length=20, choices=MEASURE_CHOICES)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["case", "item__order", "id"]
        verbose_name = _("tang vật")
        verbose_name_plural = _("tang vật")

    def __str__(self) -> str:
        return f"{self.entered_quantity} {self.entered_unit} {self.item_id}"


class WantedPerson(ScopedModel):
    """Đối tượng truy nã: the notice, the person and, once caught, the arrest (unit, case)."""

    notice_number = models.CharField(_("số quyết định truy nã"), max_length=40)
    notice_date = models.DateField(_("ngày quyết định"))
    issuing_authority = models.CharField(_("cơ quan ra quyết định"), max_length=200)
    full_name = models.CharField(_("họ tên"), max_length=200)
    other_names = models.CharField(_("tên gọi khác"), max_length=200, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=10, choices=Sex.choices, blank=True)
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, db_index=True
    )
    address = models.CharField(_("nơi cư trú"), max_length=300, blank=True)
    offence = models.CharField(_("tội danh"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=WantedStatus.choices,
        default=WantedStatus.WANTED,
        db_index=True,
    )
    arrested_at = models.DateTimeField(_("thời điểm bắt"), null=True, blank=True, db_index=True)
    arresting_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị bắt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    arrest_case = models.ForeignKey(
        Case,
        verbose_name=_("vụ việc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wanted_arrests",
    )
    history = HistoricalRecords()

    class Meta(ScopedModel.Meta):
        ordering = ["-notice_date", "-id"]
        verbose_name = _("đối tượng truy nã")
        verbose_name_plural = _("đối tượng truy nã")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.notice_number})"


class CaseImport(BaseModel):
    """One upload of the case import (XLSX/CSV), run by the task worker; only its owner sees it.

    While the import's single transaction is open its writes are invisible to other connections,
    so the running task publishes progress in a file under MEDIA_ROOT (`cases.imports`); the
    figures land here when the transaction ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập xong")
        FAILED = "failed", _("Không nhập được")

    owner = models.ForeignKey(
        "org.User", verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("tệp"), upload_to="imports/cases/%Y/%m/", max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    created_count = models.PositiveIntegerField(_("số vụ việc đã tạo"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # The uploader's page language: the worker writes the error messages in it.
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("lượt nhập vụ việc")
        verbose_name_plural = _("lượt nhập vụ việc")

    def __str__(self) -> str:
        return self.original_name
