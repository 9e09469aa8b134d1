"""Mass mobilisation (dân vận, phong trào): forums "Công an lắng nghe ý kiến Nhân dân" with the
opinions received, law-propaganda sessions, weapon and explosive surrender campaigns with their
launches per commune and the items handed in, and social-support programmes.

Every record kind is a `ScopedModel`: the organising unit owns it, participating units of other
forces receive it through the distribution (so they see it), and it carries dates, an area, a
classification and the joint flag. Rows inside a record (topic counts, opinions, launches,
handed-in items) are seen by whoever sees the record.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.access.models import ScopedModel
from phoihop.cases.measures import MEASURE_CHOICES, QUANTITY_PLACES
from phoihop.core.models import BaseModel, TransitionLog
from phoihop.mobilisation.enums import OpinionStatus, OpinionTopic, ProgrammeKind

QUANTITY_DIGITS = 24
VALUE_DIGITS = 18

FORUM_TITLE = "Công an lắng nghe ý kiến Nhân dân"


def commune_field(*, optional: bool = False, **options: Any) -> Any:
    """The commune (xã, phường) a record or one of its rows took place in; `optional`: a record
    may span several communes or the whole province."""
    return models.ForeignKey(
        "org.AdministrativeArea",
        verbose_name=_("xã, phường"),
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name="+",
        **options,
    )


class MobilisationRecord(ScopedModel):
    """What every mobilisation record has besides the access fields: dates, units, a note."""

    start_date = models.DateField(_("từ ngày"), db_index=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    participating_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("đơn vị phối hợp"), blank=True, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")

    class Meta(ScopedModel.Meta):
        abstract = True
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["province", "start_date"])]

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})

    @property
    def last_date(self) -> Any:
        return self.end_date or self.start_date

    @property
    def participants(self) -> models.QuerySet[Any]:
        """The participating units as rows with a `unit_id`: what the access rule's
        `Action.RECORD` asks of a record kind that has units taking part."""
        through = self.participating_units.through
        return through._default_manager.filter(**{str(self._meta.model_name): self})


# --- forums -------------------------------------------------------------------------------------


class Forum(MobilisationRecord):
    """Diễn đàn "Công an lắng nghe ý kiến Nhân dân": held in a commune by the organising unit."""

    title = models.CharField(_("tên diễn đàn"), max_length=300, default=FORUM_TITLE)
    commune = commune_field()
    attendees = models.PositiveIntegerField(_("số người tham dự"))
    opinions = models.PositiveIntegerField(
        _("số ý kiến"), help_text=_("Tổng số ý kiến Nhân dân nêu tại diễn đàn.")
    )
    history = HistoricalRecords()

    class Meta(MobilisationRecord.Meta):
        verbose_name = _("diễn đàn lắng nghe ý kiến Nhân dân")
        verbose_name_plural = _("diễn đàn lắng nghe ý kiến Nhân dân")

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d/%m/%Y})"


class ForumTopicCount(models.Model):
    """How many of a forum's opinions were about one topic (their sum never exceeds the total)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="topic_counts")
    topic = models.CharField(_("lĩnh vực"), max_length=20, choices=OpinionTopic.choices)
    count = models.PositiveIntegerField(_("số ý kiến"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["forum", "topic"]
        verbose_name = _("ý kiến theo lĩnh vực")
        verbose_name_plural = _("ý kiến theo lĩnh vực")
        constraints = [models.UniqueConstraint(fields=["forum", "topic"], name="forum_topic_once")]

    def __str__(self) -> str:
        return f"{self.forum_id}: {self.topic} {self.count}"


class Opinion(BaseModel):
    """One opinion recorded individually, with its follow-up: assigned unit, answer, status."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="opinion_items")
    topic = models.CharField(_("lĩnh vực"), max_length=20, choices=OpinionTopic.choices)
    content = models.TextField(_("nội dung ý kiến"))
    raised_by = models.CharField(_("người nêu ý kiến"), max_length=200, blank=True)
    assigned_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=OpinionStatus.choices,
        default=OpinionStatus.OPEN,
        db_index=True,
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    created_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["forum", "created_at", "id"]
        verbose_name = _("ý kiến của Nhân dân")
        verbose_name_plural = _("ý kiến của Nhân dân")

    def __str__(self) -> str:
        return self.content[:60]


class OpinionTransition(TransitionLog):
    """The log of every status change of an opinion."""

    record_field = "opinion"

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=OpinionStatus.choices)
    to_status = models.CharField(max_length=20, choices=OpinionStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")


# --- law propaganda -----------------------------------------------------------------------------


class Law(BaseModel):
    """Danh mục luật được tuyên truyền: seeded after migrate, edited by administrators."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên luật"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["order", "name"]
        verbose_name = _("luật được tuyên truyền")
        verbose_name_plural = _("danh mục luật được tuyên truyền")

    def __str__(self) -> str:
        return self.name


class PropagandaSession(MobilisationRecord):
    """Tuyên truyền, phổ biến pháp luật: one or more sessions on one or more laws."""

    title = models.CharField(_("nội dung, hình thức"), max_length=300)
    commune = commune_field(
        optional=True, help_text=_("Để trống: nhiều xã, phường hoặc toàn tỉnh.")
    )
    laws = models.ManyToManyField(Law, verbose_name=_("luật được tuyên truyền"), related_name="+")
    sessions = models.PositiveIntegerField(_("số buổi"), default=1)
    attendees = models.PositiveIntegerField(_("số lượt người nghe"))
    leaflets = models.PositiveIntegerField(_("số tờ rơi, tài liệu phát"), default=0)
    history = HistoricalRecords()

    class Meta(MobilisationRecord.Meta):
        verbose_name = _("buổi tuyên truyền pháp luật")
        verbose_name_plural = _("tuyên truyền pháp luật")

    def __str__(self) -> str:
        return self.title


# --- surrender campaigns ------------------------------------------------------------------------


class SurrenderCampaign(MobilisationRecord):
    """Vận động Nhân dân giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ và pháo, in a province."""

    name = models.CharField(_("tên đợt vận động"), max_length=300)
    area = models.ForeignKey(
        "org.AdministrativeArea",
        verbose_name=_("địa bàn (tỉnh)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta(MobilisationRecord.Meta):
        verbose_name = _("đợt vận động giao nộp vũ khí, vật liệu nổ")
        verbose_name_plural = _("vận động giao nộp vũ khí, vật liệu nổ")

    def __str__(self) -> str:
        return self.name


class CampaignLaunch(BaseModel):
    """The campaign launched (phát động) in one commune, once."""

    campaign = models.ForeignKey(
        SurrenderCampaign, on_delete=models.CASCADE, related_name="launches"
    )
    commune = commune_field()
    launched_on = models.DateField(_("ngày phát động"))
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị phát động"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.PositiveIntegerField(_("số người dự"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["campaign", "launched_on", "id"]
        verbose_name = _("phát động tại xã, phường")
        verbose_name_plural = _("phát động tại xã, phường")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune"],
                condition=Q(deleted_at__isnull=True),
                name="campaign_commune_launched_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.commune_id} {self.launched_on}"


class HandedInItem(BaseModel):
    """Items handed in during a campaign in one commune, in the catalogue's canonical unit."""

    campaign = models.ForeignKey(
        SurrenderCampaign, on_delete=models.CASCADE, related_name="handed_in"
    )
    commune = commune_field()
    handed_in_on = models.DateField(_("ngày giao nộp"), db_index=True)
    item = models.ForeignKey(
        "cases.CatalogueItem",
        verbose_name=_("loại"),
        on_delete=models.PROTECT,
        related_name="+",
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
        ordering = ["campaign", "handed_in_on", "item__order", "id"]
        verbose_name = _("vũ khí, vật liệu nổ được giao nộp")
        verbose_name_plural = _("vũ khí, vật liệu nổ được giao nộp")

    def __str__(self) -> str:
        return f"{self.entered_quantity} {self.entered_unit} {self.item_id}"


# --- social support -----------------------------------------------------------------------------


class SocialProgramme(MobilisationRecord):
    """An activity of a social-support programme: who benefited and what it was worth."""

    kind = models.CharField(_("chương trình"), max_length=20, choices=ProgrammeKind.choices)
    name = models.CharField(_("nội dung"), max_length=300)
    commune = commune_field(optional=True)
    beneficiaries = models.PositiveIntegerField(_("số người được hỗ trợ"))
    value = models.DecimalField(
        _("trị giá (đồng)"),
        max_digits=VALUE_DIGITS,
        decimal_places=0,
        validators=[MinValueValidator(0)],
    )
    history = HistoricalRecords()

    class Meta(MobilisationRecord.Meta):
        verbose_name = _("chương trình an sinh xã hội")
        verbose_name_plural = _("chương trình an sinh xã hội")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
