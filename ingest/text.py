"""Text helpers shared by ingest, retrieval and benchmarks."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"\w+", re.UNICODE)

# Function words of the two corpus languages; legal words ("nicht", "kein", numbers) are kept.
STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber auch als am an auf aus bei
    bis da dass durch für im in ist sind sein seine seiner seinem seinen sich so um vom von vor wie wird
    werden wurde zu zum zur mit nach über unter es er sie ihm ihr ihre ihren ihrer wenn soweit sowie
    the a an and or of to in on at by for from with as is are be been was were this that these those it
    its which who whom whose under into than then there their they he she his her him
    """.split()
)


def normalise_text(text: str) -> str:
    """NFC, lowercase, unified whitespace (for matching, not for display)."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def tokenize_for_bm25(text: str) -> list[str]:
    """Lowercased word tokens without stopwords; '§ 25b' yields '25b', 'Absatz' stays a token.

    Used for the BM25 index and its queries alike (so both sides see the same tokens)."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFC", text).lower())
    return [t for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]
