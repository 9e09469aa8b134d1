"""Demo step: information exchanged between the three forces, with its real times.

`plan_quarter` turns the data of `phoihop_dev.demo.data.ha_tinh_exchange` into planned items with
`random.Random(quarter.seed)` (a pure function: the same data gives the same plan), and
`build_exchange` sends them through the exchange services as the users of the scenario:
`info_item_create(sent_at=…)`, then `info_item_acknowledge`, `info_item_reply` and the
`verification_*` services with `at=…`, so receipts, replies and verification requests carry the
times of the story. The audit entries carry the time of loading, as they should.

Every item is joint (is_joint) and has at least one recipient of another force than the
sender's: joint staff see them all, and they are the "items exchanged between the forces" of
the timeliness figures. Idempotent: an item is recognised by its sending unit and time, and an
existing item (with everything that followed it) is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from phoihop.core import formats
from phoihop.exchange import services
from phoihop.exchange.enums import Handling, Urgency
from phoihop.exchange.models import InformationItem
from phoihop.org.models import User
from phoihop.org.services import user_create
from phoihop_dev.chance import moment_in, pick
from phoihop_dev.demo.data import ha_tinh_exchange as data
from phoihop_dev.demo.scenario import PROVINCE, Scenario, UnitSpec

if TYPE_CHECKING:
    from phoihop_dev.demo.builder import DemoContext

# The demo province the data is written for.
PROVINCE_CODE = "42"
FORCES = ("CA", "QS", "BP")

_URGENCY = (
    (Urgency.THUONG, 55),
    (Urgency.KHAN, 30),
    (Urgency.THUONG_KHAN, 11),
    (Urgency.HOA_TOC, 4),
)
_HANDLING = ((Handling.MAY_FORWARD, 70), (Handling.NAMED_ONLY, 20), (Handling.NO_EVIDENCE, 10))
_RELIABILITY = (("A", 10), ("B", 40), ("C", 35), ("D", 10), ("F", 5))
_CREDIBILITY = ((1, 10), (2, 40), (3, 35), (4, 10), (6, 5))
_RESULTS = (("confirmed", 45), ("partly", 25), ("not_confirmed", 18), ("cannot_verify", 12))
_KIND_WEIGHT = {"border": 3, "coast": 2, "inland": 1}  # where provincial units' news comes from


@dataclass(frozen=True)
class PlannedReceipt:
    unit: str  # unit key
    username: str | None  # who acknowledged; None: never acknowledged
    at: dt.datetime | None


@dataclass(frozen=True)
class PlannedReply:
    username: str
    at: dt.datetime
    body: str


@dataclass(frozen=True)
class PlannedVerification:
    assigned: str  # unit key
    requested_by: str
    question: str
    at: dt.datetime
    started: tuple[str, dt.datetime] | None  # (username, at) of a request still being verified
    answer: tuple[str, dt.datetime, str, str] | None  # (username, at, result, findings)
    closed: tuple[str, dt.datetime, str] | None  # (username, at, note)


@dataclass(frozen=True)
class PlannedItem:
    quarter: str
    sender: str  # unit key
    username: str
    sent_at: dt.datetime
    title: str
    content: str
    topic: str
    urgency: int
    reliability: str
    credibility: int
    handling: str
    commune: str
    receipts: tuple[PlannedReceipt, ...]
    replies: tuple[PlannedReply, ...]
    verification: PlannedVerification | None


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


class Planner:
    """What the scenario offers the story: units that existed then, their users, their places."""

    def __init__(self, scenario: Scenario) -> None:
        self.units = {u.key: u for u in scenario.units}
        self.users: dict[str, list[str]] = defaultdict(list)
        self.officers: dict[str, list[str]] = defaultdict(list)
        for spec in scenario.users:
            self.users[spec.unit].append(spec.username)
            if "officer" in spec.roles:
                self.officers[spec.unit].append(spec.username)
        for duty in data.DUTY_USERS:
            self.users[duty.unit].append(duty.username)
            self.officers[duty.unit].append(duty.username)

    @staticmethod
    def unit_keys() -> set[str]:
        """The units the data names (local recipients come from the scenario's own units)."""
        return (
            set(data.SENDERS)
            | {key for by_topic in data.PROVINCIAL.values() for key in by_topic.values()}
            | {duty.unit for duty in data.DUTY_USERS}
            | {"bp.hai-doi-2"}
        )

    def existed(self, spec: UnitSpec, on: dt.date) -> bool:
        # Units that have ended cannot be named as recipients any more: leave them out.
        return spec.valid_until is None and (spec.valid_from is None or spec.valid_from <= on)

    def local_units(self, commune: str, force: str, on: dt.date) -> list[str]:
        return [
            u.key
            for u in self.units.values()
            if u.force == force
            and u.level == "xa"
            and commune in u.areas
            and self.existed(u, on)
            and self.users[u.key]
        ]

    def provincial(self, force: str, topic: str) -> str:
        by_topic = data.PROVINCIAL[force]
        return by_topic.get(topic, by_topic[""])

    def places_of(self, unit: str) -> list[str]:
        areas = [a for a in self.units[unit].areas if a in data.PLACES]
        if areas:
            return areas
        if PROVINCE in self.units[unit].areas and unit.startswith("bp."):
            return [c for c, place in data.PLACES.items() if place.kind != "inland"]
        return list(data.PLACES)


def _sending_hour(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.7:
        return rng.randint(7, 16)
    if roll < 0.95:
        return rng.randint(17, 21)
    return rng.choice([22, 23, 0, 1, 2, 3, 4, 5, 6])


def _sent_at(rng: random.Random, quarter: data.Quarter) -> dt.datetime:
    return moment_in(rng, quarter.start, quarter.end, _sending_hour)


def _fitting(topic: str, place: data.Place) -> list[str]:
    """The title templates of `topic` that fit the place: its kind, and a name for each slot."""
    slots = {"locality": place.locality, "crossing": place.crossing, "sea": place.sea}
    return [
        template
        for kinds, template in data.TITLES[topic]
        if place.kind in kinds.split()
        and all(names or f"{{{slot}}}" not in template for slot, names in slots.items())
    ]


def _title(rng: random.Random, topic: str, place: data.Place) -> str:
    return rng.choice(_fitting(topic, place)).format(
        n=formats.count(rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5, 6])),
        nat=rng.choice(data.NATIONALITIES),
        locality=rng.choice(place.locality),
        crossing=rng.choice(place.crossing or ("",)),
        sea=rng.choice(place.sea or ("",)),
    )


def _content(rng: random.Random, sender: UnitSpec, title: str, sent_at: dt.datetime) -> str:
    seen = sent_at - dt.timedelta(minutes=rng.randint(20, 360))
    opening = rng.choice(data.OPENINGS).format(
        sender=sender.short_name or sender.name, event=_lower_first(title)
    )
    when = f"Khoảng {seen.hour:02d} giờ {seen.minute:02d} ngày {formats.date(seen.date())}"
    return "\n\n".join(
        [
            f"{when}, {_lower_first(opening)}",
            rng.choice(data.FOLLOW_UPS),
            rng.choice(data.REQUESTS),
        ]
    )


def _recipients(
    rng: random.Random, planner: Planner, sender: UnitSpec, commune: str, topic: str, on: dt.date
) -> list[str]:
    others = [f for f in FORCES if f != sender.force]
    forces = others if rng.random() < 0.55 else [rng.choice(others)]
    chosen: list[str] = []
    for force in forces:
        local = planner.local_units(commune, force, on)
        if force == "BP" and topic == "sea" and rng.random() < 0.4:
            local = ["bp.hai-doi-2"]
        provincial = planner.provincial(force, topic)
        if local and rng.random() < 0.75:
            chosen.append(rng.choice(local))
            if rng.random() < 0.2:
                chosen.append(provincial)
        else:
            chosen.append(provincial)
    if sender.level == "xa" and rng.random() < 0.2:
        chosen.append(planner.provincial(sender.force, topic))
    return [key for key in dict.fromkeys(chosen) if key != sender.key]


def _receipt(
    rng: random.Random,
    planner: Planner,
    quarter: data.Quarter,
    unit: str,
    urgency: int,
    sent: dt.datetime,
) -> PlannedReceipt:
    due = services.ack_due(urgency, sent) - sent
    roll = rng.random()
    if roll < quarter.ack_on_time:
        delay = max(due * rng.betavariate(1.4, 3.5), dt.timedelta(minutes=4))
    elif roll < quarter.ack_on_time + quarter.ack_late:
        delay = due * rng.uniform(1.05, 2.2)
    else:
        return PlannedReceipt(unit, None, None)
    at = (sent + delay).replace(microsecond=0)
    return PlannedReceipt(unit, rng.choice(planner.users[unit]), at)


def _replies(
    rng: random.Random, planner: Planner, sender: str, receipts: Sequence[PlannedReceipt]
) -> tuple[PlannedReply, ...]:
    acknowledged = [r for r in receipts if r.at is not None and r.username is not None]
    if not acknowledged or rng.random() >= 0.25:
        return ()
    first = min(acknowledged, key=lambda r: r.at or dt.datetime.max)
    assert first.at is not None and first.username is not None
    reply = PlannedReply(
        first.username,
        first.at + dt.timedelta(minutes=rng.randint(10, 240)),
        rng.choice(data.REPLIES),
    )
    if rng.random() >= 0.25:
        return (reply,)
    thanks = PlannedReply(
        rng.choice(planner.users[sender]),
        reply.at + dt.timedelta(minutes=rng.randint(30, 600)),
        rng.choice(data.THANKS),
    )
    return (reply, thanks)


def _verification(
    rng: random.Random,
    planner: Planner,
    quarter: data.Quarter,
    sender: UnitSpec,
    username: str,
    receipts: Sequence[PlannedReceipt],
    urgency: int,
    sent: dt.datetime,
) -> PlannedVerification | None:
    if rng.random() >= quarter.verification:
        return None
    other = [r for r in receipts if planner.units[r.unit].force != sender.force]
    # Asked of a unit that acknowledged the item, if one did.
    candidates = [r.unit for r in other if r.at is not None] or [r.unit for r in other]
    assigned = rng.choice(candidates)
    at = sent + dt.timedelta(minutes=rng.randint(15, 180))
    due = services.verify_due(urgency, at) - at
    question = rng.choice(data.QUESTIONS)
    verifier = rng.choice(planner.users[assigned])
    roll = rng.random()
    if roll >= quarter.answered_on_time + quarter.answered_late:
        # Never answered: overdue. Half of them were at least taken up.
        started = (verifier, at + dt.timedelta(hours=rng.randint(1, 12)))
        return PlannedVerification(
            assigned, username, question, at, started if rng.random() < 0.5 else None, None, None
        )
    if roll < quarter.answered_on_time:
        delay = max(due * rng.betavariate(1.6, 2.8), dt.timedelta(hours=1))
    else:
        delay = due * rng.uniform(1.05, 1.8)
    answered_at = (at + delay).replace(microsecond=0)
    result = pick(rng, _RESULTS)
    answer = (verifier, answered_at, result, rng.choice(data.FINDINGS[result]))
    closed = None
    if rng.random() < 0.6:
        closed = (
            rng.choice(planner.users[sender.key]),
            answered_at + dt.timedelta(hours=rng.randint(2, 48)),
            rng.choice(data.CLOSING_NOTES),
        )
    return PlannedVerification(assigned, username, question, at, None, answer, closed)


def plan_quarter(planner: Planner, quarter: data.Quarter) -> list[PlannedItem]:
    """Exactly `quarter.items` items sent in the quarter, in the order they were sent."""
    rng = random.Random(quarter.seed)
    senders = [(key, weight) for key, weight in data.SENDERS.items()]
    taken: set[tuple[str, dt.datetime]] = set()
    items: list[PlannedItem] = []
    while len(items) < quarter.items:
        sender = planner.units[pick(rng, senders)]
        communes = planner.places_of(sender.key)
        commune = rng.choices(communes, [_KIND_WEIGHT[data.PLACES[c].kind] for c in communes])[0]
        place = data.PLACES[commune]
        topics = [
            (topic, weight)
            for topic, weight in data.UNIT_TOPIC_WEIGHTS.get(
                sender.key, data.TOPIC_WEIGHTS[sender.force]
            ).items()
            if _fitting(topic, place)
        ]
        topic = pick(rng, topics)
        title = _title(rng, topic, place)
        sent = _sent_at(rng, quarter)
        while (sender.key, sent) in taken:
            sent += dt.timedelta(minutes=1)
        taken.add((sender.key, sent))
        urgency = int(pick(rng, _URGENCY))
        username = rng.choice(planner.officers[sender.key] or planner.users[sender.key])
        receipts = tuple(
            _receipt(rng, planner, quarter, unit, urgency, sent)
            for unit in _recipients(rng, planner, sender, commune, topic, quarter.start)
        )
        items.append(
            PlannedItem(
                quarter=quarter.key,
                sender=sender.key,
                username=username,
                sent_at=sent,
                title=title,
                content=_content(rng, sender, title, sent),
                topic=topic,
                urgency=urgency,
                reliability=pick(rng, _RELIABILITY),
                credibility=pick(rng, _CREDIBILITY),
                handling=str(pick(rng, _HANDLING)),
                commune=commune,
                receipts=receipts,
                replies=_replies(rng, planner, sender.key, receipts),
                verification=_verification(
                    rng, planner, quarter, sender, username, receipts, urgency, sent
                ),
            )
        )
    items.sort(key=lambda item: (item.sent_at, item.sender))
    return items


def plan(scenario: Scenario) -> list[PlannedItem]:
    """Every quarter's items, oldest first (so each unit's numbers follow the order of sending)."""
    planner = Planner(scenario)
    items = [item for quarter in data.QUARTERS for item in plan_quarter(planner, quarter)]
    return sorted(items, key=lambda item: (item.sent_at, item.sender))


# --- the step -----------------------------------------------------------------------------------


def _ensure_duty_users(ctx: DemoContext) -> None:
    for duty in data.DUTY_USERS:
        existing = User.objects.filter(username=duty.username).first()
        if existing is None:
            existing = user_create(
                actor=None,
                username=duty.username,
                password=None,
                unit=ctx.units[duty.unit],
                full_name=duty.full_name,
                rank_title=duty.rank_title,
                roles=("officer",),
            )
            ctx.counts["users"] += 1
        ctx.users[duty.username] = existing


def _send(ctx: DemoContext, planned: PlannedItem) -> None:
    users = ctx.users
    item = services.info_item_create(
        actor=users[planned.username],
        title=planned.title,
        content=planned.content,
        topic=planned.topic,
        urgency=planned.urgency,
        reliability=planned.reliability,
        credibility=planned.credibility,
        handling=planned.handling,
        areas=[ctx.communes[planned.commune]],
        recipients=[ctx.units[r.unit] for r in planned.receipts],
        is_joint=True,
        sent_at=planned.sent_at,
    )
    ctx.counts["information_items"] += 1
    for receipt in planned.receipts:
        if receipt.username is not None:
            services.info_item_acknowledge(actor=users[receipt.username], item=item, at=receipt.at)
    for reply in planned.replies:
        services.info_item_reply(
            actor=users[reply.username], item=item, body=reply.body, at=reply.at
        )
    ask = planned.verification
    if ask is None:
        return
    verification = services.verification_request_create(
        actor=users[ask.requested_by],
        item=item,
        assigned_unit=ctx.units[ask.assigned],
        question=ask.question,
        at=ask.at,
    )
    ctx.counts["verifications"] += 1
    if ask.started is not None:
        username, at = ask.started
        services.verification_start(actor=users[username], verification=verification, at=at)
    if ask.answer is not None:
        username, at, result, findings = ask.answer
        verification = services.verification_answer(
            actor=users[username],
            verification=verification,
            result=result,
            findings=findings,
            at=at,
        )
    if ask.closed is not None:
        username, at, note = ask.closed
        services.verification_close(
            actor=users[username], verification=verification, note=note, at=at
        )


def build_exchange(ctx: DemoContext) -> None:
    """Load the exchanged items of the demo province (a cut-down scenario gets none)."""
    if ctx.scenario.province_code != PROVINCE_CODE or not Planner.unit_keys() <= set(ctx.units):
        return
    _ensure_duty_users(ctx)
    items = plan(ctx.scenario)
    senders = {key: ctx.units[key] for key in data.SENDERS}
    by_pk = {unit.pk: key for key, unit in senders.items()}
    existing = {
        (by_pk[owner], sent)
        for owner, sent in InformationItem.all_objects.filter(
            owner_unit__in=senders.values(),
            sent_at__gte=items[0].sent_at,
            sent_at__lte=items[-1].sent_at,
        ).values_list("owner_unit_id", "sent_at")
    }
    for planned in items:
        if (planned.sender, planned.sent_at) not in existing:
            _send(ctx, planned)
