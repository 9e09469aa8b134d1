"""The record kinds of the module, in one table: what the pages and the API need of each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phoihop.operations import selectors, services
from phoihop.operations.filters import OperationFilter, kind_filter
from phoihop.operations.models import (
    Checkpoint,
    Destruction,
    Exercise,
    OperationRecord,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)

Figures = Callable[[QuerySet[Any], Any, dt.date | None, dt.date | None], Any]


@dataclass(frozen=True)
class Kind:
    slug: str  # in URLs: /operations/<slug>/, /api/v1/operations/<slug>/
    name: str  # one record in the API: URL names (`protection-list`), schema components
    model: type[OperationRecord]
    label: str | Promise  # plural, as a heading
    singular: str | Promise
    create: Callable[..., Any]
    filterset: type[OperationFilter]
    category_field: str  # the choice that sorts the kind's records (purpose, route…)
    figures: Figures


PROTECTIONS = Kind(
    "protections",
    "protection",
    Protection,
    _("Bảo vệ đoàn, sự kiện"),
    _("nhiệm vụ bảo vệ"),
    services.protection_create,
    kind_filter(Protection),
    "target",
    lambda qs, actor, start, end: selectors.protection_figures(qs),
)
CHECKPOINTS = Kind(
    "checkpoints",
    "checkpoint",
    Checkpoint,
    _("Chốt kiểm soát"),
    _("chốt kiểm soát"),
    services.checkpoint_create,
    kind_filter(Checkpoint),
    "purpose",
    lambda qs, actor, start, end: selectors.checkpoint_figures(qs, start=start, end=end),
)
ZONES = Kind(
    "zones",
    "zone",
    ProtectedZone,
    _("Khu vực phong tỏa, cách ly, mục tiêu"),
    _("khu vực"),
    services.zone_create,
    kind_filter(ProtectedZone),
    "zone_kind",
    lambda qs, actor, start, end: selectors.zone_figures(qs),
)
PATROLS = Kind(
    "patrols",
    "patrol",
    Patrol,
    _("Tuần tra, kiểm soát"),
    _("chuyến tuần tra"),
    services.patrol_create,
    kind_filter(Patrol),
    "route",
    lambda qs, actor, start, end: selectors.patrol_figures(qs, actor=actor),
)
RESCUES = Kind(
    "rescues",
    "rescue",
    Rescue,
    _("Phòng chống thiên tai, tìm kiếm cứu nạn"),
    _("vụ thiên tai, cứu nạn"),
    services.rescue_create,
    kind_filter(Rescue),
    "incident_kind",
    lambda qs, actor, start, end: selectors.rescue_figures(qs),
)
EXERCISES = Kind(
    "exercises",
    "exercise",
    Exercise,
    _("Diễn tập"),
    _("cuộc diễn tập"),
    services.exercise_create,
    kind_filter(Exercise),
    "exercise_kind",
    lambda qs, actor, start, end: selectors.exercise_figures(qs),
)

DESTRUCTIONS = Kind(
    "destructions",
    "destruction",
    Destruction,
    _("Tiêu hủy vật liệu nổ, bom mìn, vũ khí"),
    _("đợt tiêu hủy"),
    services.destruction_create,
    kind_filter(Destruction),
    "item",
    lambda qs, actor, start, end: selectors.destruction_figures(qs),
)

KINDS: dict[str, Kind] = {
    k.slug: k for k in (PROTECTIONS, CHECKPOINTS, ZONES, PATROLS, RESCUES, EXERCISES, DESTRUCTIONS)
}


def kind_of(record: OperationRecord | type[OperationRecord]) -> Kind:
    model = record if isinstance(record, type) else type(record)
    return next(k for k in KINDS.values() if k.model is model)
