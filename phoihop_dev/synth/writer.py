"""Bulk inserts of the synthetic records: parents, then their children, then the link rows
that need the parents' primary keys, one transaction a batch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import models, transaction

BATCH = 2_000


class Writer:
    """Buffers parents with their children and writes them with bulk_create, parents first."""

    def __init__(self, counts: Counter[str], progress: Callable[[str], None]) -> None:
        self.counts = counts
        self.progress = progress
        self.pending: list[tuple[models.Model, list[tuple[str, models.Model]]]] = []
        self.links: list[Any] = []  # Deferred rows
        self.after: list[Callable[[], list[models.Model]]] = []
        self.size = 0
        self.written = 0

    def add(self, parent: models.Model, children: Sequence[tuple[str, models.Model]] = ()) -> None:
        """`children` are (name of their foreign key to the parent, row)."""
        self.pending.append((parent, list(children)))
        self.size += 1 + len(children)
        if self.size >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with transaction.atomic():
            parents: dict[type[models.Model], list[models.Model]] = {}
            for parent, _kids in self.pending:
                parents.setdefault(type(parent), []).append(parent)
            self._write(parents)
            children: dict[type[models.Model], list[models.Model]] = {}
            for parent, kids in self.pending:
                for name, kid in kids:
                    setattr(kid, name, parent)
                    children.setdefault(type(kid), []).append(kid)
            self._write(children)
            links: dict[type[models.Model], list[models.Model]] = {}
            for row in built(self.links):
                links.setdefault(type(row), []).append(row)
            for make in self.after:
                for row in make():
                    links.setdefault(type(row), []).append(row)
            self._write(links)
        self.written += self.size
        self.pending, self.links, self.after, self.size = [], [], [], 0
        self.progress(f"{self.written:>9} bản ghi")

    def _write(self, groups: dict[type[models.Model], list[models.Model]]) -> None:
        for model, rows in groups.items():
            model._default_manager.bulk_create(rows)
            self._count(model, len(rows))

    def _count(self, model: type[models.Model], n: int) -> None:
        self.counts[model._meta.label] += n


class Deferred:
    """A link row to build once its record has a primary key (after the record's batch)."""

    def __init__(self, model: type[models.Model], *, record: Any, key: str = "", **values: Any):
        self.model, self.record, self.key, self.values = model, record, key, values


def built(rows: list[Any]) -> Iterator[models.Model]:
    """The link rows, their record's primary key filled in."""
    for row in rows:
        if isinstance(row, Deferred):
            values = dict(row.values)
            if row.key:
                values[row.key] = row.record.pk
            else:
                values["object_id"] = row.record.pk
            yield row.model(**values)
        else:
            yield row
