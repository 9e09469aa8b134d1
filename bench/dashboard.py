"""Server time of the dashboard (key figures, trends, map) on synthetic volumes.

    PHOIHOP_MODE=test .venv/bin/python bench/dashboard.py [--records 100000] [--provinces 1]
        [--years 2] [--seed 1] [--runs 3] [--period YYYY-Qn] [--no-centres]
        [--database-url postgres://postgres@127.0.0.1:5432/phoihop_bench_dashboard] [--keep]
        [--reuse] [--sqlite var/bench/dashboard.sqlite3] [--tracemalloc]

1. Creates a scratch database as bench/report.py does: an SQLite file (--sqlite, under var/bench/
   by default), or the PostgreSQL database named by --database-url or else DATABASE_URL (dropped
   first if it exists, created, dropped at the end unless --keep). It is destroyed: the database's
   name, or the file's or its folder's, must contain "bench".
   With --reuse an existing scratch database kept by --keep is measured again without generating
   anything (migrated first, in case it predates a migration); e.g.
   `--reuse --sqlite var/bench/report.sqlite3` measures the data bench/report.py kept.
2. Migrates it and generates --records synthetic records with `phoihop_dev.synth.generator` (the
   `synth` command; 1.000.000 records take about 12 minutes on SQLite, hence a smaller default).
   The synthetic data carries no coordinates and PhốiHợp ships no commune centres, so unless
   --no-centres every current commune without a centre gets a made-up one (as an administrator
   would load with `load_area_centres`): otherwise the map would place nothing.
3. For --period (the last complete quarter of the data by default: the fourth quarter of the
   last generated year) measures, as the server's operator (every record), the officer of the
   provincial police command and the officer of the commune police owning the most cases of
   the period:
   - `phoihop.dashboards.selectors.key_figures`, `trends`, `map_data(figure="cases")` and the
     `as_json()` of its result;
   and, for the two officers logged in with Django's test Client, the server time of the home
   page (as opened, in the current quarter, and for --period) and of the map's data
   (/dashboards/map/data/?period=…);
   each with the median time over --runs runs after one warm-up run that counts the queries
   (django.test.utils.CaptureQueriesContext), and the memory: the growth of the process's
   maximum resident set, or with --tracemalloc the peak of Python allocations in one more run.

Timings depend on the machine and what else runs on it: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import exchange_inbox  # noqa: E402
from bench.report import PROVINCE, generate  # noqa: E402

# Made-up commune centres fall in this box (Hà Tĩnh's); the map only needs a point per commune.
CENTRE_BOX = ((Decimal("18.0"), Decimal("18.6")), (Decimal("105.5"), Decimal("106.3")))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each computation")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="one more run for the allocations' peak"
    )
    parser.add_argument("--period", default="", help="period key (default: YYYY-Q4, last year)")
    parser.add_argument(
        "--centres",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="give communes without a centre a made-up one (default: yes)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="postgres://… of a scratch database (default: DATABASE_URL, else an SQLite file)",
    )
    parser.add_argument(
        "--sqlite",
        type=Path,
        default=ROOT / "var" / "bench" / "dashboard.sqlite3",
        help="the SQLite scratch file when no PostgreSQL database is given",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    if args.database_url and "bench" not in urlsplit(args.database_url).path:
        parser.error("the scratch database is dropped: its name must contain 'bench'")
    if not args.database_url and "bench" not in f"{args.sqlite.parent.name}/{args.sqlite.name}":
        parser.error("the scratch file is deleted: it or its folder must be named *bench*")
    return args


def create_database(url: str, sqlite: Path, reuse: bool) -> Callable[[], None]:
    if reuse:
        if not url and not sqlite.exists():
            raise SystemExit(f"No kept database to reuse at {sqlite}.")
        os.environ["DATABASE_URL"] = url or f"sqlite:///{sqlite}"
        return lambda: None
    if url:
        return exchange_inbox.create_database(url)
    sqlite.parent.mkdir(parents=True, exist_ok=True)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)

    remove()
    os.environ["DATABASE_URL"] = f"sqlite:///{sqlite}"
    return remove


# --- measuring ----------------------------------------------------------------------------------


def measure(label: str, call: Callable[[], Any], runs: int, traced: bool) -> Any:
    """Median time of `runs` calls after a warm-up call that counts the queries, and the memory.

    Memory: with `traced`, the peak of Python allocations of one more call (tracemalloc slows
    the call down, so it is not timed); without, how much the process's maximum resident set
    grew during the calls (zero when an earlier, larger peak covers it).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    gc.collect()
    # CaptureQueriesContext also keeps the test Client's request_started from clearing the log.
    try:
        with CaptureQueriesContext(connection) as captured:
            result = call()
    except Exception as error:  # one broken measurement must not hide the others
        where = next(
            (
                f
                for f in reversed(traceback.extract_tb(error.__traceback__))
                if "phoihop" in f.filename
            ),
            None,
        )
        at = f" at {Path(where.filename).relative_to(ROOT)}:{where.lineno}" if where else ""
        print(f"{label:<46} FAILED{at}: {type(error).__name__}: {error}")
        return None
    # Read now: the timed requests below clear the connection's query log again.
    queries = len(captured)
    status = getattr(result, "status_code", 200)
    if status != 200:
        print(f"{label:<46} HTTP {status}, not measured")
        return result
    samples = []
    for _run in range(max(1, runs)):
        gc.collect()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    if traced:
        gc.collect()
        tracemalloc.start()
        call()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f"tracemalloc peak {peak / 2**20:.1f} MiB"
    else:
        memory = f"max RSS +{rss_growth / 1024:.0f} MiB"
    print(
        f"{label:<46} {statistics.median(samples):>8.1f} ms (median of {len(samples)}, "
        f"min {min(samples):.1f}), {queries:>4} queries, {memory}"
    )
    return result


def add_centres(seed: int) -> int:
    """A made-up centre for every current commune without one; returns how many were given."""
    from phoihop.org.enums import AreaLevel
    from phoihop.org.models import AdministrativeArea

    rng = random.Random(seed)
    (lat_low, lat_high), (lng_low, lng_high) = CENTRE_BOX
    missing = list(
        AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE, valid_until__isnull=True, latitude__isnull=True
        ).order_by("code")
    )
    for area in missing:
        area.latitude = (lat_low + (lat_high - lat_low) * Decimal(rng.random())).quantize(
            Decimal("0.000001")
        )
        area.longitude = (lng_low + (lng_high - lng_low) * Decimal(rng.random())).quantize(
            Decimal("0.000001")
        )
    AdministrativeArea.objects.bulk_update(missing, ["latitude", "longitude"], batch_size=500)
    return len(missing)


def officers(window: tuple[Any, Any]) -> list[Any]:
    """The provincial police command's officer and the officer of the commune police that owns
    the most cases of the window: synth's users, else any province- and commune-level user."""
    from django.db.models import Count

    from phoihop.cases.models import Case
    from phoihop.cases.selectors import day_bounds
    from phoihop.org.models import User

    prefix = f"synth.sy{PROVINCE}-"
    active = User.objects.filter(is_active=True, unit__isnull=False).select_related("unit")
    province = active.filter(username=f"{prefix}cat").first() or (
        active.filter(unit__level__code="tinh").order_by("pk").first()
    )
    low, high = day_bounds(*window)
    busiest = (
        Case.objects.filter(
            owner_unit__code__startswith=f"SY{PROVINCE}-CAX",
            detected_at__gte=low,
            detected_at__lt=high,
        )
        .values_list("owner_unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner_unit__code")
        .first()
    )
    commune = (
        active.filter(username=f"synth.{busiest[0].lower()}").first() if busiest else None
    ) or active.filter(unit__level__code="xa").order_by("pk").first()
    return [user for user in (province, commune) if user is not None]


def describe(actor: Any) -> str:
    unit = getattr(actor, "unit", None)
    if unit is None:
        return "operator (every record)"
    return f"{actor.username} ({unit.name})"


def summarise(figures: Any, trends: Any, data: Any, as_json: Any) -> None:
    """What was computed, to see the timings were not taken on empty results."""
    parts = []
    if figures is not None:
        value = {f.key: f.value for f in figures.figures}.get
        parts.append(
            f"{len(figures.figures)} key figures (cases {value('cases.count')}, receipts "
            f"{value('exchange.received')}, operations {value('operations.count')})"
        )
    if trends:
        pairs = sum(sum(series) for series in trends[0].series.values())
        parts.append(
            f"{len(trends)} trends ({pairs} case-force pairs in {len(trends[0].periods)} periods)"
        )
    if data is not None:
        parts.append(
            f"map: {len(data.choropleth)} province(s), {len(data.places)} communes, "
            f"{len(data.hotspots)} hotspots"
        )
    if as_json is not None:
        size = len(json.dumps(as_json, ensure_ascii=False).encode())
        parts.append(
            f"{len(as_json['places'])} markers, {len(as_json['unplaced'])} unplaced, JSON {size} B"
        )
    print(f"  {'; '.join(parts)}")


def measure_selectors(actor: Any, filters: Any, runs: int, traced: bool) -> None:
    from phoihop.dashboards import selectors

    print(f"selectors as {describe(actor)}:")
    figures = measure(
        "  key_figures",
        lambda: selectors.key_figures(actor=actor, filters=filters),
        runs,
        traced,
    )
    trends = measure(
        "  trends", lambda: selectors.trends(actor=actor, filters=filters), runs, traced
    )
    data = measure(
        '  map_data(figure="cases")',
        lambda: selectors.map_data(actor=actor, filters=filters, figure="cases"),
        runs,
        traced,
    )
    as_json = None
    if data is not None:
        as_json = measure("  MapData.as_json() of that", data.as_json, runs, traced)
    summarise(figures, trends, data, as_json)


def measure_pages(user: Any, period_key: str, runs: int, traced: bool) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)
    print(f"pages as {describe(user)}:")
    for url in (
        "/",
        f"/?period={period_key}",
        f"/dashboards/map/data/?period={period_key}",
    ):
        response = measure(f"  GET {url}", partial(client.get, url), runs, traced)
        if response is not None and response.status_code == 200:
            print(f"    {len(response.content)} B")


def main() -> None:
    args = parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.environ.setdefault("PHOIHOP_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    drop = create_database(args.database_url, args.sqlite, args.reuse)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections
        from django.utils import timezone

        from phoihop.access.rules import OPERATOR
        from phoihop.dashboards.selectors import Filters
        from phoihop.indicators.periods import Period, active_rule

        # The test Client's host. Not setup_test_environment(): it instruments template
        # rendering for the Client to copy every context, which is no part of a server's time.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        last_year = timezone.localdate().year - 1
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s")
        if not args.reuse:
            generate(args)
        if args.centres:
            print(f"made-up centres for {add_centres(args.seed)} communes without one")
        # Fresh bulk loads have no planner statistics yet: gather them as autovacuum would.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"ANALYZE in {time.perf_counter() - started:.1f} s")
        period = Period.parse(args.period or f"{last_year}-Q4")
        rule = active_rule()
        window = period.window(rule)
        filters = Filters(period=period)
        users = officers(window)
        print(f"dashboard: {period.key} ({rule}: {window[0]} – {window[1]})")

        for actor in [OPERATOR, *users]:
            measure_selectors(actor, filters, args.runs, args.tracemalloc)
        if not users:
            print("pages: no province- or commune-level user in the database, not measured")
        for user in users:
            measure_pages(user, period.key, args.runs, args.tracemalloc)

        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"process max RSS (includes the generation): {maxrss / 1024:.0f} MiB")
        connections.close_all()
    finally:
        if args.keep or args.reuse:
            print(f"kept the scratch database ({os.environ['DATABASE_URL']})")
        else:
            drop()


if __name__ == "__main__":
    main()
