"""Gold-citation matching and ranking measures, following FORMAT.md.

A cited ``AufenthG § 25b Abs. 1 Satz 2 Nr. 4`` counts for the gold ``AufenthG § 25b Abs. 1`` and
``AufenthG § 25b``. At *provision level* only law and § are compared; at *Absatz level* a gold
that names an Absatz needs that Absatz. ``gold_mode`` "any" needs one gold, "all" every gold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_CANON = re.compile(r"^(?P<law>AufenthG|AufenthV)\s*§\s*(?P<sec>\d+[a-z]?)(?:\s+Abs\.\s*(?P<abs>\d+[a-z]?))?(?:\s.*)?$")


@dataclass(frozen=True)
class Ref:
    law: str
    section: str
    absatz: str | None

    @property
    def provision(self) -> str:
        return f"{self.law} § {self.section}"


def parse(citation: str) -> Ref | None:
    """Canonical citation -> Ref; None for anything else (guides, other laws)."""
    m = _CANON.match((citation or "").strip())
    if not m:
        return None
    return Ref(m.group("law"), m.group("sec"), m.group("abs"))


def covers(cited: str, gold: str, level: str = "absatz") -> bool:
    """Does the cited citation count for the gold one?"""
    c, g = parse(cited), parse(gold)
    if c is None or g is None or (c.law, c.section) != (g.law, g.section):
        return False
    if level == "provision" or g.absatz is None:
        return True
    return c.absatz == g.absatz


def meets_gold(cited: Iterable[str], gold: Sequence[str], mode: str = "any", level: str = "absatz") -> bool:
    cited = list(cited)
    found = [any(covers(c, g, level) for c in cited) for g in gold]
    if not gold:
        return False
    return all(found) if mode == "all" else any(found)


def first_rank(ranking: Sequence[str], gold: Sequence[str], mode: str = "any", level: str = "absatz") -> int | None:
    """1-based rank at which the gold is met (for 'all': when the last gold is covered)."""
    if not gold:
        return None
    ranks = []
    for g in gold:
        r = next((i for i, c in enumerate(ranking, 1) if covers(c, g, level)), None)
        ranks.append(r)
    if mode == "all":
        return None if any(r is None for r in ranks) else max(ranks)
    hits = [r for r in ranks if r is not None]
    return min(hits) if hits else None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def fold(text: str) -> str:
    """Case- and form-insensitive text for substring checks (NFKC, casefold, one space)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = text.replace("\u00ad", "").replace("\u200c", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", text)


def include_groups_met(text: str, groups: Sequence[Sequence[str]]) -> list[bool]:
    folded = fold(text)
    return [any(fold(alt) in folded for alt in group) for group in groups]


def forbidden_found(text: str, forbidden: Sequence[str]) -> list[str]:
    folded = fold(text)
    return [f for f in forbidden if fold(f) in folded]


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); 0.0 for no values."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return 0.0
    pos = (len(vals) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def refusal_scores(expected: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float | int]:
    tp = sum(1 for e, p in zip(expected, predicted) if e and p)
    fp = sum(1 for e, p in zip(expected, predicted) if p and not e)
    fn = sum(1 for e, p in zip(expected, predicted) if e and not p)
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn}
