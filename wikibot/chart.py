"""The shutdowns-and-countries-per-year chart as SVG (matplotlib), byte-identical for the same data."""

from __future__ import annotations

import io
from collections.abc import Sequence


def svg(
    rows: Sequence[tuple[int, int, int]], title: str, shutdowns_label: str, countries_label: str
) -> bytes:
    """Bars of shutdowns and a line of countries per year; no date or random ids in the file."""
    import matplotlib  # imported here: a run that draws no chart does not pay for it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = [str(y) for y, _, _ in rows]
    with plt.rc_context({"svg.hashsalt": "keepiton-wikibot", "svg.fonttype": "path", "font.size": 10}):
        figure, axes = plt.subplots(figsize=(8, 4.5))
        axes.bar(years, [s for _, s, _ in rows], color="#3366cc", label=shutdowns_label)
        axes.plot(years, [c for _, _, c in rows], color="#dc3912", marker="o", label=countries_label)
        for x, (_, shutdowns, _) in enumerate(rows):
            axes.annotate(str(shutdowns), (x, shutdowns), ha="center", va="bottom", fontsize=8)
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": "KeepItOn wikibot"})
        plt.close(figure)
    return out.getvalue()
