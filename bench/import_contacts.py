"""Benchmark: import 1,000,000 contact-history interval rows from a Finnish-style CSV.

Reproduce with `uv run python bench/import_contacts.py` (options: --rows N, --keep-db). It writes a
semicolon-separated file (d.m.yyyy h.mm dates, decimal comma AHT) of 15-minute intervals for a
round-the-clock queue, migrates a fresh temporary SQLite database (or uses DATABASE_URL when
--use-configured-db is given), and imports the file through the same service as the web page and
the API: parse and validate every row, then upsert on (queue, start) in one transaction.
A second run of the same file checks that re-importing does not double anything.
With --with-service-level the file also has the optional "Vastattu tavoiteajassa" column (contacts
answered within the service-level target), validated and stored per interval.
The last line is JSON: {"rows": .., "seconds": .., "rows_per_second": ..}. Target: under 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]


def write_csv(path: Path, rows: int, seed: int = 1, with_service_level: bool = False) -> None:
    """`rows` consecutive 15-minute intervals in local Helsinki wall-clock time (DST included)."""
    rng = random.Random(seed)
    zone = ZoneInfo("Europe/Helsinki")
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(minutes=15)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "Alkuaika;Tarjotut;Vastatut;Luopuneet;Käsittelyaika"
            + (";Vastattu tavoiteajassa\n" if with_service_level else "\n")
        )
        lines = []
        for i in range(rows):
            local = (start + i * step).astimezone(zone)
            offered = rng.randint(0, 60)
            lost = offered // 12
            aht = 150 + rng.random() * 100
            lines.append(
                f"{local.day}.{local.month}.{local.year} {local.hour}.{local.minute:02d};"
                f"{offered};{offered - lost};{lost};"
                + f"{aht:.1f}".replace(".", ",")
                + (f";{(offered - lost) * 4 // 5}" if with_service_level else "")
            )
            if len(lines) >= 50_000:
                fh.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            fh.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--use-configured-db", action="store_true", help="import into DATABASE_URL instead")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--with-service-level", action="store_true", help="add the answered-within-target column"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="aspa-bench-import-"))
    if not args.use_configured_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
        os.environ["ASPA_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]

    import django

    django.setup()
    from django.core.management import call_command

    from aspa.core.roles import Role
    from aspa.org.models import Membership, Organisation, User
    from aspa.wfm import services
    from aspa.wfm.models import ContactInterval, Queue

    csv_path = work / "history.csv"
    t0 = time.perf_counter()
    write_csv(csv_path, args.rows, with_service_level=args.with_service_level)
    print(
        f"wrote {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s"
    )
    call_command("migrate", verbosity=0)
    org, _ = Organisation.objects.get_or_create(slug="bench-import", defaults={"name": "Bench Oy"})
    user, _ = User.objects.get_or_create(email="bench-import@example.fi", defaults={"full_name": "Bench"})
    actor, _ = Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": Role.PLANNER})
    queue, _ = Queue.objects.get_or_create(organisation=org, name="Bench", defaults={"interval_minutes": 15})
    ContactInterval.objects.filter(queue=queue).delete()

    # The upload limit guards the web page; the benchmark file may be larger.
    from django.conf import settings

    settings.ASPA_MAX_UPLOAD_BYTES = max(settings.ASPA_MAX_UPLOAD_BYTES, csv_path.stat().st_size + 1)
    started = time.perf_counter()
    summary = services.history_import_file(actor=actor, queue=queue, path=csv_path, filename="history.csv")
    seconds = time.perf_counter() - started
    stored = ContactInterval.objects.filter(queue=queue).count()
    print(
        f"first import: {summary.rows:,} rows → {summary.intervals:,} intervals ({summary.created:,} new) in {seconds:.1f} s"
    )

    again = time.perf_counter()
    repeat = services.history_import_file(actor=actor, queue=queue, path=csv_path, filename="history.csv")
    again_seconds = time.perf_counter() - again
    after = ContactInterval.objects.filter(queue=queue).count()
    print(
        f"re-import: {repeat.updated:,} updated, {repeat.created:,} new in {again_seconds:.1f} s; stored {stored:,} → {after:,}"
    )
    assert after == stored == summary.intervals, "re-importing changed the number of intervals"
    if args.with_service_level:
        known = ContactInterval.objects.filter(queue=queue, answered_in_sl__isnull=False).count()
        assert known == summary.intervals_with_service_level == stored, "answered within target not stored"
    print(
        "reproduce: uv run python bench/import_contacts.py"
        + (" --with-service-level" if args.with_service_level else "")
    )
    if not args.keep_db:
        shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "rows": summary.rows,
                "seconds": round(seconds, 2),
                "rows_per_second": round(summary.rows / seconds),
            }
        )
    )


if __name__ == "__main__":
    main()
