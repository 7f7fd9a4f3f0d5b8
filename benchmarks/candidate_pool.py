"""What a host waits for on the candidates page when the pool is large, and after one profile changes.

    python benchmarks/candidate_pool.py [--employees 20000] [--fake-encoder]

Imports N generated employees (benchmarks/import_speed.py's generator), posts one secondment, and
times: the first ranked candidate list in a fresh process (fits the pool), the same list again
(cached), and the list after one person edits their profile.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from benchmarks.import_speed import ALIAS_TARGETS, SKILLS, generate  # noqa: E402


def timed(label: str, fn) -> float:
    started = time.perf_counter()
    result = fn()
    took = time.perf_counter() - started
    print(f"  {label:<52} {took:8.2f} s  ({len(result)} candidates)")
    return took


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--fake-encoder", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print where the cached list spends its time")
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="pool-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite"
    os.environ["MARKETPLACE_INSTANCE_PATH"] = workdir

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.clock import utcnow
    from marketplace.extensions import db
    from marketplace.models import Employee, Organisation, Skill
    from marketplace.services import imports, matching, vectors
    from marketplace.services.catalogue import load_catalogue
    from tests import factories as f

    app = create_app()
    with app.app_context():
        upgrade()
        load_catalogue(only=SKILLS + ALIAS_TARGETS)
        org = Organisation(name="Bench Ltd", kind="internal")
        db.session.add(org)
        db.session.commit()
        if args.fake_encoder:
            from matching import HashingEncoder

            app.extensions["encoder"] = HashingEncoder()
        content, _ = generate(args.employees, 0.0)
        started = time.perf_counter()
        imports.run_import(imports.store_upload("bench.csv", content, org).id)
        print(f"employees={db.session.scalar(sa.select(sa.func.count(Employee.id))):,} "
              f"imported in {time.perf_counter() - started:.1f} s; encoder={vectors.encoder().model_id}")
        skills = list(db.session.scalars(sa.select(Skill).limit(4)))
        host = db.session.scalars(sa.select(Employee).limit(1)).one()
        opportunity = f.opportunity(host, {s: 2 for s in skills}, title="Data platform secondment")
        db.session.commit()

        rank = lambda: matching.rank_candidates(opportunity).rows  # noqa: E731
        cold = timed("first list in a fresh process (fits the pool)", rank)
        warm = timed("same list again", rank)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(rank)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        before = matching.people_matcher()
        person = db.session.scalars(sa.select(Employee).offset(17).limit(1)).one()
        person.summary = (person.summary or "") + " I recently led a data migration."
        person.updated_at = utcnow()  # as services.profiles.update_profile does
        db.session.commit()
        after = timed("after one profile edit", rank)
        print(f"  pool refitted after the edit: {matching.people_matcher() is not before}")
        print(f"after_edit/warm={after / warm:.1f} after_edit/cold={after / cold:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
