"""Speed and memory of the employee import: N generated rows (~1% bad), loaded, linked and embedded.

    python benchmarks/import_speed.py [--rows 100000] [--database-url postgresql://...] [--fake-encoder]

Generates an HRIS export as CSV (departments, job titles and ESCO skills drawn from a few dozen
of each, a manager tree listed in shuffled order so many managers come after their reports, and
about 1% of rows with a bad e-mail, date, level or missing name), imports it through the same
service the worker runs, then imports it again (which must change nothing). Prints rows/s,
seconds per stage, and peak memory (resident set size) above what the app and model already use.
SQLite in a temporary file by default; the real embedding model unless --fake-encoder.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEPARTMENTS = ["Finance", "People & HR", "Technology", "Data & Analytics", "Operations", "Legal", "Marketing",
               "Sales", "Customer Service", "Procurement", "Risk", "Strategy"]
TITLES = ["Analyst", "Senior Analyst", "Data Engineer", "Software Engineer", "Product Manager", "HR Advisor",
          "Financial Analyst", "Management Accountant", "Legal Counsel", "Buyer", "Risk Analyst", "Team Leader",
          "Head of Operations", "Customer Service Adviser", "Marketing Executive", "Account Manager",
          "Delivery Manager", "Business Analyst", "UX Researcher", "Treasury Analyst"]
SKILLS = ["manage budgets", "financial analysis", "financial forecasting", "Python (computer programming)", "SQL",
          "JavaScript", "recruit employees", "employment law", "coach employees", "project management",
          "manage relationships with stakeholders", "negotiate with stakeholders", "Excel", "PowerPoint",
          "IFRS", "KPIs", "user research", "principles of artificial intelligence", "manage staff",
          "customer service", "data analytics", "risk management", "contract law",
          "create a financial plan", "perform market research", "ICT project management methodologies"]
# preferred ESCO labels of the aliases above (Excel, PowerPoint, IFRS, KPIs, user research)
ALIAS_TARGETS = ["use spreadsheets software", "use presentation software", "international financial reporting standards",
                 "track key performance indicators", "execute ICT user research activities"]
LOCATIONS = ["London", "Manchester", "Leeds", "Glasgow", "Cardiff", "Belfast", "Bristol"]
HEADER = ["employee_number", "name", "email", "job_title", "department", "manager_number", "location", "grade",
          "start_date", "skills"]


def generate(rows: int, bad_share: float, seed: int = 7) -> tuple[bytes, int]:
    """The CSV bytes and how many rows were made bad on purpose."""
    rng = random.Random(seed)
    order = list(range(1, rows + 1))
    rng.shuffle(order)  # managers (lower numbers) land anywhere in the file
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    bad = 0
    for n in order:
        skills = "; ".join(f"{s}:{rng.randint(1, 5)}" for s in rng.sample(SKILLS, rng.randint(0, 6)))
        row = [f"B{n:07d}", f"Person {n}", f"person{n}@bench.example", rng.choice(TITLES), rng.choice(DEPARTMENTS),
               f"B{n // 8:07d}" if n >= 8 else "", rng.choice(LOCATIONS), f"G{rng.randint(3, 9)}",
               f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", skills]
        if rng.random() < bad_share:
            bad += 1
            spoil = rng.randrange(4)
            if spoil == 0:
                row[2] = f"person{n}-at-bench.example"
            elif spoil == 1:
                row[8] = "31/12/2020"
            elif spoil == 2:
                row[9] = "SQL:9"
            else:
                row[1] = ""
        writer.writerow(row)
    return out.getvalue().encode(), bad


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(content: bytes, org, label: str) -> None:
    from marketplace.services import embedding, imports

    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    run = imports.store_upload("bench.csv", content, org)
    marks.append(("check file (upload)", time.perf_counter()))

    def progress(stage: str, done: int, total: int | None) -> None:
        if not marks or marks[-1][0] != stage:
            marks.append((stage, time.perf_counter()))

    imports.run_import(run.id, progress=progress)
    ended = time.perf_counter()
    assert run.status == "succeeded", run.message
    points = [("check file (upload)", started)] + marks[1:] + [("end", ended)]
    print(f"\n{label}: {run.message}")
    print(f"  outcome: {run.result}")
    print(f"  total {ended - started:7.1f} s   {run.total / (ended - started):8,.0f} rows/s")
    for (stage, at), (_, until) in zip(points, points[1:]):
        print(f"  {stage:<36} {until - at:7.1f} s")
    print(f"  profiles left stale for the sweep: {embedding.stale_counts()['employees']:,}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bad-share", type=float, default=0.01)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary file")
    parser.add_argument("--fake-encoder", action="store_true", help="hashing encoder instead of the real model")
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="import-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite"
    os.environ["MARKETPLACE_INSTANCE_PATH"] = workdir

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.models import Organisation
    from marketplace.services import vectors
    from marketplace.services.catalogue import load_catalogue

    app = create_app()
    with app.app_context():
        if args.database_url:  # start from an empty schema, as the SQLite default does
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        catalogue = load_catalogue(only=SKILLS + ALIAS_TARGETS)
        org = Organisation(name="Bench Ltd", kind="internal")
        db.session.add(org)
        db.session.commit()
        if args.fake_encoder:
            from matching import HashingEncoder

            app.extensions["encoder"] = HashingEncoder()
        vectors.encoder().encode(["warm up"])  # load the model before measuring the import's memory

        started = time.perf_counter()
        content, bad = generate(args.rows, args.bad_share)
        print(f"rows={args.rows:,} bad rows={bad:,} file={len(content) / 1e6:.1f} MB "
              f"generated in {time.perf_counter() - started:.1f} s; catalogue: {catalogue.skills_added} skills")
        print(f"database={db.engine.url.render_as_string(hide_password=True)} "
              f"encoder={'hashing (fake)' if args.fake_encoder else vectors.encoder().model_id}")
        baseline = rss_mb()
        timed_import(content, org, "first import")
        first_peak = rss_mb()
        timed_import(content, org, "same file again")
        print(f"\npeak RSS {rss_mb():,.0f} MB; app + model before the import {baseline:,.0f} MB; "
              f"import added {first_peak - baseline:,.0f} MB at peak (file held in memory: {len(content) / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
