"""House style for the book's figures, the «Kilde: …» line, and figure data as accessible tables.

* Okabe–Ito colours (safe for the common forms of colour-blindness); meaning is always carried
  by something besides colour too (marker shape, fill, text labels).
* Figures are emitted as SVG with text kept as text, fixed metadata and a fixed hash salt, so
  two builds give byte-identical output.
* :func:`data_table` renders the numbers behind a figure as a plain, accessible HTML table
  (caption, ``<th scope="col">``), with Norwegian number formatting.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import pandas as pd

from . import fmt

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "skyblue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
CYCLE = [PALETTE[c] for c in ("blue", "vermillion", "green", "purple", "orange", "skyblue", "black")]
GREY = "#595959"  # 7:1 contrast on white

STYLE: dict[str, Any] = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.formatter.use_locale": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "arbeidsinkludering",
    "font.family": "DejaVu Sans",
}


def setup() -> None:
    """Apply the house style and make Jupyter emit deterministic vector figures.

    Every figure is emitted as SVG (the web site and the EPUB) and as PDF (the LaTeX/PDF
    edition); MyST-NB picks the right one per builder. ``SOURCE_DATE_EPOCH`` fixes the dates
    matplotlib writes into both files, so two builds give identical bytes.
    """
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    mpl.rcParams.update(STYLE)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", "pdf", metadata={"Creator": None})
        from IPython import get_ipython
        from matplotlib.figure import Figure

        shell = get_ipython()
        if shell is not None:
            svg = shell.display_formatter.formatters["image/svg+xml"]
            render = svg.lookup_by_type(Figure)
            svg.for_type(Figure, lambda fig: _emit_svg(fig, render))
    except ImportError:  # outside IPython: nothing to configure
        pass


_DECIMALS = re.compile(r"(\d+\.\d)\d+")
# One tag, comment or declaration: the numbers to round (coordinates, path data) live only inside
# tags. Text between tags – labels such as «1.1.2017» or «2,75», and CSS – is left as it is.
_TAG = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[^<>]*>", re.S)


def slim_svg(svg: str | bytes | None) -> str | None:
    """Make a matplotlib SVG lighter without changing what it shows: drop the metadata block,
    round the numbers inside tags (coordinates, path data) to a tenth of a point (below a pixel)
    and drop the indentation. Text content is never touched, so a label like «1.1.2017» survives."""
    if svg is None:
        return None
    if isinstance(svg, bytes):
        svg = svg.decode("utf-8")
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = _TAG.sub(_round_tag, svg)
    return re.sub(r"\n[ \t]+", "\n", svg)


def _round_tag(match: re.Match) -> str:
    """Round the numbers inside one SVG tag (coordinates, path data, transforms); comments,
    CDATA sections and declarations (all starting «<!») are left as they are."""
    tag = match.group(0)
    return tag if tag.startswith("<!") else _DECIMALS.sub(r"\1", tag)


def compact_svg(svg: str | None) -> str | None:
    """Lighter still than :func:`slim_svg` (applied to every figure), without changing the picture:
    drop the DOCTYPE, the ``id`` of every element that nothing refers to (matplotlib names every group), no-op
    ``rotate(-0 …)`` transforms, group wrappers around a single marker or path, and the line
    breaks inside path data and between tags. Text content is left as it is."""
    if svg is None:
        return None
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    referenced = set(re.findall(r"#([\w.\-]+)", svg))
    svg = re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in referenced else "", svg)
    svg = re.sub(r' transform="rotate\(-0 [\d.\- ]+\)"', "", svg)
    svg = re.sub(r' d="([^"]*)"', lambda m: ' d="' + " ".join(m.group(1).split()) + '"', svg)
    svg = re.sub(r">\s+<", "><", svg)
    families = set(re.findall(r"font-family: ([^;\"]+)", svg))
    root = re.search(r"<svg\b[^>]*>", svg)
    if len(families) == 1 and root and "style=" not in root.group(0):
        # one font for every text: say it once on the root element, which the texts inherit
        family = families.pop()
        svg = re.sub(r"font-family: " + re.escape(family) + r";\s*", "", svg)
        svg = re.sub(r";\s*font-family: " + re.escape(family), "", svg)
        svg = svg.replace(root.group(0), root.group(0)[:-1] + f' style="font-family: {family}">', 1)
    while True:  # unwrap until stable, so that the function is idempotent
        lighter = re.sub(r"<g>(<(?:use|path) [^>]*/>)</g>", r"\1", svg)
        if lighter == svg:
            return svg
        svg = lighter


def _emit_svg(fig, render) -> str | None:
    """Every figure on the web and in the EPUB: slimmed and compacted (10–15 KB less per chapter
    page than slimming alone, with the same marks, texts and references)."""
    return compact_svg(slim_svg(render(fig)))


def source_line(fig, text: str) -> None:
    """Write «Kilde: …» in small grey type at the bottom left of *fig*."""
    fig.text(0.01, 0.005, f"Kilde: {text}", ha="left", va="bottom", fontsize=8.5, color=GREY, wrap=True)


def norwegian_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    """Use Norwegian number formatting on an axis."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(fmt.tick_formatter(decimals))


def year_axis(ax) -> None:
    """Label the x axis with whole years only (2010, not 2 010 or 2010,5)."""
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{int(x)}" if float(x).is_integer() else ""))


Formatter = Callable[[Any], str]


class DataTable:
    """A table for the reader: HTML on the web and in the EPUB, Markdown (→ a real table) in the PDF."""

    def __init__(self, caption: str, headers: list[str], rows: list[list[str]], notes: Sequence[str]):
        self.caption, self.headers, self.rows, self.notes = caption, headers, rows, list(notes)

    @property
    def data(self) -> str:
        return self._repr_html_()

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in self.headers)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        foot = "".join(f'<p class="table-note">{html.escape(n)}</p>' for n in self.notes)
        return (
            f'<div class="data-table"><table class="table">'
            f"<caption>{html.escape(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{foot}</div>"
        )

    def _repr_markdown_(self) -> str:
        def cell(text: str) -> str:
            text = text.replace("\\", "\\\\").replace("|", "\\|")
            for ch in "*_`[]<>#":
                text = text.replace(ch, "\\" + ch)
            return text

        lines = [f"**{cell(self.caption)}**", ""]
        lines.append("| " + " | ".join(cell(h) for h in self.headers) + " |")
        lines.append("|" + "|".join("---" for _ in self.headers) + "|")
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows]
        lines += [""] + [cell(n) + "\n" for n in self.notes]
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle) -> None:  # text/plain: never an object repr in any output
        p.text(self.caption)


def data_table(
    frame: pd.DataFrame,
    caption: str,
    columns: Mapping[str, str] | None = None,
    formats: Mapping[str, Formatter] | None = None,
    notes: Sequence[str] = (),
) -> DataTable:
    """The data behind a figure as an accessible table.

    *columns* maps column names to Norwegian headers (and selects/orders them);
    *formats* maps column names to functions that turn a value into text. Missing
    values are shown as «–» («ikke oppgitt» is explained in *notes*). The result renders as an
    HTML table (caption, ``<th scope="col">``) on the web and in the EPUB, and as a Markdown
    table in the PDF.
    """
    columns = dict(columns or {c: c for c in frame.columns})
    formats = dict(formats or {})
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"data_table: no column(s) {missing} in frame")
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col in columns:
            value = row[col]
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                text = "–"
            elif col in formats:
                text = formats[col](value)
            elif isinstance(value, bool):
                text = "ja" if value else "nei"
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                text = fmt.number(value, 0 if float(value).is_integer() else 2)
            else:
                text = str(value)
            cells.append(str(text))
        rows.append(cells)
    return DataTable(caption, list(columns.values()), rows, notes)
