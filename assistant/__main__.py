"""Command line: `python -m assistant ask "..." [--facts case.json] [--json] [--lang xx]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Ask the residence-law assistant from the terminal.")


@app.callback()
def _main() -> None:
    """Legal information on German residence law (AufenthG, AufenthV), with citations."""


def _fail(message: str) -> None:
    """One line on stderr and exit code 2: a user error, never a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _load_facts(path: Path | None) -> dict | None:
    if path is None:
        return None
    from rules.facts import FactsError, FactsFileError, parse_facts, read_facts_json

    try:
        data = read_facts_json(path.read_text(encoding="utf-8"))
    except OSError as err:
        _fail(f"--facts {path}: cannot read the file ({err.strerror or err})")
    except UnicodeDecodeError:
        _fail(f"--facts {path}: not UTF-8 text")
    except FactsFileError as err:  # bad JSON, '[' x 200,000, a 5,000-digit number
        _fail(f"--facts {path}: {err}")
    if not isinstance(data, dict):
        _fail(f"--facts {path}: expected a JSON object of case facts")

    try:
        parse_facts(data)
    except FactsError as err:  # names the field; shows the value only in part
        _fail(f"--facts {path}: {err}")
    return data


@app.command()
def ask(
    question: str = typer.Argument(..., help="the question, in any supported language"),
    facts: Optional[Path] = typer.Option(None, "--facts", help="case facts as JSON (FORMAT.md vocabulary)"),
    as_json: bool = typer.Option(False, "--json", help="print the Answer as JSON"),
    lang: Optional[str] = typer.Option(None, "--lang", help="answer language: de en ar fa uk tr ru (default: detected)"),
) -> None:
    """Answer one question and print the answer with its citations."""
    from assistant.pipeline import ask as ask_pipeline

    case = _load_facts(facts)
    try:
        answer = ask_pipeline(question, facts=case, language=lang)
    except Exception as err:  # index missing etc.: a clear message, no traceback
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(answer.model_dump_json(indent=2))
        return
    for block in answer.blocks:  # the shown part, then the "more" marker, then the rest
        if block.kind == "more":
            typer.echo(f"──── {block.text} ────\n")
            continue
        typer.echo(block.text)
        for c in block.citations:
            kind = "binding" if c.binding else "not binding"
            typer.echo(f"   [{c.citation}] {c.source_title} ({kind}) {c.url}")
        typer.echo("")
    if answer.could_not_answer:
        typer.echo("(could not answer from the sources)")
    cited = ", ".join(answer.cited_provisions) or "none"
    typer.echo(f"cited: {cited}")
    typer.echo("timings (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in answer.timings_ms.items()), err=True)


if __name__ == "__main__":
    sys.exit(app())
