"""Seeded draws shared by the demo and the synthetic volumes: a weighted pick, a day in a window,
a moment of a day. Each consumes the generator in a fixed order, so a seed gives the same data."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.utils import timezone

T = TypeVar("T")


def pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    """One value of (value, weight) pairs, in proportion to the weights."""
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]


def day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day from `start` to `end`, both included."""
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def moment_in(
    rng: random.Random, start: dt.date, end: dt.date, hour: Callable[[random.Random], int]
) -> dt.datetime:
    """A moment of a day from `start` to `end` in the installation's time zone, at an hour drawn
    by `hour` and any minute."""
    day = day_in(rng, start, end)
    moment = dt.time(hour(rng), rng.randrange(60))
    return dt.datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())
