"""Matplotlib plots of an eval run (Agg backend, PNG files); each function returns the file it wrote."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI

import matplotlib.pyplot as plt

from evals.runner import ItemResult, RunResults, ordered_categories

COLORS = {"lexical": "#4c72b0", "dense": "#dd8452", "hybrid": "#55a868", "hybrid+llm": "#8172b3"}
DPI = 110


def _color(mode: str) -> str:
    return COLORS.get(mode, "#777777")


def recall_curve(items: Sequence[ItemResult], k_max: int) -> list[float]:
    """Recall@k for k = 1..k_max over the answerable items with gold pages (from the kept top hits)."""
    scored = [r for r in items if r.gold and not r.expected_refusal]
    if not scored:
        return []
    curve = []
    for k in range(1, k_max + 1):
        found = sum(1 for r in scored if any(h["on_gold"] for h in r.retrieved[:k]))
        curve.append(found / len(scored))
    return curve


def plot_recall_curves(results: RunResults, path: Path) -> Path:
    """Recall@k curves per mode, k = 1..(passages the answer service retrieves)."""
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ks = list(range(1, results.k + 1))
    for mode in results.modes:
        curve = recall_curve([r for r in results.items if r.mode == mode], results.k)
        if curve:
            ax.plot(ks, curve, marker="o", label=mode, color=_color(mode))
    ax.set(xlabel="k (retrieved passages)", ylabel="Recall@k (gold page in top k)", ylim=(0, 1.02))
    ax.set_xticks(ks)
    ax.set_title("Gold set: Recall@k by retrieval mode")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return _save(fig, path)


def plot_categories(results: RunResults, path: Path) -> Path:
    """Per-category bars (one bar per mode) for Recall@5, key-fact coverage and correct refusals."""
    panels = [
        ("recall@5", "Recall@5"),
        ("key_facts", "Key-fact coverage"),
        ("refusal_correct", "Refusal correct"),
    ]
    categories = ordered_categories(r.category for r in results.items)
    fig, axes = plt.subplots(1, len(panels), figsize=(13, 4.2), sharey=True)
    width = 0.8 / max(1, len(results.modes))
    for ax, (metric, title) in zip(axes, panels, strict=True):
        for i, mode in enumerate(results.modes):
            by_cat = results.summary[mode]["by_category"]
            values = [by_cat.get(c, {}).get(metric) for c in categories]
            xs = [j + (i - (len(results.modes) - 1) / 2) * width for j in range(len(categories))]
            ax.bar(xs, [v if v is not None else 0.0 for v in values], width, label=mode, color=_color(mode))
        for j, category in enumerate(categories):
            by_mode = [results.summary[m]["by_category"].get(category, {}).get(metric) for m in results.modes]
            if all(v is None for v in by_mode):  # the metric does not apply (e.g. recall of unanswerables)
                ax.text(j, 0.03, "n/a", ha="center", va="bottom", fontsize=8, color="#666666")
        ax.set_xticks(range(len(categories)), categories, rotation=30, ha="right")
        ax.set_title(title)
        ax.set_ylim(0, 1.05)
        ax.grid(axis="y", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", ncol=len(labels), fontsize=8)
    fig.suptitle("Gold set by category", x=0.02, ha="left")
    return _save(fig, path)


def plot_latency(results: RunResults, path: Path) -> Path:
    """Histogram of answer latency per mode (log-scaled x axis)."""
    import numpy as np

    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    latencies = {
        m: [r.latency_ms for r in results.items if r.mode == m and r.latency_ms > 0] for m in results.modes
    }
    present = [v for vals in latencies.values() for v in vals]
    if present:
        bins = np.geomspace(max(min(present) * 0.9, 0.1), max(present) * 1.1, 30).tolist()
        for mode, values in latencies.items():
            ax.hist(values, bins=bins, alpha=0.55, label=mode, color=_color(mode))
        ax.set_xscale("log")
    ax.set(xlabel="answer latency (ms, log scale)", ylabel="questions")
    ax.set_title("Gold set: latency per answer")
    ax.legend()
    return _save(fig, path)


def plot_germanquad(measured: dict[str, Any], published: dict[str, Any], path: Path) -> Path:
    """MRR@10 and Success@1 of the product's modes beside the published and reference systems."""
    rows: list[tuple[str, float, float, str]] = []
    for row in published.get("published", []):
        rows.append((row["retriever"], float(row["mrr@10"]), float(row["success@1"]), "#bbbbbb"))
    for row in published.get("measured_here", []):
        rows.append((f"{row['retriever']} (ref.)", float(row["mrr@10"]), float(row["success@1"]), "#999999"))
    for mode, figures in measured.items():
        rows.append(
            (f"ITAS {mode} (chunked)", float(figures["mrr@10"]), float(figures["success@1"]), _color(mode))
        )
    rows.sort(key=lambda r: r[1])
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.32 * len(rows) + 2.0), sharey=True)
    labels = [r[0] for r in rows]
    for ax, index, title in ((axes[0], 1, "MRR@10"), (axes[1], 2, "Success@1")):
        values = [float(r[index]) for r in rows]
        ax.barh(labels, values, color=[r[3] for r in rows])
        low = min(values) - 0.05
        ax.set_xlim(max(0.0, low), 1.0)
        for y, v in enumerate(values):
            ax.text(v + 0.002, y, f"{v:.3f}", va="center", fontsize=7)
        ax.set_title(title)
        ax.set_xlabel(f"{title} (axis starts at {max(0.0, low):.2f})", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    axes[0].tick_params(axis="y", labelsize=8)
    fig.text(
        0.01,
        0.005,
        "light grey: published (butburg/dense-retrieval-germanquad, whole passages); dark grey: reference runs "
        "on this machine (whole passages); colour: ITAS modes through the product's ingest (chunked) and retriever",
        fontsize=7,
        color="#555555",
    )
    fig.suptitle("GermanQuAD retrieval (474 passages, 2,204 questions): ITAS modes vs. published")
    return _save(fig, path)


def _save(fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
