"""Analyses for chapter 11 (social-work approaches in work-oriented follow-up).

A walk-through of **thematic analysis** on constructed teaching data (resources
  ``vignette_coding`` and ``vignette_codebook``): 36 statements written for the book, each given
  one main code by two fictional coders. :func:`frequencies` counts codes (or themes) per coder,
  :func:`agreement_table` cross-tabulates the two coders, and :func:`agreement` reports observed
  agreement, chance agreement and Cohen's kappa with its 95 % interval, computed by
  :func:`statsmodels.stats.inter_rater.cohens_kappa`. Nothing here describes NAV: the numbers
  describe the constructed example only. (Analysis 2 of the chapter is in :mod:`book.survey`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from statsmodels.stats.inter_rater import cohens_kappa

from . import figures, fmt

CODERS = ("code_coder1", "code_coder2")
#: Norwegian names of the two coders. «Koder 1» would read as «codes 1» as well as «coder 1», so the
#: coders are «den første» and «den andre koderen».
CODER_LABELS = {"code_coder1": "Første koder", "code_coder2": "Andre koder"}
LEVELS = ("code", "theme")
#: Short Norwegian column headings for the codes of the chapter's codebook (the wide agreement table
#: must fit a printed page). A code not listed here is shown by its full label.
SHORT_LABELS = {
    "ANERK": "Anerk.", "TILLIT": "Tillit", "STARTE": "Starte", "MEDV": "Medvirkn.", "STYRKE": "Styrker",
    "HELHET": "Situasjon", "MAKT": "Makt", "SYSTEM": "Rammer", "REFL": "Refleksjon",
}


# ------------------------------------------------------------------ thematic analysis: inputs


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")


def check_coding(coding: pd.DataFrame, codebook: pd.DataFrame) -> None:
    """Refuse coded statements whose codes are not in the codebook (naming the statement)."""
    missing = [c for c in ("statement_id", *CODERS) if c not in coding.columns]
    if missing:
        raise KeyError(f"coding: missing column(s) {missing}")
    for c in ("code", "label", "theme", "theme_label"):
        if c not in codebook.columns:
            raise KeyError(f"codebook: missing column {c!r}")
    known = set(codebook["code"])
    for coder in CODERS:
        bad = coding.loc[~coding[coder].isin(known), ["statement_id", coder]]
        if not bad.empty:
            first = bad.iloc[0]
            raise ValueError(
                f"statement {first['statement_id']}: {CODER_LABELS[coder]} used code {first[coder]!r}, "
                f"which is not in the codebook ({sorted(known)})"
            )


def categories(codebook: pd.DataFrame, level: str = "code") -> list[str]:
    """Codes (or themes) in codebook order, each once."""
    _check_level(level)
    return list(dict.fromkeys(codebook[level]))


def labels(codebook: pd.DataFrame, level: str = "code") -> dict[str, str]:
    """Norwegian label of each code (or theme)."""
    _check_level(level)
    column = "label" if level == "code" else "theme_label"
    return dict(zip(codebook[level], codebook[column]))


def at_level(coding: pd.DataFrame, codebook: pd.DataFrame, level: str = "code") -> pd.DataFrame:
    """The two coders' codes, or the themes those codes belong to, one row per statement."""
    check_coding(coding, codebook)
    _check_level(level)
    out = coding[["statement_id", *CODERS]].copy()
    if level == "theme":
        to_theme = dict(zip(codebook["code"], codebook["theme"]))
        for coder in CODERS:
            out[coder] = out[coder].map(to_theme)
    return out.reset_index(drop=True)


# ------------------------------------------------------------------ frequencies and agreement


def frequencies(coding: pd.DataFrame, codebook: pd.DataFrame, level: str = "code") -> pd.DataFrame:
    """How many statements each coder placed under each code (or theme), in codebook order.

    Columns: ``category``, ``label``, ``theme_label`` (for codes), ``code_coder1``, ``code_coder2``.
    Categories nobody used are kept with 0, so the table always has the whole codebook.
    """
    coded = at_level(coding, codebook, level)
    cats = categories(codebook, level)
    out = pd.DataFrame({"category": cats, "label": [labels(codebook, level)[c] for c in cats]})
    if level == "code":
        out["theme_label"] = [dict(zip(codebook["code"], codebook["theme_label"]))[c] for c in cats]
    for coder in CODERS:
        out[coder] = [int((coded[coder] == c).sum()) for c in cats]
    return out


def agreement_table(coding: pd.DataFrame, codebook: pd.DataFrame, level: str = "code") -> pd.DataFrame:
    """Square table: rows are coder 1's codes, columns coder 2's, cells count statements.

    The diagonal holds the statements both coders coded alike. Every category in the codebook
    appears as a row and a column, also if unused.
    """
    coded = at_level(coding, codebook, level)
    cats = categories(codebook, level)
    table = pd.crosstab(
        pd.Categorical(coded[CODERS[0]], categories=cats),
        pd.Categorical(coded[CODERS[1]], categories=cats),
        dropna=False,
    )
    table.index.name, table.columns.name = CODER_LABELS[CODERS[0]], CODER_LABELS[CODERS[1]]
    return table.astype(int)


@dataclass(frozen=True)
class Agreement:
    """Agreement between the two coders on one level (codes or themes)."""

    level: str
    n: int
    n_agree: int
    observed: float  # share of statements coded alike (p_o)
    expected: float  # share expected alike by chance from each coder's own frequencies (p_e)
    kappa: float  # (p_o - p_e) / (1 - p_e)
    ci_low: float
    ci_high: float


def agreement(coding: pd.DataFrame, codebook: pd.DataFrame, level: str = "code") -> Agreement:
    """Observed and chance agreement and Cohen's kappa (statsmodels) with its 95 % interval, for
    the two coders' codes (``level="code"``) or the themes they belong to (``level="theme"``).
    See :func:`agreement_from_table`."""
    return agreement_from_table(agreement_table(coding, codebook, level).to_numpy(), level)


def agreement_from_table(counts, level: str = "table") -> Agreement:
    """Agreement from a square table of counts (rows: coder 1, columns: coder 2).

    Chance agreement is the sum over categories of the product of the two coders' shares; the
    interval uses statsmodels' asymptotic standard error and is cut at 1 (and -1). The kappa from
    statsmodels is checked against the formula from the two shares, so the text can explain it
    with those two numbers.
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] != table.shape[1]:
        raise ValueError(f"agreement: the table must be square, got shape {table.shape}")
    if (table < 0).any():
        raise ValueError("agreement: counts cannot be negative")
    n = int(table.sum())
    if n == 0:
        raise ValueError("agreement: no coded statements")
    observed = float(np.trace(table)) / n
    expected = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / n**2
    if expected == 1:
        raise ValueError("agreement: both coders used one and the same category for everything; kappa is undefined")
    result = cohens_kappa(table)
    # (p_o - p_e) / (1 - p_e) with whole counts: n * agreed - S over n**2 - S, where S is the sum of
    # row total times column total. Exact for whole counts, so 0.875 is not shown as 0.87.
    chance = float((table.sum(axis=1) * table.sum(axis=0)).sum())
    kappa = (n * float(np.trace(table)) - chance) / (n**2 - chance)
    if not np.isclose(kappa, float(result.kappa)):
        raise RuntimeError("statsmodels' kappa does not match (p_o - p_e) / (1 - p_e)")
    # The asymptotic interval can pass the bounds of kappa (-1 and 1); it is cut there.
    return Agreement(level, n, int(np.trace(table)), observed, expected, kappa,
                     max(float(result.kappa_low), -1.0), min(float(result.kappa_upp), 1.0))


def disagreements(coding: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The statements the two coders coded differently, with code labels and whether the two codes
    still belong to the same theme."""
    check_coding(coding, codebook)
    code_label = labels(codebook, "code")
    to_theme = dict(zip(codebook["code"], codebook["theme"]))
    rows = coding[coding[CODERS[0]] != coding[CODERS[1]]]
    out = pd.DataFrame({
        "statement_id": rows["statement_id"],
        "text": rows["text"] if "text" in rows.columns else "",
        "coder1": rows[CODERS[0]].map(code_label),
        "coder2": rows[CODERS[1]].map(code_label),
        "same_theme": [to_theme[a] == to_theme[b] for a, b in zip(rows[CODERS[0]], rows[CODERS[1]])],
    })
    return out.reset_index(drop=True)


# ------------------------------------------------------------------ figures and tables (codes)


def plot_frequencies(freq: pd.DataFrame, source: str):
    """Dot plot: one line per code, grouped by theme; coder 1 a filled circle, coder 2 a hollow
    square (shape and fill, not colour alone, tell the coders apart)."""
    n = len(freq)
    fig, ax = plt.subplots(figsize=(7.2, 0.42 * n + 1.6))
    y = np.arange(n)[::-1].astype(float)
    blue, red = figures.PALETTE["blue"], figures.PALETTE["vermillion"]
    for yi in y:
        ax.axhline(yi, color="#DDDDDD", lw=0.8, zorder=0)
    ax.scatter(freq["code_coder1"], y + 0.13, marker="o", s=55, color=blue, zorder=3)
    ax.scatter(freq["code_coder2"], y - 0.13, marker="s", s=50, facecolors="white", edgecolors=red,
               linewidths=1.6, zorder=3)
    ax.set_yticks(y, freq["label"])
    if "theme_label" in freq.columns:
        themes = list(dict.fromkeys(freq["theme_label"]))
        xmax = float(max(freq["code_coder1"].max(), freq["code_coder2"].max()))
        for theme in themes:
            rows = y[(freq["theme_label"] == theme).to_numpy()]
            ax.annotate(_wrap(theme, 18), (xmax + 0.8, rows.mean()), fontsize=9, va="center",
                        color=figures.GREY, annotation_clip=False)
            if rows.min() > 0:
                ax.axhline(rows.min() - 0.5, color=figures.GREY, lw=0.8, ls=":")
    ax.set_xlim(0, float(max(freq["code_coder1"].max(), freq["code_coder2"].max())) + 0.5)
    ax.set_xlabel("Antall utsagn")
    figures.norwegian_axis(ax, "x")
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [Line2D([], [], marker="o", ls="", color=blue, label=CODER_LABELS[CODERS[0]]),
               Line2D([], [], marker="s", ls="", markerfacecolor="white", markeredgecolor=red,
                      markeredgewidth=1.6, label=CODER_LABELS[CODERS[1]])]
    fig.legend(handles=handles, loc="upper center", ncol=2, frameon=False, bbox_to_anchor=(0.5, 0.995))
    fig.subplots_adjust(left=0.3, right=0.74, bottom=0.14, top=0.92)
    figures.source_line(fig, source)
    return fig


def frequency_table(freq: pd.DataFrame, caption: str):
    """The numbers behind :func:`plot_frequencies` (Norwegian headers)."""
    columns = {"label": "Kode", "code_coder1": CODER_LABELS["code_coder1"], "code_coder2": CODER_LABELS["code_coder2"]}
    if "theme_label" in freq.columns:
        columns = {"theme_label": "Tema", **columns}
    return figures.data_table(freq, caption=caption, columns=columns,
                              notes=["Konstruerte undervisningsdata: tallene beskriver bare eksempelet, ikke Nav."])


def plot_agreement(table: pd.DataFrame, codebook: pd.DataFrame, source: str, level: str = "code"):
    """The two coders' codes cross-tabulated: each cell shows its count as a number, shading grows
    with the count, and the diagonal (agreement) is outlined."""
    names = labels(codebook, level)
    counts = table.to_numpy()
    k = counts.shape[0]
    fig, ax = plt.subplots(figsize=(7.2, 6.0 if k > 4 else 3.8))
    # Shaded squares only where there are statements, and one small dot per empty cell: the same
    # picture as a heat map, in a much lighter SVG than a raster image and 81 text labels.
    cmap, top = _blues(), max(int(counts.max()), 1)
    empty_x, empty_y = [], []
    for i in range(k):
        for j in range(k):
            value = int(counts[i, j])
            if not value:
                empty_x.append(j)
                empty_y.append(i)
                continue
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=cmap(value / top), edgecolor="none"))
            dark = value > counts.max() * 0.6
            ax.text(j, i, fmt.number(value), ha="center", va="center", fontsize=10,
                    color="white" if dark else "black", fontweight="bold" if i == j else "normal")
        ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, lw=1.8, edgecolor="black"))
    ax.scatter(empty_x, empty_y, s=3, color="black", marker="o", linewidths=0)
    ax.set_xlim(-0.5, k - 0.5)
    ax.set_ylim(k - 0.5, -0.5)
    ax.set_aspect("equal")
    ticks = [names[c] for c in table.index]
    ax.set_xticks(range(k), ticks, rotation=40, ha="right")
    ax.set_yticks(range(k), ticks)
    ax.set_xlabel("Kode fra den andre koderen")
    ax.set_ylabel("Kode fra den første koderen")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.subplots_adjust(left=0.3, bottom=0.3 if k > 4 else 0.35, right=0.97, top=0.97)
    figures.source_line(fig, source)
    return fig


def _blues():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("okabe_ito_blue", ["#FFFFFF", figures.PALETTE["blue"]])


def agreement_data_table(table: pd.DataFrame, codebook: pd.DataFrame, caption: str, level: str = "code"):
    """The cells of :func:`plot_agreement` as a table: the first coder's code per row, the second
    coder's per column, with row and column totals, so that observed and chance agreement (and
    kappa) can be computed by hand from it.

    Columns are headed by short Norwegian names (:data:`SHORT_LABELS`) so the table fits a printed
    page; the rows give the full labels and the note pairs each short name with its label."""
    names = labels(codebook, level)
    short = {c: SHORT_LABELS.get(c, names[c]) if level == "code" else names[c] for c in table.columns}
    counts = table.astype(int)
    frame = pd.DataFrame(counts.to_numpy(), columns=[short[c] for c in table.columns])
    frame["Sum"] = counts.sum(axis=1).to_numpy()
    frame.insert(0, "Første koder (rad) / andre koder (kolonne)", [names[c] for c in table.index])
    totals = ["Sum", *[int(v) for v in counts.sum(axis=0)], int(counts.to_numpy().sum())]
    frame.loc[len(frame)] = totals
    formats = {c: (lambda v: fmt.number(v)) for c in frame.columns[1:]}
    key = "; ".join(f"{short[c]} = {names[c]}" for c in table.columns if short[c] != names[c])
    notes = ["Radene er koden fra den første koderen, kolonnene koden fra den andre. Diagonalen er "
             "utsagnene de to koderne kodet likt. Konstruerte undervisningsdata."]
    if key:
        notes.append(f"Forkortelser i kolonnene: {key}.")
    return figures.data_table(frame, caption=caption, formats=formats, notes=notes)


def disagreements_table(diff: pd.DataFrame, caption: str):
    """The statements the two coders coded differently (from :func:`disagreements`), with both
    codes and whether they belong to the same theme."""
    for c in ("statement_id", "text", "coder1", "coder2", "same_theme"):
        if c not in diff.columns:
            raise KeyError(f"disagreements_table: missing column {c!r} (use disagreements())")
    frame = diff.assign(text="«" + diff["text"].astype(str) + "»")
    return figures.data_table(
        frame, caption=caption,
        columns={"statement_id": "Nr.", "text": "Utsagn (konstruert)", "coder1": "Første koder",
                 "coder2": "Andre koder", "same_theme": "Samme tema"},
        formats={"same_theme": lambda v: "ja" if bool(v) else "nei"},
        notes=["Utsagnene er skrevet for boka. Ingen har sagt dem, og de er ikke hentet fra noen studie."])


def statements_table(coding: pd.DataFrame, codebook: pd.DataFrame, ids: Sequence[str], caption: str):
    """Selected statements with both coders' codes, for showing the material in the text."""
    check_coding(coding, codebook)
    missing = sorted(set(ids) - set(coding["statement_id"]))
    if missing:
        raise KeyError(f"statements_table: no statement(s) {missing}")
    names = labels(codebook, "code")
    rows = coding.set_index("statement_id").loc[list(ids)].reset_index()
    frame = pd.DataFrame({
        "id": rows["statement_id"], "text": "«" + rows["text"] + "»",
        "c1": rows[CODERS[0]].map(names), "c2": rows[CODERS[1]].map(names),
    })
    return figures.data_table(frame, caption=caption,
                              columns={"id": "Nr.", "text": "Utsagn (konstruert)", "c1": "Første koder",
                                       "c2": "Andre koder"},
                              notes=["Utsagnene er skrevet for boka. Ingen har sagt dem, og de er ikke hentet fra noen studie."])


def codebook_table(codebook: pd.DataFrame, caption: str):
    """The codebook as the reader sees it: theme, code and the definition the coders were to use,
    one row per code in codebook order (so exercises on the definitions need no code)."""
    for c in ("label", "theme_label", "definition"):
        if c not in codebook.columns:
            raise KeyError(f"codebook_table: missing column {c!r}")
    return figures.data_table(
        codebook, caption=caption,
        columns={"theme_label": "Tema", "label": "Kode", "definition": "Definisjon (slik koderne fikk den)"},
        notes=["Kodeboka er skrevet for boka som et undervisningseksempel."])


def two_by_two_table(counts, labels: Sequence[str], caption: str, note: str):
    """A 2 × 2 agreement table with row and column totals (rows: the first coder, columns: the
    second), for a worked example that the reader can recompute by hand."""
    arr = np.asarray(counts, dtype=int)
    if arr.shape != (2, 2) or (arr < 0).any():
        raise ValueError(f"two_by_two_table: need a 2 × 2 table of non-negative counts, got {arr.tolist()}")
    if len(labels) != 2:
        raise ValueError(f"two_by_two_table: need two labels, got {list(labels)}")
    frame = pd.DataFrame(arr, columns=list(labels))
    frame["Sum"] = arr.sum(axis=1)
    frame.insert(0, "Første koder (rad) / andre koder (kolonne)", list(labels))
    frame.loc[len(frame)] = ["Sum", *[int(v) for v in arr.sum(axis=0)], int(arr.sum())]
    formats = {c: (lambda v: fmt.number(v)) for c in frame.columns[1:]}
    return figures.data_table(frame, caption=caption, formats=formats, notes=[note])


def paradox_numbers(counts) -> dict[str, str]:
    """The numbers the chapter's 2 × 2 worked example quotes in prose (for ``glue``): the cells, the
    row and column totals, observed and chance agreement and kappa. Small counts are in words."""
    arr = np.asarray(counts, dtype=int)
    if arr.shape != (2, 2):
        raise ValueError(f"paradox_numbers: need a 2 × 2 table, got {arr.tolist()}")
    res = agreement_from_table(arr)
    rows, cols = arr.sum(axis=1), arr.sum(axis=0)
    return {
        "par_p_o": fmt.share(res.observed), "par_p_e": fmt.share(res.expected),
        "par_kappa": fmt.number(res.kappa, 2), "par_n": fmt.number(res.n),
        "par_no": fmt.number(arr[0, 0]), "par_yes": fmt.count(arr[1, 1]),
        "par_dis": fmt.count(arr[0, 1] + arr[1, 0]), "par_each": fmt.count(arr[0, 1]),
        "par_diag": fmt.number(arr[0, 0] + arr[1, 1]),
        "par_rows_no": fmt.number(rows[0]), "par_rows_yes": fmt.number(rows[1]),
        "par_cols_no": fmt.number(cols[0]), "par_cols_yes": fmt.number(cols[1]),
    }


def _wrap(text: str, width: int = 26) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
