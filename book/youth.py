"""Young people outside work and education: NEET rates, youth vs adult unemployment, and young
people on health-related benefits (chapter 8).

The module builds on :mod:`book.labour` (monthly series, breaks, direct labels) and
:mod:`book.stats` (selecting published figures from ``norway_stats``) and adds what chapter 8
needs on top:

* **No line across a break.** :func:`segments` cuts a yearly series at its break years (the 2021
  redesign of the Labour Force Survey), so no line is ever drawn across a break.
* **Two measures kept apart.** SSB measures NEET 15–29 both with the Labour Force Survey and with
  registers; :func:`ssb_neet` returns them side by side and :func:`plot_ssb_neet` never joins them.
* **Ratio and difference.** :func:`ratio_table` compares youth and adult unemployment both as a
  ratio and as a difference in percentage points, because the two can tell different stories.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd

from . import figures, fmt, labour, stats

# --------------------------------------------------------------------------------------------
# Yearly series with breaks
# --------------------------------------------------------------------------------------------


def segments(series: pd.Series, breaks: Iterable[int]) -> list[pd.Series]:
    """Cut a year-indexed series into pieces that can each be drawn as one line.

    A break year starts a new piece (Eurostat puts the flag on the first value of the new
    series). Missing values are dropped first, so a piece never bridges a hole either.
    ``segments(pd.Series([1, 2, 3], index=[2005, 2006, 2007]), [2006])`` gives the pieces
    ``{2005: 1}`` and ``{2006: 2, 2007: 3}``.
    """
    values = series.dropna().sort_index()
    if values.empty:
        return []
    years = [int(y) for y in values.index]
    cuts = sorted({int(b) for b in breaks})
    pieces: list[pd.Series] = []
    start = 0
    for i in range(1, len(years)):
        gap = years[i] - years[i - 1] > 1
        new_series = any(years[i - 1] < b <= years[i] for b in cuts)
        if gap or new_series:
            pieces.append(values.iloc[start:i])
            start = i
    pieces.append(values.iloc[start:])
    return pieces


def mean_over(table: pd.DataFrame, start: int, stop: int) -> pd.Series:
    """Mean of each column over the years *start*–*stop* (inclusive), refusing a column with a
    missing year in that range (a mean over different years would not be comparable)."""
    part = table.loc[start:stop]
    expected = stop - start + 1
    if len(part) != expected:
        raise KeyError(f"mean_over: the table has {len(part)} of the {expected} years {start}–{stop}")
    incomplete = [c for c in part.columns if part[c].isna().any()]
    if incomplete:
        raise ValueError(f"mean_over: missing years for {incomplete} in {start}–{stop}")
    return part.mean()


# --------------------------------------------------------------------------------------------
# SSB's two measures of NEET 15–29
# --------------------------------------------------------------------------------------------

MEASURE_LABELS = {"aku": "AKU (utvalgsundersøkelse)", "register": "Registerstatistikk"}


def ssb_neet(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per year, the AKU and the register measure side by side (share in percent and
    persons in 1000, plus whether the register figure is preliminary). Raises ``ValueError`` if a
    measure has two rows for one year."""
    dupes = frame[frame.duplicated(["measure", "year"], keep=False)]
    if not dupes.empty:
        raise ValueError(f"ssb_neet: several rows for the same measure and year ({dupes['row_id'].tolist()})")
    out = pd.DataFrame(index=pd.Index(sorted(frame["year"].astype(int).unique()), name="year"))
    for measure in ("aku", "register"):
        part = frame[frame["measure"] == measure]
        part = part.set_index(part["year"].astype(int))
        out[f"{measure}_pct"] = part["percent"].astype(float)
        out[f"{measure}_persons"] = part["persons_1000"].astype(float)
        out[f"{measure}_prelim"] = part["preliminary"].astype("boolean")
        approx = part["approx"] if "approx" in part else pd.Series(pd.NA, index=part.index)
        out[f"{measure}_approx"] = approx.notna() & (approx.astype(str).str.strip() != "")
    return out


# --------------------------------------------------------------------------------------------
# Youth vs adult unemployment
# --------------------------------------------------------------------------------------------


def ratio_table(unemployment: pd.DataFrame, young: str = "15-24", adult: str = "25-74") -> pd.DataFrame:
    """Youth and adult unemployment rates with their ratio (young ÷ adult) and their difference
    (young − adult, percentage points), one row per month. Months missing either rate are
    dropped; an adult rate of zero or less is refused (the ratio would be meaningless)."""
    for col in (young, adult):
        if col not in unemployment.columns:
            raise KeyError(f"ratio_table: no column {col!r}")
    both = unemployment[[young, adult]].dropna().astype(float)
    if (both[adult] <= 0).any():
        raise ValueError("ratio_table: the adult rate must be positive in every month")
    return pd.DataFrame({"young": both[young], "adult": both[adult],
                         "ratio": both[young] / both[adult], "gap": both[young] - both[adult]})


def extreme(series: pd.Series, how: str = "max") -> tuple[float, pd.Timestamp]:
    """The largest (``how='max'``) or smallest (``'min'``) value of a series and the first
    index where it occurs."""
    if how not in ("max", "min"):
        raise ValueError("how must be 'max' or 'min'")
    values = series.dropna()
    if values.empty:
        raise ValueError("extreme: empty series")
    where = values.idxmax() if how == "max" else values.idxmin()
    return float(values[where]), where


# --------------------------------------------------------------------------------------------
# New persons with reduced work capacity (nedsatt arbeidsevne) by age
# --------------------------------------------------------------------------------------------

NAE_INDICATOR = "new_persons_nedsatt_arbeidsevne"
NAE_GROUPS = {"under 30": "Under 30 år", "30-59": "30–59 år", "60+": "60 år og eldre"}


def nae_by_age(norway_stats: pd.DataFrame, tolerance: float = 0.5) -> pd.DataFrame:
    """New persons registered with reduced work capacity in the 4th quarter, by age group, with
    the total and the share under 30 (percent). Raises ``ValueError`` if the age groups do not
    add up to the published total (more than *tolerance* persons apart)."""
    rows = stats.indicator(norway_stats, NAE_INDICATOR, groups=[*NAE_GROUPS, "total"])
    table = stats.wide(rows).astype(float)
    parts = table[list(NAE_GROUPS)].sum(axis=1)
    off = (parts - table["total"]).abs() > tolerance
    if off.any():
        raise ValueError(f"nae_by_age: age groups do not add up to the total in {list(table.index[off])}")
    table["share_under_30"] = table["under 30"] / table["total"] * 100
    return table


def growth_pct(series: pd.Series, first: int, last: int) -> float:
    """Percent change from year *first* to year *last*."""
    a, b = float(series.loc[first]), float(series.loc[last])
    if a == 0:
        raise ZeroDivisionError("growth_pct: the first value is zero")
    return (b / a - 1) * 100


#: Published figures on young people and health-related benefits in ``norway_stats``:
#: (indicator, group, year, Norwegian label, when in the year, source in Norwegian).
YOUNG_BENEFIT_FACTS: tuple[tuple[str, str, int, str, str, str], ...] = (
    ("ufore_share_under30_incl_TU", "18-29", 1992, "Uføreytelse (inkl. tidsbegrenset uførestønad), 18–29 år",
     "årstall", "Bragstad, Arbeid og velferd 2/2018"),
    ("ufore_share_under30_incl_TU", "18-29", 2016, "Uføreytelse (inkl. tidsbegrenset uførestønad), 18–29 år",
     "årstall", "Bragstad, Arbeid og velferd 2/2018"),
    ("health_benefit_share_18_29", "18-29", 2017, "Sykepenger, AAP eller uføretrygd, 18–29 år", "utgangen av året",
     "Kalstø og Kann, Arbeid og velferd 4/2018"),
    ("aap_share_age_group", "18-24", 2019, "Arbeidsavklaringspenger, 18–24 år", "mars", "Nav, nyhet om 1. kvartal 2019"),
    ("aap_share_age_group", "18-24", 2020, "Arbeidsavklaringspenger, 18–24 år", "mars", "Nav, nyhet om 1. kvartal 2020"),
)


def young_benefit_facts(norway_stats: pd.DataFrame,
                        facts: Sequence[tuple[str, str, int, str, str, str]] = YOUNG_BENEFIT_FACTS) -> pd.DataFrame:
    """The published point figures in *facts*, one row each: label, year, when, value (percent
    of the age group) and source. ``KeyError`` if a figure is not in the data, and ``ValueError``
    if its unit is not a percentage."""
    out = []
    for name, group, year, label, when, source in facts:
        rows = stats.indicator(norway_stats, name, groups=[group], years=(year, year))
        if len(rows) != 1:
            raise KeyError(f"young_benefit_facts: expected one row for {name}/{group}/{year}, got {len(rows)}")
        row = rows.iloc[0]
        if not str(row["unit"]).startswith("percent"):
            raise ValueError(f"young_benefit_facts: {name} is in {row['unit']!r}, not percent")
        out.append({"key": f"{name}:{year}", "label": label, "year": int(row["year"]), "when": when,
                    "value": float(row["value"]), "source": source})
    return pd.DataFrame(out).set_index("key")


# --------------------------------------------------------------------------------------------
# Plotting
# --------------------------------------------------------------------------------------------

def _plot_segments(ax, series: pd.Series, breaks: Iterable[int], colour: str, marker: str, ls: str,
                   hollow_before: int | None = None) -> None:
    for piece in segments(series, breaks):
        hollow = hollow_before is not None and int(piece.index.max()) < hollow_before
        ax.plot(piece.index, piece.values, color=colour, marker=marker, ms=4.5, ls=ls, lw=1.6,
                mfc="white" if hollow else colour)


def plot_ssb_neet(ssb: pd.DataFrame, source: str):
    """One panel: SSB's two measures of NEET 15–29 for Norway, every point at its own published
    year. The AKU line is cut at the 2021 redesign; register figures are squares, hollow when
    preliminary. The two measures are never joined."""
    fig, ax = plt.subplots(figsize=(7.6, 4.2))
    aku = ssb["aku_pct"].dropna()
    blue, verm = figures.PALETTE["blue"], figures.PALETTE["vermillion"]
    _plot_segments(ax, aku, [2021], blue, "o", "-")
    reg = ssb[["register_pct", "register_prelim"]].dropna(subset=["register_pct"])
    for prelim, part in reg.groupby(reg["register_prelim"].fillna(False).astype(bool)):
        ax.plot(part.index, part["register_pct"], ls="none", marker="s", ms=6.5, color=verm,
                mfc="white" if prelim else verm)
    any_prelim = bool(reg["register_prelim"].fillna(False).astype(bool).any())
    note = "\n(hul firkant = foreløpig tall)" if any_prelim else ""
    ax.annotate("Registerstatistikk, 4. kvartal" + note,
                (reg.index[0], reg["register_pct"].iloc[0]), xytext=(-8, 0), textcoords="offset points",
                ha="right", va="center", fontsize=8.5, color=verm)
    ax.annotate("AKU, årsgjennomsnitt", (aku.index[0], aku.iloc[0]), xytext=(0, -14),
                textcoords="offset points", ha="left", fontsize=8.5, color=blue)
    labour.mark_breaks(ax, {2020.5: "Ny AKU 2021"}, y=0.98)
    ax.set_ylim(0, max(14.0, float(reg["register_pct"].max()) * 1.3))
    ax.set_ylabel("Prosent av 15–29 år")
    figures.norwegian_axis(ax, "y", 0)
    figures.year_axis(ax)
    ax.set_xlim(int(ssb.index.min()) - 0.6, int(ssb.index.max()) + 0.6)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.16, top=0.95)
    figures.source_line(fig, source)
    return fig


def ssb_data_table(ssb: pd.DataFrame, caption: str):
    """SSB's two NEET measures side by side, Norwegian headers; preliminary figures marked."""
    frame = ssb.reset_index()
    frame["register_text"] = [("–" if pd.isna(v) else fmt.number(v, 1) + (" (foreløpig)" if bool(p) else ""))
                              for v, p in zip(frame["register_pct"], frame["register_prelim"].fillna(False))]
    approx = frame["register_approx"].fillna(False)
    frame["register_persons_text"] = [("–" if pd.isna(v) else fmt.number(v, 1) + (" *" if bool(a) else ""))
                                      for v, a in zip(frame["register_persons"], approx)]
    notes = ["AKU: ikke sysselsatt og ikke under utdanning. Register: ikke sysselsatt, ikke i ordinær "
             "utdanning og ikke på arbeidsmarkedstiltak, 4. kvartal. AKU ble lagt om i 2021."]
    if any(bool(a) for a in approx):
        notes.append("* SSB oppgir antallet som «i underkant av» tallet i tabellen.")
    one = lambda v: fmt.number(v, 1)  # noqa: E731
    return figures.data_table(
        frame, caption=caption,
        columns={"year": "År", "aku_pct": "AKU (%)", "aku_persons": "AKU (1 000 personer)",
                 "register_text": "Register (%)", "register_persons_text": "Register (1 000 personer)"},
        formats={"year": lambda v: str(int(v)), "aku_pct": one, "aku_persons": lambda v: fmt.number(v, 0)},
        notes=notes)


def plot_ratio(table: pd.DataFrame, source: str, breaks: Mapping[str, str] | None = None,
               marks: Mapping[str, str] | None = None):
    """Two panels: youth and adult unemployment (monthly) and the ratio young ÷ adult. The
    difference in percentage points is in the data table (:func:`ratio_data_table`), not on a
    second axis. *breaks* are marked and no line crosses one; *marks* (month → label) are only
    marked with a dotted line, for events in a series that the publisher has already adjusted
    (such as SSB's break-adjusted table 13760), so the lines run through them."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.4, 6.8), sharex=True)
    labour.plot_monthly(table, {"young": "15–24 år", "adult": "25–74 år"},
                        "Prosent av arbeidsstyrken", top, breaks=breaks, ylim=(0, 16))
    top.set_title("Arbeidsledighet etter alder (AKU, trend)", loc="left", fontsize=11)
    labour.plot_monthly(table[["ratio"]], {"ratio": "Forholdstall"}, "Unge ÷ voksne (ganger)", bottom,
                        breaks=breaks, decimals=0, ylim=(0, 6))
    bottom.axhline(1, color=figures.GREY, lw=0.8, ls=":")
    bottom.text(table.index[0], 1.08, "lik ledighet (1)", fontsize=7.5, color=figures.GREY)
    bottom.set_title("Forholdstall: ledigheten blant unge delt på ledigheten blant voksne", loc="left", fontsize=11)
    for ax in (top, bottom):
        ax.margins(x=0.01)
        if marks:
            labour.mark_breaks(ax, {labour.parse_month(m): text for m, text in marks.items()})
    fig.subplots_adjust(left=0.11, right=0.83, bottom=0.09, top=0.95, hspace=0.3)
    figures.source_line(fig, source)
    return fig


def ratio_data_table(table: pd.DataFrame, caption: str):
    """December values (and the first month) of :func:`ratio_table` with Norwegian headers."""
    keep = table[(table.index.month == 12) | (table.index == table.index.min())]
    frame = keep.reset_index()
    frame["when"] = [labour.month_text(m) for m in frame["month"]]
    return figures.data_table(
        frame, caption=caption,
        columns={"when": "Måned", "young": "15–24 år (%)", "adult": "25–74 år (%)",
                 "ratio": "Forholdstall (ganger)", "gap": "Forskjell (prosentpoeng)"},
        formats={c: (lambda v, d=(2 if c == "ratio" else 1): fmt.number(v, d)) for c in ("young", "adult", "ratio", "gap")})


def plot_nae(table: pd.DataFrame, source: str):
    """Two panels: new persons with reduced work capacity in the 4th quarter by age group, and
    the share of them under 30 (percent)."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.2, 6.2), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    points = []
    for i, (col, label) in enumerate(NAE_GROUPS.items()):
        colour = figures.CYCLE[i]
        top.plot(table.index, table[col], color=colour, marker=stats.MARKERS[i], ms=5, ls=stats.LINESTYLES[i])
        points.append((table.index[-1], float(table[col].iloc[-1]), label, colour))
    top.set_ylim(0, float(table[list(NAE_GROUPS)].max().max()) * 1.15)
    top.set_ylabel("Nye personer i 4. kvartal")
    top.set_title("Nye personer med nedsatt arbeidsevne, etter alder", loc="left", fontsize=11)
    labour.direct_labels(top, points)
    bottom.plot(table.index, table["share_under_30"], color=figures.CYCLE[0], marker="o", ms=5)
    for x, y in table["share_under_30"].items():
        bottom.annotate(fmt.number(y, 1), (x, y), xytext=(0, 6), textcoords="offset points", ha="center",
                        fontsize=7.5, color=figures.GREY)
    bottom.set_ylim(0, 35)
    bottom.set_ylabel("Prosent")
    bottom.set_title("Andelen under 30 år", loc="left", fontsize=11)
    figures.norwegian_axis(top, "y", 0)
    figures.norwegian_axis(bottom, "y", 0)
    figures.year_axis(bottom)
    fig.subplots_adjust(left=0.12, right=0.82, bottom=0.1, top=0.95, hspace=0.3)
    figures.source_line(fig, source)
    return fig


def nae_data_table(table: pd.DataFrame, caption: str):
    """The numbers behind :func:`plot_nae`."""
    frame = table.reset_index()
    whole = lambda v: fmt.number(v, 0)  # noqa: E731
    return figures.data_table(
        frame, caption=caption,
        columns={"year": "År (4. kvartal)", **NAE_GROUPS, "total": "I alt", "share_under_30": "Andel under 30 år (%)"},
        formats={"year": lambda v: str(int(v)), **{c: whole for c in [*NAE_GROUPS, "total"]},
                 "share_under_30": lambda v: fmt.number(v, 1)})


def facts_table(facts: pd.DataFrame, caption: str):
    """The published point figures of :func:`young_benefit_facts` as an accessible table."""
    return figures.data_table(
        facts, caption=caption,
        columns={"label": "Ytelse og alder", "year": "År", "when": "Tidspunkt", "value": "Andel av aldersgruppen (%)",
                 "source": "Kilde"},
        formats={"year": lambda v: str(int(v)), "value": lambda v: fmt.number(v, 1)})
