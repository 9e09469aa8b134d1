"""Inbox and outbox latency of the information exchange with ≥100.000 items.

    PHOIHOP_MODE=test .venv/bin/python bench/exchange_inbox.py [--items 100000] [--runs 30]
        [--database-url postgres://postgres@127.0.0.1:5432/phoihop_bench] [--keep]

1. Creates a scratch database: an SQLite file under var/bench/ by default, or the PostgreSQL
   database named in --database-url (dropped first if it exists, created, dropped at the end
   unless --keep). Never point it at a database you want to keep.
2. Migrates it and builds a small province through the org services: the provincial commands of
   the three forces and communes with a police unit, a military command and a border post each.
3. Fills --items information items with their receipts and distributions with `bulk_create`.
   A bench may: the services (one audited transaction per item) would take hours for 100.000
   items. The rows have the shape the services write (numbering per unit and year, receipts
   with due times by urgency, most acknowledged, distributions for the access rule), but no
   audit entries or history rows, which the lists do not read.
4. Measures, logged in with Django's test Client, the inbox of the provincial police (about a
   third of all items) and the outbox of a border post (about a sixth): the pages
   (`exchange:inbox` or `exchange:index`, `exchange:outbox`), the API
   (/api/v1/exchange/items/?box=inbox|outbox) and the selectors' first page of 50
   (`list(info_item_inbox(actor)[:50])`). Prints the median and 95th percentile over --runs
   runs after two warm-up runs, and the number of queries of one run.

Timings depend on the machine and what else runs on it: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 5_000
PAGE = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="information items to create")
    parser.add_argument("--runs", type=int, default=30, help="measured runs of each request")
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://… of a scratch database (created and dropped); default: SQLite file",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--seed", type=int, default=20240915)
    return parser.parse_args()


# --- scratch database ---------------------------------------------------------------------------


def _postgres_admin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"Refusing to use {name!r} as a scratch database.")
    return parts._replace(path="/postgres").geturl(), name


def create_database(url: str) -> Callable[[], None]:
    """Create the scratch database; return what drops it."""
    if not url:
        path = ROOT / "var" / "bench" / "exchange_inbox.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)

        def remove() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        remove()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return remove

    import psycopg
    from psycopg import sql

    admin, name = _postgres_admin(url)

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = url
    return drop


# --- data ---------------------------------------------------------------------------------------


def build_province() -> dict[str, Any]:
    """Provincial commands of CA, QS, BP and six communes with a unit of each force."""
    from phoihop.org.enums import AreaKind, AreaLevel
    from phoihop.org.models import REFORM_2025, AdministrativeArea, Force, UnitLevel
    from phoihop.org.services import unit_create, user_create

    def area(code: str, name: str, level: str, kind: str, parent: Any = None) -> Any:
        return AdministrativeArea.objects.get_or_create(
            level=level,
            code=code,
            valid_from=REFORM_2025,
            defaults={"name": name, "kind": kind, "parent": parent},
        )[0]

    province = area("42", "Tỉnh Hà Tĩnh", AreaLevel.PROVINCE, AreaKind.TINH)
    forces = {f.code: f for f in Force.objects.all()}
    levels = {lv.code: lv for lv in UnitLevel.objects.all()}
    names = {"CA": "Công an", "QS": "Ban Chỉ huy Quân sự", "BP": "Đồn Biên phòng"}
    tops = {
        "CA": ("CAT", "Công an tỉnh Hà Tĩnh"),
        "QS": ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh"),
        "BP": ("BCHBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Hà Tĩnh"),
    }
    units = []
    for force, (code, name) in tops.items():
        top = unit_create(
            actor=None,
            force=forces[force],
            code=code,
            name=name,
            level=levels["tinh"],
            province=province,
            areas=[province],
        )
        units.append(top)
        for i in range(1, 7):
            commune = area(
                f"9{i:04d}", f"Xã Thử Nghiệm {i}", AreaLevel.COMMUNE, AreaKind.XA, province
            )
            units.append(
                unit_create(
                    actor=None,
                    force=forces[force],
                    code=f"{code}-X{i}",
                    name=f"{names[force]} xã Thử Nghiệm {i}",
                    level=levels["xa"],
                    parent=top,
                    areas=[commune],
                )
            )
    users = {
        unit.pk: user_create(
            actor=None,
            username=f"bench.{unit.code.lower()}",
            password=None,
            unit=unit,
            full_name=f"Cán bộ {unit.name}",
            roles=("officer",),
        )
        for unit in units
    }
    by_code = {u.code: u for u in units}
    return {
        "province": province,
        "units": units,
        "users": users,
        "recipient": users[by_code["CAT"].pk],
        "sender": users[by_code["BCHBP-X1"].pk],
    }


def fill(world: dict[str, Any], count: int, seed: int) -> tuple[int, int]:
    """`count` items with receipts and distributions; return (items, receipts)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from phoihop.access.models import Distribution
    from phoihop.core.text import fold
    from phoihop.exchange.models import InformationItem, Receipt

    rng = random.Random(seed)
    units = world["units"]
    cat = next(u for u in units if u.code == "CAT")
    post = next(u for u in units if u.code == "BCHBP-X1")
    others = [u for u in units if u not in (post,)]
    folded = {f.name for f in InformationItem._meta.concrete_fields} >= {"search_text"}
    content_type = ContentType.objects.get_for_model(InformationItem)
    hours = settings.PHOIHOP_ACK_DUE_HOURS
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    span = int((dt.datetime(2025, 1, 1, tzinfo=dt.UTC) - start).total_seconds())
    moments = sorted(start + dt.timedelta(seconds=rng.randrange(span)) for _ in range(count))
    numbers: dict[tuple[int, int], int] = {}
    topics = ["border", "drugs", "smuggling", "foreigners", "sea", "public_order", "weapons"]
    receipts_made = 0
    local = timezone.get_default_timezone()
    for first in range(0, count, CHUNK):
        items: list[InformationItem] = []
        targets: list[set[Any]] = []
        for sent_at in moments[first : first + CHUNK]:
            # A sixth of the items come from the measured border post.
            owner = post if rng.random() < 1 / 6 else rng.choice(others)
            year = sent_at.astimezone(local).year
            numbers[owner.pk, year] = number = numbers.get((owner.pk, year), 0) + 1
            title = f"Thông tin thử nghiệm số {first + len(items) + 1} về tình hình địa bàn"
            content = "Nội dung thông tin dùng để đo thời gian tải hộp thư."
            item = InformationItem(
                owner_unit=owner,
                province=world["province"],
                is_joint=rng.random() < 0.3,
                number=number,
                year=year,
                title=title,
                content=content,
                topic=rng.choice(topics),
                urgency=rng.choices([0, 1, 2, 3], [55, 30, 11, 4])[0],
                sent_at=sent_at,
                sent_by=world["users"][owner.pk],
            )
            if folded:
                item.search_text = fold(f"{title}\n{content}")
            items.append(item)
            foreign = [u for u in units if u.force_id != owner.force_id]
            chosen = set(rng.sample(foreign, rng.randint(1, 2)))
            # About a third of the items reach the provincial police.
            if owner.force_id != cat.force_id and rng.random() < 0.3:
                chosen.add(cat)
            targets.append(chosen)
        with transaction.atomic():
            InformationItem.objects.bulk_create(items)
            receipts, distributions = [], []
            for item, chosen in zip(items, targets, strict=True):
                assert item.pk is not None
                due = item.sent_at + dt.timedelta(hours=hours[item.urgency])
                for unit in chosen:
                    acked = None
                    if rng.random() < 0.92:
                        acked = item.sent_at + dt.timedelta(
                            minutes=rng.randint(5, int(hours[item.urgency] * 90))
                        )
                    receipts.append(
                        Receipt(
                            item=item,
                            unit=unit,
                            delivered_at=item.sent_at,
                            ack_due_at=due,
                            read_at=acked,
                            acknowledged_at=acked,
                        )
                    )
                    distributions.append(
                        Distribution(content_type=content_type, object_id=item.pk, unit=unit)
                    )
            Receipt.objects.bulk_create(receipts)
            Distribution.objects.bulk_create(distributions)
            receipts_made += len(receipts)
        print(f"  {first + len(items):>7} items", end="\r", flush=True)
    print()
    return count, receipts_made


# --- measuring ----------------------------------------------------------------------------------


def measure(label: str, call: Callable[[], Any], runs: int) -> tuple[str, str, str, str]:
    from django.db import connection

    queries = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted with a wrapper: the test Client resets the query log at every request.
    with connection.execute_wrapper(count):
        first = call()
    status = getattr(first, "status_code", 200)
    if status != 200:
        return label, "-", "-", f"HTTP {status}"
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 2 else samples[0]
    return label, f"{statistics.median(samples):.1f}", f"{p95:.1f}", str(len(queries))


def first_page(selector: Callable[..., Any], user: Any) -> list[Any]:
    return list(selector(actor=user)[:PAGE])


def url_for(*names: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def run_measurements(world: dict[str, Any], runs: int) -> list[tuple[str, str, str, str]]:
    from django.test import Client

    from phoihop.exchange.selectors import info_item_inbox, info_item_outbox

    rows = []
    notes = []
    for box, user, page_names in (
        ("inbox", world["recipient"], ("exchange:inbox", "exchange:index")),
        ("outbox", world["sender"], ("exchange:outbox",)),
    ):
        client = Client()
        client.force_login(user)
        page = url_for(*page_names)
        if page is None:
            notes.append(f"no page named {' or '.join(page_names)} yet: not measured")
        else:
            rows.append(measure(f"{box} page {page}", partial(client.get, page), runs))
        api = url_for("exchange-api:item-list")
        if api is None:
            notes.append("no API exchange-api:item-list yet: not measured")
        else:
            rows.append(
                measure(
                    f"{box} API {api}?box={box}",
                    partial(client.get, f"{api}?box={box}", HTTP_ACCEPT="application/json"),
                    runs,
                )
            )
        selector = info_item_inbox if box == "inbox" else info_item_outbox
        rows.append(
            measure(
                f"{box} selector, first {PAGE}",
                partial(first_page, selector, user),
                runs,
            )
        )
    for note in notes:
        print(f"note: {note}")
    return rows


def main() -> None:
    args = parse_args()
    os.environ.setdefault("PHOIHOP_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    drop = create_database(args.database_url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test.utils import setup_test_environment

        from phoihop.exchange.selectors import info_item_inbox, info_item_outbox

        setup_test_environment()
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        world = build_province()
        print(f"migrated and built the province in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        items, receipts = fill(world, args.items, args.seed)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"filled {items} items, {receipts} receipts in {time.perf_counter() - started:.1f} s")
        inbox = info_item_inbox(actor=world["recipient"]).count()
        outbox = info_item_outbox(actor=world["sender"]).count()
        print(
            f"inbox of {world['recipient'].unit.code}: {inbox} items; "
            f"outbox of {world['sender'].unit.code}: {outbox} items; {args.runs} runs each"
        )
        rows = run_measurements(world, args.runs)
        headers = ("request", "median ms", "p95 ms", "queries")
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(4)]
        for row in [headers, *rows]:
            print(
                "  ".join(
                    cell.rjust(w) if i else cell.ljust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        connections.close_all()
    finally:
        if args.keep:
            print(f"kept the scratch database ({os.environ['DATABASE_URL']})")
        else:
            drop()


if __name__ == "__main__":
    main()
