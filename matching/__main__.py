"""Batch ranking outside the app.

    python -m matching rank --employees EMPLOYEES.jsonl --opportunities OPPORTUNITIES.jsonl \
        --top-k 50 --out RANKINGS.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from matching.config import STRETCH_LEVELS
from matching.encoder import ModelNotFound, SentenceTransformerEncoder
from matching.profiles import OpportunityProfile, PersonProfile, SkillClaim
from matching.ranking import Matcher
from matching.scoring import texts_for


DEFAULT_STRETCH = STRETCH_LEVELS["ready_now"]  # the files carry no stretch: rank for fit


def read_jsonl(path: Path) -> Iterator[dict]:
    """Yield the JSON object on each non-blank line, naming the line of any error."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise SystemExit(f"{path}:{number}: not valid JSON ({error.msg})") from error


def person_from_json(record: dict) -> PersonProfile:
    """An employee line of the batch format as a PersonProfile."""
    return PersonProfile(
        id=record["id"],
        job_title=record.get("job_title") or "",
        skills=tuple(SkillClaim.parse(s) for s in record.get("skills") or ()),
        summary=record.get("summary") or "",
        development_goals=tuple(str(g) for g in record.get("development_goals") or ()),
    )


def opportunity_from_json(record: dict) -> OpportunityProfile:
    """An opportunity line of the batch format as an OpportunityProfile."""
    return OpportunityProfile(
        id=record["id"],
        title=record.get("title") or "",
        description=record.get("description") or "",
        required_skills=tuple(SkillClaim.parse(s) for s in record.get("required_skills") or ()),
        nice_to_have_skills=tuple(SkillClaim.parse(s) for s in record.get("nice_to_have_skills") or ()),
        develops_skills=tuple(SkillClaim.parse(s) for s in record.get("develops_skills") or ()),
        stretch=float(record.get("stretch", DEFAULT_STRETCH)),
    )


def rank_command(args: argparse.Namespace) -> int:
    """Rank employees for every opportunity and write one JSON line per opportunity."""
    from tqdm import tqdm

    people = [person_from_json(r) for r in read_jsonl(args.employees)]
    opportunities = [opportunity_from_json(r) for r in read_jsonl(args.opportunities)]
    try:
        encoder = SentenceTransformerEncoder(args.model)
    except ModelNotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    show = sys.stderr.isatty() and not args.quiet
    matcher = Matcher(encoder)
    with tqdm(total=len(people), desc="Encoding profiles", unit="person", disable=not show) as bar:
        matcher.prepare(t for p in people for t in texts_for(p))
        bar.update(len(people))
    matcher.fit(people)
    with args.out.open("w", encoding="utf-8") as out:
        for opportunity in tqdm(opportunities, desc="Ranking", unit="opportunity", disable=not show):
            ranked = matcher.rank_people(opportunity, top_k=args.top_k)
            line = {"opportunity_id": opportunity.id, "ranked_employee_ids": [r.id for r in ranked]}
            out.write(json.dumps(line) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rank = commands.add_parser("rank", help="rank employees for each opportunity")
    rank.add_argument("--employees", type=Path, required=True)
    rank.add_argument("--opportunities", type=Path, required=True)
    rank.add_argument("--top-k", type=int, default=50)
    rank.add_argument("--out", type=Path, required=True)
    rank.add_argument("--model", default=None, help="local model directory (default: the packaged MiniLM)")
    rank.add_argument("--quiet", action="store_true", help="no progress bar")
    rank.set_defaults(handler=rank_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for path in (args.employees, args.opportunities):
        if not path.is_file():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
