"""The fair-selection audit trail: record decisions in a hash chain, sign checkpoints, verify it all."""

from marketplace.services.audit.log import init_app, record, record_ranking_shown, reference
from marketplace.services.audit.signing import checkpoint
from marketplace.services.audit.verify import Verification, verify

__all__ = ["Verification", "checkpoint", "init_app", "record", "record_ranking_shown", "reference", "verify"]
