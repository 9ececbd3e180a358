"""The deterministic answer (default backend, no LLM).

Every sentence shown is one of: a template sentence from assistant/i18n (in the user's language), a
verbatim quote of an indexed chunk (checked with the validator), a rule-checker label or verdict,
or a reviewed note from assistant/conflicts.toml whose backing phrase stands in the statute.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.i18n import t
from assistant.retrieve import RetrievalResult
from assistant.types import Block, Citation
from assistant.validate import make_citation, quote_in_text
from core.text import normalise_text
from core.chunk import Chunk
from core.citations import provision_of
from assistant.verdicts import CaseVerdicts
from rules import PROVISION_RULE_IDS
from rules.verdict import RuleVerdict

CONFLICTS_PATH = Path(__file__).resolve().parent / "conflicts.toml"
MAIN_QUOTES = 3  # distinct Absätze quoted for the main provision (each chunk at most MAIN_QUOTE_CHARS)
BEST_ABSATZ_CHUNKS = 2  # chunks quoted of the best Absatz when it is split into several
MAIN_QUOTE_CHARS = 1200
RELATED_QUOTE_CHARS = 320
TRANSLATION_CHARS = 900
RELATED_ABSAETZE = 2  # Absätze shown for each of the RELATED_WITH_TWO best related provisions
RELATED_WITH_TWO = 2

_LIFT_HINTS = re.compile(r"aufheb|aufgehoben|lift|cancel|kaldır|скасув|отмен|لغو|إلغاء|الغاء|رفع|يسقط", re.IGNORECASE)


@dataclass(frozen=True)
class Note:
    id: str
    kind: str  # conflict | temporal
    provision: str
    backing: str
    phrase: str
    triggers: tuple[str, ...]
    message: dict[str, str]


@lru_cache(maxsize=1)
def notes() -> tuple[Note, ...]:
    data = tomllib.loads(CONFLICTS_PATH.read_text(encoding="utf-8"))
    out = []
    for kind in ("conflict", "temporal"):
        for entry in data.get(kind, []):
            out.append(
                Note(
                    id=entry["id"],
                    kind=kind,
                    provision=entry["provision"],
                    backing=entry["backing"],
                    phrase=entry["phrase"],
                    triggers=tuple(x.lower() for x in entry.get("triggers", [])),
                    message=dict(entry["message"]),
                )
            )
    return tuple(out)


_conflicting: dict[int, frozenset[str]] = {}


def conflicting_guides(view: Any) -> frozenset[str]:
    """Guides (source ids) with a passage on a provision that matches one of its conflict rules'
    triggers: they are never quoted as agreeing with the statute (computed once per corpus view)."""
    key = id(view)
    if key not in _conflicting:
        found: set[str] = set()
        for note in notes():
            if note.kind != "conflict":
                continue
            for chunk in view.guides:
                if any(provision_of(m) == note.provision for m in chunk.mentions) and any(trig in chunk.text.lower() for trig in note.triggers):
                    found.add(chunk.source_id)
        _conflicting[key] = frozenset(found)
    return _conflicting[key]


def distinct_absaetze(chunks: list[Chunk], limit: int) -> list[Chunk]:
    """The first chunk of each Absatz, in ranked order, at most `limit` Absätze (several chunks of
    one long Absatz must not crowd out the next Absatz the question may be about)."""
    out: list[Chunk] = []
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.citation not in seen:
            seen.add(chunk.citation)
            out.append(chunk)
        if len(out) == limit:
            break
    return out


def excerpt(text: str, limit: int) -> str:
    """A verbatim prefix of `text`, cut at a sentence end (or a word) within `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for mark in (". ", "; ", ": "):
        pos = cut.rfind(mark)
        if pos > limit // 3:
            return cut[: pos + 1]
    pos = cut.rfind(" ")
    return cut[: pos if pos > 0 else limit]


def best_excerpt(text: str, query_terms: set[str], stem, limit: int) -> str:
    """The verbatim window of `text` (whole lines/sentences, at most `limit` characters) that shares
    the most word stems with the question; the start of the text when nothing matches better."""
    if len(text) <= limit:
        return text
    pieces = [m for m in re.finditer(r"[^\n]+", text)]
    scored = []
    for i, m in enumerate(pieces):
        words = {stem(w) for w in re.findall(r"[\wäöüß]+", m.group(0).lower())}
        scored.append(len(words & query_terms))
    best = max(range(len(pieces)), key=lambda i: (scored[i], -i)) if pieces else 0
    if not pieces or scored[best] == 0 or best == 0:
        return excerpt(text, limit)
    start = pieces[best].start()
    end = pieces[best].end()
    for m in pieces[best + 1 :]:  # extend forward while it fits
        if m.end() - start > limit:
            break
        end = m.end()
    window = text[start:end]
    return window if len(window) <= limit else excerpt(window, limit)


def rule_ids_for(provision: str, question: str) -> list[str]:
    """The rules that describe `provision`, the one the question is about first (§ 12a: lifting)."""
    ids = list(PROVISION_RULE_IDS.get(provision, ()))
    if provision == "AufenthG § 12a" and _LIFT_HINTS.search(question):
        ids.reverse()
    return ids


def _quote_block(chunk: Chunk, lang: str, limit: int | None = None) -> Block:
    text = chunk.text if limit is None else excerpt(chunk.text, limit)
    cut = "" if text == chunk.text else " …"
    return Block(
        kind="quote",
        text=f"{t(lang, 'quote', citation=chunk.citation)}\n„{text}“{cut}",
        citations=[make_citation(chunk, text)],
        language="de",
    )


def conditions_block(rule_id: str, provision: str, lang: str, view: Any, as_of: str | None) -> Block | None:
    try:
        from rules import conditions
    except ImportError:  # pragma: no cover - rules package missing
        return None
    try:
        conds = conditions(rule_id, lang, as_of=as_of) if as_of else conditions(rule_id, lang)
    except Exception:  # noqa: BLE001 - a checker problem must not break the answer
        return None
    lines: list[str] = []
    cits: list[Citation] = []
    for cond in conds:
        lines.append(f"• {cond.label} ({cond.citation})")
        absatz = " ".join(cond.citation.split()[:5]) if " Abs. " in cond.citation else cond.citation
        for chunk in view.by_citation.get(absatz, [])[:1]:
            if cond.statute_text and quote_in_text(cond.statute_text, chunk.text):
                if all(c.chunk_id != chunk.chunk_id for c in cits):
                    cits.append(make_citation(chunk, cond.statute_text))
    if not lines:
        return None
    return Block(kind="conditions", text=t(lang, "conditions", provision=provision) + "\n" + "\n".join(lines), citations=cits, language=lang)


def verdict_block(verdict: RuleVerdict, lang: str, view: Any) -> Block:
    lines = [t(lang, "verdict", provision=verdict.provision, verdict=t(lang, f"verdict_{verdict.verdict}"))]
    cits: list[Citation] = []
    for cond in verdict.trace:
        if cond.outcome == "not_applicable":
            continue
        outcome = t(lang, f"condition_{cond.outcome}")
        lines.append(f"• {cond.label(lang)}: {outcome} ({cond.citation})" + (f" — {cond.detail}" if cond.detail else ""))
        absatz = " ".join(cond.citation.split()[:5]) if " Abs. " in cond.citation else cond.citation
        for chunk in view.by_citation.get(absatz, [])[:1]:
            if all(c.chunk_id != chunk.chunk_id for c in cits):
                cits.append(make_citation(chunk, cond.statute_text if cond.statute_text else None))
    return Block(kind="verdict", text="\n".join(lines), citations=cits, language=lang)


def missing_facts_block(rule_id: str, facts: dict[str, Any] | None, lang: str, limit: int = 6) -> tuple[Block | None, list[str]]:
    from rules import next_questions

    try:
        questions = next_questions(rule_id, facts or {}, lang=lang)
    except Exception:  # noqa: BLE001
        return None, []
    if not questions:
        return None, []
    lines = [f"• {q.text}" for q in questions[:limit]]
    return Block(kind="missing_facts", text=t(lang, "missing_facts") + "\n" + "\n".join(lines), language=lang), [q.fact for q in questions]


def _note_block(note: Note, lang: str, view: Any) -> Block | None:
    for chunk in view.by_citation.get(note.backing, []):
        if quote_in_text(note.phrase, chunk.text):
            text = note.message.get(lang) or note.message["en"]
            return Block(kind="conflict" if note.kind == "conflict" else "temporal", text=text, citations=[make_citation(chunk, _sentence_with(chunk.text, note.phrase))], language=lang)
    return None


def _sentence_with(text: str, phrase: str) -> str:
    norm_phrase = normalise_text(phrase)
    for sentence in re.split(r"(?<=[.;])\s+", text):
        if norm_phrase in normalise_text(sentence):
            return sentence
    return phrase


def _guide_agrees(sentence: str, reference: str) -> bool:
    """A guide sentence is shown only if it shares enough substance with the statute text."""
    words = {w for w in re.findall(r"[a-zäöüß]{6,}", sentence.lower())}
    ref = set(re.findall(r"[a-zäöüß]{6,}", reference.lower()))
    numbers = set(re.findall(r"\b\d+\b", sentence))
    ref_numbers = set(re.findall(r"\b\d+\b", reference))
    return len(words & ref) >= 6 and numbers <= ref_numbers


@dataclass(frozen=True)
class ComposeRequest:
    """What the composer needs to know about the question besides the retrieval result."""

    question: str
    lang: str
    facts: dict[str, Any] | None
    wants_verdict: bool  # an eligibility question, or case facts were given: the checker's view is wanted
    as_of: str | None  # the date whose statute text the conditions describe (None: today)
    top_k: int  # provisions the answer cites


def compose(request: ComposeRequest, result: RetrievalResult, view: Any, verdicts: CaseVerdicts) -> tuple[list[Block], list[str]]:
    """Blocks of the answer (without the notice) and the names of missing facts. The checker's
    verdicts go into `verdicts`, which the gate shares."""
    main = result.provisions[0]
    rule_ids = rule_ids_for(main.provision, request.question)
    lead = "lead" if rule_ids else "lead_no_rule"
    blocks = [Block(kind="lead", text=t(request.lang, lead, provision=main.provision, title=view.titles(main.provision)), language=request.lang)]
    blocks += [Block(kind="conflict", text=t(request.lang, "missing_citation", citation=cite), language=request.lang) for cite in result.missing_citations]
    checker_blocks, missing = _checker_blocks(request, rule_ids, main.provision, view, verdicts)
    blocks += checker_blocks
    unreliable: set[str] = set(view.unreliable_guides) | conflicting_guides(view)
    blocks += _note_blocks(request, result, view, unreliable)
    blocks += _invalid_guide_blocks(request.lang, result)
    main_chunks = _main_chunks(view, main.chunk_ids)
    blocks += [_quote_block(chunk, request.lang, MAIN_QUOTE_CHARS if len(chunk.text) > MAIN_QUOTE_CHARS else None) for chunk in main_chunks]
    if request.lang != "de":
        blocks += _translation_blocks(request.lang, view, main_chunks[:1])
    if result.temporal:  # historical text only when the question is about an earlier time
        blocks += [_historical_block(request.lang, chunk) for chunk in result.historical[:1]]
    blocks += _agreeing_guide_blocks(request.lang, result, view, main_chunks, unreliable)
    related = result.provisions[1 : request.top_k]
    if related:
        blocks.append(_related_block(request.lang, result, view, related))
    return blocks, missing


def _checker_blocks(request: ComposeRequest, rule_ids: list[str], provision: str, view: Any, verdicts: CaseVerdicts) -> tuple[list[Block], list[str]]:
    """Eligibility: the checker's verdict on the facts known so far, or what it still needs; else
    (or without facts) what the provision requires."""
    if not rule_ids:
        return [], []
    lang, facts = request.lang, request.facts
    blocks: list[Block] = []
    missing: list[str] = []
    verdict = verdicts.of(rule_ids[0]) if request.wants_verdict else None
    if verdict is not None:
        if facts:
            blocks.append(verdict_block(verdict, lang, view))
        if verdict.verdict == "needs_info":
            block, missing = missing_facts_block(rule_ids[0], facts, lang)
            if block is not None:
                if not facts:
                    blocks.append(Block(kind="lead", text=t(lang, "eligibility_question"), language=lang))
                blocks.append(block)
    if not (facts and verdict is not None):
        block = conditions_block(rule_ids[0], provision, lang, view, request.as_of)
        if block is not None:
            blocks.append(block)
    return blocks, missing


def _note_blocks(request: ComposeRequest, result: RetrievalResult, view: Any, unreliable: set[str]) -> list[Block]:
    """Temporal notes and known guide conflicts for the provisions the answer cites. A guide whose
    passage matches a conflict is added to `unreliable` (never quoted as agreeing)."""
    main = result.provisions[0]
    cited = [p.provision for p in result.provisions[: request.top_k]]
    # conflict notes go with the main provision and the provisions the user named (not every related one)
    noted = [main.provision] + [provision_of(c) for c in result.explicit if provision_of(c) in cited]
    relevant_guides = [g for g in result.guide_hits[:6] if any(provision_of(m) in noted for m in g.mentions)]
    question = request.question.lower()
    blocks: list[Block] = []
    for note in notes():
        # a temporal note (closed scheme, no new applicants) goes with every provision the answer
        # cites, so a closed scheme is never shown as open; conflict notes with the main/named ones
        if note.provision not in (cited if note.kind == "temporal" else noted):
            continue
        if note.kind == "conflict":
            in_question = any(trig in question for trig in note.triggers)
            from_guides = [g for g in relevant_guides if any(trig in g.text.lower() for trig in note.triggers)]
            if not (in_question or from_guides):
                continue
            unreliable.update(g.source_id for g in from_guides)
        block = _note_block(note, request.lang, view)
        if block is not None:
            blocks.append(block)
    return blocks


def _invalid_guide_blocks(lang: str, result: RetrievalResult) -> list[Block]:
    """Guides that cite provisions that do not exist: flagged where they bear on this answer."""
    main = result.provisions[0]
    flagged: set[str] = set()
    blocks: list[Block] = []
    for guide in result.guide_hits[:3]:
        relevant = main.provision in [provision_of(m) for m in guide.mentions] or any(inv in result.missing_citations for inv in guide.invalid_mentions)
        for invalid in guide.invalid_mentions:
            if relevant and invalid not in flagged:
                flagged.add(invalid)
                blocks.append(Block(kind="conflict", text=t(lang, "guide_invalid", source=guide.source_title, citation=invalid), language=lang))
    return blocks


def _main_chunks(view: Any, chunk_ids: list[str]) -> list[Chunk]:
    """The binding text of the main provision: the best Absatz (its first two chunks when it is
    long), then the next best Absätze."""
    ranked = [view.by_id[cid] for cid in chunk_ids]
    best = [c for c in ranked if c.citation == ranked[0].citation][:BEST_ABSATZ_CHUNKS]
    return best + distinct_absaetze([c for c in ranked if c.citation != ranked[0].citation], MAIN_QUOTES - 1)


def _translation_blocks(lang: str, view: Any, chunks: list[Chunk]) -> list[Block]:
    blocks: list[Block] = []
    for chunk in chunks:
        for tr in view.translation_by_citation.get(chunk.citation, [])[:1]:
            text = excerpt(tr.text, TRANSLATION_CHARS)
            blocks.append(
                Block(
                    kind="translation",
                    text=f"{t(lang, 'translation', citation=tr.citation)}\n\"{text}\"" + ("" if text == tr.text else " …"),
                    citations=[make_citation(tr, text)],
                    language="en",
                )
            )
    return blocks


def _historical_block(lang: str, chunk: Chunk) -> Block:
    return Block(
        kind="temporal",
        text=f"{t(lang, 'historical', date=chunk.valid_until or '?')}\n„{excerpt(chunk.text, RELATED_QUOTE_CHARS)}“",
        citations=[make_citation(chunk, excerpt(chunk.text, RELATED_QUOTE_CHARS))],
        language="de",
    )


def _agreeing_guide_blocks(lang: str, result: RetrievalResult, view: Any, main_chunks: list[Chunk], unreliable: set[str]) -> list[Block]:
    """At most one guide sentence that agrees with the statute (never one from a guide with invalid
    citations or a known conflict)."""
    main = result.provisions[0]
    reference = " ".join(tr.text for c in main_chunks for tr in view.translation_by_citation.get(c.citation, []))
    for guide in result.guide_hits[:5]:
        if guide.source_id in unreliable or guide.invalid_mentions or main.provision not in [provision_of(m) for m in guide.mentions]:
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", guide.text):
            if 40 <= len(sentence) <= 300 and _guide_agrees(sentence, reference):
                text = f"{t(lang, 'guide', source=guide.source_title)}\n\"{sentence.strip()}\""
                return [Block(kind="guide", text=text, citations=[make_citation(guide, sentence.strip())], language=guide.language)]
    return []


def _related_block(lang: str, result: RetrievalResult, view: Any, related: list[Any]) -> Block:
    """Related provisions: short verbatim excerpts."""
    lines = [t(lang, "related")]
    cits: list[Citation] = []
    stemmer = view.stemmer
    query_terms = set(stemmer.tokens(result.query))
    for position, prov in enumerate(related):
        # the two nearest related provisions show their two best-matching Absätze (both
        # matched the question in some signal): the asked-about Absatz is often the second
        count = RELATED_ABSAETZE if position < RELATED_WITH_TWO else 1
        for chunk in distinct_absaetze([view.by_id[cid] for cid in prov.chunk_ids], count):
            text = best_excerpt(chunk.text, query_terms, stemmer._stem, RELATED_QUOTE_CHARS)
            lead_cut = "" if chunk.text.startswith(text) else "… "
            lines.append(f"• {chunk.citation} ({chunk.title}): {lead_cut}„{text}“" + ("" if chunk.text.endswith(text) else " …"))
            cits.append(make_citation(chunk, text))
    return Block(kind="quote", text="\n".join(lines), citations=cits, language="de")
