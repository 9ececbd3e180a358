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
from assistant.validate import make_citation, normalise_text, quote_in_text
from ingest.chunk import Chunk
from rules.verdict import RuleVerdict

CONFLICTS_PATH = Path(__file__).resolve().parent / "conflicts.toml"
MAIN_QUOTES = 3  # distinct Absätze quoted for the main provision (each chunk at most MAIN_QUOTE_CHARS)
BEST_ABSATZ_CHUNKS = 2  # chunks quoted of the best Absatz when it is split into several
MAIN_QUOTE_CHARS = 1200
RELATED_QUOTE_CHARS = 320
TRANSLATION_CHARS = 900
RELATED_ABSAETZE = 2  # Absätze shown for each of the RELATED_WITH_TWO best related provisions
RELATED_WITH_TWO = 2

# provision -> rule ids whose conditions describe it (the first is listed as "what it requires")
PROVISION_RULE_IDS: dict[str, list[str]] = {
    "AufenthG § 12a": ["aufenthg_12a_bound", "aufenthg_12a_lift"],
    "AufenthG § 23a": ["aufenthg_23a"],
    "AufenthG § 25a": ["aufenthg_25a"],
    "AufenthG § 25b": ["aufenthg_25b"],
    "AufenthG § 60c": ["aufenthg_60c"],
    "AufenthG § 60d": ["aufenthg_60d"],
    "AufenthG § 104a": ["aufenthg_104a"],
    "AufenthG § 104c": ["aufenthg_104c"],
}
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
                if any(m.split(" Abs.")[0] == note.provision for m in chunk.mentions) and any(trig in chunk.text.lower() for trig in note.triggers):
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
    ids = list(PROVISION_RULE_IDS.get(provision, []))
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


def compose(
    question: str,
    lang: str,
    result: RetrievalResult,
    view: Any,
    facts: dict[str, Any] | None,
    eligibility: bool,
    as_of: str | None,
    top_k: int,
) -> tuple[list[Block], list[RuleVerdict], list[str]]:
    """Blocks of the answer (without the notice), checker verdicts, missing fact names."""
    from rules import check

    blocks: list[Block] = []
    verdicts: list[RuleVerdict] = []
    missing: list[str] = []
    main = result.provisions[0]
    title = view.titles(main.provision)
    rule_ids = rule_ids_for(main.provision, question)
    blocks.append(Block(kind="lead", text=t(lang, "lead" if rule_ids else "lead_no_rule", provision=main.provision, title=title), language=lang))
    rule_provision = main.provision
    if not rule_ids and (eligibility or facts):
        # the checker's view is wanted: use the best-ranked provision it knows among the top three
        for prov in result.provisions[1:3]:
            if rule_ids_for(prov.provision, question):
                rule_provision, rule_ids = prov.provision, rule_ids_for(prov.provision, question)
                break

    for cite in result.missing_citations:
        blocks.append(Block(kind="conflict", text=t(lang, "missing_citation", citation=cite), language=lang))

    # eligibility: the checker's verdict on the facts known so far, or what it still needs
    if rule_ids and (eligibility or facts):
        try:
            verdict = check(rule_ids[0], facts or {}, lang=lang)
        except Exception:  # noqa: BLE001 - bad facts: answer without a verdict
            verdict = None
        if verdict is not None:
            verdicts.append(verdict)
            if facts:
                blocks.append(verdict_block(verdict, lang, view))
            if verdict.verdict == "needs_info":
                block, missing = missing_facts_block(rule_ids[0], facts, lang)
                if block is not None:
                    if not facts:
                        blocks.append(Block(kind="lead", text=t(lang, "eligibility_question"), language=lang))
                    blocks.append(block)
    if rule_ids and not (facts and verdicts):
        block = conditions_block(rule_ids[0], rule_provision, lang, view, as_of)
        if block is not None:
            blocks.append(block)

    cited = [p.provision for p in result.provisions[:top_k]]
    # temporal notes and known guide conflicts for the provisions the answer cites
    # notes for the main provision and for provisions the user named (not for every related one)
    noted = [main.provision] + [c.split(" Abs.")[0] for c in result.explicit if c.split(" Abs.")[0] in cited]
    relevant_guides = [g for g in result.guide_hits[:6] if any(m.split(" Abs.")[0] in noted for m in g.mentions)]
    # a guide that contradicts the statute anywhere, or cites a provision that does not exist, is never endorsed
    unreliable: set[str] = set(view.unreliable_guides) | conflicting_guides(view)
    q = question.lower()
    for note in notes():
        # a temporal note (closed scheme, no new applicants) goes with every provision the answer
        # cites, so a closed scheme is never shown as open; conflict notes with the main/named ones
        if note.provision not in (cited if note.kind == "temporal" else noted):
            continue
        if note.kind == "conflict":
            in_question = any(trig in q for trig in note.triggers)
            from_guides = [g for g in relevant_guides if any(trig in g.text.lower() for trig in note.triggers)]
            if not (in_question or from_guides):
                continue
            unreliable.update(g.source_id for g in from_guides)
        block = _note_block(note, lang, view)
        if block is not None:
            blocks.append(block)

    # guides that cite provisions that do not exist: flagged where they bear on this answer
    flagged: set[str] = set()
    for guide in result.guide_hits[:3]:
        relevant = main.provision in [m.split(" Abs.")[0] for m in guide.mentions] or any(inv in result.missing_citations for inv in guide.invalid_mentions)
        for invalid in guide.invalid_mentions:
            if relevant and invalid not in flagged:
                flagged.add(invalid)
                blocks.append(Block(kind="conflict", text=t(lang, "guide_invalid", source=guide.source_title, citation=invalid), language=lang))

    # binding text of the main provision
    ranked = [view.by_id[cid] for cid in main.chunk_ids]
    # the best Absatz (its first two chunks when it is long), then the next best Absätze
    best = [c for c in ranked if c.citation == ranked[0].citation][:BEST_ABSATZ_CHUNKS]
    main_chunks = best + distinct_absaetze([c for c in ranked if c.citation != ranked[0].citation], MAIN_QUOTES - 1)
    for chunk in main_chunks:
        blocks.append(_quote_block(chunk, lang, MAIN_QUOTE_CHARS if len(chunk.text) > MAIN_QUOTE_CHARS else None))
    if lang != "de":
        for chunk in main_chunks[:1]:
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

    # historical text only when the question is about an earlier time
    if result.temporal:
        for chunk in result.historical[:1]:
            blocks.append(
                Block(
                    kind="temporal",
                    text=f"{t(lang, 'historical', date=chunk.valid_until or '?')}\n„{excerpt(chunk.text, RELATED_QUOTE_CHARS)}“",
                    citations=[make_citation(chunk, excerpt(chunk.text, RELATED_QUOTE_CHARS))],
                    language="de",
                )
            )

    # a guide sentence that agrees with the statute (never one from a guide with invalid citations)
    reference = " ".join(tr.text for c in main_chunks for tr in view.translation_by_citation.get(c.citation, []))
    for guide in result.guide_hits[:5]:
        if guide.source_id in unreliable or guide.invalid_mentions or main.provision not in [m.split(" Abs.")[0] for m in guide.mentions]:
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", guide.text):
            if 40 <= len(sentence) <= 300 and _guide_agrees(sentence, reference):
                blocks.append(Block(kind="guide", text=f"{t(lang, 'guide', source=guide.source_title)}\n\"{sentence.strip()}\"", citations=[make_citation(guide, sentence.strip())], language=guide.language))
                break
        else:
            continue
        break

    # related provisions: short verbatim excerpts
    related = result.provisions[1:top_k]
    if related:
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
        blocks.append(Block(kind="quote", text="\n".join(lines), citations=cits, language="de"))
    return blocks, verdicts, missing
