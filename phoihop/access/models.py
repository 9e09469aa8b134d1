"""The contract a scoped record fulfils, and the distribution of records to units."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.enums import STORABLE_CLASSIFICATIONS, Classification
from phoihop.core.models import BaseModel


class ScopedModel(BaseModel):
    """A record the visibility rule applies to.

    - `owner_unit`: the unit the record belongs to (its subtree's users see it);
    - `classification`: độ mật, never above the user's clearance;
    - `is_joint` and `province`: joint staff of that province see joint records;
    - distribution: rows of `Distribution` naming the units it was sent or forwarded to.

    Read it only through `phoihop.access.rules` (a lint test guards this).
    """

    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT, related_name="+"
    )
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=STORABLE_CLASSIFICATIONS, default=Classification.THUONG
    )
    is_joint = models.BooleanField(_("thông tin chung ba lực lượng"), default=False)
    province = models.ForeignKey(
        "org.AdministrativeArea", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(BaseModel.Meta):
        abstract = True

    def clean(self) -> None:
        super().clean()
        from phoihop.access.policy import check_classification
        from phoihop.core.errors import DomainError

        try:
            check_classification(self.classification)
        except DomainError as exc:
            raise ValidationError({"classification": exc.message}) from exc


class Distribution(models.Model):
    """A scoped record sent to a unit, directly or forwarded by a unit that had received it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị nhận"), on_delete=models.PROTECT, related_name="+"
    )
    forwarded_by = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị chuyển tiếp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân phối")
        verbose_name_plural = _("phân phối")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "unit"], name="one_distribution_per_unit"
            )
        ]
        indexes = [models.Index(fields=["unit", "content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} → {self.unit_id}"
