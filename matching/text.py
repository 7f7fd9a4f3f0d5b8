"""Small text utilities: normalising labels, splitting prose into sentences, tokenising."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#.]*")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in into is it its me my of on or our so that the their "
    "this to was we were with you your also can will able use using used work working".split()
)


_ASPIRATION = re.compile(
    r"\b(would (?:like|love) to|want(?:s)? to|hope to|keen to|eager to|aspire|aim to|plan to|"
    r"looking to|interested in (?:learning|developing)|to learn|my goal)\b",
    re.IGNORECASE,
)


def is_aspiration(sentence: str) -> bool:
    """True for a sentence about what someone wants to do ("I would like to learn X"), not what they did."""
    return bool(_ASPIRATION.search(sentence))


@lru_cache(maxsize=100_000)
def normalise(text: str) -> str:
    """Lower-case, single-spaced form used to compare labels exactly."""
    return _SPACES.sub(" ", text).strip().casefold()


def sentences(text: str, *, min_chars: int = 12, max_chars: int = 400) -> list[str]:
    """Split prose into sentences worth matching; over-long ones are cut at ``max_chars``."""
    out = []
    for piece in _SENTENCE_END.split(text or ""):
        piece = piece.strip(" -•*\t")
        if len(piece) >= min_chars:
            out.append(piece[:max_chars])
    return out


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball (Porter 2) stem, so that 'managed', 'manager' and 'managing' meet."""
    return _STEMMER.stemWord(token)


@lru_cache(maxsize=100_000)
def token_set(text: str) -> frozenset[str]:
    """The distinct stemmed content words of ``text`` (cached: the same texts recur in a ranking)."""
    return frozenset(_tokens(text))


def words(text: str) -> list[str]:
    """Unstemmed words of ``text`` without stopwords (scikit-learn's English list and ours), in order.

    Whole-profile BM25 uses these: on the ESCO evaluation, stemming merges words that tell
    occupations apart ("developer" / "development"), and the longer stopword list drops
    filler that only adds noise to document lengths.
    """
    stop = _english_stopwords()
    return [w for t in _TOKEN.findall(text.casefold()) if (w := t.rstrip(".")) and w not in stop]


@lru_cache(maxsize=1)
def _english_stopwords() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # deferred: only BM25 needs it

    return frozenset(ENGLISH_STOP_WORDS) | STOPWORDS


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(stem(t.rstrip(".")) for t in _TOKEN.findall(text.casefold()) if t not in STOPWORDS)
