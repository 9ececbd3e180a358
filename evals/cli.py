"""`python -m evals run ...`: the offline evaluation from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from core.settings import REPO_ROOT, get_settings

app = typer.Typer(add_completion=False, help="Offline evaluation of the assistant (questions, rule cases, baselines).")

OWN_DIR = REPO_ROOT / "evals"


@app.callback()
def main() -> None:
    """Offline evaluation of the assistant."""


@app.command("run")
def run_cmd(
    questions: Path = typer.Option(None, help="questions JSONL (FORMAT.md); default: the project's own set"),
    rule_cases: Path = typer.Option(None, "--rule-cases", help="rule cases JSONL; default: the project's own set"),
    out: Path = typer.Option(Path("evals/out"), help="output folder for report.md, results.json and plots"),
    baselines: bool = typer.Option(False, "--baselines", help="also run BM25 only, dense only and a naive LangChain RAG"),
    subset: int = typer.Option(0, help="only N questions, spread over languages and categories (0: all)"),
    dev: bool = typer.Option(False, "--dev", help="use the shared development set (../shared/evals)"),
    no_rules: bool = typer.Option(False, "--no-rules", help="skip the rule cases"),
    progress: bool = typer.Option(True, help="show a progress bar"),
) -> None:
    """Run the evaluation, print the summary and write the report. Exit code 1 if a safety measure is not 0."""
    from evals.formats import EvalFormatError, load_questions, load_rule_cases
    from evals.report import print_summary, write_report
    from evals.runner import run, stratified_subset, write_results

    settings = get_settings()
    shared = settings.shared_dir / "evals"
    if dev:
        questions = questions or shared / "questions.jsonl"
        rule_cases = rule_cases or shared / "rule_cases.jsonl"
    questions = questions or OWN_DIR / "questions.jsonl"
    rule_cases = rule_cases or OWN_DIR / "rule_cases.jsonl"
    try:
        items = load_questions(questions)
        cases = [] if no_rules else load_rule_cases(rule_cases)
    except EvalFormatError as exc:
        typer.secho(f"Error: {exc}", fg="red", err=True)
        raise typer.Exit(2) from None
    except (RecursionError, ValueError) as exc:  # a line nested thousands deep, a 5,000-digit number
        reason = "a line is nested too deeply" if isinstance(exc, RecursionError) else "a line holds a value that cannot be read"
        typer.secho(f"Error: {questions} / {rule_cases}: {reason}", fg="red", err=True)
        raise typer.Exit(2) from None
    if subset:
        items = stratified_subset(items, subset)
    names = ["pipeline", "bm25", "dense", "naive_rag"] if baselines else ["pipeline"]
    try:
        result = run(settings, items, cases, names, str(questions), "" if no_rules else str(rule_cases), progress=progress)
    except Exception as exc:  # e.g. no index yet: say so instead of a traceback
        typer.secho(f"Error: the evaluation could not start: {type(exc).__name__}: {exc}", fg="red", err=True)
        raise typer.Exit(2) from None
    write_results(result, out)
    title = f"Evaluation: {questions.name}" + (" (shared dev set)" if dev else "")
    report = write_report(result, out, title)
    print_summary(result, title)
    typer.echo(f"Wrote {report}, {out / 'results.json'}, {out / 'hit5_by_language.png'}, {out / 'latency.png'}")
    if result.safety_failures:
        typer.secho(f"SAFETY FAILURE: {result.safety_failures} hallucinated citations / unverified claims (must be 0)", fg="red", err=True)
        raise typer.Exit(1)
    if result.errors:
        typer.secho(f"{result.errors} items failed with an error (see results.json)", fg="red", err=True)
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
