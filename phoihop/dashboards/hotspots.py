"""Hotspots ("không để hình thành điểm nóng"): communes whose figure for a period rises well above
their own baseline.

The rule, stated on the map page in the same words:

- the baseline of a commune is the mean of its figure over the `baseline_periods` periods just
  before the chosen one (of the same kind; a period with nothing recorded counts as 0);
- a commune is a hotspot when its figure for the period is at least `minimum` AND at least
  `factor` times its baseline (a commune with a baseline of 0 needs only the minimum).

The minimum keeps a commune going from 0 to 1 case from being called a hotspot; the factor
compares a commune with itself, so a busy border commune is not flagged for being busy as usual.
The parameters are settings (`PHOIHOP_HOTSPOT`), the rule itself is this pure function, tested on
constructed counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from phoihop.core import formats


@dataclass(frozen=True)
class HotspotRule:
    baseline_periods: int = 4
    factor: Decimal = Decimal(2)
    minimum: int = 3

    @classmethod
    def from_settings(cls) -> HotspotRule:
        values: dict[str, Any] = dict(getattr(settings, "PHOIHOP_HOTSPOT", {}) or {})
        rule = cls(
            baseline_periods=int(values.get("baseline_periods", cls.baseline_periods)),
            factor=Decimal(str(values.get("factor", cls.factor))),
            minimum=int(values.get("minimum", cls.minimum)),
        )
        if rule.baseline_periods < 1 or rule.factor <= 0 or rule.minimum < 1:
            raise ValueError("PHOIHOP_HOTSPOT: baseline_periods ≥ 1, factor > 0, minimum ≥ 1")
        return rule

    def text(self, figure: str) -> str:
        """The rule in the page's words, for the chosen figure ("vụ việc")."""
        return _(
            "Điểm nóng: xã, phường có từ %(minimum)s %(figure)s trở lên trong kỳ và gấp "
            "%(factor)s lần trở lên mức trung bình của chính xã, phường đó trong %(periods)s kỳ "
            "liền trước (kỳ không có ghi nhận tính là 0)."
        ) % {
            "minimum": formats.number(self.minimum),
            "figure": figure,
            "factor": formats.number(self.factor),
            "periods": formats.number(self.baseline_periods),
        }


@dataclass(frozen=True)
class Hotspot:
    key: Any  # the commune (its id, or whatever the caller keyed the counts by)
    value: int
    baseline: Decimal  # mean of the previous periods, 2 decimals


def baseline_of(previous: Sequence[int]) -> Decimal:
    if not previous:
        return Decimal(0)
    mean = Decimal(sum(previous)) / Decimal(len(previous))
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_hotspot(current: int, previous: Sequence[int], rule: HotspotRule) -> bool:
    if current < rule.minimum:
        return False
    mean = Decimal(sum(previous)) / Decimal(len(previous)) if previous else Decimal(0)
    return Decimal(current) >= rule.factor * mean


def find_hotspots(
    counts: Mapping[Any, Sequence[int]], rule: HotspotRule | None = None
) -> list[Hotspot]:
    """`counts[key]` = the figure for the chosen period first, then the previous periods, most
    recent first (`rule.baseline_periods` of them; missing ones count as 0). Hotspots come out
    with the largest rise first."""
    rule = rule or HotspotRule.from_settings()
    found: list[Hotspot] = []
    for key, series in counts.items():
        current = int(series[0]) if series else 0
        previous = [int(v) for v in series[1 : rule.baseline_periods + 1]]
        previous += [0] * (rule.baseline_periods - len(previous))
        if is_hotspot(current, previous, rule):
            found.append(Hotspot(key=key, value=current, baseline=baseline_of(previous)))
    return sorted(found, key=lambda h: (-(h.value - h.baseline), -h.value, str(h.key)))
