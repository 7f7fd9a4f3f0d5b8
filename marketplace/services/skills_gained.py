"""Skills gained on a secondment: the host proposes them with a new level, the secondee sees them, and on the
host's confirmation they flow into the person's profile (raised, never lowered; added when missing) and so
into matching, as a decision about the person on the timeline and in the audit log.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.clock import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.models import Secondment, SecondmentParty, SecondmentStatus, Skill, SkillGain, User
from marketplace.services import embedding, profiles, secondment_records
from marketplace.services.secondments import parties

P = SecondmentParty
# skills are gained while it runs and seen best at the end; nothing before it starts
OPEN = (SecondmentStatus.ACTIVE.value, SecondmentStatus.ENDED.value)
MAX_SKILLS = 20


def gains_of(secondment: Secondment) -> list[SkillGain]:
    """The skills proposed or confirmed for the secondment, by name."""
    return list(db.session.scalars(
        sa.select(SkillGain).join(Skill).where(SkillGain.secondment_id == secondment.id)
        .options(selectinload(SkillGain.skill)).order_by(Skill.name)
    ))


def may_propose(user: User, secondment: Secondment) -> bool:
    """Whether ``user`` hosts the secondment and it has started: only the host proposes and confirms."""
    return secondment.status in OPEN and P.HOST_MANAGER in parties(user, secondment)


def _check_host(actor: User, secondment: Secondment) -> None:
    if P.HOST_MANAGER not in parties(actor, secondment):
        raise DomainError("Only the host manager proposes and confirms the skills gained.", status_code=403)
    if secondment.status not in OPEN:
        raise DomainError("Skills gained are proposed once the secondment has started.", status_code=409)


def propose(secondment: Secondment, *, actor: User, skills: list[tuple[Skill, int]]) -> list[SkillGain]:
    """The host's proposal replaces the skills still awaiting confirmation; tells the secondee; commits."""
    _check_host(actor, secondment)
    if len(skills) > MAX_SKILLS:
        raise DomainError(f"Propose up to {MAX_SKILLS} skills.")
    gains = {gain.skill_id: gain for gain in gains_of(secondment)}
    if not skills and all(gain.confirmed_at is not None for gain in gains.values()):
        raise DomainError("Propose at least one skill, with its level.")
    for skill, level in skills:
        if not 1 <= (level or 0) <= 5:
            raise DomainError(f"Give {skill.name} a level from 1 to 5.")
        confirmed = gains.get(skill.id)
        if confirmed is not None and confirmed.confirmed_at is not None:
            raise DomainError(f"{skill.name} is already confirmed at level {confirmed.level}.")
    wanted = {skill.id for skill, _ in skills}
    for gain in gains.values():
        if gain.confirmed_at is None and gain.skill_id not in wanted:
            db.session.delete(gain)
    for skill, level in skills:
        gain = gains.get(skill.id) or SkillGain(secondment=secondment, skill=skill)
        gain.level, gain.proposed_by_id, gain.proposed_at = level, actor.id, utcnow()
        db.session.add(gain)
    db.session.flush()
    names = ", ".join(f"{skill.name} ({level})" for skill, level in skills)
    secondment_records.record(
        secondment, "skills.proposed", actor=actor, role=P.HOST_MANAGER,
        summary=f"Skills gained proposed by the host: {names}" if names else "The host withdrew the proposed skills",
        detail={"skills": [{"skill": skill.id, "level": level} for skill, level in skills]},
        tell=(P.EMPLOYEE,),
    )
    db.session.commit()
    return gains_of(secondment)


def confirm(secondment: Secondment, *, actor: User) -> list[SkillGain]:
    """The host confirms every proposed skill: each flows into the profile, which is re-embedded; commits."""
    _check_host(actor, secondment)
    pending = [gain for gain in gains_of(secondment) if gain.confirmed_at is None]
    if not pending:
        raise DomainError("There are no proposed skills to confirm; propose some first.", status_code=409)
    person = secondment.employee
    before = profiles.raise_skills(person, [(gain.skill, gain.level) for gain in pending])
    now = utcnow()
    # conditional, so a second tab confirming the same proposal changes nothing twice
    claimed = db.session.execute(
        sa.update(SkillGain)
        .where(SkillGain.id.in_([gain.id for gain in pending]), SkillGain.confirmed_at.is_(None))
        .values(confirmed_at=now, confirmed_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != len(pending):
        db.session.rollback()
        raise DomainError("These skills were confirmed from another window first; reload the page.", status_code=409)
    for gain in pending:
        gain.level_before = before[gain.skill_id]
    changes = [{"skill": gain.skill_id, "from": before[gain.skill_id],
                "to": max(gain.level, before[gain.skill_id] or 0)} for gain in pending]
    secondment_records.record(
        secondment, "skills.confirmed", actor=actor, role=P.HOST_MANAGER,
        summary="Skills gained confirmed and added to the profile: "
                + ", ".join(f"{gain.skill.name} {_change(gain.level, before[gain.skill_id])}" for gain in pending),
        detail={"skills": changes},
        tell=(P.EMPLOYEE, P.HOME_MANAGER),
    )
    db.session.commit()
    if any(change["from"] != change["to"] for change in changes):
        embedding.queue_employee(person.id)
    return gains_of(secondment)


def _change(level: int, before: int | None) -> str:
    if before is None:
        return f"added at {level}"
    if before < level:
        return f"{before} → {level}"
    return f"already at {before}"
