"""Embedding speed of the configured model: load time, query latency, passages/s.

Run: ``.venv/bin/python benchmarks/embedding_bench.py [--long 64] [--short 256]``

Long passages are ~1,000-character German Absätze cut at run time from the statute files in
``settings.shared_dir`` (nothing copied into the repo). Each configuration (max_seq_length x
batch size) is timed after one warm-up batch. The machine is shared, so expect noise.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from core.settings import get_settings  # noqa: E402


def german_absaetze(shared_dir: Path, target_chars: int = 1000, limit: int = 64) -> list[str]:
    """Paragraph groups of about ``target_chars`` from the per-§ Markdown files (YAML header skipped)."""
    texts: list[str] = []
    for path in sorted((shared_dir / "corpus" / "statutes").glob("aufenth*.md")):
        body = path.read_text().split("---", 2)[-1]
        current = ""
        for paragraph in re.split(r"\n\s*\n", body):
            paragraph = paragraph.strip()
            if not paragraph or paragraph.startswith("#"):
                continue
            current = f"{current}\n{paragraph}".strip()
            if len(current) >= target_chars:
                texts.append(current[: int(target_chars * 1.2)])
                current = ""
        if len(texts) >= limit:
            break
    return texts[:limit]


def short_sentences(absaetze: list[str], limit: int) -> list[str]:
    sentences = [s.strip() for text in absaetze for s in re.split(r"(?<=[.;:])\s+", text) if 40 <= len(s.strip()) <= 140]
    while len(sentences) < limit:
        sentences += sentences
    return sentences[:limit]


def rate(embedder, texts: list[str], batch_size: int) -> float:
    embedder.batch_size = batch_size
    embedder.embed_passages(texts[:batch_size])  # warm-up (allocations, thread pools)
    start = time.perf_counter()
    embedder.embed_passages(texts)
    return len(texts) / (time.perf_counter() - start)


def main(long: int = typer.Option(64, help="number of long Absätze"), short: int = typer.Option(256, help="number of short sentences")) -> None:
    settings = get_settings()
    start = time.perf_counter()
    import torch  # noqa: F401 - timed separately: every process pays it once
    from index.embedder import get_embedder

    import_seconds = time.perf_counter() - start
    start = time.perf_counter()
    embedder = get_embedder(settings.model_copy(update={"embedding_max_seq_length": 512}))
    load_seconds = time.perf_counter() - start
    print(f"model {embedder.model_name}  dim {embedder.dimension}  torch threads {torch.get_num_threads()}")
    print(f"import torch+sentence-transformers: {import_seconds:.1f} s   model load: {load_seconds:.1f} s")

    embedder.embed_queries(["Aufwärmen"])
    latencies = []
    for _ in range(20):
        start = time.perf_counter()
        embedder.embed_queries(["Darf ich mit einer Duldung arbeiten?"])
        latencies.append(time.perf_counter() - start)
    print(f"one short query: median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")

    absaetze = german_absaetze(settings.shared_dir, limit=long)
    sentences = short_sentences(absaetze, short)
    tokens = sorted(embedder.count_tokens(text) for text in absaetze)
    print(f"{len(absaetze)} Absätze, mean {statistics.mean(map(len, absaetze)):.0f} chars, tokens median "
          f"{tokens[len(tokens) // 2]}, max {tokens[-1]}, over 256: {sum(t > 256 for t in tokens)}")
    print(f"{len(sentences)} short sentences, mean {statistics.mean(map(len, sentences)):.0f} chars")

    print(f"{'max_seq':>8} {'batch':>6} {'short/s':>9} {'long/s':>8}")
    for max_seq in (256, 512):
        embedder.model.max_seq_length = max_seq
        for batch in (16, 32, 64):
            print(f"{max_seq:>8} {batch:>6} {rate(embedder, sentences, batch):>9.1f} {rate(embedder, absaetze, batch):>8.1f}",
                  flush=True)


if __name__ == "__main__":
    typer.run(main)
