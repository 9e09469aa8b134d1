"""Derived indicators of the joint operations (found by `phoihop.indicators` at start-up).

Every figure starts from the module's list selectors (the access rule) and follows the counting
rules of `phoihop.operations.selectors`: records of the period (protection, patrols, rescues and
exercises by the day they started; checkpoints while they operated, with their daily counts dated
inside the period) and of the area, led (owned) by the unit of the scope or a unit below it. A
record counts once however many forces took part; the personnel and vehicles of a rescue are
those every unit taking part committed to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from phoihop.indicators.registry import Scope, derived
from phoihop.operations.enums import ProtectionTarget
from phoihop.operations.models import Checkpoint, Exercise, Patrol, Protection, Rescue
from phoihop.operations.selectors import (
    checkpoint_figures,
    checkpoint_list,
    exercise_figures,
    exercise_list,
    patrol_figures,
    patrol_list,
    protection_figures,
    protection_list,
    records_in,
    rescue_figures,
    rescue_list,
)


def _in_scope(qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    return records_in(scope.within(qs), start=scope.start, end=scope.end, area=scope.area)


def _protections(scope: Scope) -> QuerySet[Protection]:
    return _in_scope(protection_list(actor=scope.actor), scope)


def _checkpoints(scope: Scope) -> QuerySet[Checkpoint]:
    return _in_scope(checkpoint_list(actor=scope.actor), scope)


def _patrols(scope: Scope) -> QuerySet[Patrol]:
    return _in_scope(patrol_list(actor=scope.actor), scope)


def _rescues(scope: Scope) -> QuerySet[Rescue]:
    return _in_scope(rescue_list(actor=scope.actor), scope)


def _exercises(scope: Scope) -> QuerySet[Exercise]:
    return _in_scope(exercise_list(actor=scope.actor), scope)


def _list_page(kind: str, **fixed: str) -> Callable[[Scope], str]:
    """The list page of one record kind, filtered to the scope's period and area.

    ISO dates: the list filters read them whatever the language of the page.
    """

    def link(scope: Scope) -> str:
        query = {
            "start": scope.start.isoformat(),
            "end": scope.end.isoformat(),
            "area": scope.area.code if scope.area is not None else "",
            **fixed,
        }
        path = reverse("operations:list", kwargs={"kind": kind})
        return f"{path}?{urlencode({k: v for k, v in query.items() if v})}"

    return link


# --- protection of delegations and events -----------------------------------------------------


@derived(
    "operations.delegations",
    name="Số đoàn được bảo vệ",
    unit="đoàn",
    description="Đoàn lãnh đạo Đảng, Nhà nước, bộ, ngành trung ương, khách nước ngoài do đơn vị "
    "(hoặc đơn vị cấp dưới) chủ trì bảo vệ, bắt đầu trong kỳ.",
    order=300,
    link=_list_page("protections", target=ProtectionTarget.DELEGATION),
)
def delegations(scope: Scope) -> int:
    return protection_figures(_protections(scope)).delegations


@derived(
    "operations.events",
    name="Số sự kiện được bảo vệ",
    unit="sự kiện",
    description="Sự kiện chính trị, văn hóa, xã hội, thể thao do đơn vị (hoặc đơn vị cấp dưới) "
    "chủ trì bảo vệ, bắt đầu trong kỳ.",
    order=310,
    link=_list_page("protections", target=ProtectionTarget.EVENT),
)
def events(scope: Scope) -> int:
    return protection_figures(_protections(scope)).events


# --- checkpoints ------------------------------------------------------------------------------


@derived(
    "operations.checkpoint_vehicles",
    name="Số lượt phương tiện được kiểm soát tại chốt",
    unit="lượt phương tiện",
    description="Tổng số liệu theo ngày trong kỳ của các chốt do đơn vị (hoặc đơn vị cấp dưới) "
    "chủ trì.",
    order=320,
    link=_list_page("checkpoints"),
)
def checkpoint_vehicles(scope: Scope) -> int:
    return checkpoint_figures(_checkpoints(scope), start=scope.start, end=scope.end).vehicles


@derived(
    "operations.checkpoint_people",
    name="Số lượt người được kiểm soát tại chốt",
    unit="lượt người",
    description="Tổng số liệu theo ngày trong kỳ của các chốt do đơn vị (hoặc đơn vị cấp dưới) "
    "chủ trì.",
    order=330,
    link=_list_page("checkpoints"),
)
def checkpoint_people(scope: Scope) -> int:
    return checkpoint_figures(_checkpoints(scope), start=scope.start, end=scope.end).people


# --- patrols ----------------------------------------------------------------------------------


@derived(
    "operations.patrol_sorties",
    name="Số lượt tuần tra, kiểm soát phối hợp",
    unit="lượt",
    description="Lượt tuần tra, kiểm soát trên bộ, biên giới và trên biển do đơn vị (hoặc đơn "
    "vị cấp dưới) chủ trì, bắt đầu trong kỳ.",
    order=340,
    link=_list_page("patrols"),
)
def patrol_sorties(scope: Scope) -> int:
    return patrol_figures(_patrols(scope), actor=scope.actor).sorties


@derived(
    "operations.patrol_violations",
    name="Số vụ vi phạm phát hiện qua tuần tra, kiểm soát",
    unit="vụ",
    order=350,
    link=_list_page("patrols"),
)
def patrol_violations(scope: Scope) -> int:
    return patrol_figures(_patrols(scope), actor=scope.actor).violations


# --- disaster response and search and rescue --------------------------------------------------


@derived(
    "operations.rescues",
    name="Số vụ thiên tai, sự cố tham gia ứng phó, tìm kiếm cứu nạn",
    unit="vụ",
    description="Vụ do đơn vị (hoặc đơn vị cấp dưới) chủ trì ứng phó, bắt đầu trong kỳ.",
    order=360,
    link=_list_page("rescues"),
)
def rescues(scope: Scope) -> int:
    return rescue_figures(_rescues(scope)).incidents


@derived(
    "operations.rescue_personnel",
    name="Số lượt cán bộ, chiến sĩ tham gia phòng chống thiên tai, tìm kiếm cứu nạn",
    unit="lượt người",
    description="Lượt cán bộ, chiến sĩ mọi đơn vị tham gia huy động cho các vụ do đơn vị (hoặc "
    "đơn vị cấp dưới) chủ trì trong kỳ.",
    order=370,
    link=_list_page("rescues"),
)
def rescue_personnel(scope: Scope) -> int:
    return rescue_figures(_rescues(scope)).commitment.personnel


@derived(
    "operations.rescue_vehicles",
    name="Số lượt phương tiện, tàu xuồng huy động phòng chống thiên tai, tìm kiếm cứu nạn",
    unit="lượt phương tiện",
    description="Lượt phương tiện và tàu, xuồng mọi đơn vị tham gia huy động cho các vụ do đơn "
    "vị (hoặc đơn vị cấp dưới) chủ trì trong kỳ.",
    order=380,
    link=_list_page("rescues"),
)
def rescue_vehicles(scope: Scope) -> int:
    return rescue_figures(_rescues(scope)).commitment.all_vehicles


@derived(
    "operations.people_rescued",
    name="Số người được cứu",
    unit="người",
    order=390,
    link=_list_page("rescues"),
)
def people_rescued(scope: Scope) -> int:
    return rescue_figures(_rescues(scope)).people_rescued


@derived(
    "operations.people_evacuated",
    name="Số người được sơ tán",
    unit="người",
    order=400,
    link=_list_page("rescues"),
)
def people_evacuated(scope: Scope) -> int:
    return rescue_figures(_rescues(scope)).people_evacuated


# --- exercises --------------------------------------------------------------------------------


@derived(
    "operations.exercises",
    name="Số cuộc diễn tập",
    unit="cuộc",
    description="Diễn tập khu vực phòng thủ, phòng thủ dân sự, tìm kiếm cứu nạn do đơn vị (hoặc "
    "đơn vị cấp dưới) chủ trì, bắt đầu trong kỳ.",
    order=410,
    link=_list_page("exercises"),
)
def exercises(scope: Scope) -> int:
    return exercise_figures(_exercises(scope)).exercises
