"""The demo's returns, each step on its day through the services people use.

Before the end: the secondee's wishes a week before the return plan is due, the home manager's plan on its
due day, and the host's proposal of the skills gained a week before the last day. After it: the host confirms
the skills, the home manager holds the return review, the secondee writes the note for the home team, and each
party gives their evaluation. Steps that would fall on or after the day the demo is loaded have not happened yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from marketplace.models import EvaluationQuestion, Secondment, SecondmentParty, User
from marketplace.services import catalogue, return_feedback, returns, skills_gained
from marketplace.services.demo.stories import ReturnStory
from marketplace.services.demo.timeline import account_of, at, dated

P = SecondmentParty
Step = tuple[dt.datetime, Callable[[], None]]
DAYS_AFTER_THE_END = {P.EMPLOYEE.value: 9, P.HOME_MANAGER.value: 10, P.HOST_MANAGER.value: 12}  # evaluations


def before_end(secondment: Secondment, back: ReturnStory | None, last_day: dt.date,
               accounts: dict[int, User]) -> list[Step]:
    """The steps of the return taken while the secondment runs, each with its time."""
    if back is None:
        return []
    due_on, days = returns.plan_due_on(secondment), dt.timedelta
    steps = []
    if back.wishes:
        steps.append((at(due_on - days(days=7), 18), _wishes))
    if back.outcome:
        steps.append((at(due_on, 14), _plan))
    if back.skills:
        steps.append((at(last_day - days(days=7), 15), _propose_skills))
    return [(when, partial(step, secondment, back, accounts, when)) for when, step in steps]


def after_end(secondment: Secondment, back: ReturnStory | None, last_day: dt.date,
              accounts: dict[int, User]) -> list[Step]:
    """The steps of the return taken once the secondee is back, each with its time."""
    if back is None:
        return []
    days = dt.timedelta
    steps: list[tuple[dt.datetime, Callable]] = []
    if back.skills:
        steps.append((at(last_day + days(days=2), 10), _confirm_skills))
    if back.review:
        steps.append((at(last_day + days(days=5), 15), _review))
    if back.note:
        steps.append((at(last_day + days(days=8), 12), _note))
    for party, ratings, words in back.evaluations:
        steps.append((at(last_day + days(days=DAYS_AFTER_THE_END[party]), 9),
                      partial(_evaluate, party=party, ratings=ratings, words=words)))
    return [(when, partial(step, secondment, back, accounts, when)) for when, step in steps]


def _wishes(secondment: Secondment, back: ReturnStory, accounts: dict[int, User], when: dt.datetime) -> None:
    with dated(secondment, when):
        plan = returns.record_wishes(secondment, actor=account_of(secondment, P.EMPLOYEE, accounts), text=back.wishes)
        plan.secondee_wishes_at = when


def _plan(secondment: Secondment, back: ReturnStory, accounts: dict[int, User], when: dt.datetime) -> None:
    with dated(secondment, when):
        returns.record_plan(secondment, actor=account_of(secondment, P.HOME_MANAGER, accounts), outcome=back.outcome,
                            equivalent_role=back.equivalent_role, notes=back.plan_notes)
        returns.plan_of(secondment).recorded_at = when


def _propose_skills(secondment: Secondment, back: ReturnStory, accounts: dict[int, User], when: dt.datetime) -> None:
    skills = [(catalogue.skill_by_label(label), level) for label, level in back.skills]
    with dated(secondment, when):
        gains = skills_gained.propose(secondment, actor=account_of(secondment, P.HOST_MANAGER, accounts),
                                      skills=skills)
        for gain in gains:
            gain.proposed_at = when


def _confirm_skills(secondment: Secondment, back: ReturnStory, accounts: dict[int, User], when: dt.datetime) -> None:
    with dated(secondment, when):
        for gain in skills_gained.confirm(secondment, actor=account_of(secondment, P.HOST_MANAGER, accounts)):
            gain.confirmed_at = when


def _review(secondment: Secondment, back: ReturnStory, accounts: dict[int, User], when: dt.datetime) -> None:
    how_it_went, conversation, next_steps = back.review
    with dated(secondment, when):
        review = returns.record_review(
            secondment, actor=account_of(secondment, P.HOME_MANAGER, accounts), held_on=when.date(),
            how_it_went=how_it_went, role_returned_to=returns.suggested_role(secondment),
            development_conversation=conversation, next_steps=next_steps,
        )
        review.recorded_at = when


def _note(secondment: Secondment, back: ReturnStory, accounts: dict[int, User], when: dt.datetime) -> None:
    with dated(secondment, when):
        note = return_feedback.write_note(secondment, actor=account_of(secondment, P.EMPLOYEE, accounts),
                                          text=back.note)
        note.written_at = note.updated_at = when


def _evaluate(secondment: Secondment, back: ReturnStory, accounts: dict[int, User], when: dt.datetime, *,
              party: str, ratings: tuple[int, ...], words: str) -> None:
    with dated(secondment, when):
        evaluation = return_feedback.evaluate(
            secondment, actor=account_of(secondment, party, accounts),
            ratings={question.value: rating for question, rating in zip(EvaluationQuestion, ratings, strict=True)},
            comments=words,
        )
        evaluation.submitted_at = when
