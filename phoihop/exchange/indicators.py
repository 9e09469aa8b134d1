"""Derived indicators of the information exchange (found by `phoihop.indicators` at start-up).

Every figure starts from the exchange's period selectors (`phoihop.exchange.figures`, built on
the access rule): items by the time they were sent, receipts by the time they were delivered,
verification requests by the time they were made — within the period, for the unit of the scope
and the units below it, and (if an area is given) for items tagged with that area or a commune
of it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Q, QuerySet

from phoihop.exchange.enums import VerificationStatus
from phoihop.exchange.figures import items_in_period, receipts_in_period, verifications_in_period
from phoihop.indicators.registry import Scope, derived, page_link
from phoihop.org.enums import AreaLevel


def _area_q(scope: Scope, prefix: str = "") -> Q:
    area = scope.area
    if area is None:
        return Q()
    if area.level == AreaLevel.PROVINCE:
        return Q(**{f"{prefix}areas": area}) | Q(**{f"{prefix}areas__parent": area})
    return Q(**{f"{prefix}areas": area})


def _in_area(qs: QuerySet[Any], scope: Scope, prefix: str = "") -> QuerySet[Any]:
    if scope.area is None:
        return qs
    return qs.filter(_area_q(scope, prefix)).distinct()


def _outbox(scope: Scope) -> str:
    return page_link("exchange:outbox")


def _inbox(scope: Scope) -> str:
    return page_link("exchange:index")


@derived(
    "exchange.items_sent",
    name="Số thông tin đã gửi cho các đơn vị",
    unit="tin",
    description="Thông tin do đơn vị (hoặc đơn vị cấp dưới) gửi trong kỳ.",
    order=10,
    link=_outbox,
)
def items_sent(scope: Scope) -> int:
    items = scope.within(items_in_period(actor=scope.actor, start=scope.start, end=scope.end))
    return _in_area(items, scope).count()


def _receipts(scope: Scope) -> QuerySet[Any]:
    receipts = scope.within(
        receipts_in_period(actor=scope.actor, start=scope.start, end=scope.end), field="unit"
    )
    return _in_area(receipts, scope, prefix="item__")


@derived(
    "exchange.items_received",
    name="Số thông tin nhận được",
    unit="tin",
    description="Lượt thông tin chuyển đến đơn vị (hoặc đơn vị cấp dưới) trong kỳ.",
    order=20,
    link=_inbox,
)
def items_received(scope: Scope) -> int:
    return _receipts(scope).count()


@derived(
    "exchange.acknowledged_on_time",
    name="Số thông tin nhận được đã xác nhận đúng hạn",
    unit="tin",
    order=30,
    link=_inbox,
)
def acknowledged_on_time(scope: Scope) -> int:
    return (
        _receipts(scope)
        .filter(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at"))
        .count()
    )


@derived(
    "exchange.acknowledged_on_time_share",
    name="Tỷ lệ thông tin nhận được xác nhận đúng hạn",
    unit="%",
    value_kind="decimal",
    aggregation="average",
    description="Số xác nhận đúng hạn trên số thông tin nhận được trong kỳ (0 khi không nhận "
    "thông tin nào).",
    order=40,
    link=_inbox,
)
def acknowledged_on_time_share(scope: Scope) -> Decimal:
    receipts = _receipts(scope)
    total = receipts.count()
    if not total:
        return Decimal(0)
    on_time = receipts.filter(
        acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at")
    ).count()
    return (Decimal(100) * on_time / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _verifications(scope: Scope) -> QuerySet[Any]:
    requests = scope.within(
        verifications_in_period(actor=scope.actor, start=scope.start, end=scope.end),
        field="assigned_unit",
    )
    return _in_area(requests, scope, prefix="item__")


@derived(
    "exchange.verifications_received",
    name="Số yêu cầu kiểm tra, xác minh phải trả lời",
    unit="yêu cầu",
    order=50,
    link=lambda scope: page_link("exchange:verifications"),
)
def verifications_received(scope: Scope) -> int:
    return _verifications(scope).count()


@derived(
    "exchange.verifications_answered_on_time",
    name="Số yêu cầu xác minh đã trả lời đúng hạn",
    unit="yêu cầu",
    order=60,
    link=lambda scope: page_link("exchange:verifications"),
)
def verifications_answered_on_time(scope: Scope) -> int:
    return (
        _verifications(scope)
        .filter(
            status__in=[VerificationStatus.ANSWERED, VerificationStatus.CLOSED],
            answered_at__isnull=False,
            answered_at__lte=F("due_at"),
        )
        .count()
    )
