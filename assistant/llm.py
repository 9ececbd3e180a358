"""Optional chat-model backends (settings.answer_backend): Ollama, an OpenAI-compatible endpoint
(vLLM, llama.cpp server) or a local GGUF file through llama-cpp-python.

Packages are imported only when the backend is selected; a missing one raises `LLMBackendError`
naming what to install. Generated text is never shown as is: it passes the citation validator
(assistant/validate.py) here, and the eligibility gate in the pipeline.
"""

from __future__ import annotations

from typing import Any

import re

from assistant.prompts import DIRECT_SYSTEM, DIRECT_USER, SYSTEM, USER, format_history, format_sources
from assistant.retrieve import RetrievalResult
from core.settings import Settings
from assistant.types import Block
from assistant.validate import ValidationReport, validate_generated
from core.chunk import Chunk

SOURCES_PER_ANSWER = 8


class LLMBackendError(RuntimeError):
    """The configured chat-model backend cannot be used."""


def _missing(package: str, extra: str) -> LLMBackendError:
    return LLMBackendError(
        f"answer_backend needs the package '{package}'. Install it with: pip install '{package}' "
        f"(or the project extra: pip install -e '.[{extra}]'), or set AA_ANSWER_BACKEND=compose."
    )


def chat_model(settings: Settings) -> Any:
    """A langchain chat model for settings.answer_backend."""
    backend = settings.answer_backend
    if backend == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise _missing("langchain-ollama", "ollama") from None
        kwargs = {"base_url": settings.llm_base_url} if settings.llm_base_url else {}
        return ChatOllama(model=settings.llm_model or "llama3.1", temperature=settings.llm_temperature, **kwargs)
    if backend == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise _missing("langchain-openai", "openai") from None
        if not settings.llm_base_url:
            raise LLMBackendError("answer_backend 'openai' needs AA_LLM_BASE_URL (e.g. http://localhost:8000/v1 for vLLM)")
        return ChatOpenAI(
            model=settings.llm_model or "default",
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key or "not-needed",
            temperature=settings.llm_temperature,
        )
    if backend == "llamacpp":
        try:
            from langchain_community.chat_models import ChatLlamaCpp
        except ImportError:
            raise _missing("langchain-community", "llamacpp") from None
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise _missing("llama-cpp-python", "llamacpp") from None
        if not settings.llm_gguf_path or not settings.llm_gguf_path.exists():
            raise LLMBackendError(f"answer_backend 'llamacpp' needs AA_LLM_GGUF_PATH pointing to a .gguf file (got {settings.llm_gguf_path})")
        return ChatLlamaCpp(model_path=str(settings.llm_gguf_path), temperature=settings.llm_temperature, n_ctx=4096, verbose=False)
    raise LLMBackendError(f"unknown answer_backend {backend!r}")


def source_chunks(result: RetrievalResult, view: Any) -> list[Chunk]:
    """The German chunks the model may cite: the best Absätze of the top provisions."""
    chunks: list[Chunk] = []
    for prov in result.provisions:
        for cid in prov.chunk_ids[:2]:
            chunks.append(view.by_id[cid])
        if len(chunks) >= SOURCES_PER_ANSWER:
            break
    return chunks[:SOURCES_PER_ANSWER]


def generate_blocks(
    settings: Settings,
    question: str,
    lang: str,
    result: RetrievalResult,
    view: Any,
    history: list[dict] | None,
    model: Any = None,
) -> tuple[list[Block], ValidationReport]:
    """Ask the chat model, keep only validated sentences; returns ([generated block] or [], report)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    chunks = source_chunks(result, view)
    model = model or chat_model(settings)
    messages = [
        SystemMessage(content=SYSTEM.format(language=lang)),
        HumanMessage(
            content=USER.format(
                sources=format_sources([(c.citation, c.text) for c in chunks]),
                history=format_history(history),
                question=question,
            )
        ),
    ]
    reply = model.invoke(messages)
    text = reply.content if isinstance(reply.content, str) else str(reply.content)
    report = validate_generated(text, chunks)
    if not report.kept:
        return [], report
    citations = []
    seen: set[str] = set()
    for sentence in report.kept:
        for c in sentence.citations:
            if c.chunk_id not in seen:
                seen.add(c.chunk_id)
                citations.append(c)
    block = Block(kind="generated", text=" ".join(s.text for s in report.kept), citations=citations, language=lang)
    return [block], report


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def numbers_in(text: str) -> set[str]:
    """The numbers of a text, as digit strings ("58", "2,5"), Arabic-Indic and Persian digits read as ASCII."""
    ascii_text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
    return set(_NUMBER.findall(ascii_text))


def _without_citations(sentence: str) -> str:
    """Without citations and cross-references ("[…]", "§ 60a", "Absatz 6", "Satz 1", "Nummer 2"):
    their numbers are not key facts."""
    return re.sub(r"\[[^\]]*\]|§+\s*\d+\s*[a-z]?|(?:Abs\.|Absatz|Absätze|Satz|Sätze|Nr\.|Nummer|Nummern|Buchst\.)\s*\d+[a-z]?", " ", sentence)


def generate_direct(
    question: str,
    lang: str,
    evidence: list[tuple[str, str]],
    chunks: list[Chunk],
    model: Any,
) -> tuple[list[Block], ValidationReport]:
    """The model's direct answer from `evidence` [(citation, text)]: validated against `chunks`
    (citations, verbatim quotes), then the key-fact check: a sentence with a number that the
    evidence does not contain is removed. Returns ("generated" blocks, one per kept sentence; report)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    messages = [
        SystemMessage(content=DIRECT_SYSTEM.format(language=lang)),
        HumanMessage(content=DIRECT_USER.format(evidence=format_sources(evidence), question=question)),
    ]
    reply = model.invoke(messages)
    text = reply.content if isinstance(reply.content, str) else str(reply.content)
    report = validate_generated(text, chunks)
    known = set().union(*(numbers_in(_without_citations(t)) for _, t in evidence)) if evidence else set()
    blocks: list[Block] = []
    for sentence in list(report.kept):
        if numbers_in(_without_citations(sentence.text)) - known:
            report.kept.remove(sentence)
            report.dropped_key_fact.append(sentence.text)
            continue
        blocks.append(Block(kind="generated", text=sentence.text, citations=sentence.citations, language=lang))
    return blocks[:3], report
