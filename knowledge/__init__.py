"""The answer knowledge base: reviewed explanations as data (`entries/*.toml`), checked against
the statute at sentence level, pinned to the statute wording, served only while the pins match.

See knowledge/README.md. `ingest` / `assistant` are imported only in `knowledge/statute_source.py`.
"""

from knowledge.checks import check_entries
from knowledge.loader import DATA_DIR, load_entries
from knowledge.matcher import DEFAULT_THRESHOLD, KnowledgeBase, Match, match_entries
from knowledge.models import LANGUAGES, Entry
from knowledge.problems import KnowledgeLoadError, Problem
from knowledge.sentences import absatz_units, normalize, split_sentences
from knowledge.service import EntryStatus, KnowledgeSettings, review_needed, service_status
from core.citations import canonical_citation, provision_of
from knowledge.statute import StatuteLookup

__all__ = [
    "DATA_DIR", "DEFAULT_THRESHOLD", "LANGUAGES", "Entry", "EntryStatus", "KnowledgeBase", "KnowledgeLoadError",
    "KnowledgeSettings", "Match", "Problem", "StatuteLookup", "absatz_units", "canonical_citation", "check_entries",
    "load_entries", "match_entries", "normalize", "provision_of", "review_needed", "service_status", "split_sentences",
]
