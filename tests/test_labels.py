"""What people read for each stored value: an enum's label never comes from another enum with the same value."""

from __future__ import annotations

from marketplace.models import AgreementStatus, OpportunityStatus
from marketplace.models.equality import Disability, RaceEthnicity


def test_members_of_two_enums_with_one_value_keep_their_own_labels():
    assert OpportunityStatus.DRAFT == AgreementStatus.DRAFT  # both "draft": equal as strings
    assert OpportunityStatus.DRAFT.label == "Draft"
    assert AgreementStatus.DRAFT.label == "Draft, to sign"


def test_labels_registered_from_another_module_are_read():
    assert RaceEthnicity.HISPANIC_LATINO.label == "Hispanic or Latino"
    assert Disability.YES.label == "Yes, I have a disability"
    assert ("hispanic_latino", "Hispanic or Latino") in RaceEthnicity.choices()
