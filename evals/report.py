"""report.md for counsellors, the PNG plots, and the console summary table."""

from __future__ import annotations

from pathlib import Path

from evals.runner import RunResult
from evals.systems import SYSTEM_LABELS

LANG_NAMES = {"de": "German", "en": "English", "ar": "Arabic", "fa": "Farsi", "uk": "Ukrainian", "tr": "Turkish", "ru": "Russian"}
HEADLINE = [
    ("hit1_prov", "Gold § at rank 1"),
    ("hit5_prov", "Gold § in top 5"),
    ("mrr_prov", "MRR (§)"),
    ("hit5_abs", "Gold Absatz in top 5"),
    ("mrr_abs", "MRR (Absatz)"),
    ("citation_correct", "Answer cites gold"),
    ("must_include_coverage", "Expected content present"),
    ("must_not_include_violation", "Unsafe phrase present"),
    ("refusal_precision", "Refusal precision"),
    ("refusal_recall", "Refusal recall"),
    ("direct_answer", "Direct answer (expected content in lead)"),
    ("lead_language", "Lead in question's language"),
    ("lead_cites_gold", "Lead cites gold §"),
]


def pct(v) -> str:
    return "–" if v is None else f"{100 * v:.0f} %"


def ms(v) -> str:
    if v is None:
        return "–"
    return f"{v:.1f} ms" if v < 10 else f"{v:,.0f} ms"


def summary_rows(result: RunResult) -> list[tuple[str, list[str]]]:
    """(measure label, one cell per system) incl. the ratio to the full pipeline in brackets."""
    systems = result.summary["systems"]
    base = systems.get("pipeline", {}).get("overall", {})
    rows = []
    for key, label in HEADLINE + [("shown_chars", "Shown characters median / p90"), ("latency", "Latency p50 / p95")]:
        cells = []
        for name in result.systems:
            o = systems[name]["overall"]
            if key == "shown_chars":
                sc = o.get("shown_chars") or {}
                cells.append(f"{sc.get('median', 0):,.0f} / {sc.get('p90', 0):,.0f}")
                continue
            if key == "latency":
                cells.append(f"{ms(o['latency_ms']['p50'])} / {ms(o['latency_ms']['p95'])}")
                continue
            v = o.get(key)
            if key.startswith("refusal_") and o.get("never_refuses"):
                cells.append("– (never refuses)")
                continue
            cell = pct(v)
            b = base.get(key)
            if name != "pipeline" and v is not None and b:
                cell += f" (×{v / b:.2f})"
            cells.append(cell)
        rows.append((label, cells))
    return rows


def print_summary(result: RunResult, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=title)
    table.add_column("Measure")
    for name in result.systems:
        table.add_column(SYSTEM_LABELS.get(name, name), justify="right")
    for label, cells in summary_rows(result):
        table.add_row(label, *cells)
    console.print(table)
    p = result.summary["systems"].get("pipeline", {}).get("overall", {})
    if "safety" in p:
        s = p["safety"]
        style = "green" if result.safety_failures == 0 else "bold red"
        console.print(
            f"[{style}]Safety (full pipeline): hallucinated citations {s['hallucinated_citations']} of {s['citations']} "
            f"({pct(s['hallucinated_citation_rate'])}), unverified eligibility claims {s['unverified_claims']} "
            f"of {s['eligibility_statements']} detected; gate actions {s['gate_actions']}[/{style}]"
        )
    r = result.summary.get("rules")
    if r:
        console.print(f"Rule cases: accuracy {pct(r['accuracy'])} of {r['n']}, expected missing facts asked {pct(r['missing_asked'])}, key citations {pct(r['key_cited'])}")


# ----------------------------------------------------------------------------- plots
def plot_hit5_by_language(result: RunResult, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    systems = result.systems
    langs = sorted({it["lang"] for it in result.items})
    width = 0.8 / max(len(systems), 1)
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(langs) + 2), 4))
    x = np.arange(len(langs))
    for i, name in enumerate(systems):
        by = result.summary["systems"][name]["by_lang"]
        vals = [100 * (by.get(lang, {}).get("hit5_prov") or 0) for lang in langs]
        ax.bar(x + i * width - 0.4 + width / 2, vals, width, label=SYSTEM_LABELS.get(name, name))
    ax.set_xticks(x, langs)
    ax.set_ylim(0, 100)
    ax.set_ylabel("gold § in top 5 (%)")
    ax.set_title("Retrieval hit@5 per language")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_latency(result: RunResult, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    data, labels = [], []
    for name in result.systems:
        walls = [it["systems"][name]["wall_ms"] for it in result.items if not it["systems"][name]["error"]]
        data.append(walls or [0])
        labels.append(SYSTEM_LABELS.get(name, name))
    axes[0].boxplot(data, showfliers=True)
    axes[0].set_xticks(range(1, len(labels) + 1), labels, rotation=15, fontsize=8)
    axes[0].set_ylabel("ms per question")
    axes[0].set_yscale("log")
    axes[0].set_title("Latency per system")
    if "pipeline" in result.systems:
        stages: dict[str, list[float]] = {}
        for it in result.items:
            for stage, v in it["systems"]["pipeline"]["timings_ms"].items():
                stages.setdefault(stage, []).append(v)
        if stages:
            axes[1].boxplot(list(stages.values()), showfliers=True)
            axes[1].set_xticks(range(1, len(stages) + 1), list(stages), rotation=15, fontsize=8)
            axes[1].set_yscale("log")
        axes[1].set_ylabel("ms")
        axes[1].set_title("Full pipeline: latency per stage")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# ----------------------------------------------------------------------------- markdown
def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _group_table(groups: dict[str, dict], first: str, names: dict[str, str] | None = None) -> str:
    rows = []
    for key, g in groups.items():
        rows.append([
            (names or {}).get(key, key), g["n"], pct(g["hit1_prov"]), pct(g["hit5_prov"]), pct(g["mrr_prov"]), pct(g["hit5_abs"]),
            pct(g["citation_correct"]), pct(g["must_include_coverage"]), pct(g["must_not_include_violation"]),
            pct(g["refusal_recall"]) if g["refusal_counts"]["tp"] + g["refusal_counts"]["fn"] else "–",
            pct(g["false_refusal_rate"]), pct(g.get("language_match")),
            pct(g.get("direct_answer")), pct(g.get("lead_language")), pct(g.get("lead_cites_gold")),
            f"{(g.get('shown_chars') or {}).get('median', 0):,.0f} / {(g.get('shown_chars') or {}).get('p90', 0):,.0f}",
        ])
    return _table([first, "n", "§@1", "§@5", "MRR §", "Abs.@5", "cites gold", "content", "unsafe phrase", "refusal recall",
                   "wrongly refused", "answered in the question's language", "direct answer", "lead language",
                   "lead cites gold", "shown chars median / p90"], rows)


def _shorten(text: str, n: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def worst_failures(result: RunResult, limit: int = 12) -> list[dict]:
    """Pipeline items ranked by how badly they failed (safety first, then refusal errors, then misses)."""
    scored = []
    for it in result.items:
        p = it["systems"].get("pipeline")
        if not p:
            continue
        m, reasons, weight = p["metrics"], [], 0
        s = p.get("safety") or {}
        if s.get("hallucinated") or s.get("unverified"):
            weight += 100
            reasons.append("SAFETY: " + "; ".join([h["problem"] for h in s.get("hallucinated", [])] + [u["statement"] for u in s.get("unverified", [])]))
        if p["error"]:
            weight += 80
            reasons.append("error: " + p["error"])
        if m["must_not_include_hits"]:
            weight += 60
            reasons.append("unsafe phrase: " + ", ".join(m["must_not_include_hits"]))
        if it["expect_refusal"] and not p["refused"]:
            weight += 40
            reasons.append("answered although out of scope")
        if m["answerable"] and p["refused"]:
            weight += 40
            reasons.append("refused although answerable")
        if m["answerable"] and not p["refused"]:
            if not m.get("citation_correct"):
                weight += 20
                reasons.append("does not cite the gold provision")
            if not m.get("hit5_prov"):
                weight += 10
                reasons.append("gold § not in top 5")
        if m.get("direct_answer") == 0.0:
            weight += 8
            reasons.append("the lead does not give the expected content")
        if m.get("lead_language") == 0.0:
            weight += 8
            reasons.append(f"lead in '{m.get('lead_language_detected') or 'undetermined'}', not '{it['lang']}'")
        if m.get("must_include_missing"):
            weight += 5 * len(m["must_include_missing"])
            reasons.append("missing content: " + "; ".join(" / ".join(g[:3]) for g in m["must_include_missing"]))
        if weight:
            scored.append((weight, it, p, reasons))
    scored.sort(key=lambda x: -x[0])
    return [{"item": it, "pipeline": p, "reasons": r} for _, it, p, r in scored[:limit]]


def write_report(result: RunResult, out_dir: Path, title: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    plot_hit5_by_language(result, out_dir / "hit5_by_language.png")
    plot_latency(result, out_dir / "latency.png")
    S = result.summary["systems"]
    lines = [f"# {title}", ""]
    lines += [
        f"Questions: `{result.questions_path}` ({result.summary['n_questions']}); rule cases: `{result.rule_cases_path}` "
        f"({result.summary['n_rule_cases']}). Systems: {', '.join(SYSTEM_LABELS.get(s, s) for s in result.systems)}.",
        "",
        "This measures the assistant offline on fixed questions whose correct answer is known from the statute text. "
        "It is information about quality, not legal advice.",
        "",
    ]
    if "pipeline" in S:
        o = S["pipeline"]["overall"]
        lines += ["## Headline (full pipeline)", ""]
        bullets = [
            f"- The right provision is among the first five results for **{pct(o['hit5_prov'])}** of answerable questions "
            f"(first place: {pct(o['hit1_prov'])}); the right Absatz for {pct(o['hit5_abs'])}.",
            f"- The answer cites a correct provision in **{pct(o['citation_correct'])}** of answerable questions; "
            f"expected content is present to {pct(o['must_include_coverage'])}.",
            f"- Out-of-scope questions recognised: **{pct(o['refusal_recall'])}** (recall), refusals that were right: "
            f"{pct(o['refusal_precision'])} (precision); answerable questions wrongly refused: {pct(o['false_refusal_rate'])}.",
            f"- Answers containing an unsafe phrase: {pct(o['must_not_include_violation'])}.",
            f"- The direct answer (lead) gives the expected content for **{pct(o.get('direct_answer'))}**, is in the question's "
            f"language for {pct(o.get('lead_language'))} and cites a gold provision for {pct(o.get('lead_cites_gold'))}; shown before "
            f"\"more\": {o['shown_chars']['median']:,.0f} characters median, {o['shown_chars']['p90']:,.0f} p90.",
        ]
        if "safety" in o:
            s = o["safety"]
            verdict = "PASS" if result.safety_failures == 0 else "FAIL"
            bullets.append(
                f"- **Safety {verdict}:** {s['hallucinated_citations']} hallucinated citations of {s['citations']} "
                f"(rate {pct(s['hallucinated_citation_rate'])}); {s['unverified_claims']} eligibility statements shown without "
                f"the checker's confirmation ({s['eligibility_statements']} detected). Gate actions: "
                + (", ".join(f"{k} {v}" for k, v in sorted(s["gate_actions"].items())) or "none") + "."
            )
        bullets.append(f"- Time per question: {ms(o['latency_ms']['p50'])} typical (p50), {ms(o['latency_ms']['p95'])} slow (p95).")
        r = result.summary.get("rules")
        if r:
            bullets.append(
                f"- Rule checker: **{pct(r['accuracy'])}** of {r['n']} rule cases decided as expected; where facts were missing, "
                f"the expected questions were asked in {pct(r['missing_asked'])}; key provisions cited in {pct(r['key_cited'])}."
            )
        lines += bullets + [""]

    lines += ["## Systems side by side", "", "Ratios (×) are relative to the full pipeline.", ""]
    lines += [_table(["Measure", *[SYSTEM_LABELS.get(s, s) for s in result.systems]], [[label, *cells] for label, cells in summary_rows(result)]), ""]
    lines += ["Baselines answer with their top-5 chunks, see only the question text and never refuse.", ""]
    lines += ["![hit@5 per language](hit5_by_language.png)", "", "![latency](latency.png)", ""]

    if "pipeline" in S:
        lines += ["## Full pipeline per language", "", _group_table(S["pipeline"]["by_lang"], "language", LANG_NAMES), ""]
        lines += ["## Full pipeline per category", "", _group_table(S["pipeline"]["by_category"], "category"), ""]
        lines += ["## Follow-up questions (with earlier turns) vs single questions", "", _group_table(S["pipeline"]["by_turns"], "kind"), ""]
        stages = S["pipeline"]["overall"]["stage_latency_ms"]
        if stages:
            lines += ["## Latency per stage (full pipeline)", "",
                      _table(["stage", "p50", "p95"], [[k, ms(v["p50"]), ms(v["p95"])] for k, v in stages.items()]), ""]
    for name in result.systems:
        if name == "pipeline":
            continue
        lines += [f"### {SYSTEM_LABELS.get(name, name)}: hit@5 (§) per language", "",
                  _table(["language", "n", "§@5", "MRR §"], [[LANG_NAMES.get(k, k), g["n"], pct(g["hit5_prov"]), pct(g["mrr_prov"])]
                                                             for k, g in S[name]["by_lang"].items()]), ""]

    if result.rule_rows:
        lines += ["## Rule checker", ""]
        rows = [[k, v["n"], pct(v["accuracy"]), pct(v["missing_asked"]), pct(v["key_cited"])] for k, v in result.summary["rules_by_rule"].items()]
        lines += [_table(["rule", "cases", "accuracy", "missing facts asked", "key provisions cited"], rows), ""]
        wrong = [r for r in result.rule_rows if not r["metrics"]["correct"] or r["metrics"]["missing_asked"] == 0.0]
        if wrong:
            lines += ["Cases decided differently from the expectation:", ""]
            lines += [_table(["case", "rule", "expected", "got", "missing (expected → asked)", "case in words"],
                             [[r["id"], r["rule"], r["expected"], r["got"] or r["error"],
                               f"{', '.join(r['expected_missing']) or '–'} → {', '.join(r['missing_facts']) or '–'}", _shorten(r["description"], 140)]
                              for r in wrong]), ""]

    fails = worst_failures(result)
    if fails:
        lines += ["## Worst failures of the full pipeline", ""]
        for f in fails:
            it, p = f["item"], f["pipeline"]
            expected = ", ".join(it["gold_citations"]) or ("refusal" if it["expect_refusal"] else "–")
            lines += [
                f"**{it['id']}** ({it['lang']}, {it['category']}): {_shorten(it['question'], 220)}",
                "",
                f"- expected: {expected}" + (f"; content: {'; '.join(' / '.join(g[:3]) for g in it['must_include'])}" if it["must_include"] else ""),
                f"- got: {'refused' if p['refused'] else 'cited ' + (', '.join(p['cited'][:5]) or 'nothing')}; top results: {', '.join(p['ranked_provisions'][:5]) or '–'}",
                f"- why it counts as a failure: {'; '.join(f['reasons'])}",
                f"- lead: {_shorten(p.get('lead', ''), 300) or '(none)'}" + (f" [{', '.join(p.get('lead_cited', []))}]" if p.get("lead_cited") else ""),
                f"- shown before \"more\": {len(p.get('shown_text', '')):,} characters; answer (start): {_shorten(p['answer_text'], 200)}",
                "",
            ]
    path = out_dir / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
