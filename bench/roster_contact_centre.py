"""Contact-centre roster: 60 agents, 3 skills, 4 weeks, 15-minute need; Aspa against pyworkforce.

Run from the project root (no arguments)::

    uv run python bench/roster_contact_centre.py

A synthetic but realistic contact pattern (Finnish, Swedish and English queues; a morning and an
early-afternoon peak; busy Mondays, quiet weekends; seeded noise) goes through the staffing engine
(Erlang C, 80 % answered within 20 s, 10 % shrinkage) to a head-count need per 15-minute interval
and skill. Sixty agents (full- and part-time, single- and multi-skilled) state realistic wishes:
days off around weekends, parents who must leave by 16:30, students who prefer late starts, a
weekday-off pattern, Saturday shifts wanted, and two agents with a team-given priority.

Aspa's optimiser (CP-SAT, then large-neighbourhood search) solves the whole problem: skills, the
Finnish Working Hours Act rest rules, contracts, wishes and max-min fairness. pyworkforce 0.5.1 gets
the same need: ``MinAbsDifference`` turns the total need into shifts per day (it knows no skills),
``MinHoursRoster`` assigns agents to them; it has no soft day-off wishes, no rest rules and no upper
limit on hours, so wishes it can express become shift preferences (late start -> the late shift,
latest end -> the early shift). Both rosters are scored by the same code:

- coverage: needed head-count met, summed over intervals and skills, with each agent counted for
  one skill per interval (multi-skilled agents go where the shortfall is largest);
- wishes granted: share of wished weight granted (a weekday pattern counts once per day it meets);
  worst agent's share and the spread (best - worst) among agents who wished anything;
- contracts broken: agents whose hours fall outside their contract (min/max over the 4 weeks).

Ends with one JSON line.
"""

from __future__ import annotations

import json
import math
import platform
import random
import sys
import time
from collections import defaultdict

import numpy as np

from aspa.engine.rostering import (
    Agent,
    Contract,
    IntervalDemand,
    LatestEnd,
    PreferredStart,
    Priority,
    Problem,
    ShiftOff,
    ShiftOn,
    ShiftType,
    SolveParams,
    WeekdaysOff,
    WorkRules,
)
from aspa.engine.rostering.ledger import roster_ledger
from aspa.engine.rostering.lns import LnsParams, solve_lns
from aspa.engine.rostering.variables import Roster
from aspa.engine.staffing import erlang_c_required_agents, offered_load

SEED = 4
DAYS = 28
INTERVAL = 15
PERIODS = 24 * 60 // INTERVAL
SHIFT_MINUTES = 450  # 7.5 h: 37.5 h a week is five shifts
ASPA_TIME_LIMIT_S = 60.0
PYWF_SCHEDULE_S = 20.0
PYWF_ROSTER_S = 40.0
WORKERS = 2
# One missing agent for a 15-minute interval costs 25 (100 an hour, as the product's hourly lines);
# one percentage point of the worst-off agent's denied wish share costs FAIRNESS_WEIGHT. With 5 the
# worst-off agent got 0-25 % of their wishes; with 20 about 50 % at the same coverage.
UNDER_WEIGHT = 25
FAIRNESS_WEIGHT = 20
# A plain CP-SAT run of 60 s reached 0.77 coverage (0.74 with linearization level 2); CP-SAT for 30 %
# of the time and then LNS reaches about 0.87.
FIRST_SOLVE_SHARE = 0.3
# skill: weekday contacts a day, average handling time (s)
QUEUES = {"fi": (1200, 300.0), "sv": (240, 360.0), "en": (300, 330.0)}
WEEKDAY_FACTOR = (1.18, 1.02, 0.98, 0.97, 0.92, 0.42, 0.30)
OPEN = {"weekday": (8 * 60, 20 * 60), "weekend": (9 * 60, 17 * 60)}
SHIFT_STARTS = {"E": 8 * 60, "D": 9 * 60, "M": 10 * 60, "A": 11 * 60, "L": 12 * 60 + 30}


def intraday(minute: float) -> float:
    """Relative arrivals at a minute of the day: a 10:00 and a 13:30 peak, a long evening tail."""
    hours = minute / 60
    return (
        1.0 * math.exp(-(((hours - 10.0) / 1.4) ** 2))
        + 0.8 * math.exp(-(((hours - 13.5) / 1.8) ** 2))
        + 0.35 * math.exp(-(((hours - 17.5) / 2.5) ** 2))
    )


def staffing_need(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Scheduled head-count per skill, shape (days, periods), from Erlang C on the contact pattern."""
    starts = np.arange(PERIODS) * INTERVAL + INTERVAL / 2
    shape = np.array([intraday(m) for m in starts])
    need = {}
    for skill, (daily, aht) in QUEUES.items():
        contacts = np.zeros((DAYS, PERIODS))
        for day in range(DAYS):
            weekday = day % 7
            low, high = OPEN["weekend" if weekday >= 5 else "weekday"]
            is_open = (starts >= low) & (starts < high)
            profile = shape * is_open
            expected = daily * WEEKDAY_FACTOR[weekday] * profile / profile.sum()
            contacts[day] = rng.poisson(expected * rng.lognormal(0.0, 0.05))
        load = offered_load(contacts.ravel(), aht, INTERVAL * 60)
        requirement = erlang_c_required_agents(
            load=load, aht_seconds=aht, service_level=0.8, target_seconds=20.0, shrinkage=0.10
        )
        need[skill] = np.asarray(requirement.scheduled_agents).reshape(DAYS, PERIODS).astype(int)
    return need


def build_agents(rng: random.Random) -> list[Agent]:
    """60 agents: 30 Finnish only, 12 + Swedish, 12 + English, 6 all three; 12 part-timers (80 %)."""
    groups = [frozenset({"fi"})] * 30 + [frozenset({"fi", "sv"})] * 12 + [frozenset({"fi", "en"})] * 12
    groups += [frozenset({"fi", "sv", "en"})] * 6
    agents = []
    for number, skills in enumerate(groups):
        shifts = 16 if number % 5 == 4 else 20
        priority = None
        if number in (7, 41):
            priority = Priority("Single parent, agreed by the team", weight=3)
        agents.append(
            Agent(
                id=f"a{number:02d}",
                contract=Contract(
                    min_minutes=(shifts - 1) * SHIFT_MINUTES,
                    max_minutes=shifts * SHIFT_MINUTES,
                    max_minutes_per_week=6 * SHIFT_MINUTES,
                ),
                skills=skills,
                unavailable_days=frozenset({rng.randrange(DAYS)}) if rng.random() < 0.15 else frozenset(),
                priority=priority,
            )
        )
    return agents


def build_wishes(rng: random.Random, agents: list[Agent]) -> list:
    """Realistic wishes; popular days (Fridays, weekends, one long weekend) are over-asked."""
    wishes: list = []
    popular = [d for d in range(DAYS) if d % 7 in (4, 5, 6)] + [18, 19, 20]  # a long weekend in week 3
    for index, agent in enumerate(agents):
        away = agent.unavailable_days
        days_off: set[int] = set()
        wanted = rng.randint(2, 4)
        while len(days_off) < wanted:
            days_off.add(rng.choice(popular) if rng.random() < 0.6 else rng.randrange(DAYS))
        for day in sorted(days_off):
            wishes.append(ShiftOff(agent.id, day, None, rng.choice((1, 1, 2, 3))))
        if index % 6 == 0:  # parents: must leave by 16:30 on weekdays
            wishes.append(LatestEnd(agent.id, 16 * 60 + 30, frozenset(range(5)), 2))
        elif index % 6 == 1:  # students: late starts
            wishes.append(PreferredStart(agent.id, SHIFT_STARTS["L"], 60, None, 1))
        elif index % 10 == 2:  # a weekday pattern
            wishes.append(WeekdaysOff(agent.id, frozenset({2}), 1))
        if rng.random() < 0.3:  # wants the weekend money
            saturday = rng.choice([d for d in range(DAYS) if d % 7 == 5 and d not in away])
            wishes.append(ShiftOn(agent.id, saturday, None, 1))
        if rng.random() < 0.25:
            day = rng.choice([d for d in range(DAYS) if d not in away])
            wishes.append(ShiftOn(agent.id, day, rng.choice(("E", "L")), 1))
    return wishes


def build_problem(need: dict[str, np.ndarray], agents: list[Agent], wishes: list) -> Problem:
    shift_types = tuple(ShiftType(code, start, SHIFT_MINUTES) for code, start in SHIFT_STARTS.items())
    demands = [
        IntervalDemand(
            day=day,
            start_minute=period * INTERVAL,
            length_minutes=INTERVAL,
            required=int(need[skill][day, period]),
            skill=skill,
            under_weight=UNDER_WEIGHT,
        )
        for skill in QUEUES
        for day in range(DAYS)
        for period in range(PERIODS)
        if _is_open(day, period)
    ]
    return Problem(
        horizon_days=DAYS,
        shift_types=shift_types,
        agents=tuple(agents),
        demands=tuple(demands),
        wishes=tuple(wishes),
        rules=WorkRules(max_consecutive_days=6),
        first_weekday=0,
        fairness_weight=FAIRNESS_WEIGHT,
    )


def _is_open(day: int, period: int) -> bool:
    low, high = OPEN["weekend" if day % 7 >= 5 else "weekday"]
    return low <= period * INTERVAL < high


def covered(problem: Problem, roster: Roster, need: dict[str, np.ndarray]) -> tuple[int, int]:
    """(met, needed) head-count over all open intervals and skills; one skill per agent and interval."""
    met = needed = 0
    by_id = {a.id: a for a in problem.agents}
    for day in range(DAYS):
        for period in range(PERIODS):
            if not _is_open(day, period):
                continue
            minute = period * INTERVAL
            present = [
                by_id[agent_id].skills
                for agent_id, days in roster.items()
                if (code := days[day]) is not None
                and SHIFT_STARTS[code] <= minute
                and minute + INTERVAL <= SHIFT_STARTS[code] + SHIFT_MINUTES
            ]
            remaining = {skill: int(need[skill][day, period]) for skill in QUEUES}
            needed += sum(remaining.values())
            for skills in sorted(present, key=len):  # specialists first
                skill = max(skills, key=lambda s: remaining[s])
                if remaining[skill] > 0:
                    remaining[skill] -= 1
                    met += 1
    return met, needed


def score(problem: Problem, roster: Roster, need: dict[str, np.ndarray], seconds: float) -> dict:
    met, needed = covered(problem, roster, need)
    ledger = roster_ledger(problem, roster)
    granted = sum(e.wishes_granted for e in ledger.values())
    total = sum(e.wishes_total for e in ledger.values())
    shares = [e.granted_share for e in ledger.values() if e.wishes_total]
    minutes = defaultdict(int)
    for agent_id, days in roster.items():
        minutes[agent_id] = sum(SHIFT_MINUTES for code in days if code is not None)
    outside = sum(
        1
        for a in problem.agents
        if not a.contract.min_minutes <= minutes[a.id] <= (a.contract.max_minutes or 10**9)
    )
    return {
        "coverage": round(met / needed, 4),
        "wishes_granted": round(granted / total, 4),
        "worst_agent_wishes_granted": round(min(shares), 4),
        "fairness_spread": round(max(shares) - min(shares), 4),
        "contracts_broken": outside,
        "seconds": round(seconds, 1),
    }


def solve_aspa(problem: Problem) -> tuple[Roster, float, str]:
    """CP-SAT on the whole model for a first roster, then large-neighbourhood search (agents/days)."""
    started = time.perf_counter()
    params = SolveParams(time_limit_s=ASPA_TIME_LIMIT_S, num_workers=WORKERS, random_seed=SEED)
    solution = solve_lns(problem, LnsParams(solve=params, first_solve_share=FIRST_SOLVE_SHARE))
    seconds = time.perf_counter() - started
    if not solution.status.has_roster:
        raise SystemExit(f"Aspa found no roster: {solution.status.value}")
    return solution.roster, seconds, solution.status.value


def solve_pyworkforce(problem: Problem, need: dict[str, np.ndarray]) -> tuple[Roster | None, float, str]:
    """Shift scheduler on the total need, then the roster; wishes as shift preferences where possible."""
    from pyworkforce.rostering import MinHoursRoster
    from pyworkforce.scheduling import MinAbsDifference

    started = time.perf_counter()
    total = sum(need.values())
    coverage = {}
    for code, start in SHIFT_STARTS.items():
        row = [0] * PERIODS
        for period in range(start // INTERVAL, (start + SHIFT_MINUTES) // INTERVAL):
            row[period] = 1
        coverage[code] = row
    scheduler = MinAbsDifference(
        num_days=DAYS,
        periods=PERIODS,
        shifts_coverage=coverage,
        required_resources=total.tolist(),
        max_period_concurrency=len(problem.agents),
        max_shift_concurrency=len(problem.agents),
        max_search_time=PYWF_SCHEDULE_S,
        num_search_workers=WORKERS,
    )
    schedule = scheduler.solve()
    if schedule["status"] not in ("OPTIMAL", "FEASIBLE"):
        return None, time.perf_counter() - started, f"scheduler {schedule['status']}"
    required = {code: [0] * DAYS for code in SHIFT_STARTS}
    for line in schedule["resources_shifts"]:
        required[line["shift"]][line["day"]] = int(line["resources"])
    preferences = []
    for wish in problem.wishes:
        if isinstance(wish, PreferredStart):
            preferences.append({"resource": wish.agent_id, "shift": "L"})
        elif isinstance(wish, LatestEnd):
            preferences.append({"resource": wish.agent_id, "shift": "E"})
        elif isinstance(wish, ShiftOn) and wish.shift_id is not None:
            preferences.append({"resource": wish.agent_id, "shift": wish.shift_id})
    banned = [
        {"resource": a.id, "shift": code, "day": day}
        for a in problem.agents
        for day in sorted(a.unavailable_days)
        for code in SHIFT_STARTS
    ]
    min_shifts = min(a.contract.min_minutes for a in problem.agents) // SHIFT_MINUTES
    roster_model = MinHoursRoster(
        num_days=DAYS,
        resources=[a.id for a in problem.agents],
        shifts=list(SHIFT_STARTS),
        # pyworkforce wants whole numbers: hours are given in half-hours (7.5 h = 15).
        shifts_hours=[SHIFT_MINUTES // 30] * len(SHIFT_STARTS),
        min_working_hours=min_shifts * SHIFT_MINUTES // 30,
        banned_shifts=banned,
        max_resting=DAYS - min_shifts,
        required_resources=required,
        resources_preferences=preferences,
        max_search_time=PYWF_ROSTER_S,
        num_search_workers=WORKERS,
    )
    result = roster_model.solve()
    seconds = time.perf_counter() - started
    if result["status"] not in ("OPTIMAL", "FEASIBLE"):
        return None, seconds, f"roster {result['status']}"
    roster: dict[str, list[str | None]] = {a.id: [None] * DAYS for a in problem.agents}
    for line in result["resource_shifts"]:
        roster[line["resource"]][line["day"]] = line["shift"]
    return {k: tuple(v) for k, v in roster.items()}, seconds, result["status"].lower()


def main() -> int:
    print(
        f"# {platform.processor() or platform.machine()}, python {platform.python_version()}, "
        f"{WORKERS} workers, Aspa time limit {ASPA_TIME_LIMIT_S:g} s, pyworkforce "
        f"{PYWF_SCHEDULE_S:g} s + {PYWF_ROSTER_S:g} s, seed {SEED}"
    )
    need = staffing_need(np.random.default_rng(SEED))
    rng = random.Random(SEED)
    agents = build_agents(rng)
    problem = build_problem(need, agents, build_wishes(rng, agents))
    needed_hours = sum(int(n.sum()) for n in need.values()) * INTERVAL / 60
    contract_hours = sum(a.contract.max_minutes or 0 for a in agents) / 60
    print(
        f"# need {needed_hours:.0f} agent-hours over {DAYS} days (peak {max(int(n.max()) for n in need.values())} "
        f"on one skill); contracts {contract_hours:.0f} h; {len(problem.demands)} need lines, "
        f"{len(problem.wishes)} wishes"
    )

    roster, seconds, status = solve_aspa(problem)
    aspa = score(problem, roster, need, seconds) | {"status": status}
    print(f"aspa         {aspa}")
    pyw_roster, pyw_seconds, pyw_status = solve_pyworkforce(problem, need)
    if pyw_roster is None:
        pyworkforce: dict = {"status": pyw_status, "seconds": round(pyw_seconds, 1)}
    else:
        pyworkforce = score(problem, pyw_roster, need, pyw_seconds) | {"status": pyw_status}
    print(f"pyworkforce  {pyworkforce}")
    print(
        json.dumps(
            {
                "coverage": aspa["coverage"],
                "wishes_granted": aspa["wishes_granted"],
                "worst_agent_wishes_granted": aspa["worst_agent_wishes_granted"],
                "fairness_spread": aspa["fairness_spread"],
                "seconds": aspa["seconds"],
                "pyworkforce": pyworkforce,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
