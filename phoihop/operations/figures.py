"""The figures of the joint operations, declared once (see `phoihop.core.figures`): what the
indicators, the coordination report and the dashboard count of each kind of operation.

The counting rules are those of `phoihop.operations.selectors`: protection, patrols, rescues and
exercises count in the period they started, checkpoints and protected zones in every period they
operate in (a checkpoint's vehicles and people are its daily counts dated inside the period); a
record counts once however many forces took part, and the personnel and vehicles of a rescue are
those every unit taking part committed. A scope's unit counts the records it or a unit below it
leads (owns); the dashboard's force filter keeps the records that force took part in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from phoihop.core import formats
from phoihop.core.figures import (
    Derived,
    RecordRow,
    Results,
    Scope,
    Source,
    lazy,
    scope_page,
    total,
)
from phoihop.operations.enums import PatrolRoute, ProtectionTarget, ZoneKind
from phoihop.operations.kinds import KINDS, Kind
from phoihop.operations.models import OperationRecord, OperationUnit
from phoihop.operations.selectors import counts_in, record_list, records_in, rescue_figures


def _source(kind: Kind) -> Source:
    """The records of one kind of operation, with how they are found, listed and placed."""

    def select(scope: Scope) -> QuerySet[Any]:
        qs = scope.narrow(record_list(kind.model, actor=scope.actor), records_in)
        if scope.force is not None:
            taking_part = OperationUnit.objects.filter(
                content_type=ContentType.objects.get_for_model(kind.model), force=scope.force
            )
            qs = qs.filter(pk__in=taking_part.values("object_id"))
        return qs.order_by()

    def row(record: OperationRecord) -> RecordRow:
        return RecordRow(
            record.title,
            reverse("operations:detail", kwargs={"kind": kind.slug, "public_id": record.public_id}),
            formats.date(record.start_date),
            str(kind.label),
        )

    return Source(
        f"operations.{kind.slug}",
        label=kind.label,
        select=select,
        row=row,
        page=scope_page("operations:list", {"kind": kind.slug}),
        newest=("-start_date", "-pk"),
        dated="start_date",
        until="end_date" if kind.slug in ("checkpoints", "zones") else "",
        communes="places__commune_id",
        province="province__code",
        forces="participants__force__code",
    )


SOURCES = {slug: _source(kind) for slug, kind in KINDS.items()}
PROTECTIONS = SOURCES["protections"]
CHECKPOINTS = SOURCES["checkpoints"]
ZONES = SOURCES["zones"]
PATROLS = SOURCES["patrols"]
RESCUES = SOURCES["rescues"]
EXERCISES = SOURCES["exercises"]

# Every joint operation of the period, whatever its kind (the dashboard).
OPERATIONS = total(
    "operations.count",
    gettext_lazy("Hoạt động phối hợp"),
    unit=gettext_lazy("hoạt động"),
    parts=list(SOURCES.values()),
    order=290,
)

# --- protection of delegations and events, key targets ------------------------------------------

DELEGATIONS = PROTECTIONS.figure(
    "protection.delegations",
    gettext_lazy("Đoàn được bảo vệ"),
    unit=gettext_lazy("đoàn"),
    where=Q(target=ProtectionTarget.DELEGATION),
    query={"target": ProtectionTarget.DELEGATION},
    order=300,
    report=True,
    derived=Derived(
        "Số đoàn được bảo vệ",
        "đoàn",
        code="operations.delegations",
        description="Đoàn lãnh đạo Đảng, Nhà nước, bộ, ngành trung ương, khách nước ngoài do "
        "đơn vị (hoặc đơn vị cấp dưới) chủ trì bảo vệ, bắt đầu trong kỳ.",
    ),
)
EVENTS = PROTECTIONS.figure(
    "protection.events",
    gettext_lazy("Sự kiện được bảo vệ"),
    unit=gettext_lazy("sự kiện"),
    where=Q(target=ProtectionTarget.EVENT),
    query={"target": ProtectionTarget.EVENT},
    order=310,
    report=True,
    derived=Derived(
        "Số sự kiện được bảo vệ",
        "sự kiện",
        code="operations.events",
        description="Sự kiện chính trị, văn hóa, xã hội, thể thao do đơn vị (hoặc đơn vị cấp "
        "dưới) chủ trì bảo vệ, bắt đầu trong kỳ.",
    ),
)
KEY_TARGETS = ZONES.figure(
    "protection.key_targets",
    gettext_lazy("Mục tiêu trọng điểm được bảo vệ"),
    unit=gettext_lazy("mục tiêu"),
    where=Q(zone_kind=ZoneKind.KEY_TARGET),
    emit="nonzero",
    order=315,
    report=True,
)
ZONE_KINDS = ZONES.family(
    "zones",
    by="zone_kind",
    values=lambda: [(v, n) for v, n in ZoneKind.choices if v != ZoneKind.KEY_TARGET],
    unit=pgettext_lazy("unit of count", "khu vực"),
    order=325,
    report=True,
)

# --- checkpoints ----------------------------------------------------------------------------

CHECKPOINT_COUNT = CHECKPOINTS.figure(
    "checkpoints.count",
    gettext_lazy("Chốt kiểm soát hoạt động"),
    unit=pgettext_lazy("unit of count", "chốt"),
    order=320,
    report=True,
)
VEHICLES = CHECKPOINTS.figure(
    "checkpoints.vehicles",
    gettext_lazy("Lượt phương tiện được kiểm soát"),
    unit=gettext_lazy("lượt phương tiện"),
    order=321,
    report=True,
    derived=Derived(
        "Số lượt phương tiện được kiểm soát tại chốt",
        "lượt phương tiện",
        code="operations.checkpoint_vehicles",
        order=320,
        description="Tổng số liệu theo ngày trong kỳ của các chốt do đơn vị (hoặc đơn vị cấp "
        "dưới) chủ trì.",
    ),
)
PEOPLE = CHECKPOINTS.figure(
    "checkpoints.people",
    gettext_lazy("Lượt người được kiểm soát"),
    unit=gettext_lazy("lượt người"),
    order=322,
    report=True,
    derived=Derived(
        "Số lượt người được kiểm soát tại chốt",
        "lượt người",
        code="operations.checkpoint_people",
        order=330,
        description="Tổng số liệu theo ngày trong kỳ của các chốt do đơn vị (hoặc đơn vị cấp "
        "dưới) chủ trì.",
    ),
)


@CHECKPOINTS.provider(CHECKPOINT_COUNT, VEHICLES, PEOPLE)
def _checkpoints(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """The checkpoints operating in the period and their daily counts dated inside it."""
    count = records.count()
    if not count:
        return
    sums = counts_in(records, start=scope.start, end=scope.end).aggregate(
        vehicles=Sum("vehicles"), people=Sum("people")
    )
    ids = lazy(lambda: tuple(str(i) for i in records.values_list("public_id", flat=True)))
    out.add(CHECKPOINT_COUNT, count, ids=ids)
    out.add(VEHICLES, int(sums["vehicles"] or 0), ids=ids)
    out.add(PEOPLE, int(sums["people"] or 0), ids=ids)


# --- patrols --------------------------------------------------------------------------------

PATROL_COUNT = PATROLS.figure(
    "patrols.count",
    gettext_lazy("Cuộc tuần tra, kiểm soát chung"),
    unit=gettext_lazy("cuộc"),
    emit="nonzero",
    order=340,
    report=True,
)
ROUTES = PATROLS.family(
    "patrols.route",
    by="route",
    values=lambda: PatrolRoute.choices,
    label=lambda name: _("Tuần tra tuyến %(route)s") % {"route": str(name).lower()},
    unit=gettext_lazy("cuộc"),
    order=341,
    report=True,
    query="route",
)
SORTIES = PATROLS.figure(
    "operations.patrol_sorties",
    gettext_lazy("Lượt tuần tra, kiểm soát phối hợp"),
    unit=pgettext_lazy("unit of count", "lượt"),
    total="sorties",
    order=345,
    derived=Derived(
        "Số lượt tuần tra, kiểm soát phối hợp",
        "lượt",
        order=340,
        description="Lượt tuần tra, kiểm soát trên bộ, biên giới và trên biển do đơn vị (hoặc "
        "đơn vị cấp dưới) chủ trì, bắt đầu trong kỳ.",
    ),
)
VIOLATIONS = PATROLS.figure(
    "operations.patrol_violations",
    gettext_lazy("Vụ vi phạm phát hiện qua tuần tra, kiểm soát"),
    unit=gettext_lazy("vụ"),
    total="violations",
    order=346,
    derived=Derived("Số vụ vi phạm phát hiện qua tuần tra, kiểm soát", "vụ", order=350),
)

# --- disaster response and search and rescue ------------------------------------------------

INCIDENTS = RESCUES.figure(
    "rescue.incidents",
    gettext_lazy("Vụ thiên tai, sự cố được ứng phó, cứu hộ, cứu nạn"),
    unit=gettext_lazy("vụ"),
    order=360,
    report=True,
    derived=Derived(
        "Số vụ thiên tai, sự cố tham gia ứng phó, tìm kiếm cứu nạn",
        "vụ",
        code="operations.rescues",
        description="Vụ do đơn vị (hoặc đơn vị cấp dưới) chủ trì ứng phó, bắt đầu trong kỳ.",
    ),
)
PERSONNEL = RESCUES.figure(
    "rescue.personnel",
    gettext_lazy("Lượt cán bộ, chiến sĩ tham gia"),
    unit=gettext_lazy("lượt cán bộ, chiến sĩ"),
    order=370,
    report=True,
    derived=Derived(
        "Số lượt cán bộ, chiến sĩ tham gia phòng chống thiên tai, tìm kiếm cứu nạn",
        "lượt người",
        code="operations.rescue_personnel",
        description="Lượt cán bộ, chiến sĩ mọi đơn vị tham gia huy động cho các vụ do đơn vị "
        "(hoặc đơn vị cấp dưới) chủ trì trong kỳ.",
    ),
)
RESCUE_VEHICLES = RESCUES.figure(
    "rescue.vehicles",
    gettext_lazy("Lượt phương tiện huy động"),
    unit=gettext_lazy("lượt phương tiện"),
    order=380,
    report=True,
    derived=Derived(
        "Số lượt phương tiện, tàu xuồng huy động phòng chống thiên tai, tìm kiếm cứu nạn",
        "lượt phương tiện",
        code="operations.rescue_vehicles",
        description="Lượt phương tiện và tàu, xuồng mọi đơn vị tham gia huy động cho các vụ do "
        "đơn vị (hoặc đơn vị cấp dưới) chủ trì trong kỳ.",
    ),
)
RESCUED = RESCUES.figure(
    "rescue.rescued",
    gettext_lazy("Người được cứu"),
    unit=gettext_lazy("người"),
    order=390,
    report=True,
    derived=Derived("Số người được cứu", "người", code="operations.people_rescued"),
)
EVACUATED = RESCUES.figure(
    "rescue.evacuated",
    gettext_lazy("Người được sơ tán"),
    unit=gettext_lazy("người"),
    order=400,
    report=True,
    derived=Derived("Số người được sơ tán", "người", code="operations.people_evacuated"),
)
VESSELS_ASSISTED = RESCUES.figure(
    "rescue.vessels",
    gettext_lazy("Phương tiện được hỗ trợ"),
    unit=gettext_lazy("phương tiện"),
    order=405,
    report=True,
)


@RESCUES.provider(INCIDENTS, PERSONNEL, RESCUE_VEHICLES, RESCUED, EVACUATED, VESSELS_ASSISTED)
def _rescues(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """Every figure of the rescues once one was made; nothing when there was none."""
    figures = rescue_figures(records)
    if not figures.incidents:
        return
    ids = lazy(lambda: tuple(str(i) for i in records.values_list("public_id", flat=True)))
    for figure, value in (
        (INCIDENTS, figures.incidents),
        (PERSONNEL, figures.commitment.personnel),
        (RESCUE_VEHICLES, figures.commitment.all_vehicles),
        (RESCUED, figures.people_rescued),
        (EVACUATED, figures.people_evacuated),
        (VESSELS_ASSISTED, figures.vessels_assisted),
    ):
        out.add(figure, value, ids=ids)


# --- exercises ------------------------------------------------------------------------------

EXERCISE_COUNT = EXERCISES.figure(
    "operations.exercises",
    gettext_lazy("Cuộc diễn tập"),
    unit=gettext_lazy("cuộc"),
    order=410,
    derived=Derived(
        "Số cuộc diễn tập",
        "cuộc",
        description="Diễn tập khu vực phòng thủ, phòng thủ dân sự, tìm kiếm cứu nạn do đơn vị "
        "(hoặc đơn vị cấp dưới) chủ trì, bắt đầu trong kỳ.",
    ),
)
