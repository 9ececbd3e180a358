"""The review document for lawyers: one page per provision, generated from the rule modules, in the way
Catala weaves law and code.

For every condition of every rule a page shows the statute sentence (as the code quotes it, and the
verbatim excerpt checked against the corpus), what the checker does with it in plain words (the
plain-language label, the facts it reads and the question asked for each, how a failure counts), the
interpretation choices (remarks in the docstring outside the quotation, comments in the code, the
README's interpretation choices for the provision) and the cases of rules/cases/ that exercise it, with
the outcome and the checker's own account of each. Nothing here is written by hand: re-running
`python -m rules review --out DIR` after a change to a rule module updates the pages.
"""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rules import checker, dates, engine
from rules.case_files import OWN_CASES_DIR, CaseResult, load_cases, run_case
from rules.checker import statute_sentence
from rules.dates import SPECS, date_labels
from rules.engine import Condition, Rule
from rules.facts import CaseFacts, FactsError, parse_facts
from rules.i18n import condition_labels, note_labels, provision_key, question_labels, title_labels
from rules.registry import RULE_OBJECTS
from rules.verdict import ConditionResult

README = Path(__file__).resolve().parent / "README.md"
REVIEW_LANGS = ("en", "de")  # the labels shown; all seven languages are in rules/labels/

# --- a tiny document model, rendered as Markdown and as HTML ---------------------------------------
BlockKind = Literal["h1", "h2", "h3", "p", "quote", "ul", "links"]


@dataclass
class Block:
    kind: BlockKind
    text: str = ""
    items: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, page stem)
    anchor: str = ""  # HTML id, e.g. 'aufenthg_25a.age_limit_27'


_CODE_RE = re.compile(r"`([^`]+)`")


def _md_text(text: str) -> str:
    return text.replace("\n", " ")


def _html_text(text: str) -> str:
    return _CODE_RE.sub(r"<code>\1</code>", html.escape(text.replace("\n", " "), quote=False))


def render_markdown(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            out.append("#" * int(block.kind[1]) + " " + _md_text(block.text))
        elif block.kind == "p":
            out.append(_md_text(block.text))
        elif block.kind == "quote":
            out.append("\n".join("> " + line for line in block.text.splitlines() or [""]))
        elif block.kind == "ul":
            out.append("\n".join("- " + _md_text(item) for item in block.items))
        elif block.kind == "links":
            out.append("\n".join(f"- [{_md_text(text)}]({stem}.md)" for text, stem in block.links))
    return "\n\n".join(out) + "\n"


def render_html(blocks: Iterable[Block], title: str) -> str:
    body: list[str] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            anchor = f' id="{html.escape(block.anchor)}"' if block.anchor else ""
            body.append(f"<{block.kind}{anchor}>{_html_text(block.text)}</{block.kind}>")
        elif block.kind == "p":
            body.append(f"<p>{_html_text(block.text)}</p>")
        elif block.kind == "quote":
            body.append("<blockquote>" + "<br>".join(_html_text(line) for line in block.text.splitlines()) + "</blockquote>")
        elif block.kind == "ul":
            body.append("<ul>" + "".join(f"<li>{_html_text(item)}</li>" for item in block.items) + "</ul>")
        elif block.kind == "links":
            body.append("<ul>" + "".join(f'<li><a href="{html.escape(stem)}.html">{_html_text(text)}</a></li>'
                                         for text, stem in block.links) + "</ul>")
    style = ("body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
             "blockquote{border-left:4px solid #999;margin:0;padding:.2rem 1rem;background:#f6f6f6}"
             "h3{border-top:1px solid #ccc;padding-top:1rem}code{background:#eee;padding:0 .2rem}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


# --- reading the rule modules -------------------------------------------------------------------
def split_docstring(doc: str) -> tuple[list[str], list[str]]:
    """Quoted statute text ('...') and the remarks outside the quotes (pinpoints, interpretation notes)."""
    parts = doc.split("'")
    if len(parts) < 3 or len(parts) % 2 == 0:  # no quotation, or an apostrophe broke the pairing
        return [" ".join(doc.split())], []
    quotes = [" ".join(p.split()) for p in parts[1::2]]
    remarks = [" ".join(p.split()).strip(" –-:;,") for p in parts[0::2]]
    return quotes, [r for r in remarks if r]


_PINPOINT_TOKEN_RE = re.compile(r"§+|Abs\.|Satz|Nr\.|Buchst\.|Fassung|bis|with|and|und|introduced|by|current|old|"
                                r"AufenthG|BZRG|[0-9][0-9.]*[a-z]?|\b[a-z]\b|[/,;:.–()-]")


def is_pinpoint(text: str) -> bool:
    """'Abs. 1 Satz 1 Nr. 1 a / Nr. 2', '(Fassung bis 31.12.2025)', 'introduced by Abs. 2': where, not how."""
    return len(_PINPOINT_TOKEN_RE.sub(" ", text).split()) == 0


def interpretation_remarks(remarks: list[str]) -> list[str]:
    """Remarks that say more than a pinpoint: parenthesised notes and other text outside the quotation."""
    notes = []
    for remark in remarks:
        parenthesised = re.findall(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", remark)
        rest = re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*\)", "", remark).strip(" –-:;,")
        notes.extend(" ".join(item.split()).strip(" .,") for item in [*parenthesised, rest] if not is_pinpoint(item))
    return notes


def code_comments(condition: Condition) -> list[str]:
    try:
        source = inspect.getsource(condition.test)
    except (OSError, TypeError):
        return []
    return [m.strip() for m in re.findall(r"#\s*(.+)$", source, flags=re.MULTILINE) if "type: ignore" not in m]


def failure_effect(condition: Condition, waivable_seen: bool = False) -> str:
    try:
        source = inspect.getsource(condition.test)
    except (OSError, TypeError):
        source = ""
    effects = ["an unknown fact gives `needs_info` (never `met`)"]
    if "waivable=True" in source or waivable_seen:
        effects.append("a failure the authority may overlook gives `discretionary` (e.g. § 5 Abs. 3 Satz 2)")
    effects.append("any other failure gives `not_met`")
    if "applicable=False" in source:
        effects.append("it can be `not_applicable` on the facts (then it does not count)")
    if condition.any_of:
        effects.append(f"it is one of the alternatives of the group `{condition.any_of}`: one met alternative suffices")
    return "; ".join(effects) + "."


def readme_choices() -> list[str]:
    """The bullets of the README's 'Interpretation choices' section (one string each)."""
    if not README.exists():
        return []
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Interpretation choices.*?$(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    if not match:
        return []
    bullets: list[str] = []
    for line in match.group(1).splitlines():
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
    return bullets


def _mentions(bullet: str, provision: str) -> bool:
    number = provision.rsplit("§ ", 1)[-1]
    return re.search(rf"§ {re.escape(number)}(?![0-9a-z])", bullet) is not None


@dataclass
class CaseRuns:
    by_rule: dict[str, list[CaseResult]]

    @classmethod
    def load(cls, folder: Path = OWN_CASES_DIR) -> CaseRuns:
        by_rule: dict[str, list[CaseResult]] = {}
        for path in sorted(folder.glob("*.jsonl")):
            for case in load_cases(path):
                by_rule.setdefault(case.rule, []).append(run_case(case))
        return cls(by_rule)


def _case_line(result: CaseResult, condition: Condition) -> str | None:
    if result.verdict is None:
        return None
    item = next((t for t in result.verdict.trace if t.condition_id == condition.id), None)
    if item is None:  # the case is judged on another text version
        return None
    got = result.verdict.verdict
    check = "" if got == result.case.expected else f" – ⚠ the checker says `{got}`"
    detail = f" ({item.detail})" if item.detail else ""
    return (f"`{result.case.id}` – {result.case.description or 'no description'} – this condition: `{item.outcome}`{detail};"
            f" expected verdict `{result.case.expected}`{check}")


def _observed(rule: Rule, condition: Condition, runs: CaseRuns) -> list[ConditionResult]:
    found = []
    for result in runs.by_rule.get(rule.rule_id, []):
        if result.verdict is not None:
            found.extend(t for t in result.verdict.trace if t.condition_id == condition.id)
    return found


def condition_blocks(rule: Rule, condition: Condition, runs: CaseRuns) -> list[Block]:
    labels = condition_labels(rule.provision, condition.id)
    quotes, remarks = split_docstring(condition.statute)
    blocks = [Block("h3", f"`{condition.id}` – {labels.get('en', condition.id)}", anchor=f"{rule.rule_id}.{condition.id}")]
    cited = condition.citation + (f" (also: {', '.join(condition.cited_also)})" if condition.cited_also else "")
    blocks.append(Block("p", f"Citation: {cited}"))
    blocks.append(Block("p", "The statute, as the code quotes it:"))
    blocks.append(Block("quote", "\n".join(quotes)))
    blocks.append(Block("p", f"Verbatim excerpt shown to users and checked against the corpus: “{statute_sentence(condition)}”"))

    does = [f"In plain words ({lang}): {labels[lang]}" for lang in REVIEW_LANGS if lang in labels]
    for fact in condition.facts:
        question = question_labels(fact).get("en", "")
        does.append(f"Reads the fact `{fact}` – asked as: “{question}”")
    if not condition.facts:
        does.append("Reads no fact of the person: it depends only on the assessment date (as_of).")
    observed = _observed(rule, condition, runs)
    waivable_seen = any(item.waivable for item in observed)
    does.append("Effect: " + failure_effect(condition, waivable_seen))
    if observed:
        counts: dict[str, int] = {}
        for item in observed:
            name = item.outcome + (" (waivable)" if item.waivable else "")
            counts[name] = counts.get(name, 0) + 1
        does.append("Outcomes in the cases of rules/cases/: " + ", ".join(f"`{k}` ×{v}" for k, v in sorted(counts.items())) + ".")
    for spec in SPECS.get(rule.rule_id, ()):
        if condition.id in (spec.condition_id, *spec.also_for):
            template = date_labels("en")[f"{rule.rule_id}.{spec.key}"]
            does.append(f"Gives a date ({spec.kind}, {spec.citation}): “{template}” – {spec.explains}")
    blocks.append(Block("p", "What the checker does with it:"))
    blocks.append(Block("ul", items=does))

    choices = interpretation_remarks(remarks) + code_comments(condition)
    blocks.append(Block("p", "Interpretation choice:"))
    blocks.append(Block("ul", items=choices or ["None recorded in the code: the sentence is applied as written."]))

    testing, met = [], []
    for result in runs.by_rule.get(rule.rule_id, []):
        line = _case_line(result, condition)
        if line is None:
            continue
        outcome = next(t.outcome for t in result.verdict.trace if t.condition_id == condition.id)  # type: ignore[union-attr]
        (met if outcome == "met" else testing).append((result.case.id, line))
    blocks.append(Block("p", "Cases that test it (the condition is not met, unknown or not applicable):"))
    blocks.append(Block("ul", items=[line for _, line in testing]
                        or ["⚠ No case in rules/cases/ makes this condition fail or stay unknown."]))
    if met:
        blocks.append(Block("p", f"Met in {len(met)} further case(s): " + ", ".join(f"`{cid}`" for cid, _ in met) + "."))
    return blocks


# Days on which the statute texts the rules encode differ (closed schemes, new versions of § 25a, § 25b,
# § 60d, § 104c): probing them finds conditions a rule selects only for some as_of.
PROBE_DAYS = ("2005-01-01", "2008-01-01", "2010-06-01", "2019-06-01", "2021-06-01", "2023-06-01", "2024-06-01", "2026-06-01")


def all_conditions(rule: Rule, runs: CaseRuns | None = None) -> list[Condition]:
    """Every condition of every text version: the rule's own list, what it selects on the probe days and
    on the facts of its cases. First occurrence wins; the order is the rule's."""
    found: dict[str, Condition] = {c.id: c for c in rule.conditions}
    facts = [CaseFacts(as_of=day) for day in PROBE_DAYS]  # type: ignore[arg-type]
    for result in (runs.by_rule.get(rule.rule_id, []) if runs else []):
        try:
            facts.append(parse_facts(result.case.facts))
        except FactsError:
            continue
    for item in facts:
        for condition in rule.conditions_for(item):
            found.setdefault(condition.id, condition)
    return list(found.values())


def rule_blocks(rule: Rule, runs: CaseRuns) -> list[Block]:
    title = title_labels(rule.rule_id)
    module = inspect.getmodule(rule.conditions[0].test) if rule.conditions else None
    blocks = [Block("h2", f"Claim `{rule.rule_id}` – {title.get('en', rule.rule_id)}")]
    if "de" in title:
        blocks.append(Block("p", f"Deutsch: {title['de']}"))
    when_all_met = ("`met` (the statute says “ist” or “soll”: a right, or one in the regular case)" if rule.mode == "met"
                    else "`discretionary` (the statute says “darf” or “kann”: the authority decides)")
    facts = [f"In force from {rule.in_force_from}" + (f", last day {rule.in_force_until}" if rule.in_force_until else "")
             + (" (closed scheme)" if rule.closed else "") + ".",
             f"When every condition holds, the verdict is {when_all_met}.",
             "Statute files: " + ", ".join(f"shared/corpus/statutes/{name}" for name in rule.statute_files) + "."]
    if rule.select is not None:
        facts.append("Which conditions apply depends on the text in force on as_of (several text versions are encoded; "
                     "every condition of every version is listed below).")
    blocks.append(Block("ul", items=facts))
    if module is not None and module.__doc__:
        blocks.append(Block("p", "The module's own account:"))
        blocks.append(Block("quote", module.__doc__.strip()))
    notes = [note_labels(key).get("en", key) for key in rule.notes]
    if notes:
        blocks.append(Block("p", "Notes always given with the verdict:"))
        blocks.append(Block("ul", items=notes))
    for condition in all_conditions(rule, runs):
        blocks.extend(condition_blocks(rule, condition, runs))
    return blocks


def provision_pages(runs: CaseRuns | None = None) -> dict[str, tuple[str, list[Block]]]:
    """Page stem -> (title, blocks), one page per provision (rules of one provision share a page)."""
    runs = runs or CaseRuns.load()
    by_provision: dict[str, list[Rule]] = {}
    for rule in RULE_OBJECTS.values():
        by_provision.setdefault(rule.provision, []).append(rule)
    choices = readme_choices()
    pages: dict[str, tuple[str, list[Block]]] = {}
    for provision, rules in by_provision.items():
        title = f"{provision} – review of the rule checker"
        blocks = [Block("h1", title),
                  Block("p", "Generated by `python -m rules review` from the rule modules, their labels and the cases in "
                             "rules/cases/. For each condition: the statute sentence, what the checker does with it, the "
                             "interpretation choice and the cases that test it."),
                  Block("links", links=[("Index of all provisions", "index")])]
        mine = [c for c in choices if _mentions(c, provision)]
        if mine:
            blocks.append(Block("p", "Interpretation choices for this provision (rules/README.md):"))
            blocks.append(Block("ul", items=mine))
        for rule in rules:
            blocks.extend(rule_blocks(rule, runs))
        pages[provision_key(provision)] = (title, blocks)
    return pages


def index_blocks(pages: dict[str, tuple[str, list[Block]]]) -> list[Block]:
    combine_doc = (checker.__doc__ or "").strip()
    blocks = [Block("h1", "Rule checker – review document"),
              Block("p", "One page per provision. Each page is generated from the rule modules (docstrings, condition "
                         "metadata, labels) and the cases in rules/cases/; regenerate with `python -m rules review --out DIR`."),
              Block("links", links=[(title.split(" – ")[0], stem) for stem, (title, _) in pages.items()]),
              Block("h2", "How conditions combine into a verdict"),
              Block("quote", combine_doc),
              Block("h2", "How unknown facts and periods are handled"),
              Block("quote", (engine.__doc__ or "").strip()),
              Block("quote", inspect.cleandoc(engine.period_complete.__doc__ or "")),
              Block("quote", inspect.cleandoc(engine.last_day_of_life_year.__doc__ or "")),
              Block("h2", "How the key dates are computed"),
              Block("quote", (dates.__doc__ or "").strip())]
    general = [c for c in readme_choices() if not any(_mentions(c, rule.provision) for rule in RULE_OBJECTS.values())]
    if general:
        blocks.append(Block("h2", "Interpretation choices for all provisions (rules/README.md)"))
        blocks.append(Block("ul", items=general))
    return blocks


def write_review(out: Path, formats: tuple[str, ...] = ("md", "html")) -> list[Path]:
    """Write index + one page per provision into `out`; returns the files written."""
    unknown = set(formats) - {"md", "html"}
    if unknown:
        raise ValueError(f"unknown review format(s): {', '.join(sorted(unknown))}; use md and/or html")
    out.mkdir(parents=True, exist_ok=True)
    pages = provision_pages()
    documents = {"index": ("Rule checker – review document", index_blocks(pages)), **pages}
    written = []
    for stem, (title, blocks) in documents.items():
        if "md" in formats:
            path = out / f"{stem}.md"
            path.write_text(render_markdown(blocks), encoding="utf-8")
            written.append(path)
        if "html" in formats:
            path = out / f"{stem}.html"
            path.write_text(render_html(blocks, title), encoding="utf-8")
            written.append(path)
    return written


__all__ = ["write_review", "provision_pages", "render_markdown", "render_html", "split_docstring"]
