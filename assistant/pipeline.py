"""`ask()`: the one entry point for the app, the evaluation, the CLI and the tests.

question, history, facts, language -> clean input -> language -> follow-up rewrite -> hybrid
retrieval -> scope decision -> compose (or LLM + validator) -> eligibility gate -> notice -> Answer.

Privacy: nothing the user types is logged or written anywhere (no logging calls touch the
question, history or facts). A `Pipeline` (index, BM25, embedder) is built once per index
location and shared by all threads; it is read-only after construction.
"""

from __future__ import annotations

import html
import re
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from assistant.calibration import refusal_threshold, stored_margins
from assistant.compose import PROVISION_RULE_IDS, compose
from assistant.gate import gate_blocks
from assistant.i18n import t
from assistant.language import detect_language
from assistant.retrieve import HybridEngine, RetrievalResult
from assistant.rewrite import rewrite
from assistant.settings import Settings, get_settings
from assistant.types import Answer, Block

MAX_QUESTION_CHARS = 4000
# One short query is embedded per question: intra-op threads only add contention. On the 2-core box
# shared with other jobs, 1 thread gave 80 ms per query embedding against ~1 s with 2 threads (and
# concurrent askers are served by Python threads anyway). Process-wide, set when a Pipeline loads.
QUERY_TORCH_THREADS = 1
_TAG = re.compile(r"<[^>]{0,500}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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


def clean_question(raw: Any) -> tuple[str, bool]:
    """(plain text for retrieval, truncated?). HTML tags are stripped, never interpreted."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[ \t]+", " ", text).strip()
    truncated = len(text) > MAX_QUESTION_CHARS
    return (text[:MAX_QUESTION_CHARS], truncated)


class Pipeline:
    """Loaded once: the index, the BM25 models and the embedder."""

    def __init__(self, settings: Settings):
        from ingest.embedding import get_embedder
        from ingest.store import open_index

        self.settings = settings
        try:
            import torch

            torch.set_num_threads(QUERY_TORCH_THREADS)
        except ImportError:  # pragma: no cover - a non-torch embedder
            pass
        self.index = open_index(settings)
        self.embedder = get_embedder(settings)
        self.engine = HybridEngine(settings, self.index, self.embedder)
        self.scope_exemplars = ScopeExemplars(self.embedder)
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
        timings: dict[str, float] = {}

        @contextmanager
        def stage(name: str) -> Iterator[None]:
            start = time.perf_counter()
            yield
            timings[name] = round((time.perf_counter() - start) * 1000, 2)

        with stage("input"):
            text, truncated = clean_question(question)
            lang = detect_language(text, language)
            facts = facts if isinstance(facts, dict) else None
            facts_error = _facts_error(facts)
            if facts_error:
                facts = None  # answer without them, and say why
            history = [h for h in history or [] if isinstance(h, dict)]
        if not text:
            return Answer(
                question="",
                language=lang,
                could_not_answer=True,
                blocks=[Block(kind="refusal", text=t(lang, "empty"), language=lang), _notice(lang)],
                timings_ms=timings,
            )

        with stage("rewrite"):
            rewritten = rewrite(text, history)
        with stage("retrieve"):
            as_of_past = bool(facts and str(facts.get("as_of", "9999")) < "2026-01-01")
            result = self.engine.retrieve(rewritten.query, lang, carried=rewritten.carried_citations, as_of_past=as_of_past)
        with stage("scope"):
            refuse = self.should_refuse(result)

        answer = Answer(
            question=text,
            language=lang,
            search_query=result.query,
            retrieved=result.provisions,
            backend=self.settings.answer_backend,
        )
        if refuse:
            answer.could_not_answer = True
            answer.blocks = [
                *[Block(kind="conflict", text=t(lang, "missing_citation", citation=c), language=lang) for c in result.missing_citations],
                Block(kind="refusal", text=t(lang, "refusal") + " " + t(lang, "refusal_counselling"), language=lang),
                _notice(lang),
            ]
            answer.timings_ms = timings
            return answer

        eligibility = bool(_ELIGIBILITY.search(rewritten.query)) or bool(facts)
        if eligibility:
            promote_checkable(result)
            answer.retrieved = result.provisions
        with stage("compose"):
            blocks, verdicts, missing = compose(
                text, lang, result, self.view, facts, eligibility, self.settings.as_of or (facts or {}).get("as_of"), self.settings.top_k
            )
        if chat_model is not None or self.settings.answer_backend != "compose":
            with stage("generate"):
                from assistant.llm import generate_blocks

                model = chat_model or self._chat_model()
                generated, _report = generate_blocks(self.settings, text, lang, result, self.view, history, model=model)
                blocks = [blocks[0], *generated, *blocks[1:]]
                answer.backend = "custom" if chat_model is not None else self.settings.answer_backend
        main_provisions = [p.provision for p in result.provisions[:3]]
        with stage("gate"):
            gated = gate_blocks(blocks, facts, lang, [p for p in main_provisions if p in PROVISION_RULE_IDS])
        if facts_error:
            gated.blocks.insert(0, Block(kind="notice", text=t(lang, "facts_invalid", error=facts_error), language=lang))
        if truncated:
            gated.blocks.insert(0, Block(kind="notice", text=t(lang, "too_long", limit=MAX_QUESTION_CHARS), language=lang))
        gated.blocks.append(_notice(lang))
        answer.blocks = gated.blocks
        answer.gate_events = gated.events
        answer.verdicts = verdicts + [v for v in gated.verdicts if v not in verdicts]
        answer.missing_facts = list(dict.fromkeys(missing + gated.missing_facts))
        answer.timings_ms = timings
        return answer

    def _chat_model(self) -> Any:
        with _lock:
            if getattr(self, "_model", None) is None:
                from assistant.llm import chat_model

                self._model = chat_model(self.settings)
        return self._model

    def topic_is_context(self, result: RetrievalResult) -> bool:
        """An out-of-scope word is only context ("does Kindergeld count as public funds", "the
        Jobcenter wrote that I must attend the integration course") when a residence-law concept
        of the question points at the best-ranked provision AND e5 finds the question no nearer to
        the out-of-scope exemplars than to the in-scope ones and to the best statute chunk (both
        margins <= 0: the mirror image of `ScopeExemplars.out_of_scope`, no tuned number)."""
        if not concepts_hit_retrieved(result, top=1):
            return False
        return max(self.scope_exemplars.margins(result)) <= 0.0

    def should_refuse(self, result: RetrievalResult) -> bool:
        """Out of scope when no provision of ours is named and
        * a listed off-topic subject (out_of_scope.yaml) outweighs the specific in-scope concepts and
          the residence-law concepts of the question do not point at what was retrieved (a fee
          question that mentions Jobcenter benefits is still a fee question); or
        * e5 puts the question clearly nearer to out-of-scope exemplar questions than to in-scope
          ones and to any statute chunk (`out_of_scope_by_exemplars`, all languages alike); or
        * no glossary concept points at a provision and nothing matches well enough (calibrated
          threshold, see calibration.py)."""
        if not result.provisions:
            return True
        if result.explicit:
            return False
        topics = len(result.out_of_scope_topics)
        if topics and topics >= result.specific_concepts and not self.topic_is_context(result):
            return True
        if result.specific_concepts <= topics and self.scope_exemplars.out_of_scope(result):
            return True
        threshold = refusal_threshold(self.settings)
        return result.targeted_concepts == 0 and scope_score(result) < threshold


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


def concepts_hit_retrieved(result: RetrievalResult, top: int = 3) -> bool:
    """A glossary concept of the question points at one of the best-ranked provisions: the
    question's residence-law content is what retrieval found."""
    wanted = set(result.concept_provisions)  # concepts of weight >= 0.5 (generic words below that)
    return any(p.provision in wanted for p in result.provisions[:top])


class ScopeExemplars:
    """Out-of-scope and in-scope exemplar questions (glossary/*_exemplars.yaml), embedded once."""

    def __init__(self, embedder: Any) -> None:
        import numpy as np
        import yaml

        from assistant.glossary import GLOSSARY_DIR

        def load(name: str) -> list[str]:
            data = yaml.safe_load((GLOSSARY_DIR / name).read_text(encoding="utf-8")) or {}
            return [str(q) for questions in data.values() for q in questions or []]

        self.out_texts = load("out_of_scope_exemplars.yaml")
        self.in_texts = load("in_scope_exemplars.yaml")
        self.out_vectors = np.asarray(embedder.embed_queries(self.out_texts))
        self.in_vectors = np.asarray(embedder.embed_queries(self.in_texts))
        self.margin_exemplars, self.margin_statute = stored_margins()

    def margins(self, result: RetrievalResult) -> tuple[float, float]:
        """(nearest out-of-scope - nearest in-scope exemplar, nearest out-of-scope - best statute chunk)."""
        if result.query_vector is None:
            return (-1.0, -1.0)
        out_sim = float((self.out_vectors @ result.query_vector).max())
        in_sim = float((self.in_vectors @ result.query_vector).max())
        return (out_sim - in_sim, out_sim - result.top_dense)

    def out_of_scope(self, result: RetrievalResult) -> bool:
        by_exemplars, by_statute = self.margins(result)
        return by_exemplars > self.margin_exemplars and by_statute > self.margin_statute


def scope_score(result: RetrievalResult) -> float:
    """The evidence that the sources cover the question: the best dense cosine of a statute chunk."""
    return result.top_dense


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
