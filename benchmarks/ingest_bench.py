"""Ingest and retrieval figures for the full corpus.

    python benchmarks/ingest_bench.py [--skip-cold]

Prints: cold ingest time, chunks/s, peak memory; embedding-model-only time for the same
chunks in the same run (target: cold ingest <= 1.2x model-only); re-ingest of the unchanged
corpus (target < 5 s); warm query latency p50/p95 over ~50 queries (target p95 < 100 ms).
Retrieval quality (dense only, BM25 only, the full pipeline) is `python -m evals run --baselines`.

Chunking and embedding choices (see ingest/split.py): max_seq_length 256 tokens, chunks of
at most ~1,000 characters (≈230 tokens at ~4.3 characters/token), texts sorted by length
before batching (batch size settings.embedding_batch_size), so padding stays small.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-cold", action="store_true", help="use the default index; skip cold ingest and model-only timing")
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()

    from core.settings import get_settings
    from index.embedder import get_embedder
    from ingest.manifest import load_manifest
    from ingest.pipeline import EMBED_SLICE, build_chunks, run_ingest
    from index.store import open_index

    base = get_settings()
    embedder = get_embedder(base)
    embedder.embed_passages(["warm-up"])  # model load is not part of either timing
    print(f"model {embedder.model_name}, max_seq_length {embedder.max_seq_length}, batch {embedder.batch_size}, "
          f"texts sorted by length, chunks <= ~1000 chars")

    if args.skip_cold:
        settings = base
    else:
        tmp = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
        settings = base.model_copy(update={"index_dir": tmp / "index"})
        # model only: the same texts, same order and slices as the pipeline uses
        prepared, *_ = build_chunks(load_manifest(settings.manifest_path, settings.shared_dir))
        texts = sorted((p.embed_text for p in prepared), key=len)
        t0 = time.perf_counter()
        for start in range(0, len(texts), EMBED_SLICE):
            embedder.embed_passages(texts[start : start + EMBED_SLICE])
        model_only = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = run_ingest(settings)
        cold = time.perf_counter() - t0
        print(f"cold ingest: {cold:.1f} s for {result.total_chunks} chunks = {result.total_chunks / cold:.1f} chunks/s "
              f"(embedding stage {result.embed_seconds:.1f} s)")
        print(f"model only, same chunks: {model_only:.1f} s = {len(texts) / model_only:.1f} chunks/s")
        print(f"ratio cold ingest / model only: {cold / model_only:.2f} (target <= 1.2)")
        print(f"peak memory (max RSS of this process): {peak_rss_mb():.0f} MB")

    t0 = time.perf_counter()
    again = run_ingest(settings)
    print(f"re-ingest unchanged corpus: {time.perf_counter() - t0:.2f} s (unchanged={again.unchanged}; target < 5 s)")

    index = open_index(settings)
    questions = [json.loads(line) for line in (settings.shared_dir / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]

    # warm query latency (embedding the query + Chroma search)
    index.search("warm-up", k=5)
    latencies = []
    for q in (questions * 2)[: args.queries]:
        t0 = time.perf_counter()
        index.search(q["question"], k=5)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
    print(f"warm query latency over {len(latencies)} queries: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms (target p95 < 100 ms)")

    # Retrieval quality (BM25 only, dense only, the full pipeline) is measured by
    # `python -m evals run --baselines`, not here.


if __name__ == "__main__":
    main()
