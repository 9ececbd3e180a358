"""`ask()`: the one entry point for the app, the evaluation, the CLI and the tests.

question, history, facts, language -> clean input -> language (or: unsupported, then English +
German) -> follow-up rewrite -> hybrid retrieval -> scope decision -> compose (+ the LLM's direct
answer, validated) -> eligibility gate -> shape (assistant/direct.py) -> Answer.

The shape of every answer: "direct" (checker verdict with key dates, else a reviewed knowledge
entry, else the closest statute sentence), "why" (verbatim Sätze + "translation"), "todo",
"warning" (notes on the lead's provisions only), the notice, a "more" marker, then the composed
answer (full paragraphs, related provisions, guides).

Privacy: nothing the user types is logged or written anywhere (no logging calls touch the
question, history or facts). A `Pipeline` (index, BM25, embedder) is built once per index
location and shared by all threads; it is read-only after construction.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from assistant import glossary
from assistant.compose import ComposeRequest, compose
from assistant.direct import DirectAnswerer, lead_provisions
from assistant.gate import gate_blocks
from assistant.i18n import t
from assistant.language import detect_language, detect_unsupported, unsupported_name
from assistant.retrieve import HybridEngine, RetrievalResult
from assistant.rewrite import rewrite
from assistant.scope import Scope
from assistant.types import Answer, Block
from assistant.user_input import MAX_QUESTION_CHARS, clean_input, is_blank
from assistant.verdicts import CaseVerdicts
from core.citations import provision_of
from core.settings import Settings, get_settings
from rules import PROVISION_RULE_IDS
from rules.aufenthg_104c import CURRENT_TEXT_FROM

# One short query is embedded per question: intra-op threads only add contention. On the 2-core box
# shared with other jobs, 1 thread gave 80 ms per query embedding against ~1 s with 2 threads (and
# concurrent askers are served by Python threads anyway). Process-wide, set when a Pipeline loads.
QUERY_TORCH_THREADS = 1
# The part shown before "more" aims at a median of at most 1,200 characters (issue 11); proof
# sentences beyond the first move behind "more" when an answer would be longer.
SHOWN_BUDGET = 1200
LLM_EVIDENCE_SENTENCES = 6  # statute sentences the chat model may write its direct answer from
# "can I get / am I eligible / kann ich ... bekommen" etc.: the checker's view is wanted
_ELIGIBILITY = re.compile(
    r"eligib|qualif|entitled|can i get|could i get|can he get|can she get|can we get|do i get|am i allowed|"
    r"can i apply|kann ich .{0,40}(bekommen|beantragen|erhalten)|habe ich (einen )?anspruch|bin ich berechtigt|"
    r"steht mir|geht .{0,20}schon|mir zu|"
    r"هل يحق|هل يمكنني الحصول|هل أستطيع|آیا می‌توانم|آیا میتوانم|واجد شرایط|"
    r"чи можу я|чи маю я право|могу ли я|имею ли я право|"
    r"alabilir miyim|başvurabilir miyim|hakkım var mı|isteyebilir miyim",
    re.IGNORECASE,
)


@dataclass
class _Input:
    """The question as the pipeline uses it, after cleaning."""

    text: str
    truncated: bool
    lang: str
    unsupported: str | None  # an unsupported language the question is in (then lang is "en")
    facts: dict | None
    facts_error: str
    history: list[dict]


@dataclass
class _Stopwatch:
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = round((time.perf_counter() - start) * 1000, 2)


class Pipeline:
    """Loaded once: the index, the BM25 models and the embedder."""

    def __init__(self, settings: Settings):
        from index.embedder import get_embedder
        from index.store import open_index

        self.settings = settings
        try:
            import torch

            torch.set_num_threads(QUERY_TORCH_THREADS)
        except ImportError:  # pragma: no cover - a non-torch embedder
            pass
        self.index = open_index(settings)
        self.embedder = get_embedder(settings)
        self.engine = HybridEngine(settings, self.index, self.embedder)
        self.scope = Scope(settings, self.embedder, self.index)
        # the knowledge base and sentence lookup, from this index view (no second index or model load)
        self.direct = DirectAnswerer(self.view, self.embedder, cache_dir=settings.cache_dir,
                                     reviewed_only=settings.knowledge_reviewed_only)
        # warm everything a first question would otherwise pay for
        self.embedder.embed_queries(["warm-up"])
        detect_language("Wie lange gilt eine Duldung?")
        self.engine.retrieve("Duldung", "de")

    @property
    def view(self):
        return self.engine.view

    # ------------------------------------------------------------------------------------
    def ask(
        self,
        question: Any,
        history: list[dict] | None = None,
        facts: dict | None = None,
        language: str | None = None,
        chat_model: Any = None,
    ) -> Answer:
        """See `ask()`. `chat_model` (a langchain chat model) overrides settings.answer_backend."""
        clock = _Stopwatch()
        with clock.stage("input"):
            given = _read_input(question, history, facts, language)
        lang = given.lang
        if not given.text:
            reason = "empty" if is_blank(question) else "unreadable"  # emoji only, "12345", bytes
            blocks = [Block(kind="refusal", text=t(lang, reason), language=lang), _notice(lang)]
            return Answer(question="", language=lang, could_not_answer=True, blocks=blocks, timings_ms=clock.timings)

        with clock.stage("rewrite"):
            reading = glossary.read(given.text)  # concepts and references of the question, read once
            rewritten = rewrite(given.text, given.history, reading)
        with clock.stage("retrieve"):
            as_of_past = _asks_about_old_104c(given.facts)
            result = self.engine.retrieve(rewritten.query, lang, carried=rewritten.carried_citations, as_of_past=as_of_past, reading=reading)
        with clock.stage("scope"):
            refuse = self.scope.should_refuse(result, rewritten.query, lang)

        answer = Answer(
            question=given.text, language=lang, search_query=result.query, retrieved=result.provisions,
            backend=self.settings.answer_backend, unsupported_language=given.unsupported,
        )
        if refuse:
            answer.could_not_answer = True
            answer.blocks = _refusal_blocks(result, lang)
            answer.timings_ms = clock.timings
            return answer

        eligibility = bool(_ELIGIBILITY.search(rewritten.query)) or bool(given.facts)
        if eligibility:
            promote_checkable(result)
            answer.retrieved = result.provisions
        verdicts = CaseVerdicts(given.facts, lang)
        request = ComposeRequest(
            question=given.text, lang=lang, facts=given.facts, wants_verdict=eligibility,
            as_of=self.settings.as_of or (given.facts or {}).get("as_of"), top_k=self.settings.top_k,
        )
        with clock.stage("compose"):
            blocks, missing = compose(request, result, self.view, verdicts)
        generated: list[Block] = []
        if chat_model is not None or self.settings.answer_backend != "compose":
            with clock.stage("generate"):
                generated = self._generate_direct(given, result, chat_model)
                answer.backend = "custom" if chat_model is not None else self.settings.answer_backend
        main_provisions = [p.provision for p in result.provisions[:3]]
        with clock.stage("gate"):
            checkable = [p for p in main_provisions if p in PROVISION_RULE_IDS]
            gated = gate_blocks(blocks + generated, verdicts, lang, checkable)
        with clock.stage("direct"):
            composed = [b for b in gated.blocks if b.kind != "generated"]
            written = [b.model_copy(update={"kind": "direct"}) for b in gated.blocks if b.kind == "generated"]
            shaped = self._shape(composed, given, result, verdicts, written)
        answer.blocks = [*_input_notices(given), *shaped]
        answer.gate_events = gated.events
        answer.verdicts = verdicts.all
        answer.missing_facts = list(dict.fromkeys(missing + gated.missing_facts))
        answer.timings_ms = clock.timings
        return answer

    def _shape(self, composed: list[Block], given: _Input, result: RetrievalResult, verdicts: CaseVerdicts, written: list[Block] | None = None) -> list[Block]:
        """direct → why → todo → warnings → notice → "more" marker → the composed answer. `written`:
        the chat model's validated, gated direct sentences (optional backends), which replace the
        entry's or the fallback's lead."""
        langs = ["en", "de"] if given.unsupported else [given.lang]
        main = result.provisions[0].provision
        direct: list[Block] = []
        why: list[Block] = []
        todo: list[Block] = []
        verdict = next((v for v in verdicts.all if given.facts and provision_of(v.provision) == main), None)
        if verdict is not None:  # a. the checker on known facts
            direct = self.direct.verdict_blocks(verdict, langs)
        else:  # b. a reviewed knowledge-base entry
            match = self.direct.match_entry(given.text, given.lang, result, as_of=_as_of_date(self.settings, given.facts))
            if match is not None:
                direct, why, todo = self.direct.entry_blocks(match, langs)
        if written:
            direct = [b for b in direct if verdict is not None] + written
        evidence = self.direct.evidence(result) if not why else []
        if not direct and evidence:  # c. the closest sentence of the law, honestly introduced
            direct, why = self.direct.fallback_blocks(evidence, langs)
        elif not why and evidence:
            why = self.direct.why_blocks([e.unit.citation for e in evidence[:1]], langs[0])
        resting_on = lead_provisions(direct + why)
        missing = {t(given.lang, "missing_citation", citation=c) for c in result.missing_citations}
        warnings: list[Block] = []
        more: list[Block] = []
        for block in composed:
            concerns_lead = any(provision_of(c.citation) in resting_on for c in block.citations)
            if block.kind in ("conflict", "temporal") and (concerns_lead or block.text in missing):
                warnings.append(block.model_copy(update={"kind": "warning"}))
            else:
                more.append(block)
        intro = [
            Block(kind="notice", text=t(lang, "unsupported_language", language=unsupported_name(given.unsupported, lang)), language=lang)
            for lang in langs
        ] if given.unsupported else []
        shown = [*intro, *direct, *why, *todo, *warnings, _notice(given.lang)]
        moved = _fit_budget(shown)
        marker = Block(kind="more", text=t(given.lang, "more"), language=given.lang)
        return [*shown, marker, *moved, *more]

    def _generate_direct(self, given: _Input, result: RetrievalResult, chat_model: Any) -> list[Block]:
        """The chat model's direct answer, written only from the evidence sentences and the matching
        entry; validated (citations, quotes, key facts) in assistant.llm, gated by the caller."""
        from assistant.llm import generate_direct, source_chunks

        evidence = self.direct.evidence(result)[:LLM_EVIDENCE_SENTENCES]
        items = [(e.unit.citation, e.unit.text) for e in evidence]
        match = self.direct.match_entry(given.text, given.lang, result, as_of=_as_of_date(self.settings, given.facts))
        if match is not None:
            items += [(s.cite, s.text(given.lang)) for s in match.entry.answer]
            items += [(s.citation, self.direct.statute.resolve(s.citation).text) for s in match.entry.spans if self.direct.statute.resolve(s.citation)]
        chunks = [e.chunk for e in evidence] + source_chunks(result, self.view)
        chunks += [c for cite, _ in items for c in self.view.by_citation.get(_absatz(cite), [])]
        chunks = list({c.chunk_id: c for c in chunks}.values())
        model = chat_model or self._chat_model()
        blocks, _report = generate_direct(given.text, given.lang, items, chunks, model)
        return blocks

    def _chat_model(self) -> Any:
        with _lock:
            if getattr(self, "_model", None) is None:
                from assistant.llm import chat_model

                self._model = chat_model(self.settings)
        return self._model


def _read_input(question: Any, history: list[dict] | None, facts: dict | None, language: str | None) -> _Input:
    text, truncated, history, language, _ = clean_input(question, history, language)  # cut first, then cleaned
    facts = facts if isinstance(facts, dict) else None
    facts_error = _facts_error(facts)
    # an explicit language choice wins; otherwise a question in an unsupported language is answered
    # in English (and German), never in the supported language it happens to resemble
    unsupported = None if language else detect_unsupported(text)
    return _Input(
        text=text,
        truncated=truncated,
        lang="en" if unsupported else detect_language(text, language),
        unsupported=unsupported,
        facts=None if facts_error else facts,  # answer without invalid facts, and say why
        facts_error=facts_error,
        history=[h for h in history or [] if isinstance(h, dict)],
    )


def _input_notices(given: _Input) -> list[Block]:
    """What the answer says first about the input itself: too long, invalid facts."""
    notices: list[Block] = []
    if given.truncated:
        notices.append(Block(kind="notice", text=t(given.lang, "too_long", limit=MAX_QUESTION_CHARS), language=given.lang))
    if given.facts_error:
        notices.append(Block(kind="notice", text=t(given.lang, "facts_invalid", error=given.facts_error), language=given.lang))
    return notices


def _refusal_blocks(result: RetrievalResult, lang: str) -> list[Block]:
    return [
        *[Block(kind="conflict", text=t(lang, "missing_citation", citation=c), language=lang) for c in result.missing_citations],
        Block(kind="refusal", text=t(lang, "refusal") + " " + t(lang, "refusal_counselling"), language=lang),
        _notice(lang),
    ]


def _absatz(citation: str) -> str:
    """'AufenthG § 60b Abs. 5 Satz 2' → 'AufenthG § 60b Abs. 5'."""
    words = citation.split()
    return " ".join(words[:5]) if len(words) >= 5 and words[3] == "Abs." else " ".join(words[:3])


def _fit_budget(shown: list[Block]) -> list[Block]:
    """Moves proof blocks behind "more" (last first, always keeping the first "why") while the shown
    part is longer than SHOWN_BUDGET; returns the moved blocks in their order."""
    moved: list[Block] = []
    while len("\n\n".join(b.text for b in shown)) > SHOWN_BUDGET:
        proof = [i for i, b in enumerate(shown) if b.kind in ("why", "translation")]
        if len(proof) <= 1:
            break
        moved.insert(0, shown.pop(proof[-1]))
    return moved


def _as_of_date(settings: Settings, facts: dict | None):
    import datetime as dt

    raw = settings.as_of or (facts or {}).get("as_of")
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _asks_about_old_104c(facts: dict | None) -> bool:
    """Case facts dated before the current § 104c text: its old text is the one that applied."""
    return bool(facts and str(facts.get("as_of", "9999")) < CURRENT_TEXT_FROM.isoformat())


def _facts_error(facts: dict | None) -> str:
    """'' when the case facts are valid (or absent), else the checker's message naming the bad field."""
    if not facts:
        return ""
    from rules import FactsError, parse_facts

    try:
        parse_facts(facts)
    except FactsError as err:
        return str(err)
    return ""


def promote_checkable(result: RetrievalResult) -> None:
    """An eligibility question is about a provision the checker knows: when the best-ranked one sits
    in the top three behind a provision without rules (often a status the user merely mentioned,
    "I have a § 24 permit"), it leads the answer."""
    top = result.provisions[:3]
    if not top or top[0].provision in PROVISION_RULE_IDS:
        return
    for index, prov in enumerate(top[1:], 1):
        if prov.provision in PROVISION_RULE_IDS:
            result.provisions.insert(0, result.provisions.pop(index))
            return


def _notice(lang: str) -> Block:
    return Block(kind="notice", text=t(lang, "notice"), language=lang)


_pipelines: dict[tuple, Pipeline] = {}
_lock = threading.Lock()


def _key(settings: Settings) -> tuple:
    return (str(settings.resolved_index_dir), settings.chroma_host, settings.collection_name, settings.embedding_model)


def get_pipeline(settings: Settings | None = None) -> Pipeline:
    settings = settings or get_settings()
    key = _key(settings)
    pipeline = _pipelines.get(key)
    if pipeline is None:
        with _lock:
            pipeline = _pipelines.get(key)
            if pipeline is None:
                pipeline = Pipeline(settings)
                _pipelines[key] = pipeline
    return pipeline


def ask(
    question: str,
    history: list[dict] | None = None,
    facts: dict | None = None,
    language: str | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer a question from the indexed sources (see module docstring)."""
    return get_pipeline(settings).ask(question, history=history, facts=facts, language=language)
