"""Labour-market statistics: employment gaps, benefit series and monthly series with breaks.

Used by chapter 1 and written for reuse (the disability employment gap in chapter 4, young
people by age and country in chapter 8). Three rules run through the module:

* **Only published figures.** Everything is computed from ``data/`` (``norway_stats``,
  ``ssb_lfs_age_monthly``, ``eurostat_youth_unemployment_monthly``); nothing is interpolated.
* **Never a line across a break.** A series that changes definition, age band or method is
  split into *segments*; plots draw each segment on its own and mark the break with a
  labelled vertical line, so the eye cannot read a change of method as a change in the world.
* **Not colour alone.** Every line has its own marker and line style and a direct label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import figures, fmt, stats

# --------------------------------------------------------------------------------------------
# Arithmetic on employment rates
# --------------------------------------------------------------------------------------------


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def gap_pp(reference, group):
    """The employment gap in percentage points: *reference* rate minus *group* rate.

    Works on numbers and on aligned pandas Series (missing values stay missing).
    ``gap_pp(74.0, 44.0) == 30.0``.
    """
    return reference - group


def rate_outside_group(total_employed: float, total_persons: float,
                       group_employed: float, group_persons: float) -> float:
    """Employment rate (percent) among those *not* in a group, from published counts.

    A published rate for «all» includes the group itself, so it understates the gap between
    the group and everybody else. With counts for both, the rate outside the group is
    ``(total_employed - group_employed) / (total_persons - group_persons) * 100``.
    """
    te, tp = _finite("total_employed", total_employed), _finite("total_persons", total_persons)
    ge, gp = _finite("group_employed", group_employed), _finite("group_persons", group_persons)
    if min(te, tp, ge, gp) < 0:
        raise ValueError("counts cannot be negative")
    if ge > gp or te > tp:
        raise ValueError("more employed than persons")
    if gp >= tp or ge > te:
        raise ValueError("the group must be a part of the total (fewer persons and employed)")
    return (te - ge) / (tp - gp) * 100


def employment_shortfall(group_persons: float, group_rate: float, reference_rate: float) -> float:
    """How many more in the group would be employed at the reference rate (same unit as
    *group_persons*; rates in percent). A thought experiment, not a forecast."""
    persons = _finite("group_persons", group_persons)
    g, r = _finite("group_rate", group_rate), _finite("reference_rate", reference_rate)
    if persons < 0:
        raise ValueError("group_persons cannot be negative")
    for name, rate in (("group_rate", g), ("reference_rate", r)):
        if not 0 <= rate <= 100:
            raise ValueError(f"{name} must be a percentage between 0 and 100, got {rate}")
    return persons * (r - g) / 100


# --------------------------------------------------------------------------------------------
# Monthly series (SSB «2009M01», Eurostat «2019-12»)
# --------------------------------------------------------------------------------------------

_SSB_MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
_ISO_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> pd.Timestamp:
    """The first day of a month written the SSB way (``2009M01``) or the ISO way (``2019-12``)."""
    if not isinstance(text, str):
        raise TypeError(f"month must be text such as '2009M01' or '2019-12', got {text!r}")
    match = _SSB_MONTH.match(text) or _ISO_MONTH.match(text)
    if not match:
        raise ValueError(f"not a month: {text!r} (expected 'YYYYMmm' or 'YYYY-MM')")
    return pd.Timestamp(int(match.group(1)), int(match.group(2)), 1)


def monthly_wide(frame: pd.DataFrame, by: str, where: Mapping[str, str] | None = None,
                 month: str = "month", value: str = "value") -> pd.DataFrame:
    """One row per month (a DatetimeIndex, sorted), one column per value of *by*.

    *where* keeps only rows whose columns equal the given values (e.g. one measure).
    Raises ``KeyError`` for an empty selection and ``ValueError`` for two values in one cell.
    """
    rows = frame
    for column, wanted in (where or {}).items():
        if column not in rows.columns:
            raise KeyError(f"monthly_wide: no column {column!r}")
        rows = rows[rows[column] == wanted]
    if rows.empty:
        raise KeyError(f"monthly_wide: no rows for {dict(where or {})}")
    rows = rows.assign(_month=[parse_month(m) for m in rows[month]])
    dupes = rows[rows.duplicated(["_month", by], keep=False)]
    if not dupes.empty:
        raise ValueError(f"monthly_wide: several values for the same month and {by!r} "
                         f"(first: {dupes.iloc[0][month]}, {dupes.iloc[0][by]})")
    table = rows.pivot(index="_month", columns=by, values=value).sort_index().astype(float)
    table.index.name, table.columns.name = "month", None
    return table


def at_month(table: pd.DataFrame, month: str, column: str) -> float:
    """The value of *column* in *month* (``'2024-12'`` or ``'2024M12'``); ``KeyError`` if missing."""
    when = parse_month(month)
    if column not in table.columns:
        raise KeyError(f"no column {column!r}")
    if when not in table.index or pd.isna(table.loc[when, column]):
        raise KeyError(f"no value for {column!r} in {month}")
    return float(table.loc[when, column])


MONTHS_NB = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
             "oktober", "november", "desember")


def month_text(when) -> str:
    """A month in Norwegian words: ``month_text(pd.Timestamp(2017, 2, 1)) == 'februar 2017'``
    (also accepts '2017M02' and '2017-02')."""
    ts = parse_month(when) if isinstance(when, str) else pd.Timestamp(when)
    return f"{MONTHS_NB[ts.month - 1]} {ts.year}"


def december_values(table: pd.DataFrame) -> pd.DataFrame:
    """The December rows of a monthly table, indexed by year (the figures' data tables)."""
    dec = table[table.index.month == 12].copy()
    dec.index = dec.index.year
    dec.index.name = "year"
    return dec


# --------------------------------------------------------------------------------------------
# Health-related benefits (RNB 2021, figure 3.9)
# --------------------------------------------------------------------------------------------

HEALTH_GROUP = "18-66 bosatt i Norge"
HEALTH_COLUMNS = {
    "share": "health_benefit_share_18_66",
    "ufore": "health_benefit_recipients_ufore",
    "aap": "health_benefit_recipients_aap",
    "sykepenger": "health_benefit_recipients_sykepenger",
}
HEALTH_LABELS = {"ufore": "Uførepensjon / uføretrygd", "aap": "AAP", "sykepenger": "Sykepenger"}
AAP_START = 2010  # AAP replaced three earlier benefits on 1 March 2010
UFORETRYGD_START = 2015  # uføretrygd replaced uførepensjon on 1 January 2015 (ftrl. kap. 12)


def health_benefits(norway_stats: pd.DataFrame, years: tuple[int, int] = (2001, 2020)) -> pd.DataFrame:
    """Health-related benefits, one row per year: share of residents 18–66 (percent) and
    recipients in 1000 by benefit (residents 18–66), recipients not resident in Norway
    (``abroad``), the residents' total and each benefit's share of that total.

    Only the RNB 2021 series is used; the older 1992–2016 series has other levels and is
    never mixed in (``stats.indicator`` refuses ambiguous selections).
    """
    parts = {key: stats.wide(stats.indicator(norway_stats, name, groups=[HEALTH_GROUP], years=years))[HEALTH_GROUP]
             for key, name in HEALTH_COLUMNS.items()}
    abroad = stats.wide(stats.indicator(norway_stats, "health_benefit_recipients_abroad", years=years))
    table = pd.DataFrame(parts)
    table["abroad"] = abroad.iloc[:, 0]
    if table.isna().any().any():
        missing = table.columns[table.isna().any()].tolist()
        raise ValueError(f"health_benefits: years missing in {missing}")
    benefits = list(HEALTH_LABELS)
    table["total"] = table[benefits].sum(axis=1)
    for key in benefits:
        table[f"{key}_pct_of_total"] = table[key] / table["total"] * 100
    table.index.name = "year"
    return table


# --------------------------------------------------------------------------------------------
# The employment gap for people with disabilities (AKU supplement, SSB)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapSeries:
    """One comparable piece of a gap series: where the group's rate and the reference rate
    come from (``(indicator, group)`` in ``norway_stats``), which years, and a label."""

    key: str
    label: str
    short: str
    group: tuple[str, str]
    reference: tuple[str, str] | None
    years: tuple[int, int]


DISABILITY_SERIES: tuple[GapSeries, ...] = (
    GapSeries("aku_16_66", "AKU 2002–2006, 16–66 år", "AKU 2002–06\n16–66 år",
              ("disability_aku_employment_rate_disabled_pct", "16-66"),
              ("disability_aku_employment_rate_total_pct", "16-66"), (2002, 2006)),
    GapSeries("aku_15_66", "AKU 2006–2017, 15–66 år", "AKU 2006–17\n15–66 år",
              ("disability_aku_employment_rate_disabled_pct", "15-66"),
              ("disability_aku_employment_rate_total_pct", "15-66"), (2006, 2012)),
    GapSeries("ssb_2021", "2021, ny AKU med ny definisjon", "2021",
              ("disability_employment_rate_pct", "15-66 with nedsatt funksjonsevne"), None, (2021, 2021)),
)

#: The series that SSB's later publications (2013–2017, same survey and method) continue.
LATER_SERIES = "aku_15_66"

#: Breaks in the disability statistics (year → Norwegian label), drawn as vertical lines.
DISABILITY_BREAKS = {2018: "Ny AKU-metode 2018", 2021: "Ny AKU 2021"}


def gap_table(norway_stats: pd.DataFrame, series: Sequence[GapSeries] = DISABILITY_SERIES,
              later: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table, one row per series and year: the group's rate, the reference rate, the gap
    (percentage points), whether the source calls the group's figure approximate, and the number
    of decimals the source gives (``decimals``).

    Series are kept apart (column ``series``) so that nothing is joined across a break. *later*
    (the resource ``ssb_funksjonshemmede_2015_2017``: ``year``, ``group_rate_pct``,
    ``total_rate_pct``, ``source``) adds SSB's published whole-percent figures for later years of
    the same survey to :data:`LATER_SERIES`; its years must come after that series' table years.
    """
    rows = []
    for spec in series:
        group = stats.indicator(norway_stats, spec.group[0], groups=[spec.group[1]], years=spec.years)
        ref = (stats.indicator(norway_stats, spec.reference[0], groups=[spec.reference[1]], years=spec.years)
               .set_index("year")["value"] if spec.reference else pd.Series(dtype=float))
        for _, row in group.iterrows():
            reference = float(ref[row["year"]]) if row["year"] in ref.index else np.nan
            rows.append({
                "series": spec.key, "label": spec.label, "short": spec.short, "year": int(row["year"]),
                "group": float(row["value"]), "reference": reference,
                "gap": gap_pp(reference, float(row["value"])),
                "approx": bool(pd.notna(row["approx"])), "source": row["source"],
                "decimals": 0 if pd.notna(row["approx"]) else 1,
            })
        if later is not None and spec.key == LATER_SERIES:
            last = max(r["year"] for r in rows if r["series"] == spec.key)
            for _, row in later.sort_values("year").iterrows():
                if int(row["year"]) <= last:
                    raise ValueError(f"gap_table: later year {int(row['year'])} is not after {last}")
                reference = float(row["total_rate_pct"]) if pd.notna(row["total_rate_pct"]) else np.nan
                rows.append({
                    "series": spec.key, "label": spec.label, "short": spec.short, "year": int(row["year"]),
                    "group": float(row["group_rate_pct"]), "reference": reference,
                    "gap": gap_pp(reference, float(row["group_rate_pct"])),
                    "approx": False, "source": row["source"], "decimals": 0,
                })
    if not rows:
        raise KeyError("gap_table: no rows selected")
    return pd.DataFrame(rows)


#: The AKU supplement tables with counts (1000 persons, ages 15–66) in ``norway_stats``.
AKU_COUNT_GROUP = "15-66"
AKU_COUNT_INDICATORS = {
    "persons_dis": "disability_aku_persons_disabled_1000",
    "employed_dis": "disability_aku_employed_disabled_1000",
    "persons_all": "disability_aku_persons_total_1000",
    "employed_all": "disability_aku_employed_total_1000",
}


def aku_counts(norway_stats: pd.DataFrame) -> pd.DataFrame:
    """The AKU supplement counts (1000 persons, 15–66), one row per year that has all four counts
    (index ``year``; columns ``persons_dis``, ``employed_dis``, ``persons_all``, ``employed_all``)."""
    parts = {key: stats.wide(stats.indicator(norway_stats, name, groups=[AKU_COUNT_GROUP]))[AKU_COUNT_GROUP]
             for key, name in AKU_COUNT_INDICATORS.items()}
    table = pd.DataFrame(parts).astype(float).dropna()
    if table.empty:
        raise KeyError("aku_counts: no year has all four counts")
    table.index.name = "year"
    return table


def disability_gap(norway_stats: pd.DataFrame, year: int | None = None) -> pd.Series:
    """The employment gap between people without and with a disability in one AKU supplement
    year (default: the latest year with counts), computed once for the whole book.

    Both rates are computed from the same published counts, so the gap is internally consistent:
    ``rate_dis`` = employed / persons in the group, ``rate_oth`` = the rate outside the group
    (:func:`rate_outside_group`), ``gap`` = ``rate_oth - rate_dis`` (percentage points). Also
    returned: ``rate_all`` (everybody, from the counts), ``gap_all`` = ``rate_all - rate_dis``,
    the counts, ``shortfall_oth`` and ``shortfall_all`` (1000 persons, :func:`employment_shortfall`)
    and ``year``. Raises ``KeyError`` for a year without counts.
    """
    counts = aku_counts(norway_stats)
    year = int(counts.index.max()) if year is None else int(year)
    if year not in counts.index:
        raise KeyError(f"disability_gap: no AKU counts for {year} (have {list(counts.index)})")
    c = counts.loc[year]
    rate_dis = c["employed_dis"] / c["persons_dis"] * 100
    rate_all = c["employed_all"] / c["persons_all"] * 100
    rate_oth = rate_outside_group(c["employed_all"], c["persons_all"], c["employed_dis"], c["persons_dis"])
    return pd.Series({
        "year": year, **c.to_dict(), "rate_dis": rate_dis, "rate_all": rate_all, "rate_oth": rate_oth,
        "gap": gap_pp(rate_oth, rate_dis), "gap_all": gap_pp(rate_all, rate_dis),
        "shortfall_oth": employment_shortfall(c["persons_dis"], rate_dis, rate_oth),
        "shortfall_all": employment_shortfall(c["persons_dis"], rate_dis, rate_all),
    })


def gap_calculation_table(gap: pd.Series, caption: str | None = None):
    """The worked calculation behind :func:`disability_gap` as a two-column table (Norwegian)."""
    steps = {
        "Personer med nedsatt funksjonsevne (1 000)": gap["persons_dis"],
        "Av dem sysselsatt (1 000)": gap["employed_dis"],
        "Sysselsettingsandel i gruppen (%)": gap["rate_dis"],
        "Sysselsettingsandel blant alle (%)": gap["rate_all"],
        "Sysselsettingsandel blant dem uten nedsatt funksjonsevne (%)": gap["rate_oth"],
        "Forskjell mot dem uten (prosentpoeng)": gap["gap"],
        "Flere i arbeid med samme andel som alle (1 000)": gap["shortfall_all"],
        "Flere i arbeid med samme andel som dem uten (1 000)": gap["shortfall_oth"],
    }
    return calculation_table(steps, caption or f"Regnestykket for {int(gap['year'])} (AKU, 15–66 år)")


def aku_counts_table(norway_stats: pd.DataFrame, caption: str):
    """The counts behind :func:`disability_gap` for every year, as an accessible table, so the
    calculation can be redone by hand for any year (Norwegian headers)."""
    frame = aku_counts(norway_stats).reset_index()
    columns = {"year": "År", "persons_dis": "Med nedsatt funksjonsevne (1 000)",
               "employed_dis": "Av dem sysselsatt (1 000)", "persons_all": "Alle 15–66 år (1 000)",
               "employed_all": "Alle sysselsatte (1 000)"}
    formats = {c: (lambda v: fmt.number(v, 0)) for c in columns}
    formats["year"] = lambda v: str(int(v))
    return figures.data_table(frame, caption=caption, columns=columns, formats=formats,
                              notes=["SSB oppgir antallene avrundet til nærmeste tusen. Tallene for 2009 "
                                     "gjelder 4. kvartal, de andre årene 2. kvartal."])


# --------------------------------------------------------------------------------------------
# Plotting
# --------------------------------------------------------------------------------------------

MARKERS = stats.MARKERS
LINESTYLES = stats.LINESTYLES


def direct_labels(ax, points: Iterable[tuple[object, float, str, str]], min_gap: float = 0.075,
                  dx_points: float = 7) -> None:
    """Write each label just to the right of its point (*points* are ``(x, y, text, colour)``),
    nudged apart vertically so that no two labels are closer than *min_gap* of the y range.
    Call after the y limits are set."""
    from matplotlib.transforms import ScaledTranslation

    offset = ax.transData + ScaledTranslation(dx_points / 72, 0, ax.figure.dpi_scale_trans)
    lo, hi = ax.get_ylim()
    step = (hi - lo) * min_gap
    last = -np.inf
    for x, y, text, colour in sorted(points, key=lambda p: p[1]):
        target = max(float(y), last + step)
        last = target
        ax.annotate(text, xy=(x, y), xytext=(x, target), textcoords=offset, va="center",
                    fontsize=9, color=colour, annotation_clip=False)


def mark_breaks(ax, breaks: Mapping[object, str], y: float = 0.98) -> None:
    """A dotted vertical line for each series break (x → label), labelled along the line."""
    for x, label in breaks.items():
        ax.axvline(x, color=figures.GREY, ls=":", lw=1.1, zorder=0)
        ax.text(x, y, label, transform=ax.get_xaxis_transform(), ha="right", va="top",
                rotation=90, fontsize=7.5, color=figures.GREY,
                bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})


def plot_health_benefits(table: pd.DataFrame, source: str, aap_start: int = AAP_START):
    """Two panels: the share of residents 18–66 on a health-related benefit, and recipients by
    benefit. The AAP line is broken at *aap_start*: the years before hold the predecessor
    benefits as the source gives them (hollow markers, dashed) and are not joined to AAP."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.4, 6.6), sharex=True,
                                      gridspec_kw={"height_ratios": [2, 3]})
    blue, verm, green = figures.PALETTE["blue"], figures.PALETTE["vermillion"], figures.PALETTE["green"]
    top.plot(table.index, table["share"], marker="o", ms=4.5, markevery=[0, len(table) - 1],
             color=figures.PALETTE["black"])  # one line: markers only at the ends
    top.set_ylabel("Prosent av 18–66 år")
    top.set_ylim(15, 20)
    figures.norwegian_axis(top, "y", 0)
    top.set_title("Andel av befolkningen 18–66 år med en helserelatert ytelse", loc="left", fontsize=11)

    styles = {"ufore": (blue, "o", "-"), "sykepenger": (green, "^", "-.")}
    labels = []
    for key, (colour, marker, ls) in styles.items():
        bottom.plot(table.index, table[key], marker=marker, ms=4.5, ls=ls, color=colour,
                    markevery=list(range(len(table) - 1, -1, -2)))  # every second year: a lighter SVG
        labels.append((table.index[-1], table[key].iloc[-1], HEALTH_LABELS[key], colour))
    before, after = table[table.index < aap_start], table[table.index >= aap_start]
    bottom.plot(before.index, before["aap"], marker="s", ms=4.5, ls="--", color=verm, mfc="white")
    bottom.plot(after.index, after["aap"], marker="s", ms=4.5, ls="-", color=verm,
                markevery=list(range(len(after) - 1, -1, -2)))
    labels.append((after.index[-1], after["aap"].iloc[-1], HEALTH_LABELS["aap"], verm))
    bottom.annotate("forløperytelser\n(hule punkter)", (before.index[1], before["aap"].iloc[1]),
                    xytext=(0, -30), textcoords="offset points", fontsize=8, color=verm, ha="left")
    bottom.set_ylabel("1 000 mottakere")
    bottom.set_ylim(0, max(table[["ufore", "aap", "sykepenger"]].max()) * 1.12)
    figures.norwegian_axis(bottom, "y", 0)
    bottom.set_title("Mottakere etter ytelse", loc="left", fontsize=11)
    mark_breaks(bottom, {aap_start - 0.5: "AAP fra mars 2010", UFORETRYGD_START - 0.5: "Uføretrygd fra 2015"}, y=0.99)
    direct_labels(bottom, labels)
    for ax in (top, bottom):
        figures.year_axis(ax)
        ax.margins(x=0.02)
    fig.subplots_adjust(left=0.11, right=0.84, bottom=0.1, top=0.95, hspace=0.3)
    figures.source_line(fig, source)
    return fig


def health_data_table(table: pd.DataFrame, caption: str):
    """The numbers behind :func:`plot_health_benefits`, with Norwegian headers."""
    frame = table.reset_index()
    # the residents' total is the sum of the three benefits; recipients abroad are not in the share
    columns = {"year": "År", "share": "Andel 18–66 år (%)", "ufore": "Uførepensjon / uføretrygd (1 000)",
               "aap": "AAP / forløpere (1 000)", "sykepenger": "Sykepenger (1 000)"}
    formats = {c: (lambda v: fmt.number(v, 1)) for c in columns if c != "year"}
    formats["year"] = lambda v: str(int(v))
    return figures.data_table(frame, caption=caption, columns=columns, formats=formats,
                              notes=[f"AAP ble innført i mars {AAP_START}. Tallene før {AAP_START} er "
                                     "forløperytelsene slik kilden oppgir dem, og kan ikke sammenlignes "
                                     "direkte med AAP.",
                                     f"Til og med {UFORETRYGD_START - 1} gjelder kolonnen uførepensjon, fra "
                                     f"{UFORETRYGD_START} uføretrygd."])


def longest_gap(years: Iterable[int]) -> list[int]:
    """The longest run of missing years between the first and last of *years*
    (``longest_gap([2002, 2003, 2007, 2009]) == [2004, 2005, 2006]``)."""
    have = sorted({int(y) for y in years})
    best: list[int] = []
    for a, b in zip(have, have[1:]):
        run = list(range(a + 1, b))
        if len(run) > len(best):
            best = run
    return best


def plot_gap(table: pd.DataFrame, source: str, breaks: Mapping[int, str] = DISABILITY_BREAKS,
             group_label: str = "Med nedsatt funksjonsevne", reference_label: str = "Alle i alderen",
             gap_panel: bool = True):
    """Employment rates of a group and a reference, one segment per comparable series, with
    the breaks marked (top), and the gap in percentage points per year and series (bottom,
    left out with ``gap_panel=False`` when a table gives the gaps: a lighter page).
    No line is drawn between series."""
    if gap_panel:
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.6, 6.8), sharex=True,
                                          gridspec_kw={"height_ratios": [3, 2]})
    else:
        fig, top = plt.subplots(figsize=(7.6, 4.2))
        bottom = None
    blue, verm = figures.PALETTE["blue"], figures.PALETTE["vermillion"]
    hatches = ["////", "", "--", "xx"]  # no dotted hatch: it is hundreds of SVG circles
    keys = list(dict.fromkeys(table["series"]))
    for i, key in enumerate(keys):
        seg = table[table["series"] == key].sort_values("year")
        hollow = i == 0
        ls = "--" if hollow else "-"
        for col, colour, marker in (("reference", blue, "o"), ("group", verm, "s")):
            part = seg.dropna(subset=[col])
            if part.empty:
                continue
            # a year without a number breaks the line: nothing is drawn between 2012 and 2015
            years = range(int(part["year"].min()), int(part["year"].max()) + 1)
            values = part.set_index("year")[col].reindex(years)
            top.plot(list(years), values.to_numpy(dtype=float), ls=ls, marker=marker, ms=5, color=colour,
                     mfc="white" if hollow else colour)
            if len(part) == 1:  # a single year: write the value next to the point
                row = part.iloc[0]
                text = ("≈ " if col == "group" and row["approx"] else "") + fmt.percent(row[col], 0)
                top.annotate(text, (row["year"], row[col]), xytext=(6, 0), textcoords="offset points",
                             va="center", fontsize=8.5, color=colour)
        mid = seg["year"].mean()
        top.text(mid, 0.03, seg["short"].iloc[0], transform=top.get_xaxis_transform(),
                 ha="center", va="bottom", fontsize=7.5, color=figures.GREY)
        with_gap = seg.dropna(subset=["gap"])
        if bottom is None:
            continue
        bars = bottom.bar(with_gap["year"] + (-0.18 if hollow else 0.18 if i == 1 else 0), with_gap["gap"],
                          width=0.36 if len(with_gap) > 1 else 0.5, color="white" if hollow else blue,
                          edgecolor=blue, hatch=hatches[i % len(hatches)], lw=1)
        if len(with_gap) == 1:  # a single bar: write its value (the table under the figure has the rest)
            rect, value = bars[0], with_gap["gap"].iloc[0]
            bottom.annotate(fmt.number(value, 0), (rect.get_x() + rect.get_width() / 2, value), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom", fontsize=7.5, color=figures.GREY)
    # label the lines at the last year of an unbroken run that has both rates (2012, not 2015)
    labelled = table[table["series"] == keys[1 if len(keys) > 1 else 0]].dropna(subset=["reference"]).sort_values("year")
    runs = labelled[labelled["year"].diff() == 1]
    first = (runs if not runs.empty else labelled).iloc[-1]
    top.annotate(reference_label, (first["year"], first["reference"]), xytext=(8, 6), textcoords="offset points",
                 fontsize=9, color=blue)
    top.annotate(group_label, (first["year"], first["group"]), xytext=(8, -12), textcoords="offset points",
                 fontsize=9, color=verm)
    hole = longest_gap(table["year"])
    if len(hole) > 2:  # say where the data stop, rather than leave an unexplained gap
        top.text((hole[0] + hole[-1]) / 2, 0.5, f"Ingen sammenlignbare\ntall {hole[0]}–{hole[-1]}",
                 transform=top.get_xaxis_transform(), ha="center", va="center", fontsize=8, color=figures.GREY)
    top.set_ylim(0, 100)
    top.set_ylabel("Sysselsatte, prosent")
    axes = [top]
    if bottom is not None:
        bottom.set_ylabel("Forskjell, prosentpoeng")
        bottom.set_ylim(0, max(table["gap"].max() * 1.25, 1))
        bottom.set_title("Sysselsettingsgapet (alle minus gruppen)", loc="left", fontsize=11)
        axes.append(bottom)
    for ax in axes:
        mark_breaks(ax, {x - 0.5: label for x, label in breaks.items()}, y=0.99 if ax is top else 0.97)
        figures.norwegian_axis(ax, "y", 0)
        figures.year_axis(ax)
    top.set_title("Andel sysselsatte", loc="left", fontsize=11)
    lo, hi = int(table["year"].min()), int(table["year"].max())
    axes[-1].set_xlim(lo - 0.8, hi + 1.6)
    axes[-1].set_xticks(range(lo, hi + 1, 2))
    if bottom is not None:
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.1, top=0.95, hspace=0.28)
    else:
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.92)
    figures.source_line(fig, source)
    return fig


def gap_data_table(table: pd.DataFrame, caption: str):
    """The gap series as an accessible table, each number with as many decimals as its source
    gives; «–» where the source gives no reference rate."""
    decimals = table["decimals"] if "decimals" in table else pd.Series(1, index=table.index)
    text = lambda v, d: "–" if pd.isna(v) else fmt.number(v, int(d))  # noqa: E731
    frame = table.assign(
        group_text=[("≈ " if a else "") + text(v, d) for v, a, d in zip(table["group"], table["approx"], decimals)],
        reference_text=[text(v, d) for v, d in zip(table["reference"], decimals)],
        gap_text=[text(v, d) for v, d in zip(table["gap"], decimals)])
    return figures.data_table(
        frame, caption=caption,
        columns={"label": "Serie", "year": "År", "group_text": "Med nedsatt funksjonsevne (%)",
                 "reference_text": "Alle (%)", "gap_text": "Forskjell (prosentpoeng)"},
        formats={"year": lambda v: str(int(v))},
        notes=["≈ betyr at kilden oppgir tallet som omtrentlig («nesten»). Tall uten desimal er oppgitt i hele "
               "prosent av SSB; – betyr at kilden ikke gir tallet.",
               "Seriene kan ikke kobles sammen: aldersgruppen endret seg i 2006, SSB la om beregningsmetoden "
               "i 2018 uten å regne om tallene bakover, og definisjonen ble endret med ny AKU i 2021."],
    )


def calculation_table(steps: Mapping[str, float], caption: str, decimals: int = 1,
                      headers: tuple[str, str] = ("Størrelse", "Verdi")):
    """A worked calculation as a two-column table (step → value), Norwegian formatting;
    *headers* name the two columns."""
    if not steps:
        raise ValueError("calculation_table: no steps")
    frame = pd.DataFrame({"step": list(steps), "value": [float(v) for v in steps.values()]})
    return figures.data_table(frame, caption=caption, columns={"step": headers[0], "value": headers[1]},
                              formats={"value": lambda v: fmt.number(v, decimals)})


def plot_monthly(table: pd.DataFrame, labels: Mapping[str, str], ylabel: str, ax,
                 breaks: Mapping[str, str] | None = None, decimals: int = 0,
                 reference: Sequence[str] = (), ylim: tuple[float, float] | None = None,
                 marker_every: int = 12) -> None:
    """Monthly lines on *ax*, each with its own marker (every 12th month) and line style and a
    direct label; *breaks* maps a month (``'2021-01'``) to a label; *reference* columns are
    drawn thin and grey (e.g. an EU average); a marker every *marker_every* months, counting
    back from the last month."""
    palette = figures.CYCLE
    cuts = sorted(parse_month(m) for m in (breaks or {}))
    points = []
    for i, (col, label) in enumerate(labels.items()):
        if col not in table.columns:
            raise KeyError(f"plot_monthly: no column {col!r}")
        series = table[col].dropna()
        colour = figures.GREY if col in reference else palette[i % len(palette)]
        edges = [series.index.min(), *[c for c in cuts if series.index.min() < c <= series.index.max()], None]
        for start, stop in zip(edges, edges[1:]):  # one line per segment: never across a break
            seg = series[(series.index >= start) & ((series.index < stop) if stop is not None else True)]
            ax.plot(seg.index, seg.values, color=colour, ls=LINESTYLES[i % len(LINESTYLES)],
                    lw=1.2 if col in reference else 1.8, marker=MARKERS[i % len(MARKERS)], ms=4,
                    markevery=list(range(len(seg) - 1, -1, -marker_every)))
        points.append((series.index[-1], series.values[-1], label, colour))
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    figures.norwegian_axis(ax, "y", decimals)
    if breaks:
        mark_breaks(ax, {parse_month(m): text for m, text in breaks.items()})
    direct_labels(ax, points)


#: Norwegian labels for the age groups of SSB table 13760 and the countries of Eurostat une_rt_m.
AGE_LABELS = {"15-24": "15–24 år", "25-74": "25–74 år"}
COUNTRY_LABELS = {"Norway": "Norge", "Sweden": "Sverige", "Denmark": "Danmark", "EU": "EU", "Germany": "Tyskland"}
#: The LFS redesign of January 2021 under the EU framework regulation (IESS).
LFS_BREAK = {"2021-01": "Ny EU-forordning 2021"}


def monthly_tables(lfs: pd.DataFrame, youth: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three monthly tables of chapter 1: employment rate and unemployment rate by age group
    (SSB 13760, long format with ``measure``) and youth unemployment by country (Eurostat)."""
    return (monthly_wide(lfs, "age_group", where={"measure": "employment_rate"}),
            monthly_wide(lfs, "age_group", where={"measure": "unemployment_rate"}),
            monthly_wide(youth, "country"))


def plot_age_and_countries(employment: pd.DataFrame, youth: pd.DataFrame, source: str,
                           employment_labels: Mapping[str, str] | None = None,
                           youth_labels: Mapping[str, str] | None = None,
                           breaks: Mapping[str, str] | None = None, youth_breaks: Mapping[str, str] | None = None,
                           reference: Sequence[str] = ("EU",)):
    """Two panels: employment rate by age group (monthly; *breaks*, default none, because SSB
    table 13760 is break-adjusted) and unemployment among young people by country (monthly;
    *youth_breaks* default to :data:`LFS_BREAK`). Labels default to :data:`AGE_LABELS` and to
    Norway, Sweden, Denmark and the EU from :data:`COUNTRY_LABELS`."""
    employment_labels = AGE_LABELS if employment_labels is None else employment_labels
    if youth_labels is None:
        youth_labels = {c: COUNTRY_LABELS[c] for c in ("Norway", "Sweden", "Denmark", "EU")}
    breaks = {} if breaks is None else breaks
    youth_breaks = LFS_BREAK if youth_breaks is None else youth_breaks
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.4, 7.0))
    plot_monthly(employment, employment_labels, "Sysselsatte, prosent av befolkningen", top, breaks=breaks,
                 ylim=(40, 80), marker_every=24)
    top.set_title("Sysselsetting etter alder, Norge (trend)", loc="left", fontsize=11)
    plot_monthly(youth, youth_labels, "Arbeidsledige, prosent av arbeidsstyrken", bottom,
                 breaks=youth_breaks, reference=reference, ylim=(0, max(30.0, float(youth.max().max()) * 1.1)),
                 marker_every=24)
    bottom.set_title("Arbeidsledighet blant unge under 25 år", loc="left", fontsize=11)
    for ax in (top, bottom):
        ax.margins(x=0.01)
    fig.subplots_adjust(left=0.11, right=0.83, bottom=0.09, top=0.95, hspace=0.35)
    figures.source_line(fig, source)
    return fig


def monthly_data_table(table: pd.DataFrame, labels: Mapping[str, str], caption: str, decimals: int = 1):
    """December values of a monthly table as an accessible table (the figure shows every month)."""
    dec = december_values(table)
    return stats.table_html(dec, caption, labels, decimals=decimals, index_label="År (desember)")
