"""Facts for "check my case" taken from what the person typed in the chat, and the rule the check
should open on for an answer.

The extractor is conservative on purpose: it only proposes a fact when the words leave no doubt
(a status word, a date next to it, an explicit number of hours, "full time", a number of children),
it drops a fact the messages contradict, and it never reads a clause that contains a negation
("keine Duldung", "not full time"). The app shows every proposal in the summary for the person to
confirm; nothing reaches the checker silently.

A year or month alone ("since 2019") is read as the *last* day of that year or month: that can
only shorten a period the checker counts, never lengthen it. The proposal says so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.types import Answer
from rules.registry import PROVISION_RULE_IDS

FULL_TIME_HOURS = 35.0  # the usual lower bound of a German full-time week; shown to the person to correct
DatePrecision = Literal["day", "month", "year"]


class ProposedFact(BaseModel):
    """One fact read from the chat, waiting for the person's confirmation."""

    fact: str
    value: Any
    source_text: str = Field(description="the words it was read from, shown beside the proposal")
    precision: DatePrecision | None = Field(None, description="for dates: 'year'/'month' mean the last day of it was taken")
    assumption: Literal["full_time"] | None = Field(None, description="'full_time': FULL_TIME_HOURS were taken for 'full time'")


# --- words, per language (lower case; Latin 'duldung' works in every language) ---------------------
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CLAUSE_SPLIT = re.compile(r"[,;!?،؛\n]+|\.(?=\s|$)|\s(?:und|and|aber|but|و|ve|і|и|та)\s")
_SENTENCE = re.compile(r"\S.*?(?:[.!?؟]+(?=\s|$)|$)", re.DOTALL)
# Who the sentence is about: a status word alone ("Was ist eine Duldung") says nothing about the person.
_FIRST_PERSON = re.compile(
    r"\b(?:ich|mir|mich|mein\w*|i|i'm|i've|me|my|benim|bende|var|маю|мене|мені|меня|мне|я|у\s+нас)\b|\w+(?:um|im|üm|ım)\b"
    r"|(?:^|\s)(?:لدي|عندي|معي|أنا|انا|لديّ|من|دارم|هستم|می\S*م)(?:\s|$)|\S+(?:يت|ت)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:kein\w*|nicht|nie|no|not|never|without|ohne|teilzeit|part[- ]time|minijob|değil|yok|hiç|не|ні|немає|нет|без)\b"
    r"|(?:^|\s)(?:لا|ليس\w*|لم|بدون|غير|نه|ندار\w*|نمی\w*|بی)(?:\s|$)|نیست",
    re.IGNORECASE,
)
_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "duldung": ("duldung", "geduldet", "tolerated", "toleration", "دولدونغ", "دولدونج", "دولدونگ", "دولدونك",
                "дульдунг", "дульдунґ", "толерован", "hoşgörü"),
    "aufenthaltsgestattung": ("aufenthaltsgestattung", "gestattung"),
}
_FULL_TIME = re.compile(
    r"vollzeit|full[- ]?time|دوام\s*كامل|تمام[\s\u200c]*وقت|повн\w*\s+(?:робоч\w+\s+)?(?:день|зайнят\w*|ставк\w*)|"
    r"полн\w*\s+(?:рабоч\w+\s+)?(?:день|занятост\w*|ставк\w*)|tam\s*zaman",
    re.IGNORECASE,
)
_HOURS = re.compile(
    r"(\d{1,3}(?:[.,]\d)?)\s*(?:std\.?|stunden|h\b|hours?|hrs|ساعة|ساعات|ساعت|годин\w*|час\w*|saat)", re.IGNORECASE)
_CHILD_WORDS = r"(?:kinder|kind|children|child|kids?|أطفال|اطفال|طفل|أولاد|اولاد|بچه|فرزند\w*|дит\w*|діт\w*|дет\w*|ребен\w*|ребён\w*|çocu\w*)"
_NUMBER_WORDS = {
    "ein": 1, "eins": 1, "einem": 1, "one": 1, "bir": 1, "один": 1, "одна": 1, "одно": 1, "одного": 1, "одне": 1,
    "zwei": 2, "two": 2, "iki": 2, "два": 2, "двое": 2, "дві": 2, "двоє": 2, "двух": 2,
    "drei": 3, "three": 3, "üç": 3, "три": 3, "трое": 3, "троє": 3, "трех": 3, "трьох": 3,
    "vier": 4, "four": 4, "dört": 4, "четыре": 4, "чотири": 4, "четверо": 4,
    "طفلين": 2, "ولدين": 2, "دو": 2, "سه": 3, "چهار": 4, "یک": 1,
}
_CHILDREN = re.compile(rf"(\d{{1,2}}|[^\W\d_]+)\s+(?:minderjährige\w*\s+|minor\s+|small\s+|kleine\w*\s+)?{_CHILD_WORDS}", re.IGNORECASE)
_NO_CHILDREN = re.compile(
    r"keine\s+kinder|no\s+(?:children|kids)|ليس\s+لدي\s+أطفال|لا\s+أطفال|بچه\s+ندار|فرزند\s+ندار|"
    r"немає\s+діт|нет\s+детей|без\s+діт|без\s+детей|çocuğum\s+yok",
    re.IGNORECASE,
)
_MONTHS = {
    **{m: i for i, m in enumerate(["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
                                   "oktober", "november", "dezember"], 1)},
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august", "september",
                                   "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(["ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül",
                                   "ekim", "kasım", "aralık"], 1)},
}
_DAY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_NUM = re.compile(r"\b(\d{1,2})[./](\d{4})\b")
_MONTH_NAME = re.compile(r"([^\W\d_]+)\s+(\d{4})\b")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _date_in(clause: str, as_of: date) -> tuple[date, DatePrecision] | None:
    """The one date a clause names, or None when it names none or several."""
    found: list[tuple[date, DatePrecision]] = []
    try:
        for m in _DAY.finditer(clause):
            d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
            found.append((date(int(y), int(mo), int(d)), "day"))
        rest = _DAY.sub(" ", clause)
        for m in _MONTH_NUM.finditer(rest):
            found.append((_last_day(int(m.group(2)), int(m.group(1))), "month"))
        rest = _MONTH_NUM.sub(" ", rest)
        for m in _MONTH_NAME.finditer(rest):
            if (month := _MONTHS.get(m.group(1).lower())) is not None:
                found.append((_last_day(int(m.group(2)), month), "month"))
                rest = rest.replace(m.group(0), " ")
        for m in _YEAR.finditer(rest):
            found.append((date(int(m.group(1)), 12, 31), "year"))
    except ValueError:  # 31.02.2019: not a date, so nothing sure
        return None
    if len(found) != 1:
        return None
    day, precision = found[0]
    if day > as_of:
        day = as_of if precision != "day" and day.year == as_of.year else day  # "since 2026": up to today at most
    if day > as_of or day.year < 1950:
        return None
    return day, precision


def _status_in(clause: str) -> str | None:
    low = clause.lower()
    hits = {status for status, words in _STATUS_WORDS.items() if any(w in low for w in words)}
    return hits.pop() if len(hits) == 1 else None


def _children_in(clause: str) -> int | None:
    if _NO_CHILDREN.search(clause):
        return 0
    m = _CHILDREN.search(clause)
    if not m:
        return None
    word = m.group(1).lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


MAX_MESSAGES, MAX_MESSAGE_CHARS = 50, 4000  # the same cut as the chat's input check: bounded work per page


def _user_texts(history: Iterable[Any]) -> list[str]:
    texts: list[str] = []
    for item in history:
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, Mapping) and item.get("role", "user") == "user" and isinstance(item.get("text"), str):
            texts.append(item["text"])
    return [text[:MAX_MESSAGE_CHARS] for text in texts[-MAX_MESSAGES:]]


def propose_facts(history: Iterable[Any], as_of: date | None = None) -> list[ProposedFact]:
    """Facts the person's own chat messages state beyond doubt (answers of the assistant are ignored).
    `history`: strings or the app's message dicts ({"role": "user", "text": ...})."""
    today = as_of or date.today()
    seen: dict[str, list[ProposedFact]] = {}
    # Negated clauses are dropped, but a negated mention of a fact also makes other mentions doubtful.
    doubtful: set[str] = set()
    for text in _user_texts(history):
        normalised = text.translate(_DIGITS).replace("\u200c", " ")
        sentences = [m.group(0) for m in _SENTENCE.finditer(normalised) if m.group(0).strip()]
        # A question asks about the law, it does not state the person's case.
        clauses = [c for s in sentences if not s.rstrip().endswith(("?", "؟")) for c in _CLAUSE_SPLIT.split(s)]
        for clause in clauses:
            clause = clause.strip()
            if not clause:
                continue
            status = _status_in(clause)
            no_children = bool(_NO_CHILDREN.search(clause))
            if _NEGATION.search(clause) and not no_children:
                if status:
                    doubtful.update({"status", "duldung_since"})
                if _FULL_TIME.search(clause) or _HOURS.search(clause) or re.search(r"teilzeit|part[- ]time|minijob", clause, re.I):
                    doubtful.add("employment_hours_per_week")
                continue
            proposals: list[ProposedFact] = []
            when = _date_in(clause, today) if status else None
            if status and (when or _FIRST_PERSON.search(clause)):
                proposals.append(ProposedFact(fact="status", value=status, source_text=clause))
                if status == "duldung" and when:
                    proposals.append(ProposedFact(fact="duldung_since", value=when[0].isoformat(), source_text=clause,
                                                  precision=when[1]))
            hours = _HOURS.search(clause)
            if hours:
                proposals.append(ProposedFact(fact="employment_hours_per_week", value=float(hours.group(1).replace(",", ".")),
                                              source_text=clause))
            elif _FULL_TIME.search(clause):
                proposals.append(ProposedFact(fact="employment_hours_per_week", value=FULL_TIME_HOURS, source_text=clause,
                                              assumption="full_time"))
            children = _children_in(clause)
            if children is not None:
                proposals.append(ProposedFact(fact="minor_children_in_household", value=children, source_text=clause))
            for proposal in proposals:
                seen.setdefault(proposal.fact, []).append(proposal)
    out = []
    for fact, items in seen.items():
        values = {repr(p.value) for p in items}
        if fact in doubtful or len(values) != 1:
            continue  # the messages disagree: not sure, so not proposed
        out.append(items[-1])
    # hours above a week's length are not a job description we understand
    return [p for p in out if not (p.fact == "employment_hours_per_week" and not 0 < p.value <= 80)]


def facts_from_chat(history: Iterable[Any], as_of: date | None = None) -> dict[str, Any]:
    """The proposed facts as a plain mapping (fact name -> value in CaseFacts form)."""
    return {p.fact: p.value for p in propose_facts(history, as_of)}


# --- which rule the check opens on ---------------------------------------------------------------
_PROVISION = re.compile(r"^(AufenthG|AufenthV|AsylG) § (\d+[a-z]?)")


def provision_of(citation: str) -> str | None:
    """'AufenthG § 25b Abs. 1 Satz 2 Nr. 1' -> 'AufenthG § 25b'."""
    m = _PROVISION.match(citation.strip())
    return f"{m.group(1)} § {m.group(2)}" if m else None


def case_check_target(answer: Answer | None) -> str | None:
    """The rule id the check should open on for `answer`: the rule of the answer's main provision
    (its verdict's rule, else the first provision cited in the direct answer, else in any block,
    else the best retrieved one) through the one provision -> rule map of `rules`; None if that
    provision has no rule."""
    if answer is None or answer.could_not_answer:
        return None
    for verdict in answer.verdicts:
        return verdict.rule_id
    direct = [c.citation for b in answer.blocks if b.kind in {"direct", "lead"} for c in b.citations]
    candidates = [*direct, *answer.cited_provisions, *(r.provision for r in answer.retrieved[:1])]
    for citation in candidates:
        provision = provision_of(citation)
        if provision is None:
            continue
        if provision in PROVISION_RULE_IDS:
            return PROVISION_RULE_IDS[provision][0]
        return None  # the main provision has no rule: do not send the person to another one
    return None


__all__ = ["ProposedFact", "propose_facts", "facts_from_chat", "case_check_target", "provision_of", "FULL_TIME_HOURS"]
