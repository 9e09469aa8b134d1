"""The figures of the joint operations, declared once (see `phoihop.core.figures`): what the
indicators, the coordination report and the dashboard count of each kind of operation.

The counting rules are those of `phoihop.operations.selectors`: protection, patrols, rescues,
exercises and destructions count in the period they started, checkpoints and protected zones in
every period they operate in (a checkpoint's vehicles and people are its daily counts dated
inside the period); a record counts once however many forces took part, and the personnel and
vehicles of a rescue or a patrol are those every unit taking part committed (in total and by
force). A protected-zone record stands for `zone_count` zones of its kind (the catalogue of zone
kinds, each kind its own figure). A scope's unit counts the records it or a unit below it leads
(owns); the dashboard's force filter keeps the records that force took part in.

Counts entered with a qualifier (trên, hơn, gần, khoảng) give figures that carry the qualifier of
their sum (`phoihop.core.qualifiers`); a sum of exact values is exact.
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
    FigureKind,
    RecordRow,
    Results,
    Scope,
    Source,
    lazy,
    scope_page,
    total,
)
from phoihop.operations.enums import PatrolRoute, ProtectionTarget
from phoihop.operations.kinds import KINDS, Kind
from phoihop.operations.models import KEY_TARGET, OperationRecord, OperationUnit
from phoihop.operations.selectors import (
    Commitment,
    counts_in,
    destruction_figures,
    patrol_figures,
    record_list,
    records_in,
    rescue_figures,
    zone_categories,
    zone_figures,
)
from phoihop.org.models import Force


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
DESTRUCTIONS = SOURCES["destructions"]

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
    emit="nonzero",
    order=315,
    report=True,
)
# One figure per kind of the catalogue of zone kinds (`zones.lockdown`…), written with the
# kind's report phrase ("trên 120 khu phong tỏa"); key targets are reported with protection.
ZONE_KINDS = ZONES.family(
    "zones",
    unit=pgettext_lazy("unit of count", "khu vực"),
    order=325,
    report=True,
)


@ZONES.provider(KEY_TARGETS, ZONE_KINDS)
def _zones(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """The zones of each kind operating in the period, with the qualifier of their sum."""
    figures = zone_figures(records)
    for category in zone_categories(active=False):
        counted = figures.qualified_by_kind.get(category.code)
        if counted is None or not counted.value:
            continue
        of_kind = records.filter(zone_kind=category.code)
        figure = (
            KEY_TARGETS
            if category.code == KEY_TARGET
            else ZONE_KINDS.member(category.code, label=category.name, unit=category.report_phrase)
        )
        out.add(figure, int(counted.value), of_kind, qualifier=counted.qualifier)


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
    "patrols.sorties",
    gettext_lazy("Lượt tuần tra, kiểm soát phối hợp"),
    unit=pgettext_lazy("unit of count", "lượt"),
    order=345,
    report=True,
    derived=Derived(
        "Số lượt tuần tra, kiểm soát phối hợp",
        "lượt",
        code="operations.patrol_sorties",
        order=340,
        description="Lượt tuần tra, kiểm soát trên bộ, biên giới và trên biển do đơn vị (hoặc "
        "đơn vị cấp dưới) chủ trì, bắt đầu trong kỳ.",
    ),
)
PATROL_PERSONNEL = PATROLS.figure(
    "patrols.personnel",
    gettext_lazy("Lượt cán bộ, chiến sĩ tham gia tuần tra, kiểm soát"),
    unit=gettext_lazy("lượt cán bộ, chiến sĩ"),
    emit="nonzero",
    order=347,
    report=True,
)


@PATROLS.provider(SORTIES, PATROL_PERSONNEL)
def _patrol_means(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """The sorties of the patrols (with the qualifier of their sum) and the personnel every
    unit taking part committed; nothing when there was no patrol."""
    figures = patrol_figures(records, actor=scope.actor)
    if not figures.patrols:
        return
    ids = lazy(lambda: tuple(str(i) for i in records.values_list("public_id", flat=True)))
    sorties = figures.sorties_qualified
    out.add(SORTIES, figures.sorties, ids=ids, qualifier=sorties.qualifier)
    if figures.commitment.personnel:
        out.add(PATROL_PERSONNEL, figures.commitment.personnel, ids=ids)


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
CIVILIAN_VESSELS = RESCUES.figure(
    "rescue.civilian_vessels",
    gettext_lazy("Lượt tàu, thuyền của Nhân dân được huy động"),
    unit=gettext_lazy("lượt tàu, thuyền"),
    emit="nonzero",
    order=406,
    report=True,
)
CIVILIAN_PEOPLE = RESCUES.figure(
    "rescue.civilian_people",
    gettext_lazy("Lượt người dân được huy động"),
    unit=gettext_lazy("lượt người"),
    emit="nonzero",
    order=407,
    report=True,
)
# What each force taking part committed: one member per force code (`rescue.force_personnel.CA`),
# labelled with the force's name.
FORCE_PERSONNEL = RESCUES.family(
    "rescue.force_personnel",
    unit=gettext_lazy("lượt cán bộ, chiến sĩ"),
    order=408,
    report=True,
)
FORCE_MEANS = RESCUES.family(
    "rescue.force_means",
    unit=gettext_lazy("lượt phương tiện, tàu xuồng"),
    order=409,
    report=True,
)


def _by_force(commitment: Commitment, out: Results, ids: Any) -> None:
    """Each force's personnel and means (vehicles and boats), in the forces' order."""
    if not commitment.by_force:
        return
    for force in Force.objects.filter(code__in=list(commitment.by_force)).order_by("order"):
        share = commitment.force(force.code)
        for family, value in (
            (FORCE_PERSONNEL, share.personnel),
            (FORCE_MEANS, share.all_vehicles),
        ):
            if value:
                out.add(family.member(force.code, label=force.name), value, ids=ids)


@RESCUES.provider(
    INCIDENTS,
    PERSONNEL,
    RESCUE_VEHICLES,
    RESCUED,
    EVACUATED,
    VESSELS_ASSISTED,
    CIVILIAN_VESSELS,
    CIVILIAN_PEOPLE,
    FORCE_PERSONNEL,
    FORCE_MEANS,
)
def _rescues(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """Every figure of the rescues once one was made; nothing when there was none. Counts
    entered with a qualifier carry the qualifier of their sum."""
    figures = rescue_figures(records)
    if not figures.incidents:
        return
    ids = lazy(lambda: tuple(str(i) for i in records.values_list("public_id", flat=True)))
    for figure, value in (
        (INCIDENTS, figures.incidents),
        (PERSONNEL, figures.commitment.personnel),
        (RESCUE_VEHICLES, figures.commitment.all_vehicles),
        (VESSELS_ASSISTED, figures.vessels_assisted),
    ):
        out.add(figure, value, ids=ids)
    for figure, name in (
        (RESCUED, "people_rescued"),
        (EVACUATED, "people_evacuated"),
        (CIVILIAN_VESSELS, "civilian_vessels"),
        (CIVILIAN_PEOPLE, "civilian_people"),
    ):
        summed = figures.qualified[name]
        if summed.value or figure.emit == "always":
            out.add(figure, int(summed.value), ids=ids, qualifier=summed.qualifier)
    _by_force(figures.commitment, out, ids)


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


# --- destruction of explosives, ordnance and weapons ----------------------------------------

DESTRUCTION_COUNT = DESTRUCTIONS.figure(
    "destruction.count",
    gettext_lazy("Đợt tiêu hủy vật liệu nổ, bom mìn, vũ khí"),
    unit=gettext_lazy("đợt tiêu hủy"),
    emit="nonzero",
    order=580,
    report=True,
)
# What was destroyed, by catalogue item (`destruction.items.thuoc-no`), in its canonical unit.
DESTROYED = DESTRUCTIONS.family(
    "destruction.items", kind=FigureKind.QUANTITY, order=581, report=True
)


@DESTRUCTIONS.provider(DESTRUCTION_COUNT, DESTROYED)
def _destroyed(records: QuerySet[Any], scope: Scope, out: Results) -> None:
    """The destructions of the period and, for each item, the exact sum destroyed (with the
    qualifier of the sum when quantities were entered with one)."""
    figures = destruction_figures(records)
    if not figures.destructions:
        return
    ids = lazy(lambda: tuple(str(i) for i in records.values_list("public_id", flat=True)))
    out.add(DESTRUCTION_COUNT, figures.destructions, ids=ids)
    for destroyed in figures.items:
        out.add(
            DESTROYED.member(
                destroyed.item.code,
                label=_("%(item)s được tiêu hủy") % {"item": destroyed.item.name},
                unit=destroyed.item.report_phrase,
            ),
            destroyed.quantity,
            records.filter(item=destroyed.item),
            qualifier=destroyed.qualifier,
        )
