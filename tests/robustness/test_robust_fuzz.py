"""A bounded hypothesis fuzz of `ask()` (the real pipeline) and of `python -m rules check`.

Whatever is typed, passed as history, facts or language hint, `ask()` returns an Answer that
serialises, shows the notice before "more", carries no live tag in its question, quotes only verbatim
statute text, and refuses input without a word or a § reference. Whatever the facts file holds,
the rules CLI prints a verdict (exit 0) or one error line (exit 2), never a traceback.
Examples are few (the suite runs on a shared 2-core machine); `derandomize` keeps runs repeatable;
`AA_FUZZ_SCALE=10` runs ten times as many.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from assistant.pipeline import get_pipeline
from assistant.user_input import MAX_QUESTION_CHARS
from assistant.validate import quote_in_text
from core.languages import SUPPORTED_LANGUAGES
from rules.cli import app as rules_app
from rules.facts import FACT_NAMES
from rules.registry import RULES

# AA_FUZZ_SCALE=10 for a longer run by hand (the run had 300 examples)
_SCALE = int(os.environ.get("AA_FUZZ_SCALE", "1"))
ASK_EXAMPLES = 40 * _SCALE
CLI_EXAMPLES = 120 * _SCALE
_LIVE_TAG = re.compile(r"<[^<>]*>")
_READABLE = re.compile(r"[^\W\d_]|§\s*\d")  # a letter or a § reference

# Fragments the fuzz run found trouble with, combined at random with real questions.
FRAGMENTS = ["<", ">", "&lt;", "&gt;", "&amp;", "&#60;", "<script>", "</b>", "§ 25b", "§", "Duldung", "😀", "\ud800", "\udfff",
             "\x00", "\x07", "\u202e", "\u2066", "\ufffd", "\ue000", "12345", "\n", "\t", " ", "?", "ی", "і", "ğ"]
QUESTIONS = ["Wie lange gilt eine Duldung?", "Can I get a residence permit under § 25b?", "هل يمكنني الانتقال إلى مدينة أخرى؟",
             "Що таке Beschäftigungsduldung?", "Duldung'um var, ne yapmalıyım?", "آیا می‌توانم اقامت بگیرم؟"]
any_text = st.text(st.characters(exclude_categories=()), max_size=120)  # includes lone surrogates
noisy = st.lists(st.sampled_from(FRAGMENTS + QUESTIONS), max_size=8).map("".join)
questions = st.one_of(any_text, noisy, st.sampled_from(QUESTIONS), st.binary(max_size=40), st.integers(), st.none(),
                      st.just("Duldung " * 3000))
json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text,
                        st.sampled_from(["2020-01-01", "2031-02-30", "duldung", "A2", "AufenthG § 25 Abs. 3", -1, 168.5]))
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3), max_leaves=8)
facts_dicts = st.dictionaries(st.one_of(st.sampled_from(FACT_NAMES), any_text), json_values, max_size=6)
turns = st.one_of(st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]), "content": st.one_of(noisy, any_text)}), json_values)
# built, not sampled: hypothesis would print them whole (a 5,000-digit int cannot even be printed)
hostile_values = st.one_of(st.builds(lambda: 10**5000), st.builds(lambda: nested(3000)), st.builds(lambda: "x" * 1_000_000))
hostile_facts = st.dictionaries(st.sampled_from(FACT_NAMES), hostile_values, min_size=1, max_size=2)
histories = st.one_of(st.none(), st.lists(turns, max_size=4), json_values)
languages = st.one_of(st.none(), st.sampled_from([*SUPPORTED_LANGUAGES, "ku", "de-DE", ""]), st.integers(), any_text)


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture(scope="module")
def pipeline(indexed_settings):
    return get_pipeline(indexed_settings)


def test_fuzz_ask(pipeline):
    @settings(max_examples=ASK_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(question=questions, history=histories, facts=st.one_of(st.none(), facts_dicts, hostile_facts, json_values), language=languages)
    def fuzz(question, history, facts, language):
        answer = pipeline.ask(question, history=history, facts=facts, language=language)
        json.loads(answer.model_dump_json())
        assert answer.blocks and "notice" in {b.kind for b in answer.shown_blocks()}  # the notice is shown before "more"
        assert not _LIVE_TAG.search(answer.question)
        assert len(answer.question) <= MAX_QUESTION_CHARS
        if not _READABLE.search(answer.question):
            assert answer.could_not_answer and not answer.citations
        for citation in answer.citations:
            assert quote_in_text(citation.quote, pipeline.view.by_id[citation.chunk_id].text), citation.citation

    fuzz()


# ------------------------------------------------------------------------------------------- rules CLI
def _hostile_text(depth: int) -> str:
    return '{"status": ' + "[" * depth + "]" * depth + "}"


facts_files = st.one_of(
    facts_dicts.map(lambda d: json.dumps({"as_of": "2026-11-23", **d})),  # surrogates travel as \\ud800 escapes
    facts_dicts.map(json.dumps),
    st.integers(1, 300_000).map(_hostile_text),
    st.integers(1, 6000).map(lambda n: '{"employment_months": ' + "9" * n + "}"),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    json_values.map(json.dumps),
)


def test_fuzz_rules_check_cli():
    runner = CliRunner()

    @settings(max_examples=CLI_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(content=facts_files, rule=st.sampled_from(sorted(RULES)), lang=st.sampled_from(SUPPORTED_LANGUAGES), as_of=st.one_of(st.none(), any_text))
    def fuzz(content, rule, lang, as_of):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "facts.json"
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
            args = ["check", "--rule", rule, "--facts", str(path), "--lang", lang]
            if as_of is not None and "\x00" not in as_of:
                args += ["--as-of", as_of]
            result = runner.invoke(rules_app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 2), result.output[-500:]
        if result.exit_code == 0:
            assert json.loads(result.stdout)["verdict"] in ("met", "not_met", "needs_info", "discretionary")
        else:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) < 800, result.stderr[:800]

    fuzz()
