"""The access matrix for writes: create, change and delete through every real API.

`test_matrix.py` checks what each actor sees; this module checks what each actor may write, on
the same records (built by its `build_scenario`, placed like the memos) and against the same
oracle (`oracle_visible`, `oracle_may_change`: the rule of product.md §2 written again over the
parent chain, independent of `phoihop.access.rules`). Added here, just as independently:
- create: officers and commanders of a unit, for their unit or one below it, at a
  classification their clearance covers (201); anyone else 403; a writer naming a unit outside
  their subtree or a classification above their clearance 400; nothing saved unless 201;
- record (a submission's figures): officers and commanders of the owner unit itself.
A change is 404 on an invisible record, 403 on a visible one the actor may not change, 200 (and
saved) otherwise; a delete likewise (204); a refused write leaves the record as it was.

The kinds (`KINDS`): cases (create, PATCH, DELETE), wanted persons (create; the arrest is their
change), information items and verification requests (create: the exchange has no PATCH or
DELETE of them), the six operations kinds and the four mobilisation kinds (create, PATCH,
DELETE), periodic submissions (create; their figures, `values/`, are the record action) and
conference tasks (create, PATCH).

Every actor of the read matrix (force × level × role × clearance) takes part, but not on every
record of every kind: a planner (`_plan`) gives each actor, for each cell of its relation to the
records (same unit, above, below, apart, other province × classification covered or not × how
the record reaches it), requests on a few kinds, then adds requests until every kind has seen
every cell type (unit level × role × cell) somewhere in the matrix.
`test_the_plan_covers_every_cell` proves both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from phoihop.access.models import Distribution
from phoihop.cases.models import Case, WantedPerson
from phoihop.core.enums import Classification
from phoihop.exchange.models import InformationItem, VerificationRequest
from phoihop.indicators.models import ReportForm, Submission
from phoihop.mobilisation.models import (
    Forum,
    Law,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.operations.models import (
    Checkpoint,
    Exercise,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.org.models import Unit, UnitLevel, User
from phoihop.reports.models import ConferenceTask
from tests.access.test_matrix import (
    ACTOR_KEYS,
    ACTORS,
    FORCE_UNITS,
    Scenario,
    build_scenario,
    oracle_may_change,
    oracle_visible,
)
from tests.factories import login, user

WRITERS = frozenset({"officer", "commander"})
# How many kinds each (actor, cell) is checked on, before the top-up that covers every kind.
CHANGE_KINDS_PER_CELL = 2
DELETE_KINDS_PER_CELL = 1
CREATE_KINDS_PER_CELL = 2
PERIOD = "2025-Q1"  # a period that has started, for submissions and conference tasks

ActorKey = tuple[str, str, str, Classification]


# --- the oracle's additions -------------------------------------------------------------------


def _chain(unit_pk: int, parents: dict[int, int | None]) -> list[int]:
    """The unit and every unit above it, from the parent links (not the materialised path)."""
    seen = []
    node: int | None = unit_pk
    while node is not None:
        seen.append(node)
        node = parents[node]
    return seen


def oracle_create(actor: Any, target: Unit, classification: int, parents: dict) -> int:
    """The answer to creating a record owned by `target` at `classification`."""
    assert actor.unit is not None
    if not actor.role_codes & WRITERS:
        return 403
    if actor.unit.pk not in _chain(target.pk, parents):
        return 400
    if classification > actor.clearance:
        return 400
    return 201


def oracle_may_record(actor: Any, record: Any) -> bool:
    """Figures on a record: officers and commanders of its owner unit itself."""
    assert actor.unit is not None
    return bool(record.owner_unit_id == actor.unit.pk and actor.role_codes & WRITERS)


# --- the record kinds and their endpoints -----------------------------------------------------


@dataclass
class Writes:
    """The read matrix's scenario, plus what writing needs: conference tasks placed like the
    memos, report forms every actor's unit owes, the parent links, and the plan."""

    base: Scenario
    tasks: dict[int, ConferenceTask] = field(default_factory=dict)
    forms: dict[str, ReportForm] = field(default_factory=dict)  # unit level code → form
    parents: dict[int, int | None] = field(default_factory=dict)
    law: str = ""
    plan: dict[ActorKey, list[Request]] = field(default_factory=dict)
    coverage: dict[str, Any] = field(default_factory=dict)

    def u(self, key: str) -> Unit:
        return self.base.world.u(key)


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[Any]
    api: str  # the list; a record is `{api}{public_id}/`
    # Records placed like the memos (memo pk → record), for change and delete.
    records: Callable[[Writes], dict[int, Any]] | None = None
    # The change: (method, path after the record's URL, body) for a record at `version`.
    change: Callable[[int], tuple[str, str, dict[str, Any]]] | None = None
    landed: Callable[[Any], bool] | None = None  # the fresh record shows the change
    may: Callable[[Any, Any], bool] = oracle_may_change
    delete: bool = False
    # The body of a create owned by `target` (None: the kind takes no unit, it is the actor's).
    create: Callable[[Writes, Any, Unit, int], dict[str, Any]] | None = None
    target_field: str | None = None  # the field naming the owner unit
    classified: bool = True  # the create body carries a classification

    def owner_of(self, record: Any) -> int:
        if isinstance(record, VerificationRequest):
            return record.requesting_unit_id
        return record.owner_unit_id


NEW = "đã sửa qua API"


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> str:
    return timezone.localdate().isoformat()


def _patch(field_name: str) -> Callable[[int], tuple[str, str, dict[str, Any]]]:
    return lambda version: ("patch", "", {field_name: NEW, "version": version})


def _has(field_name: str) -> Callable[[Any], bool]:
    return lambda record: getattr(record, field_name) == NEW


def _placed(slug: str) -> Callable[[Writes], dict[int, Any]]:
    return lambda w: w.base.records[slug]


def _operation(**fields: Any) -> Callable[[Writes, Any, Unit, int], dict[str, Any]]:
    def body(w: Writes, actor: Any, target: Unit, classification: int) -> dict[str, Any]:
        return {
            "title": "Ghi qua API",
            "place": "Km 1",
            "start_date": _today(),
            "lead_unit": str(target.public_id),
            "classification": classification,
            **fields,
        }

    return body


def _mobilisation(**fields: Any) -> Callable[[Writes, Any, Unit, int], dict[str, Any]]:
    def body(w: Writes, actor: Any, target: Unit, classification: int) -> dict[str, Any]:
        values = {
            "start_date": _today(),
            "organising_unit": str(target.public_id),
            "classification": classification,
            **fields,
        }
        if values.get("laws") == []:
            values["laws"] = [w.law]
        return values

    return body


def _case_body(w: Writes, actor: Any, target: Unit, classification: int) -> dict[str, Any]:
    return {
        "title": "Vụ ghi qua API",
        "category": "drugs",
        "domain": "inland",
        "commune": w.base.world.commune_a.code,
        "detected_at": (_now() - dt.timedelta(hours=1)).isoformat(),
        "lead_unit": str(target.public_id),
        "classification": classification,
    }


def _wanted_body(w: Writes, actor: Any, target: Unit, classification: int) -> dict[str, Any]:
    return {
        "notice_number": "9/QĐ-API",
        "notice_date": _today(),
        "issuing_authority": "Cơ quan CSĐT",
        "full_name": "Đối tượng ghi qua API",
        "classification": classification,
    }


def _item_body(w: Writes, actor: Any, target: Unit, classification: int) -> dict[str, Any]:
    return {
        "title": "Thông tin ghi qua API",
        "content": "…",
        "topic": "other",
        "classification": classification,
        "recipients": [str(w.u("ca_commune_b").public_id)],
    }


def _verification_body(w: Writes, actor: Any, target: Unit, classification: int) -> dict:
    # An item of the actor's own subtree (visible to every actor, whatever its role).
    subtree = {m.pk for m in w.base.memos if actor.unit.pk in _chain(m.owner_unit_id, w.parents)}
    memo = next(m for m in w.base.memos if m.pk in subtree and m.classification == 0)
    return {
        "item": str(w.base.items[memo.pk].public_id),
        "assigned_unit": str(w.u("ca_commune_b").public_id),
        "question": "Đề nghị xác minh",
    }


def _submission_body(w: Writes, actor: Any, target: Unit, classification: int) -> dict:
    return {"form": w.forms[actor.unit.level.code].code, "period": PERIOD}


def _task_body(w: Writes, actor: Any, target: Unit, classification: int) -> dict[str, Any]:
    return {
        "period_key": PERIOD,
        "area": w.base.world.province.code,
        "conference_date": _today(),
        "content": "Nhiệm vụ ghi qua API",
        "lead_force": "CA",
        "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "classification": classification,
    }


OPS = "/api/v1/operations/"
MOB = "/api/v1/mobilisation/"
KINDS = [
    Kind(
        "cases",
        Case,
        "/api/v1/cases/cases/",
        records=lambda w: w.base.cases,
        change=_patch("title"),
        landed=_has("title"),
        delete=True,
        create=_case_body,
        target_field="lead_unit",
    ),
    Kind(
        "wanted",
        WantedPerson,
        "/api/v1/cases/wanted/",
        records=lambda w: w.base.wanted,
        # Recording the arrest is the change of a wanted notice.
        change=lambda version: (
            "post",
            "arrest/",
            {"arrested_at": _now().isoformat(), "version": version},
        ),
        landed=lambda record: record.status != "wanted",
        create=_wanted_body,
    ),
    Kind("items", InformationItem, "/api/v1/exchange/items/", create=_item_body),
    Kind(
        "verifications",
        VerificationRequest,
        "/api/v1/exchange/verifications/",
        create=_verification_body,
        classified=False,
    ),
    *(
        Kind(
            slug,
            model,
            f"{OPS}{slug}/",
            records=_placed(slug),
            change=_patch("title"),
            landed=_has("title"),
            delete=True,
            create=_operation(**fields),
            target_field="lead_unit",
        )
        for slug, model, fields in [
            ("protections", Protection, {"target": "event", "event_category": "political"}),
            ("checkpoints", Checkpoint, {"purpose": "border"}),
            ("zones", ProtectedZone, {"zone_kind": "key_target"}),
            ("patrols", Patrol, {"route": "land"}),
            ("rescues", Rescue, {"incident_kind": "flood"}),
            ("exercises", Exercise, {"exercise_kind": "sar"}),
        ]
    ),
    *(
        Kind(
            slug,
            model,
            f"{MOB}{slug}/",
            records=_placed(slug),
            change=_patch("note"),
            landed=_has("note"),
            delete=True,
            create=_mobilisation(**fields),
            target_field="organising_unit",
        )
        for slug, model, fields in [
            ("forums", Forum, {"commune": "18196", "attendees": 10, "opinions": 0}),
            (
                "propaganda",
                PropagandaSession,
                {"title": "Tuyên truyền", "laws": [], "attendees": 9},
            ),
            ("campaigns", SurrenderCampaign, {"name": "Vận động giao nộp"}),
            (
                "programmes",
                SocialProgramme,
                {"kind": "other", "name": "Hỗ trợ", "beneficiaries": 1, "value": "1000"},
            ),
        ]
    ),
    Kind(
        "submissions",
        Submission,
        "/api/v1/indicators/submissions/",
        records=lambda w: w.base.submissions,
        change=lambda version: ("post", "values/", {"values": {}, "version": version}),
        landed=lambda record: True,
        may=oracle_may_record,
        create=_submission_body,
        classified=False,
    ),
    Kind(
        "tasks",
        ConferenceTask,
        "/api/v1/reports/tasks/",
        records=lambda w: w.tasks,
        change=_patch("content"),
        landed=_has("content"),
        create=_task_body,
    ),
]
BY_SLUG = {kind.slug: kind for kind in KINDS}
CHANGE_KINDS = [k.slug for k in KINDS if k.change is not None]
DELETE_KINDS = [k.slug for k in KINDS if k.delete]
CREATE_KINDS = [k.slug for k in KINDS if k.create is not None]


# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    action: str  # change, delete, create
    kind: str
    memo: int | None = None  # change, delete: the memo the record is placed like
    target: str | None = None  # create: the unit key owning the new record
    classification: int = 0
    cell: tuple[Hashable, ...] = ()


def _as_actor(w: Writes, key: ActorKey) -> Any:
    """What the oracle reads of an actor, without creating one."""
    force, level, role, clearance = key
    return SimpleNamespace(
        unit=w.u(FORCE_UNITS[(force, level)]), role_codes=frozenset({role}), clearance=clearance
    )


def _relation(unit: Unit, owner: Unit, parents: dict[int, int | None]) -> str:
    if owner.pk == unit.pk:
        return "own"
    if unit.pk in _chain(owner.pk, parents):
        return "above"  # the actor's unit is above the owner
    if owner.pk in _chain(unit.pk, parents):
        return "below"
    return "apart" if owner.province_id == unit.province_id else "other province"


def _change_cell(w: Writes, actor: Any, memo: Any) -> tuple[str, bool, str]:
    relation = _relation(actor.unit, memo.owner_unit, w.parents)
    covered = memo.classification <= actor.clearance
    if relation in ("own", "above"):
        route = "tree"
    elif (memo.pk, actor.unit.pk) in w.base.distributed:
        route = "distributed"
    elif (
        "joint_staff" in actor.role_codes
        and memo.is_joint
        and memo.province_id == (actor.unit.province_id)
    ):
        route = "joint"
    else:
        route = "none"
    return relation, covered, route


def _targets(w: Writes, actor: Any) -> dict[str, str]:
    """The units a create may name: the actor's own, one below it, one outside its subtree."""
    found = {"own": next(k for k, u in w.base.world.units.items() if u.pk == actor.unit.pk)}
    for key, unit in w.base.world.units.items():
        chain = _chain(unit.pk, w.parents)
        if unit.pk != actor.unit.pk and actor.unit.pk in chain and "below" not in found:
            found["below"] = key
        if actor.unit.pk not in chain and unit.province_id == actor.unit.province_id:
            found.setdefault("outside", key)
    return found


def _spread(
    occurrences: list[tuple[ActorKey, Hashable, Hashable]],
    options: Callable[[Hashable], list[str]],
    per_cell: int,
) -> dict[tuple[ActorKey, Hashable], list[str]]:
    """Kinds for each (actor, cell): `per_cell` of them, the least used for the cell's type first
    (ties rotate with the actor), then more until every kind has met every type somewhere."""
    used: Counter[tuple[Hashable, str]] = Counter()
    chosen: dict[tuple[ActorKey, Hashable], list[str]] = {}
    by_type: dict[Hashable, list[tuple[ActorKey, Hashable]]] = defaultdict(list)
    for index, (actor, cell, kind_type) in enumerate(occurrences):
        kinds = options(cell)
        rotated = kinds[index % len(kinds) :] + kinds[: index % len(kinds)]
        picks = sorted(rotated, key=lambda k: used[(kind_type, k)])[:per_cell]
        for kind in picks:
            used[(kind_type, kind)] += 1
        chosen[(actor, cell)] = picks
        by_type[kind_type].append((actor, cell))
    for kind_type, places in by_type.items():
        for kind in options(places[0][1]):
            if used[(kind_type, kind)] == 0:
                place = min(places, key=lambda p: len(chosen[p]))
                chosen[place].append(kind)
                used[(kind_type, kind)] += 1
    return chosen


def _plan(w: Writes) -> None:
    change_occurrences = []
    create_occurrences = []
    groups: dict[tuple[ActorKey, Hashable], list[Any]] = defaultdict(list)
    create_cells: dict[tuple[ActorKey, Hashable], tuple[str, int]] = {}
    for key in ACTOR_KEYS:
        actor = _as_actor(w, key)
        for memo in w.base.memos:
            groups[(key, _change_cell(w, actor, memo))].append(memo)
        for relation, unit_key in _targets(w, actor).items():
            levels = [Classification.THUONG]
            if relation == "own" and key[3] < Classification.TOI_MAT:
                levels.append(Classification(key[3] + 1))
            for level in levels:
                cell = (relation, "above clearance" if level > key[3] else "covered")
                create_cells[(key, cell)] = (unit_key, level)
                create_occurrences.append((key, cell, (key[1], key[2], *cell)))
    for key, cell in sorted(groups, key=lambda kc: (ACTOR_KEYS.index(kc[0]), str(kc[1]))):
        change_occurrences.append((key, cell, (key[1], key[2], *cell)))

    change = _spread(change_occurrences, lambda cell: CHANGE_KINDS, CHANGE_KINDS_PER_CELL)
    delete = _spread(change_occurrences, lambda cell: DELETE_KINDS, DELETE_KINDS_PER_CELL)

    def create_options(cell: Hashable) -> list[str]:
        relation, covered = cell  # type: ignore[misc]
        return [
            slug
            for slug in CREATE_KINDS
            if (relation == "own" or BY_SLUG[slug].target_field)
            and (covered == "covered" or BY_SLUG[slug].classified)
        ]

    create = _spread(create_occurrences, create_options, CREATE_KINDS_PER_CELL)

    plan: dict[ActorKey, list[Request]] = defaultdict(list)
    for (key, cell), kinds in change.items():
        group = groups[(key, cell)]
        shift = ACTOR_KEYS.index(key)
        for i, slug in enumerate(kinds):
            memo = group[(shift + i) % len(group)]
            plan[key].append(Request("change", slug, memo=memo.pk, cell=cell))
    for (key, cell), kinds in delete.items():
        group = groups[(key, cell)]
        shift = ACTOR_KEYS.index(key) + CHANGE_KINDS_PER_CELL
        for i, slug in enumerate(kinds):
            memo = group[(shift + i) % len(group)]
            plan[key].append(Request("delete", slug, memo=memo.pk, cell=cell))
    for (key, cell), kinds in create.items():
        unit_key, level = create_cells[(key, cell)]
        for slug in kinds:
            plan[key].append(
                Request("create", slug, target=unit_key, classification=level, cell=cell)
            )
    w.plan = dict(plan)
    w.coverage = {
        "change": (change_occurrences, change, CHANGE_KINDS, CHANGE_KINDS_PER_CELL),
        "delete": (change_occurrences, delete, DELETE_KINDS, DELETE_KINDS_PER_CELL),
        "create": (create_occurrences, create, create_options, CREATE_KINDS_PER_CELL),
    }


# --- the scenario -----------------------------------------------------------------------------


def _conference_tasks(w: Writes) -> None:
    """Conference tasks placed exactly like the memos."""
    creator = User.objects.get(username="matrix-sender")
    task_type = ContentType.objects.get_for_model(ConferenceTask)
    today = timezone.localdate()
    for memo in w.base.memos:
        task = ConferenceTask.objects.create(
            owner_unit=memo.owner_unit,
            province=memo.province,
            classification=memo.classification,
            is_joint=memo.is_joint,
            period_key=PERIOD,
            area=memo.province,
            conference_date=today,
            content=memo.title,
            lead_force=memo.owner_unit.force,
            deadline=today + dt.timedelta(days=30),
            created_by=creator,
        )
        for memo_pk, unit_pk in w.base.distributed:
            if memo_pk == memo.pk:
                Distribution.objects.create(
                    content_type=task_type, object_id=task.pk, unit_id=unit_pk
                )
        w.tasks[memo.pk] = task


def build_writes() -> Writes:
    w = Writes(base=build_scenario())
    w.parents = dict(Unit.objects.values_list("pk", "parent_id"))
    _conference_tasks(w)
    for level in UnitLevel.objects.filter(code__in=["tinh", "xa"]):
        w.forms[level.code] = ReportForm.objects.create(
            code=f"MATRIX-W-{level.code.upper()}",
            name=f"Biểu mẫu ma trận ghi ({level.code})",
            level=level,
        )
    law = Law.objects.order_by("order").first()
    assert law is not None, "the law catalogue is seeded after migrate"
    w.law = law.code
    _plan(w)
    return w


@pytest.fixture(scope="module")
def module_writes(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Built once for the module inside a transaction that is rolled back at the end."""
    media = tmp_path_factory.mktemp("matrix-writes-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield build_writes()
        transaction.set_rollback(True)


@pytest.fixture
def writes(module_writes, db, settings) -> Writes:  # type: ignore[no-untyped-def]
    settings.PHOIHOP_MAX_CLASSIFICATION = "toi_mat"
    return module_writes


# --- the checks -------------------------------------------------------------------------------


def _fresh(kind: Kind, record: Any) -> Any:
    return kind.model.all_objects.get(pk=record.pk)


def _call(client: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    if method == "delete":
        return client.delete(path)
    return getattr(client, method)(path, body or {}, content_type="application/json")


def _expected(w: Writes, actor: Any, memo: Any, may: Callable[..., bool], *, allowed: int) -> int:
    """Invisible 404; visible but not allowed 403; allowed `allowed`."""
    if not oracle_visible(actor, memo, w.base):
        return 404
    return allowed if may(actor, memo) else 403


def _check_change(client: Any, w: Writes, actor: User, request: Request) -> None:
    kind = BY_SLUG[request.kind]
    assert kind.records is not None and kind.change is not None and kind.landed is not None
    memo = next(m for m in w.base.memos if m.pk == request.memo)
    record = kind.records(w)[memo.pk]
    before = _fresh(kind, record)
    method, tail, body = kind.change(before.version)
    answer = _call(client, method, f"{kind.api}{record.public_id}/{tail}", body)
    want = _expected(w, actor, memo, kind.may, allowed=200)
    where = (kind.slug, "change", memo.title, request.cell)
    assert answer.status_code == want, (*where, answer.content[:300])
    after = _fresh(kind, record)
    if want == 200:
        assert kind.landed(after), where
    else:
        assert after.version == before.version, where
        assert not kind.landed(after) or kind.slug == "submissions", where


def _check_delete(client: Any, w: Writes, actor: User, request: Request) -> None:
    kind = BY_SLUG[request.kind]
    assert kind.records is not None
    memo = next(m for m in w.base.memos if m.pk == request.memo)
    record = kind.records(w)[memo.pk]
    before = _fresh(kind, record)
    answer = client.delete(f"{kind.api}{record.public_id}/?version={before.version}")
    want = _expected(w, actor, memo, oracle_may_change, allowed=204)
    where = (kind.slug, "delete", memo.title, request.cell)
    assert answer.status_code == want, (*where, answer.content[:300])
    assert (_fresh(kind, record).deleted_at is not None) == (want == 204), where


def _check_create(client: Any, w: Writes, actor: User, request: Request) -> None:
    kind = BY_SLUG[request.kind]
    assert kind.create is not None and request.target is not None
    target = w.u(request.target)
    body = kind.create(w, actor, target, request.classification)
    count = kind.model.all_objects.count()
    answer = client.post(kind.api, body, content_type="application/json")
    want = oracle_create(actor, target, request.classification, w.parents)
    where = (kind.slug, "create", request.target, request.cell)
    assert answer.status_code == want, (*where, answer.content[:300])
    if want == 201:
        assert kind.model.all_objects.count() == count + 1, where
        data = answer.json()
        # Conference tasks name their public id `id`.
        created = kind.model.all_objects.get(public_id=data.get("public_id") or data["id"])
        assert kind.owner_of(created) == target.pk, where
    else:
        assert kind.model.all_objects.count() == count, where
    if want == 400:
        named = kind.target_field if request.target != _targets(w, actor)["own"] else None
        assert named or request.classification > actor.clearance, where
        assert (named or "classification") in answer.json()["fields"], (*where, answer.json())


@pytest.mark.parametrize(("force", "level", "role", "clearance"), ACTORS)
def test_writes_through_every_api(client, writes, force, level, role, clearance):
    key = (force, level, role, clearance)
    actor = user(writes.u(FORCE_UNITS[(force, level)]), roles=[role], clearance=clearance)
    login(client, actor)
    requests = writes.plan[key]
    # Changes first, then deletes (a deleted record is not changed), then creates.
    order = {"change": 0, "delete": 1, "create": 2}
    for request in sorted(requests, key=lambda r: order[r.action]):
        check = {"change": _check_change, "delete": _check_delete, "create": _check_create}
        check[request.action](client, writes, actor, request)


def test_the_plan_covers_every_cell(writes):
    """Each actor meets each of its cells on a few kinds; each kind meets every cell type."""
    for action, (occurrences, chosen, kinds, per_cell) in writes.coverage.items():
        met: dict[Hashable, set[str]] = defaultdict(set)
        for actor, cell, kind_type in occurrences:
            picks = chosen[(actor, cell)]
            options = kinds(cell) if callable(kinds) else kinds
            assert len(set(picks)) >= min(per_cell, len(options)), (action, actor, cell)
            met[kind_type] |= set(picks)
        for _actor, cell, kind_type in occurrences:
            options = kinds(cell) if callable(kinds) else kinds
            assert met[kind_type] == set(options), (action, kind_type)
    # The plan stays a sample: well under one request per record and kind for every actor.
    total = sum(len(requests) for requests in writes.plan.values())
    assert total < 60 * len(ACTOR_KEYS), total


def test_the_write_matrix_is_not_trivial(writes):
    """Across the plan every answer occurs: refused creates and changes, allowed ones, 404s."""
    answers: Counter[tuple[str, int]] = Counter()
    for key, requests in writes.plan.items():
        actor = _as_actor(writes, key)
        for request in requests:
            if request.action == "create":
                target = writes.u(request.target or "")
                want = oracle_create(actor, target, request.classification, writes.parents)
            else:
                memo = next(m for m in writes.base.memos if m.pk == request.memo)
                kind = BY_SLUG[request.kind]
                may = kind.may if request.action == "change" else oracle_may_change
                want = _expected(writes, actor, memo, may, allowed=200)
            answers[(request.action, want)] += 1
    assert set(answers) == {
        ("change", 200),
        ("change", 403),
        ("change", 404),
        ("delete", 200),
        ("delete", 403),
        ("delete", 404),
        ("create", 201),
        ("create", 400),
        ("create", 403),
    }, answers


def test_users_of_no_unit_write_nothing(client, writes):
    """A signed-in user of no unit is refused every create, change and delete, and nothing is
    saved."""
    from phoihop.org.models import Role

    # Only the installation's superuser stands outside the unit tree; give it the officer role
    # too, so that nothing but the missing unit refuses it.
    nobody = User.objects.create_superuser(username="matrix-no-unit", password="Mat-khau-2026-x")
    nobody.roles.set(Role.objects.filter(code="officer"))
    client.force_login(nobody)
    shadow = SimpleNamespace(unit=writes.u("ca_province"), role_codes=WRITERS, clearance=0)
    memo = writes.base.memos[0]
    for kind in KINDS:
        if kind.create is not None:
            count = kind.model.all_objects.count()
            body = kind.create(writes, shadow, writes.u("ca_province"), 0)
            answer = client.post(kind.api, body, content_type="application/json")
            assert answer.status_code == 403, (kind.slug, answer.content[:300])
            assert kind.model.all_objects.count() == count, kind.slug
        if kind.records is not None and kind.change is not None:
            record = kind.records(writes)[memo.pk]
            method, tail, body = kind.change(record.version)
            answer = _call(client, method, f"{kind.api}{record.public_id}/{tail}", body)
            assert answer.status_code == 403, (kind.slug, answer.content[:300])
            assert _fresh(kind, record).version == record.version, kind.slug
        if kind.delete and kind.records is not None:
            record = kind.records(writes)[memo.pk]
            answer = client.delete(f"{kind.api}{record.public_id}/?version={record.version}")
            assert answer.status_code == 403, kind.slug
            assert _fresh(kind, record).deleted_at is None, kind.slug
