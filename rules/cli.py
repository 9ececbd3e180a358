"""`python -m rules ...`: check a case, run a case file, list conditions, or interview for missing facts.

User errors (bad file, bad facts, unknown rule) print one clean line to stderr and exit with code 2.
Nothing typed is written anywhere.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any, Optional

import typer

from rules.api import conditions as list_conditions, fact_kind, next_questions
from rules.case_files import CaseFileError, load_cases, run_case
from rules.checker import check as run_check
from rules.facts import CaseFacts, FactsError, FactsFileError, parse_facts, read_facts_json
from rules.i18n import LANGS, ui
from rules.registry import RULES, UnknownRuleError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Deterministic checks of AufenthG eligibility claims.")


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _load_facts(path: Path | None, as_of: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = read_facts_json(path.read_text(encoding="utf-8"))
        except OSError as err:
            fail(f"cannot read facts file {path}: {err.strerror or err}")
        except UnicodeDecodeError:
            fail(f"facts file {path} is not UTF-8 text")
        except FactsFileError as err:  # bad JSON, '[' x 200,000, a 5,000-digit number
            fail(f"facts file {path} {err}")
        if not isinstance(data, dict):
            fail(f"facts file {path} must hold one JSON object of case facts")
        if isinstance(data.get("facts"), dict) and "rule" in data:  # a whole rule case was given
            data = data["facts"]
    if as_of is not None:
        data["as_of"] = as_of
    return data


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        fail(f"--lang must be one of {', '.join(LANGS)}")
    return lang


def _check_rule(rule: str) -> str:
    if rule not in RULES:
        fail(str(UnknownRuleError(rule)))
    return rule


@app.command()
def check(
    rule: str = typer.Option(..., "--rule", help="rule id, e.g. aufenthg_25b"),
    facts: Optional[Path] = typer.Option(None, "--facts", help="JSON file with case facts (FORMAT.md vocabulary)"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="assessment date YYYY-MM-DD (default: today)"),
    lang: str = typer.Option("en", "--lang", help="language of labels and notes"),
    ics: Optional[Path] = typer.Option(None, "--ics", help="also write the key dates (from as_of on) as an iCalendar file"),
) -> None:
    """Print the verdict for one case as JSON, with its key dates (`key_dates`)."""
    _check_rule(rule)
    _check_lang(lang)
    data = _load_facts(facts, as_of)
    try:
        verdict = run_check(rule, data, lang=lang)
    except FactsError as err:
        fail(str(err))
    typer.echo(verdict.model_dump_json(indent=2))
    if ics is not None:
        from rules.ics import write_key_dates_ics

        try:
            count = write_key_dates_ics(ics, [verdict], lang)
        except OSError as err:
            fail(f"cannot write {ics}: {err.strerror or err}")
        typer.echo(f"{count} key date(s) written to {ics}", err=True)


@app.command()
def cases(file: Path = typer.Argument(..., help="rule-case file (.jsonl, FORMAT.md format)")) -> None:
    """Run a rule-case file: accuracy, wrong verdicts, missing facts not asked, key citations not cited."""
    try:
        loaded = load_cases(file)
    except CaseFileError as err:
        fail(str(err))
    except RecursionError:
        fail(f"{file} holds a line nested too deeply to be a rule case")
    except ValueError:  # json: a number of more than 4,300 digits
        fail(f"{file} holds a number too long to read")
    if not loaded:
        fail(f"{file} holds no cases")
    results = [run_case(c) for c in loaded]
    correct = sum(r.correct for r in results)
    typer.echo(f"accuracy: {correct}/{len(results)} = {correct / len(results):.1%}")
    wrong = [r for r in results if not r.correct]
    for r in wrong:
        got = r.verdict.verdict if r.verdict else f"error ({r.error})"
        typer.echo(f"  WRONG {r.case.id} [{r.case.rule}]: expected {r.case.expected}, got {got}")
    missing = [r for r in results if r.missing_not_asked]
    typer.echo(f"expected_missing not asked: {len(missing)}")
    for r in missing:
        typer.echo(f"  {r.case.id}: {', '.join(r.missing_not_asked)}")
    uncited = [r for r in results if r.citations_not_cited]
    typer.echo(f"key_citations not cited: {len(uncited)}")
    for r in uncited:
        typer.echo(f"  {r.case.id}: {', '.join(r.citations_not_cited)}")
    if wrong or missing or uncited:
        raise typer.Exit(code=1)


@app.command()
def conditions(
    rule: str = typer.Option(..., "--rule"),
    lang: str = typer.Option("en", "--lang"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
) -> None:
    """List what a provision requires, in plain language with citations."""
    _check_rule(rule)
    _check_lang(lang)
    try:
        items = list_conditions(rule, lang, as_of)
    except FactsError as err:
        fail(str(err))
    for item in items:
        typer.echo(f"- {item.label} [{item.citation}]")


@app.command(name="list")
def list_rules(lang: str = typer.Option("en", "--lang")) -> None:
    """List the rule ids."""
    _check_lang(lang)
    for rule_id, info in RULES.items():
        typer.echo(f"{rule_id}: {info.title.get(lang, info.title['en'])} ({info.provision})")


_YES = {"y", "yes", "j", "ja", "true", "1", "evet", "да", "так", "بله", "نعم"}
_NO = {"n", "no", "nein", "false", "0", "hayır", "hayir", "нет", "ні", "خیر", "نه", "لا"}


def parse_answer(fact: str, raw: str) -> Any:
    """Turn typed text into a fact value; raise ValueError with a clear message."""
    kind, choices = fact_kind(fact)
    text = raw.strip()
    if kind == "bool":
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise ValueError("answer yes or no")
    if kind == "choice":
        for choice in choices:
            if text.lower() == choice.lower():
                return choice
        raise ValueError("choose one of: " + ", ".join(choices))
    if kind == "int":
        if not text.isdigit():
            raise ValueError("enter a whole number (0 or more)")
        return int(text)
    if kind == "number":
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise ValueError("enter a number, e.g. 20 or 15.5") from None
        return value
    return text  # dates and free text are validated by CaseFacts


@app.command()
def ask(
    rule: str = typer.Option(..., "--rule"),
    facts: Optional[Path] = typer.Option(None, "--facts", help="facts you already know (JSON)"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    lang: str = typer.Option("en", "--lang"),
) -> None:
    """Short interview: asks only for facts still missing, most decisive first."""
    _check_rule(rule)
    _check_lang(lang)
    data = _load_facts(facts, as_of)
    try:
        parse_facts(data)
    except FactsError as err:
        fail(str(err))
    typer.echo(RULES[rule].title.get(lang, RULES[rule].title["en"]))
    typer.echo(ui("ui.disclaimer", lang))
    skipped: set[str] = set()
    while True:
        pending = [q for q in next_questions(rule, data, lang) if q.fact not in skipped]
        if not pending:
            break
        question = pending[0]
        hint = {"bool": ui("ui.yes_no", lang), "date": ui("ui.date_format", lang), "int": ui("ui.number", lang),
                "number": ui("ui.number", lang), "choice": ui("ui.choices", lang) + " " + "/".join(question.choices)}.get(question.kind, "")
        while True:
            typer.echo(f"{question.text} [{hint}] ({ui('ui.unknown_hint', lang)})")
            line = sys.stdin.readline()
            if line == "":  # end of input: stop asking, show what is known
                skipped.update(q.fact for q in pending)
                break
            if not line.strip():
                skipped.add(question.fact)
                break
            try:
                value = parse_answer(question.fact, line)
                parse_facts({**data, question.fact: value})
            except (ValueError, FactsError) as err:
                typer.echo(f"{ui('ui.invalid', lang)} ({question.fact}): {err}")
                continue
            data[question.fact] = value
            break
    verdict = run_check(rule, data, lang=lang)
    typer.echo(f"{ui('ui.result', lang)}: {verdict.verdict} – {ui('verdict.' + verdict.verdict, lang)}")
    for item in verdict.trace:
        typer.echo(f"  [{ui('outcome.' + item.outcome, lang)}] {item.label(lang)} ({item.citation})")
    if verdict.missing_facts:
        typer.echo(f"{ui('ui.missing', lang)}: {', '.join(verdict.missing_facts)}")
    for item in verdict.key_dates:
        typer.echo(f"> {item.label} ({item.citation})")
    for note in verdict.notes:
        typer.echo(f"* {note}")


@app.command()
def review(
    out: Path = typer.Option(..., "--out", help="folder for the pages (created if missing)"),
    format: list[str] = typer.Option(["md", "html"], "--format", help="md and/or html (repeat the option)"),
) -> None:
    """Write the review document for lawyers: one page per provision, generated from the rule modules."""
    from rules.review import write_review

    try:
        written = write_review(out, tuple(format))
    except ValueError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write into {out}: {err.strerror or err}")
    typer.echo(f"{len(written)} file(s) written to {out}")


def main() -> None:
    app()
