"""Derived indicators of mass mobilisation (found by `phoihop.indicators` at start-up).

Every figure starts from the module's list selectors (the access rule) and follows the counting
rules of `phoihop.mobilisation.selectors`: forums, propaganda and social support by their first
day within the period and in the area; campaigns running during the period, their handed-in
items by the day they were handed in (summed exactly in the catalogue item's canonical unit), and
their coverage as the communes launched up to the period's end over the current communes of the
province. Records count when the unit of the scope or a unit below it organised them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from phoihop.indicators.registry import Scope, derived, page_link
from phoihop.mobilisation.models import Forum, PropagandaSession, SocialProgramme, SurrenderCampaign
from phoihop.mobilisation.selectors import (
    CampaignFigures,
    campaign_figures,
    campaign_list,
    campaigns_in,
    forum_figures,
    forum_list,
    programme_figures,
    programme_list,
    propaganda_figures,
    propaganda_list,
    records_in,
)
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea


def _in_scope(qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    return records_in(scope.within(qs), start=scope.start, end=scope.end, area=scope.area)


def _forums(scope: Scope) -> QuerySet[Forum]:
    return _in_scope(forum_list(actor=scope.actor), scope)


def _propaganda(scope: Scope) -> QuerySet[PropagandaSession]:
    return _in_scope(propaganda_list(actor=scope.actor), scope)


def _programmes(scope: Scope) -> QuerySet[SocialProgramme]:
    return _in_scope(programme_list(actor=scope.actor), scope)


def _campaigns(scope: Scope, area: AdministrativeArea | None) -> QuerySet[SurrenderCampaign]:
    return campaigns_in(
        scope.within(campaign_list(actor=scope.actor)), start=scope.start, end=scope.end, area=area
    )


def _province(scope: Scope) -> AdministrativeArea | None:
    """The province whose communes a coverage is measured over: the scope's area's, else the
    scope unit's, else the actor's unit's."""
    if scope.area is not None:
        return scope.area if scope.area.level == AreaLevel.PROVINCE else scope.area.province
    unit = scope.unit or getattr(scope.actor, "unit", None)
    return unit.province if unit is not None else None


def _coverage(scope: Scope) -> CampaignFigures | None:
    province = _province(scope)
    if province is None:
        return None
    return campaign_figures(
        _campaigns(scope, province), start=scope.start, end=scope.end, area=province
    )


def _page(url_name: str) -> Callable[[Scope], str]:
    """A list page filtered to the scope's period and area (ISO dates: the filters read them
    whatever the language of the page)."""

    def link(scope: Scope) -> str:
        return page_link(
            url_name,
            start=scope.start.isoformat(),
            end=scope.end.isoformat(),
            area=scope.area.code if scope.area is not None else "",
        )

    return link


# --- forums "Công an lắng nghe ý kiến Nhân dân" -------------------------------------------------


@derived(
    "mobilisation.forums",
    name="Số diễn đàn “Công an lắng nghe ý kiến Nhân dân”",
    unit="diễn đàn",
    description="Diễn đàn do đơn vị (hoặc đơn vị cấp dưới) tổ chức, bắt đầu trong kỳ.",
    order=500,
    link=_page("mobilisation:forum_list"),
)
def forums(scope: Scope) -> int:
    return forum_figures(_forums(scope)).forums


@derived(
    "mobilisation.forum_attendees",
    name="Số lượt người tham dự diễn đàn",
    unit="lượt người",
    order=510,
    link=_page("mobilisation:forum_list"),
)
def forum_attendees(scope: Scope) -> int:
    return forum_figures(_forums(scope)).attendees


@derived(
    "mobilisation.opinions",
    name="Số ý kiến Nhân dân nêu tại diễn đàn",
    unit="ý kiến",
    description="Tổng số ý kiến ghi nhận tại các diễn đàn của kỳ (kể cả ý kiến chưa phân loại "
    "lĩnh vực).",
    order=520,
    link=_page("mobilisation:forum_list"),
)
def opinions(scope: Scope) -> int:
    return forum_figures(_forums(scope)).opinions


# --- law propaganda ---------------------------------------------------------------------------


@derived(
    "mobilisation.propaganda_sessions",
    name="Số buổi tuyên truyền, phổ biến pháp luật",
    unit="buổi",
    description="Buổi tuyên truyền do đơn vị (hoặc đơn vị cấp dưới) tổ chức trong kỳ; một buổi "
    "về nhiều luật tính một lần.",
    order=530,
    link=_page("mobilisation:propaganda_list"),
)
def propaganda_sessions(scope: Scope) -> int:
    return propaganda_figures(_propaganda(scope)).sessions


@derived(
    "mobilisation.propaganda_attendees",
    name="Số lượt người nghe tuyên truyền, phổ biến pháp luật",
    unit="lượt người",
    order=540,
    link=_page("mobilisation:propaganda_list"),
)
def propaganda_attendees(scope: Scope) -> int:
    return propaganda_figures(_propaganda(scope)).attendees


# --- surrender campaigns ----------------------------------------------------------------------


@derived(
    "mobilisation.campaign_communes",
    name="Số xã, phường đã phát động vận động giao nộp vũ khí, vật liệu nổ",
    unit="xã, phường",
    aggregation="last",
    description="Xã, phường hiện hành của tỉnh đã phát động (tính đến hết kỳ) trong các đợt vận "
    "động do đơn vị (hoặc đơn vị cấp dưới) chủ trì, đang diễn ra trong kỳ.",
    order=550,
    link=_page("mobilisation:campaign_list"),
)
def campaign_communes(scope: Scope) -> int:
    figures = _coverage(scope)
    if figures is None:
        return 0
    return figures.launched or 0


@derived(
    "mobilisation.campaign_coverage",
    name="Tỷ lệ xã, phường đã phát động vận động giao nộp vũ khí, vật liệu nổ",
    unit="%",
    value_kind="decimal",
    aggregation="last",
    description="Số xã, phường đã phát động (tính đến hết kỳ) trên số xã, phường hiện hành của "
    "tỉnh (0 khi không có đợt vận động nào).",
    order=560,
    link=_page("mobilisation:campaign_list"),
)
def campaign_coverage(scope: Scope) -> Decimal:
    figures = _coverage(scope)
    if figures is None or not figures.communes:
        return Decimal(0)
    share = Decimal(100) * (figures.launched or 0) / figures.communes
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Items handed in that the periodic report names: catalogue code, indicator name, canonical unit.
HANDED_IN: list[tuple[str, str, str]] = [
    ("thuoc-no", "Thuốc nổ được giao nộp", "kg"),
    ("sung", "Súng các loại được giao nộp", "khẩu"),
    ("dao-kiem", "Dao, kiếm được giao nộp", "cái"),
]
# Canonical units of things counted one by one: the indicator is a whole number.
_COUNTED_UNITS = frozenset({"khẩu", "cái"})


def _handed_in_total(item_code: str, scope: Scope) -> Decimal:
    figures = campaign_figures(
        _campaigns(scope, scope.area), start=scope.start, end=scope.end, area=scope.area
    )
    return figures.handed_in_of(item_code)


def _register_handed_in(item_code: str, name: str, unit: str, order: int) -> None:
    def compute(scope: Scope) -> Decimal:
        return _handed_in_total(item_code, scope)

    compute.__name__ = f"handed_in_{item_code.replace('-', '_')}"
    derived(
        f"mobilisation.handed_in.{item_code}",
        name=name,
        unit=unit,
        value_kind="count" if unit in _COUNTED_UNITS else "decimal",
        description=f"Tổng số lượng Nhân dân giao nộp trong kỳ, trong các đợt vận động do đơn vị "
        f"(hoặc đơn vị cấp dưới) chủ trì, tính bằng {unit}.",
        order=order,
        link=_page("mobilisation:campaign_list"),
    )(compute)


for _position, (_code, _name, _unit) in enumerate(HANDED_IN):
    _register_handed_in(_code, _name, _unit, 570 + _position * 10)


# --- social support ---------------------------------------------------------------------------


@derived(
    "mobilisation.social_beneficiaries",
    name="Số người được hỗ trợ an sinh xã hội",
    unit="người",
    description="Người được hỗ trợ trong các hoạt động an sinh xã hội do đơn vị (hoặc đơn vị cấp "
    "dưới) tổ chức, bắt đầu trong kỳ.",
    order=600,
    link=_page("mobilisation:programme_list"),
)
def social_beneficiaries(scope: Scope) -> int:
    return programme_figures(_programmes(scope)).beneficiaries
