"""Numbers of records per issuing unit and year (`01/VV-CAX-SK1`, `15/TT-BP`).

A record belongs to the year of its moment in the installation's time zone (an item sent at 23:30
on 31 December is that year's, whatever UTC says) and takes its unit's next number in that year:
one more than the highest ever given, deleted records included, so a number is never reused.
`numbering_year` is the pure rule (the synthetic volumes number in memory with it);
`next_number` reads the database for the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone


def numbering_year(moment: dt.datetime) -> int:
    return timezone.localtime(moment).year


def next_number(model: type[models.Model], *, owner: models.Model, year: int) -> int:
    """The next number of `owner`'s `model` records (fields `owner_unit`, `year`, `number`).

    The owner's row is locked first, so that two records saved at once cannot take the same
    number (on SQLite the IMMEDIATE transaction already serialises writers)."""
    type(owner)._base_manager.select_for_update().filter(pk=owner.pk).exists()
    records: Any = model._base_manager
    last = (
        records.filter(owner_unit=owner, year=year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(last or 0) + 1
