"""Demo step: mass mobilisation in the demo province, quý III/2023, quý II/2024 and quý III/2024.

The figures of quý III/2024 are those the provincial press reported for the three forces'
coordination: 252 forums "Công an lắng nghe ý kiến Nhân dân" with 3.429 opinions, a surrender
campaign launched in every commune of the province, with 2,4 kg thuốc nổ, 92 khẩu súng các loại
and 643 dao, kiếm handed in. They are generated here by seeded exact partitions (`partition`),
never written anywhere else: each forum's opinions and attendees, each topic's share, each
commune's handed-in quantities are drawn by `random.Random(seed)`, and the parts add up to the
totals exactly. The earlier quarters give something to compare with.

`plan(...)` is pure (the same scenario and communes give the same plan); `build_mobilisation`
records the plan through the mobilisation services as the province commanders of the scenario.
Units are used only where they existed at the time (commune police created on 01/7/2025 did not
organise forums in 2024: the provincial police did). Every record is joint (is_joint), so the
joint staff of the three forces see them all.

Idempotent: a kind of record already present in a quarter of the demo province is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from phoihop.mobilisation import services
from phoihop.mobilisation.enums import OpinionTopic, ProgrammeKind
from phoihop.mobilisation.models import Forum, PropagandaSession, SocialProgramme, SurrenderCampaign
from phoihop.mobilisation.selectors import area_communes
from phoihop.mobilisation.services import HandedInData, OpinionData
from phoihop.org.models import AdministrativeArea, Unit
from phoihop_dev.chance import day_in

if TYPE_CHECKING:
    from phoihop_dev.demo.builder import DemoContext

PROVINCE_CODE = "42"
POLICE_COMMANDER = "ca.tinh.chihuy"
MILITARY_COMMANDER = "qs.tinh.chihuy"
BORDER_COMMANDER = "bp.tinh.chihuy"
NEEDED_UNITS = ("ca.tinh", "qs.tinh", "bp.tinh")


@dataclass(frozen=True)
class Quarter:
    key: str
    start: dt.date
    end: dt.date
    seed: int
    forums: int
    opinions: int
    propaganda: int
    # Surrender campaign of the quarter: share of communes launched, and what was handed in
    # (catalogue code → (total in the unit entered, the unit entered, rows to spread it over)).
    coverage: float
    handed_in: tuple[tuple[str, int, str, int], ...]
    programmes: tuple[tuple[str, int], ...]  # (programme kind, records)


QUARTERS = (
    Quarter(
        "2023-q3",
        dt.date(2023, 6, 15),
        dt.date(2023, 9, 14),
        seed=52023,
        forums=231,
        opinions=3012,
        propaganda=48,
        coverage=0.85,
        handed_in=(
            ("thuoc-no", 1800, "gam", 6),
            ("sung", 71, "khẩu", 18),
            ("dao-kiem", 512, "cái", 30),
            ("luu-dan", 6, "quả", 4),
        ),
        programmes=(("school", 3), ("foster", 3), ("housing", 1)),
    ),
    Quarter(
        "2024-q2",
        dt.date(2024, 3, 15),
        dt.date(2024, 6, 14),
        seed=52042,
        forums=240,
        opinions=3188,
        propaganda=55,
        coverage=0.6,
        handed_in=(
            ("thuoc-no", 1100, "gam", 5),
            ("sung", 38, "khẩu", 12),
            ("dao-kiem", 275, "cái", 20),
        ),
        programmes=(("school", 2), ("foster", 4), ("housing", 2)),
    ),
    Quarter(
        "2024-q3",
        dt.date(2024, 6, 15),
        dt.date(2024, 9, 14),
        seed=52043,
        forums=252,
        opinions=3429,
        propaganda=64,
        coverage=1.0,
        handed_in=(
            ("thuoc-no", 2400, "gam", 8),
            ("sung", 92, "khẩu", 21),
            ("dao-kiem", 643, "cái", 37),
        ),
        programmes=(("school", 4), ("foster", 5), ("housing", 2)),
    ),
)

_TOPIC_WEIGHTS = {
    OpinionTopic.SECURITY: 24,
    OpinionTopic.DRUGS: 9,
    OpinionTopic.TRAFFIC: 18,
    OpinionTopic.FIRE: 6,
    OpinionTopic.ADMINISTRATION: 16,
    OpinionTopic.FRAUD: 11,
    OpinionTopic.LAND: 7,
    OpinionTopic.POLICY: 4,
    OpinionTopic.CONDUCT: 2,
    OpinionTopic.OTHER: 3,
}

_OPINIONS = {
    OpinionTopic.SECURITY: (
        "Đề nghị tăng cường tuần tra ban đêm ở khu vực chợ và các tuyến đường liên thôn.",
        "Phản ánh tình trạng trộm cắp gia súc, gia cầm tái diễn ở các thôn giáp rừng.",
    ),
    OpinionTopic.DRUGS: (
        "Phản ánh có đối tượng lạ tụ tập, nghi sử dụng ma túy tại bãi đất trống cuối thôn.",
    ),
    OpinionTopic.TRAFFIC: (
        "Đề nghị lắp gờ giảm tốc và biển báo trước cổng trường tiểu học.",
        "Phản ánh thanh thiếu niên tụ tập đua xe trên tuyến tỉnh lộ vào tối cuối tuần.",
    ),
    OpinionTopic.ADMINISTRATION: (
        "Đề nghị hướng dẫn người cao tuổi làm thủ tục cấp căn cước và kích hoạt định danh điện tử.",
    ),
    OpinionTopic.FRAUD: (
        "Đề nghị tuyên truyền thủ đoạn lừa đảo qua điện thoại giả danh cơ quan công an.",
    ),
    OpinionTopic.FIRE: ("Đề nghị tập huấn phòng cháy, chữa cháy cho các hộ kinh doanh ở chợ.",),
}
_ANSWERS = (
    "Công an xã đã bố trí lực lượng tuần tra, phối hợp với Ban Chỉ huy Quân sự xã và dân quân.",
    "Đã tiếp thu, kiến nghị Ủy ban nhân dân xã chỉ đạo các ngành liên quan giải quyết.",
    "Đã xác minh, xử lý theo quy định và thông báo kết quả cho người dân tại buổi họp thôn.",
)

# Law propaganda by force: (law codes, weight).
_PROPAGANDA = {
    "CA": (
        (("can-cuoc",), 5),
        (("trat-tu-atgt-duong-bo",), 5),
        (("luc-luong-bao-ve-antt-co-so",), 4),
        (("phong-chay-chua-chay",), 3),
        (("vu-khi-vat-lieu-no",), 3),
        (("phong-chong-ma-tuy",), 2),
        (("can-cuoc", "cu-tru"), 2),
    ),
    "QS": (
        (("nghia-vu-quan-su",), 5),
        (("dan-quan-tu-ve",), 3),
        (("nghia-vu-quan-su", "dan-quan-tu-ve"), 2),
    ),
    "BP": (
        (("bien-phong",), 5),
        (("bien-viet-nam",), 3),
        (("bien-phong", "phong-chong-mua-ban-nguoi"), 2),
        (("bien-phong", "vu-khi-vat-lieu-no"), 2),
    ),
}
_FORCE_WEIGHTS = (("CA", 5), ("QS", 2), ("BP", 3))
_PROPAGANDA_TITLES = {
    "CA": (
        "Tuyên truyền, phổ biến pháp luật tại hội nghị thôn",
        "Tuyên truyền pháp luật cho học sinh trường trung học phổ thông",
        "Tuyên truyền lưu động bằng xe loa tại các thôn",
    ),
    "QS": (
        "Tuyên truyền Luật Nghĩa vụ quân sự cho thanh niên trong độ tuổi",
        "Phổ biến pháp luật cho lực lượng dân quân",
    ),
    "BP": (
        "Tuyên truyền pháp luật cho bà con khu vực biên giới",
        "Tuyên truyền pháp luật cho ngư dân tại cảng cá",
        "Tuyên truyền tại sinh hoạt cộng đồng bản, thôn",
    ),
}
_PROGRAMMES = {
    ProgrammeKind.SCHOOL: (
        "CA",
        "Trao học bổng “Nâng bước em tới trường” cho học sinh có hoàn cảnh khó khăn",
        (5, 30),
        (500_000, 2_000_000),
    ),
    ProgrammeKind.FOSTER: (
        "BP",
        "Nhận đỡ đầu học sinh “Con nuôi đồn Biên phòng”",
        (1, 4),
        (6_000_000, 12_000_000),
    ),
    ProgrammeKind.HOUSING: (
        "QS",
        "Xây tặng nhà “Mái ấm đồng đội” cho quân nhân có hoàn cảnh khó khăn",
        (1, 1),
        (60_000_000, 80_000_000),
    ),
}


def partition(rng: random.Random, total: int, parts: int, minimum: int = 0) -> list[int]:
    """`total` split into `parts` whole numbers, each at least `minimum`, that add up exactly."""
    spare = total - parts * minimum
    if parts <= 0 or spare < 0:
        raise ValueError((total, parts, minimum))
    cuts = sorted(rng.randint(0, spare) for _ in range(parts - 1))
    return [minimum + b - a for a, b in zip([0, *cuts], [*cuts, spare], strict=True)]


@dataclass(frozen=True)
class PlannedForum:
    day: dt.date
    commune: str  # official code
    attendees: int
    opinions: int
    topics: tuple[tuple[str, int], ...]
    partners: tuple[str, ...] = ()  # force codes of participating commune units
    individual: tuple[tuple[str, str, str], ...] = ()  # (topic, content, follow-up status)


@dataclass(frozen=True)
class PlannedPropaganda:
    force: str
    day: dt.date
    commune: str | None
    title: str
    laws: tuple[str, ...]
    sessions: int
    attendees: int
    leaflets: int


@dataclass(frozen=True)
class PlannedHandedIn:
    commune: str
    day: dt.date
    item: str
    quantity: int
    unit: str


@dataclass(frozen=True)
class PlannedCampaign:
    name: str
    start: dt.date
    end: dt.date
    launches: tuple[tuple[str, dt.date], ...]
    handed_in: tuple[PlannedHandedIn, ...]


@dataclass(frozen=True)
class PlannedProgramme:
    kind: str
    force: str
    day: dt.date
    commune: str | None
    name: str
    beneficiaries: int
    value: int


@dataclass
class QuarterPlan:
    quarter: Quarter
    forums: list[PlannedForum] = field(default_factory=list)
    propaganda: list[PlannedPropaganda] = field(default_factory=list)
    campaign: PlannedCampaign | None = None
    programmes: list[PlannedProgramme] = field(default_factory=list)


def _topics(rng: random.Random, opinions: int) -> tuple[tuple[str, int], ...]:
    # About one forum in ten leaves a few opinions without a topic.
    classified = opinions - (rng.randint(1, min(3, opinions)) if rng.random() < 0.1 else 0)
    topics = [str(t) for t in _TOPIC_WEIGHTS]
    weights = list(_TOPIC_WEIGHTS.values())
    counts: dict[str, int] = {}
    for topic in rng.choices(topics, weights, k=classified):
        counts[topic] = counts.get(topic, 0) + 1
    return tuple((t, counts[t]) for t in topics if t in counts)


def _individual(
    rng: random.Random, topics: Sequence[tuple[str, int]]
) -> tuple[tuple[str, str, str], ...]:
    candidates = [t for t, _n in topics if t in _OPINIONS]
    if not candidates or rng.random() >= 0.12:
        return ()
    picked = rng.sample(candidates, k=min(len(candidates), rng.choice([1, 1, 2])))
    return tuple(
        (
            t,
            rng.choice(_OPINIONS[OpinionTopic(t)]),
            rng.choice(["closed", "closed", "answered", "open"]),
        )
        for t in picked
    )


def plan_quarter(quarter: Quarter, communes: Sequence[str], border: Sequence[str]) -> QuarterPlan:
    """The quarter's records: forums, propaganda, the campaign and social support, exactly."""
    rng = random.Random(quarter.seed)
    result = QuarterPlan(quarter)
    opinions = partition(rng, quarter.opinions, quarter.forums, minimum=4)
    attendees = partition(rng, quarter.forums * 95, quarter.forums, minimum=40)
    for count, people in zip(opinions, attendees, strict=True):
        commune = rng.choice(communes)
        topics = _topics(rng, count)
        partners = (
            tuple(force for force, chance in (("QS", 0.3), ("BP", 0.6)) if rng.random() < chance)
            if commune in border
            else (("QS",) if rng.random() < 0.2 else ())
        )
        result.forums.append(
            PlannedForum(
                day=day_in(rng, quarter.start, quarter.end),
                commune=commune,
                attendees=people,
                opinions=count,
                topics=topics,
                partners=partners,
                individual=_individual(rng, topics),
            )
        )
    result.forums.sort(key=lambda f: (f.day, f.commune))
    forces = [f for f, _w in _FORCE_WEIGHTS]
    for _ in range(quarter.propaganda):
        force = rng.choices(forces, [w for _f, w in _FORCE_WEIGHTS])[0]
        laws = rng.choices(
            [c for c, _w in _PROPAGANDA[force]], [w for _c, w in _PROPAGANDA[force]]
        )[0]
        sessions = rng.randint(1, 4)
        result.propaganda.append(
            PlannedPropaganda(
                force=force,
                day=day_in(rng, quarter.start, quarter.end),
                commune=rng.choice(border if force == "BP" else communes),
                title=rng.choice(_PROPAGANDA_TITLES[force]),
                laws=laws,
                sessions=sessions,
                attendees=sessions * rng.randint(40, 160),
                leaflets=rng.choice([0, 100, 200, 300, 500]),
            )
        )
    result.propaganda.sort(key=lambda p: (p.day, p.force, p.title))
    result.campaign = _plan_campaign(rng, quarter, communes)
    for kind, records in quarter.programmes:
        force, name, (low, high), (vlow, vhigh) = _PROGRAMMES[ProgrammeKind(kind)]
        for _ in range(records):
            beneficiaries = rng.randint(low, high)
            each = rng.randrange(vlow, vhigh + 1, 100_000)
            result.programmes.append(
                PlannedProgramme(
                    kind=kind,
                    force=force,
                    day=day_in(rng, quarter.start, quarter.end),
                    commune=rng.choice(border if force == "BP" else communes),
                    name=name,
                    beneficiaries=beneficiaries,
                    value=beneficiaries * each,
                )
            )
    result.programmes.sort(key=lambda p: (p.day, p.kind))
    return result


def _plan_campaign(
    rng: random.Random, quarter: Quarter, communes: Sequence[str]
) -> PlannedCampaign:
    launched = sorted(rng.sample(list(communes), k=round(len(communes) * quarter.coverage)))
    # Launches in the first six weeks of the campaign.
    last_launch = min(quarter.end, quarter.start + dt.timedelta(days=42))
    launches = tuple((code, day_in(rng, quarter.start, last_launch)) for code in launched)
    launch_day = dict(launches)
    rows: list[PlannedHandedIn] = []
    for item, total, unit, spread in quarter.handed_in:
        places = rng.sample(launched, k=min(spread, len(launched)))
        minimum = 50 if unit == "gam" else 1
        for commune, amount in zip(
            places, partition(rng, total, len(places), minimum), strict=True
        ):
            rows.append(
                PlannedHandedIn(
                    commune=commune,
                    day=day_in(rng, launch_day[commune], quarter.end),
                    item=item,
                    quantity=amount,
                    unit=unit,
                )
            )
    rows.sort(key=lambda r: (r.day, r.commune, r.item))
    return PlannedCampaign(
        name=(
            "Vận động Nhân dân giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ và pháo "
            f"({quarter.start:%d/%m/%Y}–{quarter.end:%d/%m/%Y})"
        ),
        start=quarter.start,
        end=quarter.end,
        launches=launches,
        handed_in=tuple(rows),
    )


# --- the step -----------------------------------------------------------------------------------


class _Units:
    """The scenario's units that existed on a given day, by force and commune."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.specs = {spec.key: spec for spec in ctx.scenario.units}
        self.commune_keys = {area.code: key for key, area in ctx.communes.items()}

    def existed(self, key: str, day: dt.date) -> bool:
        spec = self.specs.get(key)
        return bool(
            spec is not None
            and key in self.ctx.units
            and (spec.valid_from is None or spec.valid_from <= day)
            and spec.valid_until is None
        )

    def local(self, force: str, commune: str, day: dt.date) -> Unit | None:
        """The commune unit of a force (a Border Guard post covering it), if it existed then."""
        key = self.commune_keys.get(commune)
        if key is None:
            return None
        for spec in self.ctx.scenario.units:
            if (
                spec.force == force
                and spec.level == "xa"
                and key in spec.areas
                and self.existed(spec.key, day)
            ):
                return self.ctx.units[spec.key]
        return None

    def organiser(self, force: str, commune: str | None, day: dt.date) -> Unit:
        found = self.local(force, commune, day) if commune else None
        return found or self.ctx.units[f"{force.lower()}.tinh"]


def _commander(force: str) -> str:
    return {"CA": POLICE_COMMANDER, "QS": MILITARY_COMMANDER, "BP": BORDER_COMMANDER}[force]


def _window(model: type, ctx: DemoContext, quarter: Quarter) -> bool:
    return bool(
        model.all_objects.filter(  # type: ignore[attr-defined]
            province=ctx.province, start_date__gte=quarter.start, start_date__lte=quarter.end
        ).exists()
    )


def _areas(codes: Sequence[str | None]) -> dict[str, AdministrativeArea]:
    wanted = {c for c in codes if c}
    return {
        a.code: a
        for a in AdministrativeArea.objects.filter(
            code__in=wanted, level="commune", valid_until__isnull=True
        )
    }


def _build_forums(ctx: DemoContext, units: _Units, plan: QuarterPlan) -> None:
    if _window(Forum, ctx, plan.quarter):
        return
    actor = ctx.users[POLICE_COMMANDER]
    areas = _areas([f.commune for f in plan.forums])
    rng = random.Random(plan.quarter.seed + 1)
    for planned in plan.forums:
        owner = units.organiser("CA", planned.commune, planned.day)
        partners = [
            unit
            for force in planned.partners
            if (unit := units.local(force, planned.commune, planned.day)) is not None
        ]
        forum = services.forum_create(
            actor=actor,
            start_date=planned.day,
            commune=areas[planned.commune],
            attendees=planned.attendees,
            opinions=planned.opinions,
            topic_counts=planned.topics,
            organising_unit=owner,
            participating_units=partners,
            is_joint=True,
        )
        ctx.counts["forums"] += 1
        for topic, content, status in planned.individual:
            opinion = services.opinion_add(
                actor=actor,
                forum=forum,
                data=OpinionData(topic=topic, content=content, assigned_unit=owner),
            )
            answered_at = dt.datetime.combine(
                planned.day + dt.timedelta(days=rng.randint(3, 20)), dt.time(9, 0), tzinfo=dt.UTC
            )
            if status in ("answered", "closed"):
                opinion = services.opinion_answer(
                    actor=actor, opinion=opinion, answer=rng.choice(_ANSWERS), at=answered_at
                )
            if status == "closed":
                services.opinion_close(
                    actor=actor, opinion=opinion, at=answered_at + dt.timedelta(days=7)
                )
            ctx.counts["opinions"] += 1


def _build_propaganda(ctx: DemoContext, units: _Units, plan: QuarterPlan) -> None:
    if _window(PropagandaSession, ctx, plan.quarter):
        return
    areas = _areas([p.commune for p in plan.propaganda])
    for planned in plan.propaganda:
        services.propaganda_create(
            actor=ctx.users[_commander(planned.force)],
            title=planned.title,
            start_date=planned.day,
            laws=planned.laws,
            sessions=planned.sessions,
            attendees=planned.attendees,
            leaflets=planned.leaflets,
            commune=areas.get(planned.commune or ""),
            organising_unit=units.organiser(planned.force, planned.commune, planned.day),
            is_joint=True,
        )
        ctx.counts["propaganda"] += 1


def _build_campaign(ctx: DemoContext, units: _Units, plan: QuarterPlan) -> None:
    planned = plan.campaign
    if (
        planned is None
        or SurrenderCampaign.all_objects.filter(
            province=ctx.province, start_date=planned.start, end_date=planned.end
        ).exists()
    ):
        return
    actor = ctx.users[POLICE_COMMANDER]
    campaign = services.campaign_create(
        actor=actor,
        name=planned.name,
        start_date=planned.start,
        end_date=planned.end,
        area=ctx.province,
        participating_units=[ctx.units["qs.tinh"], ctx.units["bp.tinh"]],
        is_joint=True,
    )
    ctx.counts["campaigns"] += 1
    areas = _areas([code for code, _day in planned.launches])
    for code, day in planned.launches:
        services.campaign_launch(
            actor=actor,
            campaign=campaign,
            commune=areas[code],
            launched_on=day,
            unit=units.organiser("CA", code, day),
        )
        ctx.counts["launches"] += 1
    services.handed_in_add(
        actor=actor,
        campaign=campaign,
        rows=[
            HandedInData(
                commune=areas[row.commune],
                handed_in_on=row.day,
                item=row.item,
                quantity=Decimal(row.quantity),
                unit=row.unit,
            )
            for row in planned.handed_in
        ],
    )
    ctx.counts["handed_in"] += len(planned.handed_in)


def _build_programmes(ctx: DemoContext, units: _Units, plan: QuarterPlan) -> None:
    if _window(SocialProgramme, ctx, plan.quarter):
        return
    areas = _areas([p.commune for p in plan.programmes])
    for planned in plan.programmes:
        services.programme_create(
            actor=ctx.users[_commander(planned.force)],
            kind=planned.kind,
            name=planned.name,
            start_date=planned.day,
            beneficiaries=planned.beneficiaries,
            value=Decimal(planned.value),
            commune=areas.get(planned.commune or ""),
            organising_unit=units.organiser(planned.force, planned.commune, planned.day),
            is_joint=True,
        )
        ctx.counts["programmes"] += 1


def demo_communes(ctx: DemoContext) -> tuple[list[str], list[str]]:
    """(every current commune of the province, the border and coastal ones of the scenario)."""
    communes = sorted(area_communes(ctx.province).values_list("code", flat=True))
    border = sorted(c.code for c in ctx.scenario.communes if c.border or c.coast)
    return communes, border


def plan(communes: Sequence[str], border: Sequence[str]) -> list[QuarterPlan]:
    return [plan_quarter(quarter, communes, border) for quarter in QUARTERS]


def build_mobilisation(ctx: DemoContext) -> None:
    """Load the mobilisation records of the demo province (a cut-down scenario gets none)."""
    needed_users = {POLICE_COMMANDER, MILITARY_COMMANDER, BORDER_COMMANDER}
    if (
        ctx.scenario.province_code != PROVINCE_CODE
        or not set(NEEDED_UNITS) <= set(ctx.units)
        or not needed_users <= set(ctx.users)
    ):
        return
    communes, border = demo_communes(ctx)
    if not communes:
        return
    units = _Units(ctx)
    for quarter_plan in plan(communes, border):
        _build_forums(ctx, units, quarter_plan)
        _build_propaganda(ctx, units, quarter_plan)
        _build_campaign(ctx, units, quarter_plan)
        _build_programmes(ctx, units, quarter_plan)
