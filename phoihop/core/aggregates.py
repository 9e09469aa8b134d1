"""Exact sums of Decimal columns on both databases.

PostgreSQL sums `numeric` exactly. SQLite keeps decimals with REAL affinity and sums them as
floats, so there each value is read back (Django quantizes it to the field's places, which is
exact for the sizes we store) and added in Python with Decimal.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import QuerySet, Sum


def exact_sums(qs: QuerySet[Any], *, value: str, by: str) -> dict[Any, Decimal]:
    """{group key: exact sum of `value`} over `qs`, grouped by the field `by`."""
    if connections[qs.db].vendor == "postgresql":
        rows = qs.order_by().values(by).annotate(total=Sum(value)).values_list(by, "total")
        return {key: total for key, total in rows if total is not None}
    totals: dict[Any, Decimal] = defaultdict(Decimal)
    for key, amount in qs.order_by().values_list(by, value).iterator(chunk_size=5000):
        if amount is not None:
            totals[key] += amount
    return dict(totals)


def exact_sum(qs: QuerySet[Any], *, value: str) -> Decimal:
    if connections[qs.db].vendor == "postgresql":
        return qs.order_by().aggregate(total=Sum(value))["total"] or Decimal(0)
    return sum(
        (
            a
            for a in qs.order_by().values_list(value, flat=True).iterator(chunk_size=5000)
            if a is not None
        ),
        Decimal(0),
    )
