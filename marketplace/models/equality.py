"""Voluntary equality monitoring answers, kept apart from everything matching reads.

Nothing in ``matching/`` or ``marketplace/services/matching.py`` may import this module or
query its table (a test scans their sources), and ``Employee`` has no relationship to it, so
loading a profile can never load these answers. Only ``marketplace.services.equality`` reads them.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.enums import add_labels
from marketplace.models.enums import StrEnum, check_in

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Sex(StrEnum):
    """LL144 reports female and male; a third answer exists so nobody has to misdescribe themselves."""

    FEMALE = "female"
    MALE = "male"
    ANOTHER = "another"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class RaceEthnicity(StrEnum):
    """The EEO-1 categories that NYC Local Law 144 bias audits report on."""

    HISPANIC_LATINO = "hispanic_latino"
    WHITE = "white"
    BLACK = "black"
    PACIFIC_ISLANDER = "pacific_islander"
    ASIAN = "asian"
    NATIVE_AMERICAN = "native_american"
    TWO_OR_MORE = "two_or_more"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class AgeBand(StrEnum):
    """Bands rather than a birth date (less to hold); 40 is where the ADEA's protection starts."""

    UNDER_25 = "under_25"
    FROM_25_TO_39 = "25_39"
    FROM_40_TO_54 = "40_54"
    FROM_55 = "55_plus"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class Disability(StrEnum):
    YES = "yes"
    NO = "no"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


LABELS = {
    Sex.ANOTHER: "Non-binary or another term",
    RaceEthnicity.HISPANIC_LATINO: "Hispanic or Latino",
    RaceEthnicity.BLACK: "Black or African American",
    RaceEthnicity.PACIFIC_ISLANDER: "Native Hawaiian or Other Pacific Islander",
    RaceEthnicity.NATIVE_AMERICAN: "Native American or Alaska Native",
    RaceEthnicity.TWO_OR_MORE: "Two or More Races",
    AgeBand.UNDER_25: "Under 25",
    AgeBand.FROM_25_TO_39: "25 to 39",
    AgeBand.FROM_40_TO_54: "40 to 54",
    AgeBand.FROM_55: "55 or over",
    Disability.YES: "Yes, I have a disability",
    Disability.NO: "No",
}
add_labels(LABELS)  # StrEnum.label looks labels up there

# Question -> its answers, in the order forms and reports list them.
QUESTIONS: dict[str, type[StrEnum]] = {
    "sex": Sex,
    "race_ethnicity": RaceEthnicity,
    "age_band": AgeBand,
    "disability": Disability,
}


class DemographicSelfId(db.Model):
    """One employee's voluntary answers; NULL means not answered, ``prefer_not_to_say`` is an answer."""

    __tablename__ = "demographic_self_id"
    __table_args__ = tuple(
        sa.CheckConstraint(f"{name} IS NULL OR {check_in(name, enum_cls)}", name=f"{name}_valid")
        for name, enum_cls in QUESTIONS.items()
    )

    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True)
    sex: Mapped[str | None] = mapped_column(sa.String(20))
    race_ethnicity: Mapped[str | None] = mapped_column(sa.String(20))
    age_band: Mapped[str | None] = mapped_column(sa.String(20))
    disability: Mapped[str | None] = mapped_column(sa.String(20))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
