"""The secondment agreement: numbered versions of its terms, and the three signatures each version needs.

Version 1 is drafted from the accepted offer; every amendment (an extension, changed terms) is a
new version, so what each party signed stays readable as it was. The terms are one JSON document
whose fields, labels and rules live in services/agreement_terms.py.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models.enums import AgreementStatus, SecondmentParty, check_in
from marketplace.models.secondment import Secondment

SIGNED_STATUSES = (AgreementStatus.SIGNED.value, AgreementStatus.SUPERSEDED.value)
# the three people who sign; the talent team writes and reads but does not sign
SIGNERS = (SecondmentParty.EMPLOYEE, SecondmentParty.HOME_MANAGER, SecondmentParty.HOST_MANAGER)


class SecondmentAgreement(db.Model):
    """One version of a secondment's agreement: a draft, the signed terms in force, or an earlier one."""

    __tablename__ = "secondment_agreements"
    __table_args__ = (
        sa.UniqueConstraint("secondment_id", "version"),
        sa.CheckConstraint(check_in("status", AgreementStatus), name="status"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint(
            f"(status IN ({', '.join(repr(s) for s in SIGNED_STATUSES)})) = (signed_at IS NOT NULL)",
            name="signed_has_date",
        ),
        # one version at a time is open for signing, so two amendments never race each other
        sa.Index(
            "uq_secondment_agreements_one_draft", "secondment_id", unique=True,
            sqlite_where=sa.text("status = 'draft'"), postgresql_where=sa.text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the unique (secondment_id, version) constraint is the index by secondment
    secondment_id: Mapped[int] = mapped_column(sa.ForeignKey("secondments.id", ondelete="CASCADE"))
    version: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default=AgreementStatus.DRAFT.value)
    terms: Mapped[dict] = mapped_column(sa.JSON)
    # bumped by every edit: a signature is for the revision its signer read
    revision: Mapped[int] = mapped_column(default=1)
    change_note: Mapped[str] = mapped_column(sa.Text, default="")  # an amendment: what changes, and why
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[dt.datetime | None]  # when the last of the three signed
    acting_up_opportunity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opportunities.id"))

    secondment: Mapped[Secondment] = relationship()
    created_by = relationship("User")
    acting_up_opportunity = relationship("Opportunity")
    signatures: Mapped[list[AgreementSignature]] = relationship(
        back_populates="agreement", order_by="AgreementSignature.signed_at", cascade="all, delete-orphan"
    )

    @property
    def is_amendment(self) -> bool:
        return self.version > 1

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT.value

    def signature_of(self, party: SecondmentParty) -> AgreementSignature | None:
        return next((s for s in self.signatures if s.party == party.value), None)


class AgreementSignature(db.Model):
    """One party's signature on one version, with the digest of the words they signed."""

    __tablename__ = "agreement_signatures"
    __table_args__ = (
        sa.CheckConstraint(
            "party IN (" + ", ".join(f"'{p.value}'" for p in SIGNERS) + ")", name="party"
        ),
    )

    # one signature per party per version: two clicks, or two tabs, cannot sign twice
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("secondment_agreements.id", ondelete="CASCADE"), primary_key=True
    )
    party: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(sa.String(200))  # as it stood when they signed
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    terms_sha256: Mapped[str] = mapped_column(sa.String(64))

    agreement: Mapped[SecondmentAgreement] = relationship(back_populates="signatures")
    signed_by = relationship("User")
