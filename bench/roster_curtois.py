"""Curtois–Qu shift scheduling benchmark (instances 1–24) with Aspa's CP-SAT roster optimiser.

Run from the project root::

    uv run python bench/roster_curtois.py --instances 1-12 --time-limit 60

Reads ``../shared/benchmarks/shift-scheduling/instances/InstanceN.txt`` into the engine's problem
model, solves, and scores the roster with the benchmark's own definition straight from the file
(``curtois.evaluate``), independently of the CP-SAT objective; a roster that breaks a hard rule or
whose two scores differ is reported. Prints one line per instance and ends with one JSON line.

By default (``--method auto``) instances whose one whole model would have more than
``DECOMPOSE_ABOVE`` assignment variables (21-24) are solved by decomposition
(:mod:`aspa.engine.rostering.decompose`), the others by large-neighbourhood search over one model.
The target for 13-24 is 600 s each::

    uv run python bench/roster_curtois.py --instances 13-24 --time-limit 600
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from aspa.engine.rostering.decompose import DecomposeParams, should_decompose, solve_decomposed
from aspa.engine.rostering.lns import LnsParams, solve_lns
from aspa.engine.rostering.readers import curtois
from aspa.engine.rostering.solve import SolveParams, solve

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "benchmarks" / "shift-scheduling" / "instances"
# Best known upper bounds, from the benchmark README (schedulingbenchmarks.org and ORProjects/NRP).
BEST_KNOWN = {
    1: 607,
    2: 828,
    3: 1001,
    4: 1716,
    5: 1143,
    6: 1950,
    7: 1056,
    8: 1300,
    9: 439,
    10: 4631,
    11: 3443,
    12: 4040,
    13: 1348,
    14: 1278,
    15: 3834,
    16: 3225,
    17: 5746,
    18: 4459,
    19: 3149,
    20: 4943,
    21: 21159,
    22: 33155,
    23: 17428,
    24: 48777,
}


def parse_instances(spec: str) -> list[int]:
    """``"1-4,7"`` -> ``[1, 2, 3, 4, 7]``."""
    numbers: list[int] = []
    for part in spec.split(","):
        low, _, high = part.partition("-")
        numbers.extend(range(int(low), int(high or low) + 1))
    return numbers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="1-12")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--method",
        choices=("auto", "lns", "decompose", "cpsat"),
        default="auto",
        help="lns: short CP-SAT start then large-neighbourhood search; decompose: never one whole model "
        "(agent-by-agent construction, then re-solving groups); auto: decompose above "
        "aspa.engine.rostering.decompose.DECOMPOSE_ABOVE assignment variables, else lns; cpsat: one plain model",
    )
    parser.add_argument("--linearization", type=int, default=2, help="CP-SAT linearization_level")
    parser.add_argument(
        "--first-share",
        type=float,
        default=0.1,
        help="share of the time limit for the first whole-model solve (lns)",
    )
    parser.add_argument("--step-time", type=float, default=1.0, help="seconds per neighbourhood step (lns)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()

    print(
        f"# {platform.processor() or platform.machine()}, python {platform.python_version()}, "
        f"method={args.method}, workers={args.workers}, time limit {args.time_limit:g} s"
    )
    print(
        f"# uv run python bench/roster_curtois.py --instances {args.instances} "
        f"--time-limit {args.time_limit:g} --workers {args.workers} --seed {args.seed} --method {args.method} "
        f"--linearization {args.linearization} --first-share {args.first_share:g} --step-time {args.step_time:g}"
    )
    print(f"{'#':>3} {'objective':>9} {'best':>6} {'gap %':>7} {'seconds':>7}  status")
    results: dict[str, dict[str, float | int | str | None]] = {}
    failures = 0
    for number in parse_instances(args.instances):
        instance = curtois.read(args.dir / f"Instance{number}.txt")
        problem = curtois.to_problem(instance)
        started = time.perf_counter()
        params = SolveParams(
            time_limit_s=args.time_limit,
            num_workers=args.workers,
            random_seed=args.seed,
            linearization_level=args.linearization,
        )
        method = args.method
        if method == "auto":
            method = "decompose" if should_decompose(problem) else "lns"
        if method == "decompose":
            solution = solve_decomposed(problem, DecomposeParams(solve=params, step_time_s=args.step_time))
        elif method == "lns":
            solution = solve_lns(
                problem,
                LnsParams(solve=params, first_solve_share=args.first_share, step_time_s=args.step_time),
            )
        else:
            solution = solve(problem, params)
        seconds = time.perf_counter() - started
        best = BEST_KNOWN[number]
        if not solution.status.has_roster:
            print(
                f"{number:>3} {'-':>9} {best:>6} {'-':>7} {seconds:>7.1f}  {solution.status.value} ({method})"
            )
            results[str(number)] = {
                "objective": None,
                "best_known": best,
                "gap": None,
                "seconds": round(seconds, 1),
                "status": solution.status.value,
                "method": method,
            }
            failures += 1
            continue
        evaluation = curtois.evaluate(instance, solution.roster)
        note = f"{solution.status.value} ({method})"
        if evaluation.violations:
            note += f"  HARD VIOLATIONS: {evaluation.violations[:3]}"
            failures += 1
        if evaluation.objective != solution.objective:
            note += f"  MISMATCH: model says {solution.objective}"
            failures += 1
        gap = (evaluation.objective - best) / best
        print(f"{number:>3} {evaluation.objective:>9} {best:>6} {100 * gap:>7.2f} {seconds:>7.1f}  {note}")
        results[str(number)] = {
            "objective": evaluation.objective,
            "best_known": best,
            "gap": round(gap, 4),
            "seconds": round(seconds, 1),
            "method": method,
        }
    print(json.dumps({"instances": results}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
