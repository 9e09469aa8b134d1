"""Time and peak memory of a province-quarter coordination report on synthetic volumes.

    PHOIHOP_MODE=test .venv/bin/python bench/report.py [--records 1000000] [--provinces 1]
        [--years 2] [--seed 1] [--runs 3] [--period YYYY-Qn]
        [--database-url postgres://postgres@127.0.0.1:5432/phoihop_bench_report] [--keep]
        [--reuse] [--tracemalloc]

1. Creates a scratch database as bench/exchange_inbox.py does: an SQLite file under var/bench/
   by default, or the PostgreSQL database named by --database-url or else DATABASE_URL (dropped
   first if it exists, created, dropped at the end unless --keep). Its name must contain
   "bench": it is destroyed. With --reuse an existing scratch database kept by --keep is
   measured again without generating anything.
2. Migrates it and generates --records synthetic records with `phoihop_dev.synth.generator` (the
   `synth` command: bulk inserts across every module, Hà Tĩnh first), and prints how long it took.
3. For Hà Tĩnh (42) and --period (the third quarter of the last generated year by default), as
   the server's operator (every record):
   - the floor: the key figures by a few hand-written aggregate SQL queries, for the quarter
     and for the three windows the figures compare;
   - `phoihop.reports.figures.build_figures` — every figure of the quarter, the previous quarter
     and the same quarter of the year before — and `phoihop.reports.assembly.build_report` (the
     whole report: figures, sections, limitations, tasks);
   each with the median time over --runs runs, the queries of one run, and the memory: the
   growth of the process's maximum resident set, or with --tracemalloc the peak of Python
   allocations in one more run. Then the floor's values are compared with build_figures'.
   The process's maximum resident set size (getrusage) is printed at the end; it includes the
   generation.

Timings depend on the machine and what else runs on it: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import exchange_inbox  # noqa: E402

PROVINCE = "42"
QUANTUM = Decimal("0.000001")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each computation")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="one more run for the allocations' peak"
    )
    parser.add_argument("--period", default="", help="period key (default: YYYY-Q3, last year)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="postgres://… of a scratch database (default: DATABASE_URL, else an SQLite file)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()
    if args.database_url and "bench" not in urlsplit(args.database_url).path:
        parser.error("the scratch database is dropped: its name must contain 'bench'")
    return args


def create_database(url: str, reuse: bool) -> Callable[[], None]:
    if reuse:
        os.environ["DATABASE_URL"] = url or f"sqlite:///{sqlite_path()}"
        return lambda: None
    if url:
        return exchange_inbox.create_database(url)
    path = sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    remove()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return remove


def sqlite_path() -> Path:
    return ROOT / "var" / "bench" / "report.sqlite3"


def progress(message: str) -> None:
    start = "\r" if message[:1].isspace() else "\n"
    print(f"{start}  {message}", end="", file=sys.stderr, flush=True)


# --- measuring ----------------------------------------------------------------------------------


def measure(label: str, call: Callable[[], Any], runs: int, traced: bool) -> Any:
    """Median time of `runs` calls (the first one also counts the queries) and the memory.

    Memory: with `traced`, the peak of Python allocations of one more call (tracemalloc slows
    the call down, so it is not timed); without, how much the process's maximum resident set
    grew during the calls (zero when an earlier, larger peak covers it).
    """
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    samples = []
    result = None
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for run in range(max(1, runs)):
        gc.collect()
        started = time.perf_counter()
        if run == 0:
            with connection.execute_wrapper(count):
                result = call()
        else:
            call()
        samples.append(time.perf_counter() - started)
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
        f"{label:<44} {statistics.median(samples):>8.2f} s (median of {len(samples)}, "
        f"min {min(samples):.2f}), {queries:>4} queries, {memory}"
    )
    return result


class Floor:
    """The key figures of one window by hand-written aggregate SQL: the lower bound."""

    def __init__(self, province_id: int, start: Any, end: Any) -> None:
        import datetime as dt

        from django.db import connection

        from phoihop.cases.selectors import day_bounds

        ops = connection.ops
        low, high = day_bounds(start, end)
        self.vendor = connection.vendor
        self.p = province_id
        self.low, self.high = (
            ops.adapt_datetimefield_value(low),
            ops.adapt_datetimefield_value(high),
        )
        self.start, self.end = ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)
        self.day_after = ops.adapt_datefield_value(end + dt.timedelta(days=1))

    def sum(self, column: str) -> str:
        """An exact sum of a 6-place quantity: SQLite stores decimals as floats and sums them as
        floats, so there it adds whole millionths (64-bit integers) instead."""
        if self.vendor == "postgresql":
            return f"SUM({column})"
        return f"SUM(CAST(ROUND({column} * 1000000) AS INTEGER))"

    def exact(self, total: Any) -> Decimal:
        if self.vendor == "postgresql":
            return Decimal(total).quantize(QUANTUM)
        return (Decimal(int(total)) * QUANTUM).quantize(QUANTUM)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def one(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0] or 0

    def compute(self) -> dict[str, Any]:
        p, low, high = self.p, self.low, self.high
        figures: dict[str, Any] = {}
        figures["exchange.items"] = self.one(
            "SELECT COUNT(*) FROM exchange_informationitem i"
            " JOIN org_unit o ON o.id = i.owner_unit_id"
            " WHERE i.deleted_at IS NULL AND i.province_id = %s"
            " AND i.sent_at >= %s AND i.sent_at < %s AND EXISTS ("
            "  SELECT 1 FROM exchange_receipt r JOIN org_unit u ON u.id = r.unit_id"
            "  WHERE r.item_id = i.id AND u.force_id <> o.force_id)",
            p,
            low,
            high,
        )
        cases = (
            "SELECT id FROM cases_case WHERE deleted_at IS NULL AND province_id = %s"
            " AND detected_at >= %s AND detected_at < %s"
        )
        figures["cases.count"] = self.one(f"SELECT COUNT(*) FROM ({cases}) c", p, low, high)
        persons, organisations = self.rows(
            "SELECT"
            " (SELECT COUNT(*) FROM (SELECT DISTINCT case_id, citizen_id FROM cases_subject"
            f"   WHERE case_id IN ({cases}) AND deleted_at IS NULL AND kind = 'person'"
            "   AND role IN ('suspect', 'arrested') AND citizen_id <> '') d)"
            " + (SELECT COUNT(*) FROM cases_subject"
            f"   WHERE case_id IN ({cases}) AND deleted_at IS NULL AND kind = 'person'"
            "   AND role IN ('suspect', 'arrested') AND citizen_id = ''),"
            " (SELECT COUNT(*) FROM cases_subject"
            f"   WHERE case_id IN ({cases}) AND deleted_at IS NULL AND kind = 'organisation'"
            "   AND role IN ('suspect', 'arrested'))",
            *(p, low, high) * 3,
        )[0]
        figures["cases.persons"], figures["cases.organisations"] = persons, organisations
        for code, total in self.rows(
            f"SELECT c.code, {self.sum('s.quantity')} FROM cases_seizeditem s"
            " JOIN cases_catalogueitem c ON c.id = s.item_id"
            f" WHERE s.deleted_at IS NULL AND s.case_id IN ({cases}) GROUP BY c.code",
            p,
            low,
            high,
        ):
            figures[f"cases.seized.{code}"] = self.exact(total)
        forums, opinions = self.rows(
            "SELECT COUNT(*), SUM(opinions) FROM mobilisation_forum WHERE deleted_at IS NULL"
            " AND province_id = %s AND start_date >= %s AND start_date <= %s",
            p,
            self.start,
            self.end,
        )[0]
        figures["mobilisation.forums"], figures["mobilisation.opinions"] = forums, opinions or 0
        for target, n in self.rows(
            "SELECT target, COUNT(*) FROM operations_protection WHERE deleted_at IS NULL"
            " AND province_id = %s AND start_date >= %s AND start_date <= %s GROUP BY target",
            p,
            self.start,
            self.end,
        ):
            figures[f"protection.{target}s"] = n
        figures["patrols.count"] = self.one(
            "SELECT COUNT(*) FROM operations_patrol WHERE deleted_at IS NULL"
            " AND province_id = %s AND start_date >= %s AND start_date <= %s",
            p,
            self.start,
            self.end,
        )
        figures["wanted.arrested"] = self.one(
            "SELECT COUNT(*) FROM cases_wantedperson WHERE deleted_at IS NULL"
            " AND province_id = %s AND status IN ('arrested', 'surrendered')"
            " AND arrested_at >= %s AND arrested_at < %s",
            p,
            low,
            high,
        )
        for code, total in self.rows(
            f"SELECT c.code, {self.sum('h.quantity')} FROM mobilisation_handedinitem h"
            " JOIN cases_catalogueitem c ON c.id = h.item_id"
            " JOIN mobilisation_surrendercampaign s ON s.id = h.campaign_id"
            " WHERE h.deleted_at IS NULL AND s.deleted_at IS NULL AND s.province_id = %s"
            " AND h.handed_in_on >= %s AND h.handed_in_on <= %s GROUP BY c.code",
            p,
            self.start,
            self.end,
        ):
            figures[f"campaigns.handed_in.{code}"] = self.exact(total)
        return figures


def compare(floor: dict[str, Any], figures: Any) -> None:
    """The floor's values next to the same figures of build_figures (matched by key)."""
    same, differ, unmatched = [], [], []
    found = getattr(figures, "figures", {})
    for key, value in sorted(floor.items()):
        figure = found.get(key)
        if figure is None:
            unmatched.append(key)
        elif Decimal(str(figure.value)) == Decimal(str(value)):
            same.append(key)
        else:
            differ.append(f"{key}: SQL {value} / figures {figure.value}")
    print(f"  same value in build_figures and SQL: {len(same)} figures ({', '.join(same)})")
    for line in differ:
        print(f"  DIFFERENT {line}")
    if unmatched:
        print(f"  no figure of that key in build_figures: {', '.join(unmatched)}")


def generate(args: argparse.Namespace) -> None:
    """Generate the synthetic records (`phoihop synth`) and print how long it took; the other
    benchmarks that measure on the same data call this too."""
    from phoihop_dev.synth.generator import synthesize

    started = time.perf_counter()
    counts = synthesize(
        provinces=args.provinces,
        years=args.years,
        records=args.records,
        seed=args.seed,
        progress=progress,
    )
    seconds = time.perf_counter() - started
    print(file=sys.stderr)
    rows = sum(counts.values())
    print(
        f"synth: {args.records} records ({rows} rows with the link rows) for "
        f"{args.provinces} province(s) × {args.years} year(s) in {seconds:.0f} s "
        f"({rows / seconds:.0f} rows/s)"
    )


def main() -> None:
    args = parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.environ.setdefault("PHOIHOP_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    drop = create_database(args.database_url, args.reuse)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections
        from django.utils import timezone

        from phoihop.access.rules import OPERATOR
        from phoihop.indicators.periods import Period, active_rule
        from phoihop.org.enums import AreaLevel
        from phoihop.org.models import AdministrativeArea

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        last_year = timezone.localdate().year - 1
        if not args.reuse:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"migrated in {time.perf_counter() - started:.1f} s")
            generate(args)
        # Fresh bulk loads have no planner statistics yet: gather them as autovacuum would.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"ANALYZE in {time.perf_counter() - started:.1f} s")
        period = Period.parse(args.period or f"{last_year}-Q3")
        rule = active_rule()
        start, end = period.window(rule)
        province = AdministrativeArea.objects.get(
            level=AreaLevel.PROVINCE, code=PROVINCE, valid_until__isnull=True
        )
        print(f"report: province {PROVINCE}, {period.key} ({rule}: {start} – {end}), as operator")

        windows = [
            (start, end),
            period.previous.window(rule),
            period.same_period_last_year.window(rule),
        ]
        floor = measure(
            "hand-written SQL, key figures (1 window)",
            lambda: Floor(province.pk, start, end).compute(),
            args.runs,
            args.tracemalloc,
        )
        measure(
            "hand-written SQL, key figures (3 windows)",
            lambda: [Floor(province.pk, a, b).compute() for a, b in windows],
            args.runs,
            args.tracemalloc,
        )
        print(f"  {len(floor)} key figures by SQL")
        figures = None
        try:
            from phoihop.reports.figures import build_figures

            figures = measure(
                "build_figures (3 windows)",
                lambda: build_figures(area_code=PROVINCE, period_key=period.key, actor=OPERATOR),
                args.runs,
                args.tracemalloc,
            )
            print(f"  {len(figures.figures)} figures")
        except ImportError:
            print("build_figures: not available")
        try:
            from phoihop.reports.assembly import build_report

            measure(
                "build_report (figures + sections)",
                lambda: build_report(area_code=PROVINCE, period_key=period.key, actor=OPERATOR),
                args.runs,
                args.tracemalloc,
            )
        except ImportError:
            print("build_report: not available")

        if figures is not None:
            compare(floor, figures)
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
