"""Synthetic volumes across every module, for benchmarks (`phoihop synth`).

    manage.py synth --provinces N --years Y --records R [--seed S] [--last-year YYYY]

For each of N provinces (Hà Tĩnh first, then by official code) it loads the 2025 administrative
areas, creates through the org services the three forces' units — a provincial command of each
force, a commune police and a commune military command in every commune, a border post for every
six communes — with one officer each, and then fills Y whole years (ending with --last-year, the
previous year by default) with about R records in all: information items with their receipts and
verification requests; cases with their subjects and seized items, and wanted persons; operation
records of every kind (checkpoints with their daily counts); forums with their topic counts and
opinions, propaganda sessions, social programmes, a surrender campaign per province and year with
its launch in every commune and the items handed in; quarterly submissions with their values.
Counted as records: those rows; link rows (distributions, participating units, communes of an
operation, transitions) come on top.

Why bulk inserts, and why no audit. A service call per record (one audited transaction with its
history rows) runs at a few hundred records a second: a million would take hours. So the rows are
built in memory and written with `bulk_create` in batches, in exactly the shape the services
write, through the same rules where they are functions of their own: quantities checked and
converted by the catalogue's rule (`phoihop.cases.catalogue.catalogue_quantity`), search text by
the models' `refresh_search_text`, receipt and verification due times by `ack_due`/`verify_due`,
citizen IDs by `phoihop.core.identifiers.citizen_id`, the numbering year by
`phoihop.core.numbering` (numbers per unit and year from 1, in time order), submission deadlines
by the form's `deadline_for`; and, written here: topic counts and individual opinions never above
a forum's total, a distribution row for every recipient,
cooperating unit and participant the services would share with (operations: outside the owner's
tree, `Unit.is_within`), so the access rule sees what it would, and the transition logs. They
bypass the audit log and the history tables ON PURPOSE: this is synthetic benchmark data, never
production data: it is refused unless PHOIHOP_MODE is `demo` or `test` (the only modes that
install this package as an app, config/development.py). Each batch is its own transaction, so that
a run of a million records does not hold one open for minutes: use a scratch database.

The output is deterministic for a seed: the same seed gives the same rows, public ids included.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.enums import Sex
from phoihop.core.numbering import numbering_year
from phoihop_dev.chance import day_in
from phoihop_dev.people import GIVEN, person_name
from phoihop_dev.synth import SynthRefused, check_mode
from phoihop_dev.synth.places import Place, build_place, province_codes
from phoihop_dev.synth.writer import Deferred, Writer

if TYPE_CHECKING:
    from phoihop.cases.catalogue import CatalogueQuantity


# Share of the records each part receives (the rest of a part's budget is its last bundle).
SHARES: dict[str, float] = {
    "exchange": 0.30,
    "cases": 0.32,
    "wanted": 0.01,
    "operations": 0.14,
    "mobilisation": 0.15,
    "campaign": 0.04,
    "submissions": 0.04,
}

# category → (titles, seized catalogue codes)
CASE_KINDS: dict[str, tuple[list[str], list[str]]] = {
    "drugs": (
        ["Tàng trữ trái phép chất ma túy", "Mua bán trái phép chất ma túy"],
        ["heroin", "ma-tuy-da", "ma-tuy-tong-hop", "can-sa", "thuoc-phien"],
    ),
    "smuggling": (["Buôn lậu thuốc lá điếu ngoại", "Buôn lậu xăng dầu"], ["thuoc-la", "xang-dau"]),
    "weapons": (
        ["Tàng trữ, vận chuyển pháo nổ", "Tàng trữ trái phép vật liệu nổ"],
        ["phao-no", "thuoc-no", "day-chay-cham", "kip-no", "sung"],
    ),
    "forest": (["Khai thác rừng trái phép", "Vận chuyển lâm sản trái phép"], ["go"]),
    "migration": (["Xuất cảnh trái phép", "Tổ chức cho người khác xuất cảnh trái phép"], []),
    "iuu": (["Khai thác hải sản trái phép"], ["xang-dau"]),
    "other_criminal": (["Cố ý gây thương tích", "Trộm cắp tài sản"], ["dao-kiem"]),
    "administrative": (["Vi phạm quy chế khu vực biên giới"], []),
}
HANDED_IN = ["thuoc-no", "sung", "dao-kiem", "phao-no", "kip-no"]
SUBMISSION_INDICATORS = ["tt.tuan-tra", "tt.can-bo-tuan-tra", "tt.tuyen-truyen", "tt.nguoi-nghe"]


# --- the generator ------------------------------------------------------------------------------


@dataclass
class Synth:
    places: list[Place]
    years: list[int]
    records: int
    seed: int
    progress: Callable[[str], None]
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        from phoihop.cases.models import CatalogueItem
        from phoihop.mobilisation.models import Law

        self.zone = timezone.get_default_timezone()
        self.writer = Writer(self.counts, self.progress)
        self.catalogue = {i.code: i for i in CatalogueItem.objects.filter(is_active=True)}
        self.laws = list(Law.objects.filter(is_active=True).order_by("order", "code"))
        self.ctypes: dict[type[models.Model], ContentType] = {}
        self.numbers: Counter[tuple[str, int, int]] = Counter()

    # helpers

    def uid(self, rng: random.Random) -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def ctype(self, model: type[models.Model]) -> ContentType:
        if model not in self.ctypes:
            self.ctypes[model] = ContentType.objects.get_for_model(model)
        return self.ctypes[model]

    def number(self, kind: str, owner: Any, moment: dt.datetime) -> tuple[int, int]:
        """(year, number) of the owner's next record of `kind` at `moment`, by the services' rule
        (`phoihop.core.numbering`): the units are new, so their numbers start at 1 here."""
        year = numbering_year(moment)
        self.numbers[kind, owner.pk, year] += 1
        return year, self.numbers[kind, owner.pk, year]

    def moments(self, rng: random.Random, year: int, count: int) -> list[dt.datetime]:
        start = dt.datetime(year, 1, 1, tzinfo=self.zone)
        span = int((dt.datetime(year + 1, 1, 1, tzinfo=self.zone) - start).total_seconds())
        return sorted(start + dt.timedelta(seconds=rng.randrange(span)) for _ in range(count))

    def day(self, rng: random.Random, year: int) -> dt.date:
        return day_in(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))

    def any_unit(self, rng: random.Random, place: Place, force: str | None = None) -> Any:
        if force is None:
            force = rng.choices(["CA", "QS", "BP"], [5, 3, 2])[0]
        if force == "BP":
            return place.tops["BP"] if rng.random() < 0.2 else rng.choice(place.posts)
        return place.tops[force] if rng.random() < 0.15 else rng.choice(place.commune_units[force])

    def partners(self, rng: random.Random, place: Place, owner: Any, most: int) -> list[Any]:
        chosen: dict[int, Any] = {}
        for _n in range(rng.randint(0, most)):
            force = rng.choice([f for f in ("CA", "QS", "BP") if f != owner.force.code])
            unit = self.any_unit(rng, place, force)
            chosen[unit.pk] = unit
        return list(chosen.values())

    def commune_for(self, rng: random.Random, place: Place, owner: Any) -> Any:
        if owner.pk in place.post_communes:
            return rng.choice(place.post_communes[owner.pk])
        return place.commune_of(owner) or rng.choice(place.communes)

    def quantity(self, rng: random.Random, item: Any) -> CatalogueQuantity:
        """A quantity of a catalogue item in one of its units, checked and converted by the
        services' own rule (whole numbers for counting words)."""
        from phoihop.cases.catalogue import catalogue_quantity
        from phoihop.cases.measures import MEASURES

        unit = rng.choice(item.input_units)
        if MEASURES[unit].is_count:
            entered = Decimal(rng.randint(1, 200))
        else:
            entered = Decimal(rng.randint(1, 500_000)).scaleb(-rng.choice([0, 1, 2, 3]))
        return catalogue_quantity(item, entered, unit, localized=False)

    # the run

    def run(self) -> Counter[str]:
        cells = [(p, y) for p in self.places for y in self.years]
        base, extra = divmod(self.records, len(cells))
        for index, (place, year) in enumerate(cells):
            budget = base + (1 if index < extra else 0)
            rng = random.Random(f"{self.seed}:{place.area.code}:{year}")
            self.progress(f"{place.area.name} {year}: {budget} bản ghi")
            parts: list[tuple[str, Callable[[random.Random, Place, int, int], int]]] = [
                ("exchange", self.exchange),
                ("cases", self.cases),
                ("wanted", self.wanted),
                ("operations", self.operations),
                ("mobilisation", self.mobilisation),
                ("campaign", self.campaign),
                ("submissions", self.submissions),
            ]
            used = 0
            for position, (name, make) in enumerate(parts):
                last = position == len(parts) - 1
                target = budget - used if last else int(budget * SHARES[name])
                if target > 0:
                    used += make(rng, place, year, target)
            self.writer.flush()
        return self.counts

    # exchange: items (1) + receipts (1–3) + sometimes a verification request (1)

    def exchange(self, rng: random.Random, place: Place, year: int, target: int) -> int:
        from phoihop.access.models import Distribution
        from phoihop.exchange.enums import Topic, VerificationResult, VerificationStatus
        from phoihop.exchange.models import (
            InformationItem,
            Receipt,
            VerificationRequest,
            VerificationTransition,
        )
        from phoihop.exchange.services import ack_due, verify_due

        ctype = self.ctype(InformationItem)
        made = 0
        # About 2,35 rows an item: spread over the whole year, numbered in time order.
        for sent_at in self.moments(rng, year, max(1, round(target / 2.35))):
            owner = self.any_unit(rng, place)
            sender = place.users[owner.pk]
            item_year, item_number = self.number("item", owner, sent_at)
            topic = rng.choice(Topic.values)
            title = f"Thông tin về tình hình {Topic(topic).label.lower()} trên địa bàn"
            content = "Nội dung thông tin tổng hợp dùng để đo hiệu năng báo cáo."
            item = InformationItem(
                public_id=self.uid(rng),
                owner_unit=owner,
                province=place.area,
                is_joint=rng.random() < 0.3,
                year=item_year,
                number=item_number,
                title=title,
                content=content,
                topic=topic,
                urgency=rng.choices([0, 1, 2, 3], [55, 30, 11, 4])[0],
                sent_at=sent_at,
                sent_by=sender,
                created_at=sent_at,
            )
            recipients = self.partners(rng, place, owner, 2) or [
                self.any_unit(rng, place, "CA" if owner.force.code != "CA" else "BP")
            ]
            children: list[tuple[str, models.Model]] = []
            item.refresh_search_text()
            due = ack_due(item.urgency, sent_at)
            # Acknowledged within a third more than the time allowed, most of them in time.
            latest = int((due - sent_at).total_seconds() * 4 / 3 // 60)
            for unit in recipients:
                acked = None
                if rng.random() < 0.92:
                    acked = sent_at + dt.timedelta(minutes=rng.randint(5, latest))
                children.append(
                    (
                        "item",
                        Receipt(
                            unit=unit,
                            delivered_at=sent_at,
                            ack_due_at=due,
                            read_at=acked,
                            read_by=place.users[unit.pk] if acked else None,
                            acknowledged_at=acked,
                            acknowledged_by=place.users[unit.pk] if acked else None,
                        ),
                    )
                )
            verification = None
            if rng.random() < 0.05:
                assigned = recipients[0]
                answered = rng.random() < 0.85
                answered_at = (
                    sent_at + dt.timedelta(hours=rng.randint(2, 100)) if answered else None
                )
                verification = VerificationRequest(
                    public_id=self.uid(rng),
                    requesting_unit=owner,
                    assigned_unit=assigned,
                    question="Đề nghị kiểm tra, xác minh nội dung thông tin.",
                    due_at=verify_due(item.urgency, sent_at),
                    status=VerificationStatus.ANSWERED if answered else VerificationStatus.OPEN,
                    result=rng.choice(VerificationResult.values) if answered else "",
                    findings="Đã kiểm tra, xác minh." if answered else "",
                    answered_at=answered_at,
                    answered_by=place.users[assigned.pk] if answered else None,
                    requested_by=sender,
                    created_at=sent_at,
                )
                children.append(("item", verification))
            self.writer.add(item, children)
            if verification is not None:
                self.writer.after.append(
                    _transitions(
                        VerificationTransition,
                        verification,
                        sender,
                        place.users[verification.assigned_unit.pk],
                    )
                )
            self.writer.links.extend(
                Deferred(Distribution, content_type=ctype, record=item, unit=u) for u in recipients
            )
            made += 1 + len(children)
        return made

    # cases: case (1) + subjects (0–3) + seized items (0–2)

    def cases(self, rng: random.Random, place: Place, year: int, target: int) -> int:
        from phoihop.access.models import Distribution
        from phoihop.cases.enums import (
            CaseOutcome,
            CaseStatus,
            ParticipationRole,
            SubjectKind,
            SubjectResult,
            SubjectRole,
        )
        from phoihop.cases.models import Case, CaseUnit, SeizedItem, Subject
        from phoihop.core.identifiers import citizen_id

        ctype = self.ctype(Case)
        made = 0
        # About 3 rows a case: spread over the whole year, numbered in time order.
        for detected in self.moments(rng, year, max(1, round(target / 3))):
            owner = self.any_unit(rng, place, rng.choices(["CA", "BP", "QS"], [55, 30, 15])[0])
            case_year, case_number = self.number("case", owner, detected)
            category = rng.choice(list(CASE_KINDS))
            titles, codes = CASE_KINDS[category]
            domain = (
                rng.choice(["land_border", "sea"])
                if owner.force.code == "BP"
                else rng.choices(["inland", "land_border", "sea"], [8, 1, 1])[0]
            )
            outcome = rng.choices(
                ["", CaseOutcome.PROSECUTION, CaseOutcome.ADMINISTRATIVE, CaseOutcome.TRANSFERRED],
                [30, 25, 35, 10],
            )[0]
            title = rng.choice(titles)
            summary = "Phát hiện, bắt quả tang khi đang tuần tra kiểm soát trên địa bàn."
            case = Case(
                public_id=self.uid(rng),
                owner_unit=owner,
                province=place.area,
                is_joint=rng.random() < 0.3,
                year=case_year,
                number=case_number,
                title=title,
                summary=summary,
                category=category,
                domain=domain,
                commune=self.commune_for(rng, place, owner),
                occurred_at=detected - dt.timedelta(minutes=rng.randrange(720)),
                detected_at=detected,
                detecting_unit=owner,
                lead_force=owner.force,
                status=CaseStatus.HANDLED if outcome else CaseStatus.VERIFYING,
                outcome=outcome,
                fine_amount=(
                    Decimal(rng.randint(1, 200) * 500_000)
                    if outcome == CaseOutcome.ADMINISTRATIVE
                    else None
                ),
                created_by=place.users[owner.pk],
                created_at=detected,
            )
            case.refresh_search_text()
            partners = self.partners(rng, place, owner, 2)
            children: list[tuple[str, models.Model]] = [
                ("case", CaseUnit(unit=owner, force=owner.force, role=ParticipationRole.LEAD))
            ]
            children += [
                ("case", CaseUnit(unit=u, force=u.force, role=ParticipationRole.COOPERATING))
                for u in partners
            ]
            rows = 1
            for _n in range(rng.choice([0, 1, 1, 1, 2, 3])):
                if rng.random() < 0.03:
                    subject = Subject(
                        kind=SubjectKind.ORGANISATION,
                        name=f"Công ty TNHH Thương mại {rng.choice(GIVEN[Sex.MALE])}",
                        registration_number=f"30{rng.randrange(10**8):08d}",
                        role=SubjectRole.SUSPECT,
                    )
                else:
                    sex = "male" if rng.random() < 0.8 else "female"
                    born = rng.randint(1960, year - 16)
                    subject = Subject(
                        kind=SubjectKind.PERSON,
                        name=person_name(rng, sex),
                        birth_year=born,
                        sex=sex,
                        citizen_id=(
                            citizen_id(
                                f"0{place.area.code}",
                                birth_year=born,
                                sex=sex,
                                serial=rng.randrange(10**6),
                            )
                            if rng.random() < 0.85
                            else ""
                        ),
                        role=rng.choice([SubjectRole.ARRESTED, SubjectRole.SUSPECT]),
                        result=rng.choice(["", *SubjectResult.values]),
                    )
                subject.public_id = self.uid(rng)
                subject.created_at = detected
                children.append(("case", subject))
                rows += 1
            usable = [self.catalogue[c] for c in codes if c in self.catalogue]
            for item in rng.sample(usable, min(len(usable), rng.choice([0, 1, 1, 2]))):
                amount = self.quantity(rng, item)
                children.append(
                    (
                        "case",
                        SeizedItem(
                            public_id=self.uid(rng),
                            item=item,
                            quantity=amount.canonical,
                            entered_quantity=amount.entered,
                            entered_unit=amount.unit,
                            created_at=detected,
                        ),
                    )
                )
                rows += 1
            self.writer.add(case, children)
            self.writer.links.extend(
                Deferred(Distribution, content_type=ctype, record=case, unit=u) for u in partners
            )
            made += rows
        return made

    def wanted(self, rng: random.Random, place: Place, year: int, target: int) -> int:
        from phoihop.cases.enums import WantedStatus
        from phoihop.cases.models import WantedPerson

        for _n in range(target):
            owner = place.tops["CA"]
            sex = "male" if rng.random() < 0.85 else "female"
            arrested = rng.random() < 0.4
            notice = self.day(rng, year)
            arrested_at = None
            if arrested:
                end = dt.date(year, 12, 31)
                day = notice + dt.timedelta(days=rng.randint(0, max(0, (end - notice).days)))
                arrested_at = dt.datetime.combine(day, dt.time(10), tzinfo=self.zone)
            self.writer.add(
                WantedPerson(
                    public_id=self.uid(rng),
                    owner_unit=owner,
                    province=place.area,
                    notice_number=f"{rng.randint(1, 999)}/QĐ-TN",
                    notice_date=notice,
                    issuing_authority=f"Cơ quan Cảnh sát điều tra {place.area.name}",
                    full_name=person_name(rng, sex),
                    birth_year=rng.randint(1960, year - 18),
                    sex=sex,
                    offence="Trộm cắp tài sản",
                    status=WantedStatus.ARRESTED if arrested else WantedStatus.WANTED,
                    arrested_at=arrested_at,
                    arresting_unit=self.any_unit(rng, place) if arrested else None,
                    created_at=dt.datetime.combine(notice, dt.time(8), tzinfo=self.zone),
                )
            )
        return target

    # operations: record (1) + checkpoint counts (several days)

    def operations(self, rng: random.Random, place: Place, year: int, target: int) -> int:
        from phoihop.access.models import Distribution
        from phoihop.cases.enums import ParticipationRole
        from phoihop.operations import enums as op
        from phoihop.operations.models import (
            Checkpoint,
            CheckpointCount,
            Exercise,
            OperationCommune,
            OperationUnit,
            Patrol,
            ProtectedZone,
            Protection,
            Rescue,
        )

        made = 0
        while made < target:
            kind = rng.choices(
                ["protection", "checkpoint", "zone", "patrol", "rescue", "exercise"],
                [15, 6, 5, 60, 9, 5],
            )[0]
            owner = self.any_unit(rng, place)
            user = place.users[owner.pk]
            start = self.day(rng, year)
            end = start + dt.timedelta(days=rng.randint(0, 4))
            commune = self.commune_for(rng, place, owner)
            common: dict[str, Any] = {
                "public_id": self.uid(rng),
                "owner_unit": owner,
                "province": place.area,
                "is_joint": rng.random() < 0.5,
                "start_date": start,
                "end_date": end,
                "place": commune.name,
                "created_by": user,
                "created_at": dt.datetime.combine(start, dt.time(7), tzinfo=self.zone),
            }
            children: list[tuple[str, models.Model]] = []
            record: Any
            if kind == "protection":
                delegation = rng.random() < 0.6
                title = "Bảo vệ đoàn công tác" if delegation else "Bảo vệ sự kiện trên địa bàn"
                record = Protection(
                    title=title,
                    target=op.ProtectionTarget.DELEGATION
                    if delegation
                    else op.ProtectionTarget.EVENT,
                    delegation_level=rng.choice(op.DelegationLevel.values) if delegation else "",
                    event_category="" if delegation else rng.choice(op.EventCategory.values),
                    event_size=None if delegation else rng.randint(100, 5000),
                    **common,
                )
            elif kind == "checkpoint":
                title = "Chốt kiểm soát liên ngành"
                end = start + dt.timedelta(days=rng.randint(3, 20))
                common["end_date"] = end
                record = Checkpoint(
                    title=title, purpose=rng.choice(op.CheckpointPurpose.values), **common
                )
                days = (end - start).days + 1
                for offset in range(days):
                    children.append(
                        (
                            "checkpoint",
                            CheckpointCount(
                                public_id=self.uid(rng),
                                day=start + dt.timedelta(days=offset),
                                vehicles=rng.randint(10, 400),
                                people=rng.randint(20, 900),
                                created_by=user,
                                created_at=common["created_at"],
                            ),
                        )
                    )
            elif kind == "zone":
                title = "Bảo vệ mục tiêu trọng điểm"
                record = ProtectedZone(
                    title=title,
                    zone_kind=rng.choice(op.ZoneKind.values),
                    people=rng.randint(10, 500),
                    **common,
                )
            elif kind == "patrol":
                title = "Tuần tra, kiểm soát chung"
                record = Patrol(
                    title=title,
                    route=rng.choice(op.PatrolRoute.values),
                    sorties=rng.randint(1, 6),
                    violations=rng.choice([0, 0, 0, 1, 2]),
                    **common,
                )
            elif kind == "rescue":
                title = "Ứng phó sự cố, tìm kiếm cứu nạn"
                record = Rescue(
                    title=title,
                    incident_kind=rng.choice(op.IncidentKind.values),
                    people_rescued=rng.randint(0, 20),
                    people_evacuated=rng.randint(0, 300),
                    vessels_assisted=rng.randint(0, 5),
                    **common,
                )
            else:
                title = "Diễn tập phối hợp"
                record = Exercise(
                    title=title,
                    exercise_kind=rng.choice(op.ExerciseKind.values),
                    participants_count=rng.randint(30, 600),
                    **common,
                )
            record.refresh_search_text()
            ctype = self.ctype(type(record))
            partners = self.partners(rng, place, owner, 2)
            self.writer.add(record, children)
            for unit, role in [(owner, ParticipationRole.LEAD)] + [
                (u, ParticipationRole.COOPERATING) for u in partners
            ]:
                self.writer.links.append(
                    Deferred(
                        OperationUnit,
                        content_type=ctype,
                        record=record,
                        unit=unit,
                        force=unit.force,
                        role=role,
                        personnel=rng.randint(2, 40),
                        vehicles=rng.randint(0, 6),
                        vessels=rng.randint(0, 2) if kind == "rescue" else 0,
                    )
                )
            self.writer.links.append(
                Deferred(OperationCommune, content_type=ctype, record=record, commune=commune)
            )
            # As the operation services share: with participants outside the owner's tree.
            self.writer.links.extend(
                Deferred(Distribution, content_type=ctype, record=record, unit=u)
                for u in partners
                if not u.is_within(owner)
            )
            made += 1 + len(children)
        return made

    # mobilisation: forums (+ topic counts, opinions), propaganda sessions, social programmes

    def mobilisation(self, rng: random.Random, place: Place, year: int, target: int) -> int:
        from phoihop.access.models import Distribution
        from phoihop.mobilisation.enums import OpinionStatus, OpinionTopic, ProgrammeKind
        from phoihop.mobilisation.models import (
            Forum,
            ForumTopicCount,
            Opinion,
            PropagandaSession,
            SocialProgramme,
        )

        made = 0
        while made < target:
            kind = rng.choices(["forum", "propaganda", "programme"], [5, 3, 1])[0]
            owner = self.any_unit(rng, place, "CA" if kind == "forum" else None)
            if kind == "programme" and rng.random() < 0.6:
                owner = self.any_unit(rng, place, "BP")
            user = place.users[owner.pk]
            start = self.day(rng, year)
            moment = dt.datetime.combine(start, dt.time(8), tzinfo=self.zone)
            common: dict[str, Any] = {
                "public_id": self.uid(rng),
                "owner_unit": owner,
                "province": place.area,
                "is_joint": rng.random() < 0.4,
                "start_date": start,
                "end_date": start,
                "created_by": user,
                "created_at": moment,
            }
            commune = self.commune_for(rng, place, owner)
            children: list[tuple[str, models.Model]] = []
            record: Any
            if kind == "forum":
                opinions = rng.randint(0, 30)
                record = Forum(
                    commune=commune, attendees=rng.randint(40, 300), opinions=opinions, **common
                )
                left = opinions
                for topic in rng.sample(OpinionTopic.values, rng.randint(0, 4)):
                    if left <= 0:
                        break
                    n = rng.randint(1, left)
                    left -= n
                    children.append(("forum", ForumTopicCount(topic=topic, count=n)))
                for _n in range(min(opinions, rng.choice([0, 0, 1, 2, 3]))):
                    status = rng.choice(OpinionStatus.values)
                    done = status != OpinionStatus.OPEN
                    children.append(
                        (
                            "forum",
                            Opinion(
                                public_id=self.uid(rng),
                                topic=rng.choice(OpinionTopic.values),
                                content="Đề nghị tăng cường tuần tra, bảo đảm an ninh thôn xóm.",
                                raised_by=person_name(rng, "male"),
                                assigned_unit=owner,
                                status=status,
                                answer="Đã tiếp thu, chỉ đạo lực lượng giải quyết." if done else "",
                                answered_at=moment + dt.timedelta(days=3) if done else None,
                                answered_by=user if done else None,
                                closed_at=(
                                    moment + dt.timedelta(days=5)
                                    if status == OpinionStatus.CLOSED
                                    else None
                                ),
                                created_by=user,
                                created_at=moment,
                            ),
                        )
                    )
            elif kind == "propaganda":
                record = PropagandaSession(
                    title="Tuyên truyền, phổ biến pháp luật cho Nhân dân",
                    commune=commune,
                    sessions=rng.randint(1, 4),
                    attendees=rng.randint(30, 600),
                    leaflets=rng.randint(0, 500),
                    **common,
                )
            else:
                record = SocialProgramme(
                    kind=rng.choice(ProgrammeKind.values),
                    name="Hỗ trợ người dân có hoàn cảnh khó khăn",
                    commune=commune,
                    beneficiaries=rng.randint(1, 50),
                    value=Decimal(rng.randint(1, 400) * 1_000_000),
                    **common,
                )
            model = type(record)
            partners = self.partners(rng, place, owner, 2)
            self.writer.add(record, children)
            through = model.participating_units.through
            field_name = f"{model._meta.model_name}_id"
            self.writer.links.extend(
                Deferred(through, key=field_name, record=record, unit=u) for u in partners
            )
            self.writer.links.extend(
                Deferred(Distribution, content_type=self.ctype(model), record=record, unit=u)
                for u in partners
            )
            if kind == "propaganda" and self.laws:
                laws_through = PropagandaSession.laws.through
                self.writer.links.extend(
                    Deferred(laws_through, key="propagandasession_id", record=record, law=law)
                    for law in rng.sample(self.laws, min(len(self.laws), rng.randint(1, 2)))
                )
            made += 1 + len(children)
        return made

    # a surrender campaign of the year: launches in every commune, then the items handed in

    def campaign(self, rng: random.Random, place: Place, year: int, target: int) -> int:
        from phoihop.mobilisation.models import CampaignLaunch, HandedInItem, SurrenderCampaign

        owner = place.tops["CA"]
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        campaign = SurrenderCampaign(
            public_id=self.uid(rng),
            owner_unit=owner,
            province=place.area,
            is_joint=True,
            name=f"Vận động Nhân dân giao nộp vũ khí, vật liệu nổ năm {year}",
            area=place.area,
            start_date=start,
            end_date=end,
            created_by=place.users[owner.pk],
            created_at=dt.datetime.combine(start, dt.time(8), tzinfo=self.zone),
        )
        children: list[tuple[str, models.Model]] = []
        launched: list[tuple[Any, dt.date]] = []
        police = place.commune_units["CA"]
        for index, commune in enumerate(place.communes[: max(0, target - 1)]):
            day = start + dt.timedelta(days=rng.randint(0, 80))
            launched.append((commune, day))
            children.append(
                (
                    "campaign",
                    CampaignLaunch(
                        public_id=self.uid(rng),
                        commune=commune,
                        launched_on=day,
                        unit=police[index],
                        attendees=rng.randint(30, 200),
                    ),
                )
            )
        items = [self.catalogue[c] for c in HANDED_IN if c in self.catalogue]
        for _n in range(target - 1 - len(children)):
            if not launched or not items:
                break
            commune, first = rng.choice(launched)
            item = rng.choice(items)
            amount = self.quantity(rng, item)
            children.append(
                (
                    "campaign",
                    HandedInItem(
                        public_id=self.uid(rng),
                        commune=commune,
                        handed_in_on=first + dt.timedelta(days=rng.randint(0, (end - first).days)),
                        item=item,
                        quantity=amount.canonical,
                        entered_quantity=amount.entered,
                        entered_unit=amount.unit,
                    ),
                )
            )
        self.writer.add(campaign, children)
        return 1 + len(children)

    # quarterly submissions: submission (1) + its values (one per form line)

    def submissions(self, rng: random.Random, place: Place, year: int, target: int) -> int:
        from phoihop.indicators.enums import SubmissionStatus, Transition
        from phoihop.indicators.models import Submission, SubmissionTransition, SubmissionValue
        from phoihop.indicators.periods import Period

        forms = synth_forms()
        if not forms:
            return 0
        # The provincial commands first, then the communes' units in turn, a quarter of the
        # budget for each quarter.
        ordered = [*place.tops.values(), *place.posts]
        for group in zip(*place.commune_units.values(), strict=True):
            ordered += group
        made = 0
        for quarter in range(1, 5):
            period = Period.parse(f"{year}-Q{quarter}")
            first, last = period.window()
            for unit in ordered:
                form = forms.get(unit.level.code)
                if form is None or made >= target * quarter // 4:
                    continue
                user = place.users[unit.pk]
                deadline = form.deadline_for(period)
                status = rng.choices(
                    [SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED, SubmissionStatus.DRAFT],
                    [85, 8, 7],
                )[0]
                opened = dt.datetime.combine(last, dt.time(9), tzinfo=self.zone)
                sent = None
                if status != SubmissionStatus.DRAFT:
                    late = rng.random() < 0.1
                    sent_day = deadline + dt.timedelta(
                        days=rng.randint(1, 10) if late else -rng.randint(0, 4)
                    )
                    sent = dt.datetime.combine(sent_day, dt.time(15), tzinfo=self.zone)
                approver = unit.parent or unit
                decided = sent + dt.timedelta(days=1) if sent and status == "approved" else None
                submission = Submission(
                    public_id=self.uid(rng),
                    owner_unit=unit,
                    province=place.area,
                    is_joint=form.is_joint,
                    form=form,
                    period_key=period.key,
                    period_start=first,
                    period_end=last,
                    deadline=deadline,
                    status=status,
                    created_by=user,
                    created_at=opened,
                    first_submitted_at=sent,
                    submitted_at=sent,
                    submitted_by=user if sent else None,
                    decided_at=decided,
                    decided_by=place.users[approver.pk] if decided else None,
                )
                children: list[tuple[str, models.Model]] = [
                    (
                        "submission",
                        SubmissionValue(
                            public_id=self.uid(rng),
                            indicator=indicator,
                            value=Decimal(rng.randint(0, 60)) if sent else None,
                        ),
                    )
                    for indicator in form_indicators(form)
                ]
                steps = [("", SubmissionStatus.DRAFT, Transition.CREATE, opened, user)]
                if sent:
                    steps.append(
                        (
                            SubmissionStatus.DRAFT,
                            SubmissionStatus.SUBMITTED,
                            Transition.SUBMIT,
                            sent,
                            user,
                        )
                    )
                if decided:
                    steps.append(
                        (
                            SubmissionStatus.SUBMITTED,
                            SubmissionStatus.APPROVED,
                            Transition.APPROVE,
                            decided,
                            place.users[approver.pk],
                        )
                    )
                children += [
                    (
                        "submission",
                        SubmissionTransition(
                            transition=step, from_status=old, to_status=new, actor=by, at=at
                        ),
                    )
                    for old, new, step, at, by in steps
                ]
                self.writer.add(submission, children)
                made += 1 + len(form_indicators(form))
        return made


def _transitions(model: type[models.Model], verification: Any, requester: Any, answerer: Any):
    def rows() -> list[models.Model]:
        out = [
            model(
                verification=verification,
                from_status="",
                to_status="open",
                actor=requester,
                at=verification.created_at,
            )
        ]
        if verification.answered_at is not None:
            out.append(
                model(
                    verification=verification,
                    from_status="open",
                    to_status="answered",
                    actor=answerer,
                    at=verification.answered_at,
                )
            )
        return out

    return rows


_LINES: dict[int, list[Any]] = {}


def synth_forms() -> dict[str, Any]:
    """One quarterly form per unit level (every force), created once with the catalogue's lines."""
    from phoihop.indicators.models import Indicator, ReportForm
    from phoihop.indicators.services import report_form_set_lines
    from phoihop.org.models import UnitLevel

    forms: dict[str, Any] = {}
    codes = list(
        Indicator.objects.filter(code__in=SUBMISSION_INDICATORS).values_list("code", flat=True)
    )
    if not codes:
        return forms
    for level in UnitLevel.objects.filter(code__in=["tinh", "xa"]):
        code = f"synth-{level.code}-quy"
        form = ReportForm.all_objects.filter(code=code).first()
        if form is None:
            form = ReportForm.objects.create(
                code=code,
                name=f"Báo cáo quý tổng hợp ({level.name.lower()})",
                force=None,
                level=level,
                period_kind="quarter",
                deadline_days=5,
            )
            report_form_set_lines(actor=None, form=form, codes=codes)
        forms[level.code] = form
    return forms


def form_indicators(form: Any) -> list[Any]:
    """The entered (not derived) indicators of a form, as submission_create fills them."""
    from phoihop.indicators.models import ReportFormLine

    if form.pk not in _LINES:
        lines = ReportFormLine.objects.filter(form=form).select_related("indicator")
        _LINES[form.pk] = [
            line.indicator
            for line in lines.order_by("order", "id")
            if not line.indicator.is_derived
        ]
    return _LINES[form.pk]


def synthesize(
    *,
    provinces: int,
    years: int,
    records: int,
    seed: int = 1,
    last_year: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Counter[str]:
    """Generate the synthetic province(s); return the rows written, by model label."""
    check_mode()
    if years < 1 or records < 1:
        raise SynthRefused(
            _("Số năm và số bản ghi phải lớn hơn 0."),
            code="invalid_volume",
            fields={"records": [str(records)], "years": [str(years)]},
        )
    say = progress or (lambda _message: None)
    final = last_year or timezone.localdate().year - 1
    if final >= timezone.localdate().year:
        raise SynthRefused(
            _("Chỉ tạo dữ liệu cho những năm đã kết thúc."),
            code="future_year",
            fields={"last_year": [str(final)]},
        )
    _LINES.clear()
    places = []
    for code in province_codes(provinces):
        say(_("Tạo đơn vị của tỉnh mã %(code)s") % {"code": code})
        places.append(build_place(code))
    synth = Synth(
        places=places,
        years=list(range(final - years + 1, final + 1)),
        records=records,
        seed=seed,
        progress=say,
    )
    return synth.run()
