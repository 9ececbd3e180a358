"""The answer knowledge base: reviewed explanations as data (`entries/*.toml`), checked against
the statute at sentence level, pinned to the statute wording, served only while the pins match.

Public API: `load_entries`, `StatuteLookup`, `check_entries`, `service_status`, `review_needed`,
`KnowledgeBase` (+ `.match`), `split_sentences` / `absatz_units` (sentence splitting).
"""
