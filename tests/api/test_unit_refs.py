"""Every unit reference of every write endpoint takes a unit's code or its public id.

`UNIT_REFS` lists each field of a request body that names a unit (issue 13: "a unit code and a
public id are accepted in every unit-reference field of every API"). For each one:
- the unit's code works, and so does its public id, and both save that same unit;
- an unknown code, or an unknown public id, is 400 `unknown_unit` naming the field (nested rows
  by position, `units.0.unit`), and nothing is saved.
A field that a change documents but may not take (the owner unit of a record is chosen when it
is created; a forum's opinions are added one by one) is `fixed`: naming a unit by code or by
public id must not be refused as unknown and saves no other unit; an unknown unit is refused as
unknown, like everywhere else.

`test_the_table_lists_every_unit_field_of_the_schema` keeps the table whole: a request body in
the OpenAPI schema that gains a field named `…unit` or `…units` not listed here (nor among the
units of measure, `NOT_ORGANISATION_UNITS`) fails it, and so does a row whose field is gone.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from phoihop.access.models import Distribution
from phoihop.audit.models import AuditEntry
from phoihop.cases.models import Case, CaseUnit, WantedPerson
from phoihop.core.enums import Classification
from phoihop.exchange.models import InformationItem, Receipt, VerificationRequest
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    Opinion,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.operations.models import (
    Checkpoint,
    Destruction,
    Exercise,
    OperationUnit,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.org.models import Unit, User
from tests import factories
from tests.factories import OrgWorld

UNKNOWN_CODE = "KHONG-CO-DON-VI"

# Fields named like a unit that are units of measure (gam, kg, viên…), not of the organisation.
NOT_ORGANISATION_UNITS = {
    ("POST", "/api/v1/cases/cases/", "seized_items[].unit"),
    ("POST", "/api/v1/cases/cases/{public_id}/seized-items/", "unit"),
    ("PATCH", "/api/v1/cases/cases/{public_id}/seized-items/{seized_id}/", "unit"),
    ("POST", "/api/v1/mobilisation/campaigns/{public_id}/handed-in/", "items[].unit"),
}
# Every model a unit reference may write to, counted before and after a refused request.
WRITTEN = [
    AuditEntry,
    Distribution,
    Case,
    CaseUnit,
    WantedPerson,
    InformationItem,
    Receipt,
    VerificationRequest,
    OperationUnit,
    Protection,
    Checkpoint,
    ProtectedZone,
    Patrol,
    Rescue,
    Exercise,
    Forum,
    Opinion,
    PropagandaSession,
    SurrenderCampaign,
    SocialProgramme,
    CampaignLaunch,
]


# --- the context of one row -------------------------------------------------------------------


@dataclass
class Ctx:
    """The signed-in users of a row and what its setup made."""

    client: Client
    world: OrgWorld
    users: dict[str, User] = field(default_factory=dict)
    record: Any = None  # the record a change or an action is sent to
    item: InformationItem | None = None

    def u(self, key: str) -> Unit:
        return self.world.u(key)

    def login(self, unit_key: str) -> None:
        if unit_key not in self.users:
            self.users[unit_key] = factories.user(
                self.u(unit_key),
                roles=("officer", "commander"),
                clearance=Classification.THUONG,
            )
        factories.login(self.client, self.users[unit_key])

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(self.client, method.lower())(path, body, content_type="application/json")

    def created(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.send(method, path, body)
        assert answer.status_code == 201, (path, answer.content[:400])
        data: dict[str, Any] = answer.json()
        return data

    def fresh(self) -> Any:
        return type(self.record).all_objects.get(pk=self.record.pk)

    def path(self, template: str) -> str:
        if self.record is not None:
            template = template.replace("{public_id}", str(self.record.public_id))
        return template


def _today() -> str:
    return timezone.localdate().isoformat()


def _snapshot(ctx: Ctx) -> tuple[Any, ...]:
    counts = tuple(model._default_manager.count() for model in WRITTEN)
    return (*counts, ctx.fresh().version if ctx.record is not None else None)


@contextmanager
def _rolled_back() -> Iterator[None]:
    """Each variant of a row starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- the rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    method: str
    path: str  # as in the OpenAPI schema
    field: str  # as the error names it: nested rows by position (`units.0.unit`)
    target: str  # the unit (a key of the world) the row names
    body: Callable[[Ctx, str], dict[str, Any]]  # the request naming the unit `ref`
    saved: Callable[[Ctx, Any], set[int]]  # the units the field holds after the answer
    setup: Callable[[Ctx], None] = lambda ctx: None
    sender: str = "ca_province"  # the unit of the user sending the request
    ok: int = 200
    fixed: bool = False

    @property
    def schema_field(self) -> str:
        return re.sub(r"\.\d+\.", "[].", self.field)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.method, self.path, self.schema_field)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path} {self.field}"


def _created(model: type[Any], answer: Any) -> Any:
    return model.all_objects.get(public_id=answer.json()["public_id"])


# cases -----------------------------------------------------------------------------------------

CASES = "/api/v1/cases/cases/"


def _case_body(ctx: Ctx, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Vụ việc thử mã đơn vị",
        "category": "drugs",
        "domain": "inland",
        "commune": ctx.world.commune_a.code,
        "detected_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        **fields,
    }


def _a_case(ctx: Ctx) -> None:
    created = ctx.created("POST", CASES, _case_body(ctx))
    ctx.record = Case.all_objects.get(public_id=created["public_id"])


def _cooperating(case: Case) -> set[int]:
    return set(case.participants.exclude(role="lead").values_list("unit_id", flat=True))


def _a_wanted_person(ctx: Ctx) -> None:
    created = ctx.created(
        "POST",
        "/api/v1/cases/wanted/",
        {
            "notice_number": "7/QĐ",
            "notice_date": _today(),
            "issuing_authority": "Cơ quan CSĐT",
            "full_name": "Đối tượng thử mã đơn vị",
        },
    )
    ctx.record = WantedPerson.all_objects.get(public_id=created["public_id"])


CASE_REFS = [
    UnitRef(
        "POST",
        CASES,
        "lead_unit",
        "ca_commune_a",
        lambda ctx, ref: _case_body(ctx, lead_unit=ref),
        lambda ctx, answer: {_created(Case, answer).owner_unit_id},
        ok=201,
    ),
    UnitRef(
        "POST",
        CASES,
        "detecting_unit",
        "bp_post_a",
        lambda ctx, ref: _case_body(ctx, detecting_unit=ref),
        lambda ctx, answer: {_created(Case, answer).detecting_unit_id},
        ok=201,
    ),
    UnitRef(
        "POST",
        CASES,
        "cooperating_units",
        "bp_post_a",
        lambda ctx, ref: _case_body(ctx, cooperating_units=[ref]),
        lambda ctx, answer: _cooperating(_created(Case, answer)),
        ok=201,
    ),
    UnitRef(
        "PATCH",
        CASES + "{public_id}/",
        "detecting_unit",
        "qs_commune_a",
        lambda ctx, ref: {"detecting_unit": ref, "version": ctx.fresh().version},
        lambda ctx, answer: {ctx.fresh().detecting_unit_id},
        setup=_a_case,
    ),
    UnitRef(
        "PUT",
        CASES + "{public_id}/cooperating-units/",
        "cooperating_units",
        "qs_commune_a",
        lambda ctx, ref: {"cooperating_units": [ref], "version": ctx.fresh().version},
        lambda ctx, answer: _cooperating(ctx.fresh()),
        setup=_a_case,
    ),
    UnitRef(
        "POST",
        "/api/v1/cases/wanted/{public_id}/arrest/",
        "arresting_unit",
        "ca_commune_a",
        lambda ctx, ref: {
            "arrested_at": timezone.now().isoformat(),
            "arresting_unit": ref,
            "version": ctx.fresh().version,
        },
        lambda ctx, answer: {ctx.fresh().arresting_unit_id},
        setup=_a_wanted_person,
    ),
]

# exchange --------------------------------------------------------------------------------------

ITEMS = "/api/v1/exchange/items/"


def _item_body(ctx: Ctx, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Thông tin thử mã đơn vị",
        "content": "Nội dung",
        "topic": "other",
        "recipients": [str(ctx.u("bp_province").public_id)],
        **fields,
    }


def _an_item_sent_to_the_border_guard(ctx: Ctx) -> None:
    created = ctx.created("POST", ITEMS, _item_body(ctx))
    ctx.item = InformationItem.all_objects.get(public_id=created["public_id"])
    ctx.record = ctx.item


def _received(item: InformationItem) -> set[int]:
    return set(Receipt.objects.filter(item=item).values_list("unit_id", flat=True))


EXCHANGE_REFS = [
    UnitRef(
        "POST",
        ITEMS,
        "recipients",
        "qs_province",
        lambda ctx, ref: _item_body(ctx, recipients=[ref]),
        lambda ctx, answer: _received(_created(InformationItem, answer)),
        ok=201,
    ),
    UnitRef(
        "POST",
        ITEMS,
        "verification.assigned_unit",
        "bp_province",
        lambda ctx, ref: _item_body(
            ctx, verification={"assigned_unit": ref, "question": "Đề nghị xác minh"}
        ),
        lambda ctx, answer: set(
            VerificationRequest.objects.filter(item=_created(InformationItem, answer)).values_list(
                "assigned_unit_id", flat=True
            )
        ),
        ok=201,
    ),
    UnitRef(
        "POST",
        ITEMS + "{public_id}/forward/",
        "units",
        "bp_post_a",
        lambda ctx, ref: {"units": [ref]},
        # The units the Border Guard command forwarded the item to.
        lambda ctx, answer: set(
            Receipt.objects.filter(item=ctx.item, forwarded_by=ctx.u("bp_province")).values_list(
                "unit_id", flat=True
            )
        ),
        setup=_an_item_sent_to_the_border_guard,
        sender="bp_province",
        ok=201,
    ),
    UnitRef(
        "POST",
        "/api/v1/exchange/verifications/",
        "assigned_unit",
        "bp_province",
        lambda ctx, ref: {
            "item": str(ctx.record.public_id),
            "assigned_unit": ref,
            "question": "Đề nghị xác minh",
        },
        lambda ctx, answer: {_created(VerificationRequest, answer).assigned_unit_id},
        setup=_an_item_sent_to_the_border_guard,
        ok=201,
    ),
]

# operations ------------------------------------------------------------------------------------

OPERATION_KINDS: dict[str, tuple[type[Any], dict[str, Any]]] = {
    "protections": (Protection, {"target": "event", "event_category": "political"}),
    "checkpoints": (Checkpoint, {"purpose": "border"}),
    "zones": (ProtectedZone, {"zone_kind": "key_target"}),
    "patrols": (Patrol, {"route": "land"}),
    "rescues": (Rescue, {"incident_kind": "flood"}),
    "exercises": (Exercise, {"exercise_kind": "sar"}),
    "destructions": (Destruction, {"item": "thuoc-no", "entered_quantity": "5"}),
}


def _operation_body(slug: str, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Hoạt động thử mã đơn vị",
        "place": "Km 3",
        "start_date": _today(),
        **OPERATION_KINDS[slug][1],
        **fields,
    }


def _an_operation(slug: str) -> Callable[[Ctx], None]:
    def setup(ctx: Ctx) -> None:
        created = ctx.created("POST", f"/api/v1/operations/{slug}/", _operation_body(slug))
        ctx.record = OPERATION_KINDS[slug][0].all_objects.get(public_id=created["public_id"])

    return setup


def _taking_part(record: Any) -> set[int]:
    """The units taking part besides the lead (always listed) unit."""
    return set(
        OperationUnit.objects.filter(
            object_id=record.pk, content_type__model=record._meta.model_name
        )
        .exclude(unit_id=record.owner_unit_id)
        .values_list("unit_id", flat=True)
    )


def _operation_refs(slug: str) -> list[UnitRef]:
    model = OPERATION_KINDS[slug][0]
    path = f"/api/v1/operations/{slug}/"
    return [
        UnitRef(
            "POST",
            path,
            "lead_unit",
            "ca_commune_a",
            lambda ctx, ref: _operation_body(slug, lead_unit=ref),
            lambda ctx, answer: {_created(model, answer).owner_unit_id},
            ok=201,
        ),
        UnitRef(
            "POST",
            path,
            "units.0.unit",
            "bp_post_a",
            lambda ctx, ref: _operation_body(slug, units=[{"unit": ref, "personnel": 4}]),
            lambda ctx, answer: _taking_part(_created(model, answer)),
            ok=201,
        ),
        UnitRef(
            "PATCH",
            path + "{public_id}/",
            "units.0.unit",
            "qs_commune_a",
            lambda ctx, ref: {
                "units": [{"unit": ref, "personnel": 2}],
                "version": ctx.fresh().version,
            },
            lambda ctx, answer: _taking_part(ctx.fresh()),
            setup=_an_operation(slug),
        ),
        # The lead unit owns the record: chosen when it is created, never changed.
        UnitRef(
            "PATCH",
            path + "{public_id}/",
            "lead_unit",
            "ca_province",
            lambda ctx, ref: {"lead_unit": ref, "version": ctx.fresh().version},
            lambda ctx, answer: {ctx.fresh().owner_unit_id},
            setup=_an_operation(slug),
            fixed=True,
        ),
    ]


# mobilisation ----------------------------------------------------------------------------------

MOB = "/api/v1/mobilisation/"
MOBILISATION_KINDS: dict[str, tuple[type[Any], Callable[[Ctx], dict[str, Any]]]] = {
    "forums": (
        Forum,
        lambda ctx: {"commune": ctx.world.commune_a.code, "attendees": 40, "opinions": 5},
    ),
    "propaganda": (
        PropagandaSession,
        lambda ctx: {"title": "Tuyên truyền", "laws": [_a_law()], "attendees": 30},
    ),
    "campaigns": (SurrenderCampaign, lambda ctx: {"name": "Vận động giao nộp vũ khí"}),
    "programmes": (
        SocialProgramme,
        lambda ctx: {"kind": "other", "name": "Hỗ trợ", "beneficiaries": 3, "value": "5000000"},
    ),
}


def _a_law() -> str:
    from phoihop.mobilisation.models import Law

    law = Law.objects.order_by("order").first()
    assert law is not None, "the law catalogue is seeded after migrate"
    return law.code


def _mobilisation_body(ctx: Ctx, slug: str, **fields: Any) -> dict[str, Any]:
    return {"start_date": _today(), **MOBILISATION_KINDS[slug][1](ctx), **fields}


def _a_mobilisation_record(slug: str, **fields: Any) -> Callable[[Ctx], None]:
    def setup(ctx: Ctx) -> None:
        created = ctx.created("POST", f"{MOB}{slug}/", _mobilisation_body(ctx, slug, **fields))
        ctx.record = MOBILISATION_KINDS[slug][0].all_objects.get(public_id=created["public_id"])

    return setup


def _partners(record: Any) -> set[int]:
    return set(record.participating_units.values_list("pk", flat=True))


def _mobilisation_refs(slug: str) -> list[UnitRef]:
    model = MOBILISATION_KINDS[slug][0]
    path = f"{MOB}{slug}/"
    return [
        UnitRef(
            "POST",
            path,
            "organising_unit",
            "ca_commune_a",
            lambda ctx, ref: _mobilisation_body(ctx, slug, organising_unit=ref),
            lambda ctx, answer: {_created(model, answer).owner_unit_id},
            ok=201,
        ),
        UnitRef(
            "POST",
            path,
            "participating_units",
            "qs_commune_a",
            lambda ctx, ref: _mobilisation_body(ctx, slug, participating_units=[ref]),
            lambda ctx, answer: _partners(_created(model, answer)),
            ok=201,
        ),
        UnitRef(
            "PATCH",
            path + "{public_id}/",
            "participating_units",
            "bp_post_a",
            lambda ctx, ref: {"participating_units": [ref], "version": ctx.fresh().version},
            lambda ctx, answer: _partners(ctx.fresh()),
            setup=_a_mobilisation_record(slug),
        ),
        # The organising unit owns the record: chosen when it is created, never changed.
        UnitRef(
            "PATCH",
            path + "{public_id}/",
            "organising_unit",
            "ca_province",
            lambda ctx, ref: {"organising_unit": ref, "version": ctx.fresh().version},
            lambda ctx, answer: {ctx.fresh().owner_unit_id},
            setup=_a_mobilisation_record(slug),
            fixed=True,
        ),
    ]


def _opinion_row(ref: str) -> dict[str, Any]:
    return {"topic": "security", "content": "Ý kiến thử mã đơn vị", "assigned_unit": ref}


def _assigned(forum: Forum) -> set[int]:
    return set(
        Opinion.objects.filter(forum=forum, assigned_unit__isnull=False).values_list(
            "assigned_unit_id", flat=True
        )
    )


def _a_forum_with_an_opinion(ctx: Ctx) -> None:
    _a_mobilisation_record(
        "forums", opinion_items=[{"topic": "security", "content": "Ý kiến chưa giao"}]
    )(ctx)
    ctx.record = Opinion.objects.get(forum=ctx.record)


def _launched_by(campaign: SurrenderCampaign) -> set[int]:
    return set(CampaignLaunch.objects.filter(campaign=campaign).values_list("unit_id", flat=True))


MOBILISATION_ACTION_REFS = [
    UnitRef(
        "POST",
        MOB + "forums/",
        "opinion_items.0.assigned_unit",
        "ca_commune_a",
        lambda ctx, ref: _mobilisation_body(ctx, "forums", opinion_items=[_opinion_row(ref)]),
        lambda ctx, answer: _assigned(_created(Forum, answer)),
        ok=201,
    ),
    # Opinions are added through their own action, not by changing the forum.
    UnitRef(
        "PATCH",
        MOB + "forums/{public_id}/",
        "opinion_items.0.assigned_unit",
        "ca_commune_a",
        lambda ctx, ref: {"opinion_items": [_opinion_row(ref)], "version": ctx.fresh().version},
        lambda ctx, answer: _assigned(ctx.fresh()),
        setup=_a_mobilisation_record("forums"),
        fixed=True,
    ),
    UnitRef(
        "POST",
        MOB + "forums/{public_id}/opinions/",
        "assigned_unit",
        "ca_commune_a",
        lambda ctx, ref: _opinion_row(ref),
        lambda ctx, answer: _assigned(ctx.fresh()),
        setup=_a_mobilisation_record("forums"),
        ok=201,
    ),
    UnitRef(
        "POST",
        MOB + "opinions/{public_id}/assign/",
        "assigned_unit",
        "qs_commune_a",
        lambda ctx, ref: {"assigned_unit": ref, "version": ctx.fresh().version},
        lambda ctx, answer: {ctx.fresh().assigned_unit_id},
        setup=_a_forum_with_an_opinion,
    ),
    UnitRef(
        "POST",
        MOB + "campaigns/{public_id}/launches/",
        "unit",
        "ca_commune_a",
        lambda ctx, ref: {
            "commune": ctx.world.commune_a.code,
            "launched_on": _today(),
            "unit": ref,
        },
        lambda ctx, answer: _launched_by(ctx.fresh()),
        setup=_a_mobilisation_record("campaigns"),
        ok=201,
    ),
]

# organisation (administrators) -------------------------------------------------------------

USERS = "/api/v1/users/"


def _an_administrator_sends(ctx: Ctx) -> None:
    """The sender (`ca_province`, signed in first) is made an administrator of the province."""
    from phoihop.org.models import Role

    ctx.users["ca_province"].roles.add(Role.objects.get(code="administrator"))


class _AccountRecord:
    """A user as the record of a row: accounts have no version, so the snapshot's `version` is
    what a change of the account's unit could alter."""

    def __init__(self, user: User) -> None:
        self.pk, self.public_id = user.pk, user.public_id
        self.version = (user.unit_id, user.clearance, user.is_active)

    class all_objects:
        @staticmethod
        def get(pk: int) -> _AccountRecord:
            return _AccountRecord(User.objects.get(pk=pk))


def _an_account(ctx: Ctx) -> None:
    _an_administrator_sends(ctx)
    ctx.record = _AccountRecord(factories.user(ctx.u("ca_province"), roles=("officer",)))


ORGANISATION_REFS = [
    UnitRef(
        "POST",
        USERS,
        "unit",
        "ca_commune_a",
        lambda ctx, ref: {
            "username": "can.bo.moi",
            "full_name": "Cán bộ mới",
            "unit": ref,
            "roles": ["officer"],
        },
        lambda ctx, answer: set(
            User.objects.filter(public_id=answer.json()["public_id"]).values_list(
                "unit_id", flat=True
            )
        ),
        setup=_an_administrator_sends,
        ok=201,
    ),
    UnitRef(
        "PATCH",
        USERS + "{public_id}/",
        "unit",
        "ca_commune_a",
        lambda ctx, ref: {"unit": ref},
        lambda ctx, answer: set(
            User.objects.filter(pk=ctx.record.pk).values_list("unit_id", flat=True)
        ),
        setup=_an_account,
    ),
]

UNIT_REFS = [
    *CASE_REFS,
    *EXCHANGE_REFS,
    *(row for slug in OPERATION_KINDS for row in _operation_refs(slug)),
    *(row for slug in MOBILISATION_KINDS for row in _mobilisation_refs(slug)),
    *MOBILISATION_ACTION_REFS,
    *ORGANISATION_REFS,
]


# --- the tests --------------------------------------------------------------------------------


def _refusal(answer: Any) -> tuple[int, str, dict[str, Any]]:
    try:
        data = answer.json()
    except ValueError:
        return answer.status_code, "", {}
    if not isinstance(data, dict):  # an answer that lists rows, e.g. the forwarded receipts
        return answer.status_code, "", {}
    return answer.status_code, data.get("code", ""), data.get("fields", {}) or {}


@pytest.mark.parametrize("row", UNIT_REFS, ids=[row.id for row in UNIT_REFS])
def test_a_unit_is_named_by_its_code_or_its_public_id(client, world, row):
    ctx = Ctx(client=client, world=world)
    ctx.login("ca_province")
    row.setup(ctx)
    ctx.login(row.sender)
    target = ctx.u(row.target)
    path = ctx.path(row.path)
    kept = row.saved(ctx, None) if row.fixed else set()

    for ref in (target.code, str(target.public_id)):
        with _rolled_back():
            answer = ctx.send(row.method, path, row.body(ctx, ref))
            status, code, fields = _refusal(answer)
            if row.fixed:
                # The unit is known by either name: a change may refuse to take it, never
                # as unknown, and it saves nothing but that unit.
                assert status < 500, (ref, answer.content[:400])
                assert code != "unknown_unit", (ref, answer.content[:400])
                assert row.saved(ctx, answer) in (kept, {target.pk}), ref
            else:
                assert status == row.ok, (ref, answer.content[:400])
                assert row.saved(ctx, answer) == {target.pk}, ref

    for ref in (UNKNOWN_CODE, str(uuid.uuid4())):
        with _rolled_back():
            before = _snapshot(ctx)
            answer = ctx.send(row.method, path, row.body(ctx, ref))
            status, code, fields = _refusal(answer)
            assert (status, code) == (400, "unknown_unit"), (ref, answer.content[:400])
            assert row.field in fields, (ref, fields)
            assert ref in " ".join(fields[row.field]), fields[row.field]
            assert _snapshot(ctx) == before, ref


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    components = schema["components"]["schemas"]
    while "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[-1]]
    if len(node.get("allOf", [])) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _unit_fields(schema: dict[str, Any], node: dict[str, Any], prefix: str = "") -> set[str]:
    """The writable properties of a request body whose names say they name units, as paths
    (`units[].unit`); a list of objects (`units`) is walked, not listed."""
    node = _resolve(schema, node)
    if node.get("type") == "array":
        return _unit_fields(schema, node.get("items", {}), prefix + "[]")
    found: set[str] = set()
    for name, prop in (node.get("properties") or {}).items():
        prop = _resolve(schema, prop)
        if prop.get("readOnly"):
            continue
        path = f"{prefix}.{name}" if prefix else name
        leaf = prop.get("type") == "string" or (
            prop.get("type") == "array" and _resolve(schema, prop["items"]).get("type") == "string"
        )
        if leaf and re.search(r"(unit|units|recipients)$", name):
            found.add(path)
        elif not leaf:
            found |= _unit_fields(schema, prop, path)
    return found


def test_the_table_lists_every_unit_field_of_the_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    documented: set[tuple[str, str, str]] = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in {"post", "put", "patch"}:
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                for name in _unit_fields(schema, media.get("schema", {})):
                    documented.add((method.upper(), path, name))
    listed = {row.key for row in UNIT_REFS}
    unlisted = documented - listed - NOT_ORGANISATION_UNITS
    assert unlisted == set(), f"unit fields missing from UNIT_REFS: {sorted(unlisted)}"
    gone = (listed | NOT_ORGANISATION_UNITS) - documented
    assert gone == set(), f"rows of fields the API no longer documents: {sorted(gone)}"
