"""How long the bias report takes over a year of audit log, and how much memory it needs.

    python benchmarks/bias_report.py --employees 5000 --views 2000 [--ranked 100] [--applications 3000]

Builds a throwaway SQLite database: employees (85% with equality answers), ``views``
ranking.shown entries of ``ranked`` scored people each (20 on the page), and application
entries (submit, then shortlist for a quarter and an offer for a tenth of those). Prints the
time to replay the funnel from the log, the time of the whole report (statistics for 4 stages
x 5 breakdowns, exposure) the first time in a process and after, the CSV/JSON export sizes, peak memory, and as its last line
``ratio=<whole report time / funnel replay time>``.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--views", type=int, default=2000)
    parser.add_argument("--ranked", type=int, default=100)
    parser.add_argument("--applications", type=int, default=3000)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="bias-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}", "TESTING": True})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        _fill(args, random.Random(7))
        print(f"setup        {time.perf_counter() - started:8.1f} s  ({args.views} views x {args.ranked} ranked, "
              f"{args.applications} applications, {args.employees} employees)")
        from marketplace.services import fairness
        from marketplace.services.fairness.funnel import read_funnel

        period = fairness.parse_period("2000-01-01:2100-12-31")
        started = time.perf_counter()
        funnel = read_funnel(period)
        replay = time.perf_counter() - started
        started = time.perf_counter()
        fairness.build_bias_report(period)
        cold = time.perf_counter() - started  # includes importing pandas, scipy, statsmodels, fairlearn once
        started = time.perf_counter()
        report = fairness.build_bias_report(period)
        whole = time.perf_counter() - started
        csv_text, json_text = fairness.to_csv(report), fairness.to_json(report)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"replay       {replay:8.2f} s  ({funnel.entries} audit entries, {len(funnel.scores)} scored pairs)")
        print(f"first report {cold:8.2f} s  (the process's first: imports the statistics libraries)")
        print(f"report       {whole:8.2f} s  (replay + answers + statistics + exposure)")
        print(f"exports      CSV {len(csv_text) / 1024:.0f} KiB, JSON {len(json_text) / 1024:.0f} KiB")
        print(f"peak RSS     {peak:8.0f} MiB")
        print(f"ratio={whole / replay:.2f}")
        db.session.remove()


def _fill(args: argparse.Namespace, rng: random.Random) -> None:
    """Employees, answers and audit entries, written the way the app writes them."""
    from marketplace.extensions import db
    from marketplace.models.equality import DemographicSelfId
    from marketplace.services import audit
    from marketplace.services.demo.equality import WEIGHTS
    from tests import factories as f

    host = f.employee()
    opportunities = [f.opportunity(host) for _ in range(max(1, args.views // 50))]
    ids = [f.employee(dept=host.department).id for _ in range(args.employees)]
    for employee_id in ids:
        if rng.random() < 0.85:
            db.session.add(DemographicSelfId(employee_id=employee_id, **{
                name: rng.choices(*zip(*options))[0] for name, options in WEIGHTS.items()}))
    db.session.commit()
    for _ in range(args.views):
        opportunity = rng.choice(opportunities)
        ranked = sorted(((f"employee:{e}", round(rng.random(), 6)) for e in rng.sample(ids, args.ranked)),
                        key=lambda pair: -pair[1])
        shown = [{"rank": i + 1, "candidate": c, "score": s, "parts": {}} for i, (c, s) in enumerate(ranked[:20])]
        ref = f"opportunity:{opportunity.id}"
        audit.record("ranking.shown", ref, role="host_manager",
                     payload={"opportunity": ref, "shown": shown, "ranked": [list(p) for p in ranked]})
    for number in range(args.applications):
        payload = {"opportunity": f"opportunity:{rng.choice(opportunities).id}",
                   "candidate": f"employee:{rng.choice(ids)}", "from": "draft", "to": "submitted"}
        audit.record("application.submit", f"application:{number}", role="employee", payload=payload)
        if rng.random() < 0.25:
            audit.record("application.shortlist", f"application:{number}", role="host_manager", payload=payload)
            if rng.random() < 0.4:
                audit.record("application.offer", f"application:{number}", role="host_manager", payload=payload)
    db.session.commit()


if __name__ == "__main__":
    main()
