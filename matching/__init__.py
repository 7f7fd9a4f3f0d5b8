"""Matching: text -> vectors -> scores -> ranked, explained matches.

A leaf library: numpy, scikit-learn, scipy and sentence-transformers, nothing of the app.
"""

from matching.config import STRETCH_LEVELS, MatchingConfig
from matching.encoder import CachedEncoder, HashingEncoder, ModelNotFound, SentenceTransformerEncoder
from matching.profiles import OpportunityProfile, PersonProfile, SkillClaim
from matching.ranking import Matcher, RankedMatch
from matching.scoring import Evidence, GoalLink, MatchScore

__all__ = [
    "STRETCH_LEVELS",
    "CachedEncoder",
    "Evidence",
    "GoalLink",
    "HashingEncoder",
    "MatchScore",
    "Matcher",
    "MatchingConfig",
    "ModelNotFound",
    "OpportunityProfile",
    "PersonProfile",
    "RankedMatch",
    "SentenceTransformerEncoder",
    "SkillClaim",
]
