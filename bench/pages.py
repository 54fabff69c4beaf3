"""Benchmark: the main read pages at one real organisation's scale, as an agent and as a lead.

Reproduce with `uv run python bench/pages.py` (options: --scale 0.1 for a quick run, --repeats N,
--use-configured-db to use DATABASE_URL, e.g. PostgreSQL, instead of a fresh temporary SQLite file,
--keep-db). Setup (not measured) builds, through the apps' own services and bulk inserts:

- organisation A: 3 teams, 60 people, 8 queues with one year of round-the-clock 15-minute history each
  (about 35,000 intervals per queue, shaped by aspa.wfm's demo), a published 4-week forecast with its
  staffing need per queue (the product's forecast and Erlang services); a survey with 50,000 answers
  over a year, 70 % with a varied Finnish comment (aspa.voice's demo sentences), 2,000 pieces of
  feedback, themes and sentiment assigned by the product's own analysis (`themes_analyse`), 500 ideas
  with votes and comments, 100 roadmap items and 3 measured experiments;
- organisation B with a tenth of the answers, feedback and ideas (2 queues, 120 days), so every page is
  also checked for scoping (A's pages must not show B's marker texts).

Then it GETs each page with Django's test Client (`force_login`, not measured) and reports the median
wall time over --repeats runs, the SQL queries of one run (CaptureQueriesContext) and the response
size. Every response must be 200 and contain a text that proves it rendered the data. The last line
is JSON: {"pages": [{"name": .., "ms": .., "queries": .., "kb": ..}, ...]}.

Results at the default scale, median of 5, as an agent (the lead's figures are alike); 2 CPU cores
shared with other engineers' work, so every timing is inflated and moves by +-30 % between runs.
"Before" is this file's first commit (a99af74); PostgreSQL ran as .ci/run starts it, with
DATABASE_URL=postgres://aspa:aspa@127.0.0.1:5432/aspa_bench_pages and --use-configured-db:

    page                      SQLite ms       PostgreSQL 15 ms   queries
    voice dashboard (90 d)    518 -> 147      491 -> 135         21 -> 22
    voice dashboard (365 d)   950 -> 312      769 -> 201         21 -> 22
    voice theme               103 ->  31       88 ->  41         10 -> 15
    voice ideas                37 ->  14       32 ->  17          9
    voice idea                 43 ->  14       66 ->  19         10
    api voice scores (365 d)  227 ->  74      122 ->  23          9 ->  7
    wfm queue / forecast      ~90 (394 kB)    ~100 (394 kB)      18 -> 16 / 14
    everything else           3-80, unchanged

What was slow: the dashboard, the scores API and the theme page read every answer of the period (the
theme page every text of the theme, the dashboard's theme list every themed text ever) into Python to
count them; the monthly trend truncated each answer's time zone in Python (SQLite); the idea page built
a lemmatiser and read the stop-word file for each of 500 titles; the ideas list counted votes and
comments over one join of both. Now the database counts (answer, n) pairs, buckets months and weeks by
plain comparisons, pages the theme texts with one UNION query, and the indexes (theme, time) and
(organisation, received_at) serve the theme and period reads. Query counts were flat before and stay
flat (tests/voice/test_read_scale.py, tests/wfm/test_read_scale.py). The wfm pages were already bounded:
their charts ship the forecast's 4 weeks and the 14 days of history before it (394 kB), never the year.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
MARKER_B = "Toisen organisaation salainen palaute"


def _setup_django(args: argparse.Namespace) -> Path:
    work = Path(tempfile.mkdtemp(prefix="aspa-bench-pages-"))
    if not args.use_configured_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
        os.environ["ASPA_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("ASPA_JOB_BACKEND", "inprocess")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return work


def _people(org: Any, n_people: int, teams: list[Any], rng: random.Random) -> dict[str, list[Any]]:
    from aspa.core.roles import Role
    from aspa.org.models import Membership, TeamMembership, User

    roles = [Role.LEAD] * len(teams) + [Role.PLANNER, Role.MANAGER, Role.ADMIN]
    roles += [Role.AGENT] * max(1, n_people - len(roles))
    users = User.objects.bulk_create(
        User(email=f"p{i}@{org.slug}.example.fi", full_name=f"Henkilö {i} {org.slug}", language="fi")
        for i in range(len(roles))
    )
    members = Membership.objects.bulk_create(
        Membership(organisation=org, user=u, role=r) for u, r in zip(users, roles, strict=True)
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(team=teams[i % len(teams)], membership=m) for i, m in enumerate(members)
    )
    by_role: dict[str, list[Any]] = {}
    for m in members:
        by_role.setdefault(m.role, []).append(m)
    return by_role


def _history(queue: Any, *, first: dt.datetime, days: int, daily: float, rng: Any) -> None:
    """Round-the-clock 15-minute intervals in UTC (no DST gaps or repeats), shaped like aspa.wfm's demo:
    its two-humped day in local time, busy Mondays, Poisson arrivals, answered within target known."""
    import numpy as np

    from aspa.wfm import demo as wfm_demo
    from aspa.wfm.models import ContactInterval

    zone = ZoneInfo("Europe/Helsinki")
    n = days * 96
    starts = [first + dt.timedelta(minutes=15 * k) for k in range(n)]
    local = [s.astimezone(zone) for s in starts]
    minutes = np.array([t.hour * 60 + t.minute + 7.5 for t in local])
    weekday = wfm_demo.WEEKDAY_FACTOR[[t.weekday() for t in local]]
    shape = wfm_demo._intraday(minutes)
    means = daily * weekday * shape / wfm_demo._intraday(np.arange(7.5, 1440, 15)).sum()
    offered = rng.poisson(means)
    abandoned = rng.binomial(offered, 0.05)
    handled = offered - abandoned
    in_sl = rng.binomial(handled, 0.8)
    aht = queue.aht_seconds * rng.normal(1.0, 0.08, size=n)
    ContactInterval.objects.bulk_create(
        (
            ContactInterval(
                queue=queue,
                start=start,
                offered=int(o),
                handled=int(h),
                abandoned=int(a),
                aht_seconds=round(float(t), 1) if h else None,
                answered_in_sl=int(sl),
            )
            for start, o, h, a, t, sl in zip(starts, offered, handled, abandoned, aht, in_sl, strict=True)
        ),
        batch_size=2000,
    )


def _queues(org: Any, teams: list[Any], n_queues: int, days: int) -> list[Any]:
    """Queues open round the clock with `days` of history up to now and a published 4-week forecast each."""
    import numpy as np
    from django.utils import timezone

    from aspa.wfm import services
    from aspa.wfm.models import Channel, Queue

    now = timezone.now().astimezone(dt.UTC)
    first = now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=days)
    hours = {str(d): [["00:00", "24:00"]] for d in range(7)}
    rng = np.random.default_rng(7 + org.pk)
    queues = []
    for i in range(n_queues):
        queue = Queue.objects.create(
            organisation=org,
            name=f"Jono {i + 1} {org.slug}",
            channel=[Channel.PHONE, Channel.CHAT, Channel.EMAIL][i % 3],
            interval_minutes=15,
            opening_hours=hours,
            aht_seconds=240,
        )
        queue.teams.add(teams[i % len(teams)])
        _history(queue, first=first, days=days, daily=400.0 + 100 * i, rng=rng)
        history = list(queue.history.order_by("start").values_list("start", "offered"))
        result = services.forecast_compute(queue=queue, history=history, horizon_days=28, quick=True)
        forecast = services.forecast_save(queue=queue, result=result, created_by_id=None, horizon_days=28)
        services.forecast_publish_unchecked(forecast=forecast)
        queues.append(queue)
    return queues


def _voice(
    org: Any,
    teams: list[Any],
    people: dict[str, list[Any]],
    queues: list[Any],
    *,
    n_responses: int,
    n_feedback: int,
    n_ideas: int,
    rng: random.Random,
    marker: str = "",
) -> None:
    from django.utils import timezone

    from aspa.voice import demo as voice_demo
    from aspa.voice.models import Channel, Feedback, Idea, IdeaComment, IdeaVote, Response, Source, Survey
    from aspa.voice.services import themes_analyse

    survey = Survey.objects.create(
        organisation=org, name="Kysely kontaktin jälkeen", ask_ces=True, ask_fcr=True
    )
    now = timezone.now()
    agents = people.get("agent", [])
    everyone = [m for ms in people.values() for m in ms]
    channels = [Channel.PHONE, Channel.PHONE, Channel.CHAT, Channel.EMAIL]
    rows = []
    for _i in range(n_responses):
        quality = rng.gauss(0.3, 1.0)
        mood = 1 if quality > 0.6 else (-1 if quality < -0.3 else 0)
        queue = rng.choice(queues)
        rows.append(
            Response(
                organisation=org,
                survey=survey,
                source=Source.LINK,
                channel=rng.choice(channels),
                queue_ref=queue.name,
                team=rng.choice(teams),
                agent=rng.choice(agents) if rng.random() < 0.5 else None,
                nps=max(0, min(10, round(7 + 2.2 * quality))),
                csat=max(1, min(5, round(3.8 + 0.9 * quality))),
                ces=max(1, min(7, round(5 + 1.2 * quality))),
                fcr=quality > -0.2,
                comment=voice_demo._comment(rng, mood) if rng.random() < 0.7 else "",
                language="fi",
                answered_at=now - dt.timedelta(days=rng.random() * 365),
            )
        )
    Response.objects.bulk_create(rows, batch_size=2000)
    Feedback.objects.bulk_create(
        (
            Feedback(
                organisation=org,
                source=rng.choice([Source.FORM, Source.API, Source.CSV]),
                channel=rng.choice([Channel.WEB, Channel.EMAIL, Channel.SOCIAL]),
                team=rng.choice(teams),
                text=(marker + " " if marker else "") + voice_demo._comment(rng, rng.choice([-1, -1, 0, 1])),
                received_at=now - dt.timedelta(days=rng.random() * 365),
            )
            for _i in range(n_feedback)
        ),
        batch_size=2000,
    )
    # Typed in by hand with masking off: the personal-data clean-up page has something to show.
    Feedback.objects.bulk_create(
        Feedback(organisation=org, source=Source.FORM, channel=Channel.EMAIL, text=text, received_at=now)
        for text, _days in voice_demo.UNMASKED_FEEDBACK
    )
    themes_analyse(organisation_id=org.pk)
    ideas = Idea.objects.bulk_create(
        Idea(
            organisation=org,
            title=f"{rng.choice(voice_demo.IDEAS)[0]} ({n + 1})",
            body=voice_demo._comment(rng, 0),
            author=rng.choice(everyone),
            team=rng.choice(teams),
            created_at=now - dt.timedelta(days=rng.random() * 365),
        )
        for n in range(n_ideas)
    )
    IdeaVote.objects.bulk_create(
        IdeaVote(idea=idea, membership=voter)
        for idea in ideas
        for voter in rng.sample(everyone, k=min(len(everyone), rng.randrange(0, 25)))
    )
    IdeaComment.objects.bulk_create(
        IdeaComment(idea=idea, author=rng.choice(everyone), body="Hyvä ajatus, kokeillaan!")
        for idea in ideas
        for _c in range(rng.randrange(0, 4))
    )


def _roadmap(
    org: Any, teams: list[Any], people: dict[str, list[Any]], n_items: int, rng: random.Random
) -> Any:
    from django.utils import timezone

    from aspa.roadmap.models import Experiment, ExperimentMetric, ItemSource, ItemStatus, RoadmapItem
    from aspa.roadmap.services import experiment_measure
    from aspa.voice.models import Idea, Theme

    manager = people["manager"][0]
    ideas = list(Idea.objects.filter(organisation=org)[:n_items])
    themes = list(Theme.objects.filter(organisation=org, is_active=True))
    items = RoadmapItem.objects.bulk_create(
        RoadmapItem(
            organisation=org,
            title=f"Kehityskohde {n + 1}",
            source=ItemSource.IDEA if n % 2 else ItemSource.THEME,
            idea=ideas[n % len(ideas)] if n % 2 and ideas else None,
            theme=themes[n % len(themes)] if not n % 2 and themes else None,
            team=teams[n % len(teams)],
            status=rng.choice([ItemStatus.PROPOSED, ItemStatus.ACCEPTED, ItemStatus.PROPOSED]),
            reach=rng.randrange(100, 6000),
            impact=rng.choice([0.25, 0.5, 1.0, 2.0, 3.0]),
            confidence=rng.choice([50, 80, 100]),
            effort=rng.choice([1, 2, 3, 5, 8]),
            cost=Decimal(rng.randrange(0, 20000)),
            yearly_value=Decimal(rng.randrange(0, 40000)),
            created_by=manager,
        )
        for n in range(n_items)
    )
    today = timezone.localdate()
    experiment = None
    for n, metric in enumerate([ExperimentMetric.NPS, ExperimentMetric.CSAT, ExperimentMetric.SERVICE_LEVEL]):
        experiment = Experiment.objects.create(
            organisation=org,
            item=items[n],
            hypothesis=f"Kokeilu {n + 1}: jos muutamme tapaa toimia, mittari paranee.",
            metric=metric,
            starts_on=today - dt.timedelta(days=60),
            ends_on=today - dt.timedelta(days=32),
            created_by=manager,
        )
        experiment.teams.set([teams[0]])  # the first queue is the first team's
        experiment_measure(actor=manager, experiment=experiment, today=today)
    return experiment


def build(scale: float) -> dict[str, Any]:
    """Both organisations; returns what the pages need (ids, actors, proof texts)."""
    from django.db import transaction
    from django.db.models import Count

    from aspa.org.models import Organisation, Team
    from aspa.voice.models import Feedback, Idea, Response, Theme
    from aspa.wfm.models import ContactInterval

    rng = random.Random(1)
    out: dict[str, Any] = {}
    # A configured database may hold a previous run's organisations.
    Organisation.objects.filter(slug__in=["bench-a", "bench-b"]).delete()
    for slug, factor, marker in (("bench-a", 1.0, ""), ("bench-b", 0.1, MARKER_B)):
        s = scale * factor
        t0 = time.perf_counter()
        with transaction.atomic():
            org = Organisation.objects.create(name=f"Bench {slug} Oy", slug=slug)
            teams = [Team.objects.create(organisation=org, name=f"Tiimi {n + 1} {slug}") for n in range(3)]
            people = _people(org, max(8, round(60 * max(s, 0.1))), teams, rng)
            queues = _queues(org, teams, 8 if factor == 1.0 else 2, max(120, round(364 * s)))
        _voice(
            org,
            teams,
            people,
            queues,
            n_responses=max(200, round(50_000 * s)),
            n_feedback=max(40, round(2_000 * s)),
            n_ideas=max(20, round(500 * s)),
            rng=rng,
            marker=marker,
        )
        experiment = _roadmap(org, teams, people, max(10, round(100 * s)), rng)
        print(
            f"{slug}: {ContactInterval.objects.filter(queue__organisation=org).count():,} intervals, "
            f"{Response.objects.filter(organisation=org).count():,} answers, "
            f"{Feedback.objects.filter(organisation=org).count():,} feedback, built in {time.perf_counter() - t0:.0f} s"
        )
        if slug == "bench-a":
            theme = Theme.objects.filter(organisation=org, is_active=True).order_by("-size").first()
            idea = (
                Idea.objects.filter(organisation=org)
                .annotate(n=Count("votes"))
                .order_by("-n", "-created_at", "-pk")
                .first()
            )
            out.update(
                org=org,
                agent=people["agent"][0],
                lead=people["lead"][0],
                queue=queues[0],
                forecast=queues[0].forecasts.get(status="published"),
                theme=theme,
                idea=idea,
                experiment=experiment,
                feedback_text=Feedback.objects.filter(organisation=org).order_by("-received_at").first().text,
            )
    return out


def pages(data: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(name, url, text that proves the data rendered, lead only)."""
    from django.urls import reverse

    q, f, t, i, e = data["queue"], data["forecast"], data["theme"], data["idea"], data["experiment"]
    return [
        ("voice dashboard", reverse("voice:dashboard"), t.label, False),
        ("voice dashboard 365 d", reverse("voice:dashboard") + "?days=365&metric=csat", t.label, False),
        ("voice theme", reverse("voice:theme", args=[t.pk]), t.label, False),
        ("voice feedback list", reverse("voice:feedback"), data["feedback_text"][:20], False),
        ("voice feedback by theme", reverse("voice:feedback") + f"?theme={t.pk}", t.label, False),
        ("voice responses", reverse("voice:responses"), "Tiimi ", False),
        ("voice ideas", reverse("voice:ideas"), i.title, False),
        ("voice idea", reverse("voice:idea", args=[i.pk]), i.title[:20], False),
        ("voice personal data", reverse("voice:feedback_personal_data"), "040 123", True),
        ("roadmap board", reverse("roadmap:board"), "Kehityskohde", False),
        ("roadmap experiment", reverse("roadmap:experiment", args=[e.pk]), "Kokeilu 3", False),
        ("wfm queues", reverse("wfm:queues"), q.name, False),
        ("wfm queue (published)", reverse("wfm:queue", args=[q.pk]), 'id="chart-volume"', False),
        ("wfm forecasts", reverse("wfm:forecasts", args=[q.pk]), reverse("wfm:forecast", args=[f.pk]), False),
        ("wfm forecast detail", reverse("wfm:forecast", args=[f.pk]), 'id="chart-staff"', False),
        ("wfm forecast csv", reverse("wfm:forecast_csv", args=[f.pk]), ";", False),
        ("api wfm queues", "/api/v1/wfm/queues", q.name, False),
        ("api wfm forecast", f"/api/v1/wfm/queues/{q.pk}/forecast", "required_agents", False),
        ("api voice scores", "/api/v1/voice/scores?days=365", '"nps"', False),
        ("api people", "/api/v1/people", "bench-a", False),
        ("api teams", "/api/v1/teams", "Tiimi 1", False),
    ]


def measure(data: dict[str, Any], repeats: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    for role in ("agent", "lead"):
        client = Client()
        client.force_login(data[role].user)
        for name, url, proof, lead_only in pages(data):
            if lead_only and role != "lead":
                continue
            times, size, queries = [], 0, 0
            for n in range(repeats + 1):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    body = b"".join(response) if response.streaming else response.content
                    elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{role} {name} {url}: HTTP {response.status_code}")
                text = body.decode("utf-8", "replace")
                if proof not in text:
                    raise SystemExit(f"{role} {name} {url}: {proof!r} not in the page")
                if MARKER_B in text:
                    raise SystemExit(f"{role} {name} {url}: shows the other organisation's data")
                if n:  # the first run warms caches (templates, translations) and is not counted
                    times.append(elapsed)
                queries, size = len(captured), len(body)
            results.append(
                {
                    "name": f"{name} ({role})",
                    "ms": round(statistics.median(times) * 1000, 1),
                    "queries": queries,
                    "kb": round(size / 1024, 1),
                }
            )
            r = results[-1]
            print(
                f"{r['name']:<42} {r['ms']:>9.1f} ms {r['queries']:>6} queries {r['kb']:>9.1f} kB", flush=True
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data volume relative to the defaults")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--use-configured-db", action="store_true", help="use DATABASE_URL (e.g. PostgreSQL)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    work = _setup_django(args)
    from django.db import connection

    t0 = time.perf_counter()
    data = build(args.scale)
    print(f"setup: {time.perf_counter() - t0:.0f} s on {connection.vendor}")
    results = measure(data, args.repeats)
    print(f"reproduce: uv run python bench/pages.py --scale {args.scale:g}")
    if not args.keep_db:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"pages": results}))


if __name__ == "__main__":
    main()
