"""Time the batch command end to end on the ESCO evaluation people and secondments.

    python benchmarks/batch_command.py [--people-per-occupation 17] [--split prose]

Writes EMPLOYEES.jsonl and OPPORTUNITIES.jsonl in the batch format, runs
``python -m matching rank ... --top-k 50`` in a fresh process (model load included),
and prints the wall time and NDCG@10 of what it wrote.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import esco_eval  # noqa: E402
from benchmarks.metrics import ndcg_at  # noqa: E402


def _skill(claim) -> dict | str:
    return {"name": claim.name, "level": claim.level} if claim.level else claim.name


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people-per-occupation", type=int, default=17)
    parser.add_argument("--split", default="prose", choices=esco_eval.SPLITS)
    args = parser.parse_args(argv)
    data = esco_eval.build(args.split, people_per_occupation=args.people_per_occupation)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with (folder / "employees.jsonl").open("w") as out:
            for p in data.people:
                out.write(json.dumps({"id": p.id, "job_title": p.job_title, "skills": [_skill(s) for s in p.skills],
                                      "summary": p.summary, "development_goals": list(p.development_goals)}) + "\n")
        with (folder / "opportunities.jsonl").open("w") as out:
            for o in data.opportunities:
                out.write(json.dumps({"id": o.id, "title": o.title, "description": o.description,
                                      "required_skills": [_skill(s) for s in o.required_skills],
                                      "nice_to_have_skills": [_skill(s) for s in o.nice_to_have_skills],
                                      "develops_skills": [s.name for s in o.develops_skills]}) + "\n")
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "matching", "rank", "--employees", str(folder / "employees.jsonl"),
             "--opportunities", str(folder / "opportunities.jsonl"), "--top-k", "50",
             "--out", str(folder / "rankings.jsonl"), "--quiet"],
            check=True,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time varies less than wall time on a shared machine
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rankings = [json.loads(line) for line in (folder / "rankings.jsonl").read_text().splitlines()]
    ndcg = sum(ndcg_at(r["ranked_employee_ids"], data.relevance[r["opportunity_id"]]) for r in rankings) / len(rankings)
    print(f"employees={len(data.people)} opportunities={len(data.opportunities)} split={args.split}")
    print(f"batch command wall time (fresh process, model load included): {seconds:.1f} s")
    print(f"batch command CPU time (user + system, all threads): {cpu:.1f} s")
    print(f"ndcg@10 of the written rankings: {ndcg:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
