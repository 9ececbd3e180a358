"""`python -m knowledge check | list | pin | review-needed`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Optional

import typer

from knowledge.checks import check_entries, content_problems, current_pins
from knowledge.loader import load_entries
from knowledge.problems import KnowledgeLoadError
from knowledge.statute import StatuteLookup
from knowledge.statute_source import StatuteSourceError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The answer knowledge base: check, list, pin, review-needed.")

EntriesOption = typer.Option(None, "--entries", "-e", help="entry file or folder (repeatable); default knowledge/entries/")
CorpusOption = typer.Option(None, "--corpus", help="statute corpus folder (like `python -m ingest --corpus`); default the shared corpus")
IndexOption = typer.Option(False, "--index", help="check against the live Chroma index instead of the corpus files")


def _bad_input(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _statute(corpus: Optional[Path], use_index: bool) -> StatuteLookup:
    try:
        return StatuteLookup.from_index() if use_index else StatuteLookup.from_corpus(corpus_dir=corpus)
    except StatuteSourceError as exc:
        raise _bad_input(f"cannot read the statute: {exc}") from None


def _load(entries: Optional[list[Path]]):
    try:
        return load_entries(entries)
    except KnowledgeLoadError as exc:
        raise _bad_input(str(exc)) from None


@app.command()
def check(
    entries: Optional[list[Path]] = EntriesOption,
    corpus: Optional[Path] = CorpusOption,
    index: bool = IndexOption,
    require_pins: bool = typer.Option(False, "--require-pins", help="an unpinned span is a problem (always so in CI for knowledge/entries)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="only the summary"),
) -> None:
    """Run the checks of kb_schema.md; exit 1 on any problem, 2 on unreadable input."""
    from knowledge.checks import load_eval_questions
    from knowledge.statute_source import eval_question_files

    loaded = _load(entries)
    statute = _statute(corpus, index)
    eval_questions = load_eval_questions(eval_question_files())
    problems = loaded.problems + check_entries(loaded.entries, statute, require_pins=require_pins, eval_questions=eval_questions)
    if not quiet:
        for problem in problems:
            typer.echo(str(problem))
    bad_entries = {(p.file, p.entry_id) for p in problems}
    by_check = Counter(p.check for p in problems)
    typer.echo(
        f"{len(loaded.files)} file(s), {len(loaded.entries) + len({(p.file, p.entry_id) for p in loaded.problems})} entries, "
        f"{len(bad_entries)} with problems, {len(problems)} problem(s)"
        + (f" [{', '.join(f'{k}: {v}' for k, v in sorted(by_check.items()))}]" if problems else "")
    )
    for path in loaded.files:
        n = sum(1 for p in problems if p.file == path)
        if len(loaded.files) > 1:
            typer.echo(f"  {path}: {n} problem(s)")
    raise typer.Exit(1 if problems else 0)


@app.command("list")
def list_entries(
    entries: Optional[list[Path]] = EntriesOption,
    corpus: Optional[Path] = CorpusOption,
    index: bool = IndexOption,
    as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD (default today)"),
) -> None:
    """One line per entry: id, topic, status, provisions, service status."""
    from knowledge.service import service_status

    loaded = _load(entries)
    statute = _statute(corpus, index)
    day = _day(as_of)
    statuses = service_status(loaded.entries, statute, day)
    for entry in loaded.entries:
        status = statuses[entry.id]
        typer.echo(f"{entry.id:50} {entry.topic:15} {entry.review.status:9} {status.state:14} {', '.join(sorted(entry.provisions))}")
    typer.echo(f"{len(loaded.entries)} entries; " + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(s.state for s in statuses.values()).items())))


@app.command()
def pin(
    entries: Optional[list[Path]] = EntriesOption,
    corpus: Optional[Path] = CorpusOption,
    index: bool = IndexOption,
    force: bool = typer.Option(False, "--force", help="pin entries even if their content checks fail"),
) -> None:
    """Write, per span citation, the sha256 of the cited sentence into `[entry.review] pins`.

    Pin only after reviewing the entry against the current statute: pinning says "this entry is
    right for this wording". Entries with content problems are skipped unless --force."""
    from knowledge.pins import write_pins

    loaded = _load(entries)
    statute = _statute(corpus, index)
    skipped = 0
    by_file: dict[Path, dict[str, dict[str, str]]] = {}
    for entry in loaded.entries:
        problems = content_problems(entry, statute)
        if problems and not force:
            skipped += 1
            typer.echo(f"skipped {entry.id}: {len(problems)} problem(s), first: {problems[0].field}: {problems[0].reason}")
            continue
        by_file.setdefault(entry.source_file, {})[entry.id] = current_pins(entry, statute)
    changed = 0
    for path, pins in by_file.items():
        try:
            ids = write_pins(path, pins)
        except KnowledgeLoadError as exc:
            raise _bad_input(str(exc)) from None
        changed += len(ids)
        for entry_id in ids:
            typer.echo(f"pinned {entry_id} ({path})")
    typer.echo(f"{changed} entr{'y' if changed == 1 else 'ies'} (re)pinned, {skipped} skipped")
    raise typer.Exit(1 if skipped else 0)


@app.command("review-needed")
def review_needed_cmd(
    entries: Optional[list[Path]] = EntriesOption,
    corpus: Optional[Path] = CorpusOption,
    index: bool = IndexOption,
) -> None:
    """Entries whose pinned statute sentences changed (or vanished): exit 1 if any."""
    from knowledge.service import review_needed

    loaded = _load(entries)
    statute = _statute(corpus, index)
    found = review_needed(statute, loaded.entries)
    for item in found:
        typer.echo(f"{item.entry_id}: {'; '.join(item.reasons)}")
    typer.echo(f"{len(found)} entr{'y needs' if len(found) == 1 else 'ies need'} review")
    raise typer.Exit(1 if found else 0)


def _day(value: Optional[str]) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _bad_input(f"--as-of must be YYYY-MM-DD (got {value!r})") from None


def main() -> None:  # pragma: no cover
    app()
