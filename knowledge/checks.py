"""The mechanical checks of `kb_schema.md` (rules 1–7). Each returns `Problem`s (entry id, field, reason)."""

from __future__ import annotations

import re
from collections import Counter

from knowledge import numbers
from knowledge.models import LANGUAGES, CitedText, Entry
from knowledge.problems import Problem
from knowledge.sentences import normalize
from core.citations import canonical_citation
from knowledge.statute import StatuteLookup, text_hash

_SCRIPT = {
    "ar": (re.compile(r"[\u0600-\u06ff]"), "Arabic script"),
    "fa": (re.compile(r"[\u0600-\u06ff]"), "Arabic script"),
    "uk": (re.compile(r"[\u0400-\u04ff]"), "Cyrillic"),
    "ru": (re.compile(r"[\u0400-\u04ff]"), "Cyrillic"),
}
_NOT_UK = re.compile(r"[ыэъёЫЭЪЁ]")  # Russian letters
_NOT_RU = re.compile(r"[іїєґІЇЄҐ]")  # Ukrainian letters
_PERSIAN_LETTERS = re.compile(r"[\u06cc\u06a9پچژگ]")  # Persian ye/kaf and letters Arabic lacks
_LONG_ENOUGH = 25  # letters; shorter texts may lack the telltale letters


def _p(check: str, entry: Entry, field: str, reason: str) -> Problem:
    return Problem(check=check, entry_id=entry.id, field=field, reason=reason, file=entry.source_file)


def _texts(entry: Entry) -> list[tuple[str, CitedText]]:
    return [(f"answer[{i}]", a) for i, a in enumerate(entry.answer)] + [
        (f"next_steps[{i}]", s) for i, s in enumerate(entry.next_steps)
    ]


# --------------------------------------------------------------------------- rule 1


def check_languages(entry: Entry) -> list[Problem]:
    """Rule 1: all 7 languages present (the model enforces presence) and each in its own script."""
    problems: list[Problem] = []
    items = [(f"questions.{lang}", lang, q) for lang, q in entry.questions.all()]
    for name, item in _texts(entry):
        items.extend((f"{name}.{lang}", lang, item.text(lang)) for lang in LANGUAGES)
    for field, lang, text in items:
        if lang in _SCRIPT:
            pattern, script = _SCRIPT[lang]
            if not pattern.search(text):
                problems.append(_p("languages", entry, field, f"'{text[:40]}' is not in {script}"))
        elif re.search(r"[\u0600-\u06ff\u0400-\u04ff]", text):
            problems.append(_p("languages", entry, field, f"'{text[:40]}' holds Arabic-script or Cyrillic letters"))
        letters = sum(ch.isalpha() for ch in text)
        if lang == "fa" and letters >= _LONG_ENOUGH and not _PERSIAN_LETTERS.search(text):
            problems.append(_p("languages", entry, field, "no Persian letter (ی ک پ چ ژ گ): is this Arabic?"))
        if lang == "ar" and _PERSIAN_LETTERS.search(text):
            problems.append(_p("languages", entry, field, "holds Persian letters (ی ک پ چ ژ گ): is this Persian?"))
        if lang == "uk" and _NOT_UK.search(text):
            problems.append(_p("languages", entry, field, "holds Russian letters (ы э ъ ё): is this Ukrainian?"))
        if lang == "ru" and _NOT_RU.search(text):
            problems.append(_p("languages", entry, field, "holds Ukrainian letters (і ї є ґ): is this Russian?"))
    for name, item in _texts(entry):
        versions = Counter(normalize(item.text(lang)) for lang in LANGUAGES)
        for text, count in versions.items():
            if count > 1:
                problems.append(_p("languages", entry, name, f"{count} languages share the same text '{text[:40]}…'"))
    return problems


# --------------------------------------------------------------------------- rule 2


def check_spans(entry: Entry, statute: StatuteLookup) -> list[Problem]:
    """Rule 2: every span citation exists (down to Satz/Nr.) and its text stands verbatim in it."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, span in enumerate(entry.spans):
        field = f"spans[{i}]"
        canonical = canonical_citation(span.citation)
        if canonical and canonical != span.citation:
            problems.append(_p("spans", entry, f"{field}.citation", f"write '{canonical}' (canonical form), not '{span.citation}'"))
        if span.citation in seen:
            problems.append(_p("spans", entry, f"{field}.citation", f"'{span.citation}' is cited twice; join the two spans"))
        seen.add(span.citation)
        unit = statute.resolve(span.citation, entry.valid_to)
        if unit is None:
            problems.append(_p("spans", entry, f"{field}.citation", statute.why_missing(span.citation, entry.valid_to)))
            continue
        if _TABLE_MARKUP.search(span.text):
            cells = normalize(_TABLE_MARKUP.sub(" ", span.text))
            hint = f": '{cells}'" if cells in unit.normalized else ""
            problems.append(_p("spans", entry, f"{field}.text", f"table markup ('|', '\\.') in the text; write the cells separated by one space{hint}"))
            continue
        wanted = normalize(span.text)
        if wanted not in unit.normalized:
            version = statute.version_for(span.citation, entry.valid_to)
            problems.append(_p("spans", entry, f"{field}.text", _not_verbatim(wanted, unit.normalized, unit.citation, version.units)))
    return problems


_TABLE_MARKUP = re.compile(r"\s*\|\s*|\\(?=\.)")


def _not_verbatim(wanted: str, unit_text: str, citation: str, units: dict) -> str:
    # where does it stand instead? (a wrong Satz number is the usual mistake)
    elsewhere = [c for c, u in units.items() if wanted in u.normalized and u.kind == "satz"]
    if elsewhere:
        return f"text is not in {citation}; it stands in {', '.join(elsewhere[:3])}"
    # longest common prefix shows where the copy went wrong
    n = 0
    for a, b in zip(wanted, unit_text[unit_text.find(wanted[:12]) :] if wanted[:12] in unit_text else ""):
        if a != b:
            break
        n += 1
    hint = f"; it differs after '…{wanted[max(0, n - 30):n]}'" if n >= 12 else ""
    return f"text does not stand verbatim in {citation}{hint} (statute: '{unit_text[:90]}…')"


# --------------------------------------------------------------------------- rule 3


def check_cites(entry: Entry) -> list[Problem]:
    """Rule 3: every answer / next-steps cite is one of the entry's span citations."""
    citations = set(entry.span_citations)
    return [
        _p("cites", entry, f"{name}.cite", f"'{item.cite}' is not a span citation of this entry ({', '.join(sorted(citations))})")
        for name, item in _texts(entry)
        if item.cite not in citations
    ]


# --------------------------------------------------------------------------- rule 4


def check_key_facts(entry: Entry) -> list[Problem]:
    """Rule 4: each key fact's German words stand in a span and say its value; the value appears
    (with its unit nearby) in every language version of the answer + next steps."""
    problems: list[Problem] = []
    span_texts = [normalize(s.text) for s in entry.spans]
    for i, fact in enumerate(entry.key_facts):
        field = f"key_facts[{i}]"
        if not any(normalize(fact.de) in text for text in span_texts):
            problems.append(_p("key_facts", entry, f"{field}.de", f"'{fact.de}' does not stand in any span of this entry"))
        reason = _german_disagrees(fact.kind, fact.value, fact.unit, fact.de)
        if reason:
            problems.append(_p("key_facts", entry, f"{field}.de", reason))
        for lang in LANGUAGES:
            text = " ".join(item.text(lang) for _, item in _texts(entry))
            missing = numbers.has_value(text, fact.kind, fact.value, fact.unit)
            if missing:
                problems.append(_p("key_facts", entry, f"{field} in {lang}", f"answer/next steps ({lang}): {missing}"))
    return problems


def _german_disagrees(kind: str, value: str, unit: str | None, words: str) -> str | None:
    reading = numbers.read_german(words)
    if kind == "level":
        return None if value in reading.levels else f"'{words}' does not name level {value}"
    if kind == "date":
        import datetime as dt

        return None if dt.date.fromisoformat(value) in reading.dates else f"'{words}' does not state the date {value}"
    number = float(value.replace(",", "."))
    if number not in [float(n) for n in reading.numbers]:
        return f"'{words}' does not state {value} (read: {reading.numbers or 'no number'})"
    if kind in ("duration", "amount") and unit not in reading.units:
        return f"'{words}' has no '{unit}' word (read units: {reading.units or 'none'}); quote the span words up to the unit"
    if kind == "percent" and not re.search(r"Prozent|vom Hundert|%", words):
        return f"'{words}' is not a percentage"
    return None


# --------------------------------------------------------------------------- rule 5


def check_numbers(entry: Entry) -> list[Problem]:
    """Rule 5: no number in an answer / next-steps text that is not a key-fact value; no citation
    written into the text (it is shown beside the sentence); numbers in digits."""
    problems: list[Problem] = []
    allowed: set[str] = set()
    levels = {f.value for f in entry.key_facts if f.kind == "level"}
    for fact in entry.key_facts:
        allowed |= numbers.value_tokens(fact.kind, fact.value)
    for name, item in _texts(entry):
        for lang in LANGUAGES:
            text = item.text(lang)
            field = f"{name}.{lang}"
            for citation in numbers.citations_in(text):
                problems.append(_p("numbers", entry, field, f"citation '{citation}' in the text; the cite is shown beside the sentence"))
            for token, _, _ in numbers.numbers_in(text):
                if token not in allowed:
                    problems.append(_p("numbers", entry, field, f"number {token} is not a key-fact value (add a key fact or remove it)"))
            for level in numbers.levels_in(text):
                if level not in levels:
                    problems.append(_p("numbers", entry, field, f"level {level} is not a key fact"))
            if lang in ("de", "en"):
                for word in numbers.spelled_numbers_in(text):
                    problems.append(_p("numbers", entry, field, f"'{word}': write numbers in digits, as a key fact"))
    return problems


# --------------------------------------------------------------------------- wording (schema: never say the reader IS eligible)

_PERSONAL_VERDICT = re.compile(
    r"\b(?:you are (?:eligible|entitled)|you qualify|you have (?:a|the) right|"
    r"Sie haben (?:einen |das )?(?:Anspruch|Recht)|Sie sind berechtigt|Sie erfüllen die Voraussetzungen)",
    re.I,
)
_CONDITION = re.compile(r"\b(?:if|when|provided|wenn|falls|sofern|soweit)\b", re.I)


def check_wording(entry: Entry) -> list[Problem]:
    """de/en answers state what the law says, never that the reader personally is eligible."""
    problems = []
    for name, item in _texts(entry):
        for lang in ("de", "en"):
            text = item.text(lang)
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                m = _PERSONAL_VERDICT.search(sentence)
                if m and not _CONDITION.search(sentence):
                    problems.append(_p("wording", entry, f"{name}.{lang}", f"'{m.group(0)}' tells the reader they are eligible; say what the law requires"))
    return problems


# --------------------------------------------------------------------------- rule 6


def check_ids_and_dates(entries: list[Entry]) -> list[Problem]:
    """Rule 6: ids unique; valid_to not before valid_from (date syntax is checked on loading)."""
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    for entry in entries:
        where = str(entry.source_file or "")
        if entry.id in first_file:
            problems.append(_p("ids", entry, "id", f"id '{entry.id}' is used twice (also in {first_file[entry.id]})"))
        else:
            first_file[entry.id] = where
        if entry.valid_from and entry.valid_to and entry.valid_to < entry.valid_from:
            problems.append(_p("dates", entry, "valid_to", f"valid_to {entry.valid_to} is before valid_from {entry.valid_from}"))
    return problems


# --------------------------------------------------------------------------- rule 7


def pin_problems(entry: Entry, statute: StatuteLookup, require: bool = True) -> list[Problem]:
    """Rule 7: every span citation pinned, every pin matching the indexed statute's sentence."""
    problems: list[Problem] = []
    pins = entry.review.pins
    for citation in entry.span_citations:
        if citation not in pins:
            if require:
                problems.append(_p("pins", entry, f"review.pins", f"'{citation}' is not pinned; run `python -m knowledge pin`"))
            continue
        current = statute.hash_of(citation, entry.valid_to)
        if current is None:
            problems.append(_p("pins", entry, "review.pins", f"'{citation}' no longer exists in the indexed statute: needs review"))
        elif current != pins[citation]:
            problems.append(_p("pins", entry, "review.pins", f"the statute text of '{citation}' changed since it was pinned: needs review"))
    for citation in pins:
        if citation not in entry.span_citations:
            problems.append(_p("pins", entry, "review.pins", f"pin for '{citation}', which is not a span of this entry; re-pin"))
    return problems


def check_pins(entry: Entry, statute: StatuteLookup, require: bool = False) -> list[Problem]:
    return pin_problems(entry, statute, require=require)


def current_pins(entry: Entry, statute: StatuteLookup) -> dict[str, str]:
    """Span citation → sha256 of the cited sentence's normalised text (only citations that resolve)."""
    out = {}
    for citation in entry.span_citations:
        unit = statute.resolve(citation, entry.valid_to)
        if unit is not None:
            out[citation] = text_hash(unit.text)
    return out


# --------------------------------------------------------------------------- phrasings vs eval sets


def _question_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def load_eval_questions(paths) -> set[str]:
    """Normalised question texts of eval .jsonl files (one JSON object with "question" per line)."""
    import json

    out: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(item, dict) and isinstance(item.get("question"), str):
                out.add(_question_key(item["question"]))
    return out


def check_not_copied(entry: Entry, eval_questions: set[str]) -> list[Problem]:
    """Phrasings are written by hand, never copied from an evaluation question file."""
    return [
        _p("phrasings", entry, f"questions.{lang}", f"'{q[:50]}' is a question of an eval set; write your own phrasing")
        for lang, q in entry.questions.all()
        if _question_key(q) in eval_questions
    ]


# --------------------------------------------------------------------------- all


def content_problems(entry: Entry, statute: StatuteLookup) -> list[Problem]:
    """Rules 1–5 for one entry (the content, without pins)."""
    return (
        check_languages(entry)
        + check_spans(entry, statute)
        + check_cites(entry)
        + check_key_facts(entry)
        + check_numbers(entry)
        + check_wording(entry)
    )


def check_entries(
    entries: list[Entry], statute: StatuteLookup, require_pins: bool = False, eval_questions: set[str] | None = None
) -> list[Problem]:
    problems = check_ids_and_dates(entries)
    for entry in entries:
        problems += content_problems(entry, statute) + check_pins(entry, statute, require=require_pins)
        if eval_questions:
            problems += check_not_copied(entry, eval_questions)
    return problems
