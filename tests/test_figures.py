"""book.figures: house style, deterministic SVG and accessible data tables."""

import re
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from book import figures

# Okabe–Ito: the eight colours published by Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_palette_is_okabe_ito():
    assert set(figures.PALETTE.values()) == OKABE_ITO
    assert set(figures.CYCLE) <= OKABE_ITO


def _svg():
    figures.setup()
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [2, 1, 3], label="en")
    figures.source_line(fig, "test")
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def test_svg_is_deterministic_and_keeps_text():
    first, second = _svg(), _svg()
    assert first == second
    assert b"Kilde: test" in first  # text stays text (searchable, scalable)


def test_data_table_is_accessible_and_norwegian():
    frame = pd.DataFrame({"navn": ["A <b>", "B"], "andel": [36.6, None], "n": [1500, 12]})
    html = figures.data_table(frame, "Tabell over test", {"navn": "Navn", "andel": "Andel", "n": "N"}).data
    assert "<caption>Tabell over test</caption>" in html
    assert html.count('<th scope="col">') == 3
    assert "A &lt;b&gt;" in html  # escaped
    assert "36,60" in html and "1\u00a0500" in html
    assert "<td>–</td>" in html  # missing shown, not blank


def test_data_table_unknown_column():
    with pytest.raises(KeyError, match="nope"):
        figures.data_table(pd.DataFrame({"a": [1]}), "x", {"nope": "Nei"})


def test_data_table_renders_markdown_for_the_pdf():
    frame = pd.DataFrame({"navn": ["A|B", "*C*"], "andel": [36.6, None]})
    table = figures.data_table(frame, "Tabell", {"navn": "Navn", "andel": "Andel"}, notes=["Merk: <1>"])
    md = table._repr_markdown_()
    lines = md.splitlines()
    assert lines[0] == "**Tabell**"
    assert lines[2] == "| Navn | Andel |" and lines[3] == "|---|---|"
    assert lines[4] == "| A\\|B | 36,60 |"  # a pipe in a cell cannot break the table
    assert lines[5] == "| \\*C\\* | – |"  # nor can Markdown emphasis
    assert "Merk: \\<1\\>" in md


def test_slim_svg_keeps_the_picture_and_drops_the_weight():
    raw = _svg().decode()
    slim = figures.slim_svg(raw)
    assert len(slim) < 0.85 * len(raw)
    assert "<metadata>" not in slim and "Kilde: test" in slim
    # no coordinate finer than 1/10 pt inside tags; text such as a tick label «1.00» stays as written
    assert not any(re.search(r"\d\.\d{2,}", t) for t in re.findall(r"<[^!][^<>]*>", slim))
    assert slim.count("<path") == raw.count("<path") and slim.count("<text") == raw.count("<text")
    assert figures.slim_svg(slim) == slim  # idempotent


def test_slim_svg_rounds_coordinates_but_never_label_text():
    """A date and decimals in a label are text, not coordinates: «1.1.2017» must not become
    «1.1.2», and «2,75» or «3.14159» must survive, while the path data are still rounded."""
    figures.setup()
    fig, ax = plt.subplots()
    ax.plot([0.123456, 1.987654], [0.333333, 0.666666])
    ax.annotate("§ 20 a gjelder\nfra 1.1.2017", (0.5, 0.5))
    ax.set_title("Sats 2,75 G og pi 3.14159")
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    raw = buf.getvalue().decode()
    slim = figures.slim_svg(raw)
    texts = re.findall(r"<text[^>]*>(.*?)</text>", slim, flags=re.S)
    assert any("fra 1.1.2017" in t for t in texts)
    assert any("Sats 2,75 G og pi 3.14159" in t for t in texts)
    assert "1.1.2<" not in slim and "3.1<" not in slim
    # inside tags (coordinates, path data, transforms) nothing is finer than 1/10 point
    tags = re.findall(r"<[^!][^<>]*>", slim)
    assert tags and not any(re.search(r"\d\.\d{2,}", t) for t in tags)
    assert re.search(r"\d\.\d{2,}", raw)  # the raw SVG did have finer coordinates
    assert figures.slim_svg(slim) == slim


def test_slim_svg_leaves_comments_and_cdata_alone():
    svg = '<svg><!-- 1.23456 --><style><![CDATA[ a{width:1.23456px} ]]></style><path d="M 1.23456 2.98765"/></svg>'
    slim = figures.slim_svg(svg)
    assert "<!-- 1.23456 -->" in slim and "width:1.23456px" in slim
    assert 'd="M 1.2 2.9"' in slim  # truncated to a tenth, as before


def test_compact_svg_keeps_every_mark_and_every_reference():
    slim = figures.slim_svg(_svg().decode())
    compact = figures.compact_svg(slim)
    assert len(compact) < 0.92 * len(slim) and "<!DOCTYPE" not in compact
    # the same texts, in the same order, with their content untouched
    assert re.findall(r"<text[^>]*>([^<]*)</text>", compact) == re.findall(r"<text[^>]*>([^<]*)</text>", slim)
    # every id still referred to (markers, clip paths) is kept; nothing refers to a missing id
    ids = set(re.findall(r' id="([^"]+)"', compact))
    assert set(re.findall(r'(?:href="|url\()#([\w.\-]+)', compact)) <= ids
    assert compact.count("<use") == slim.count("<use") and compact.count("<path") == slim.count("<path")
    assert figures.compact_svg(compact) == compact and figures.compact_svg(None) is None
    # the one font family is set once, on the root element, and no text loses its other styles
    assert compact.count("font-family") == 1 and re.search(r"<svg\b[^>]*style=\"font-family: ", compact)
    assert compact.count("font-size") == slim.count("font-size")


def test_every_figure_is_emitted_compact():
    """What the notebooks display: every figure slimmed and compacted, its texts intact."""
    fig, ax = plt.subplots()
    ax.plot([2017, 2018, 2019], [3.25, 2.5, 2.75])
    ax.set_title("Unge på sosialhjelp")

    def render(f):
        buf = io.StringIO()
        f.savefig(buf, format="svg")
        return buf.getvalue()

    full = render(fig)
    out = figures._emit_svg(fig, render)
    plt.close(fig)
    assert "<!DOCTYPE" not in out and "<metadata>" not in out and not re.search(r">\s+<", out)
    assert "Unge på sosialhjelp" in out and out.count("font-family") == 1
    assert len(out) < 0.8 * len(full), (len(out), len(full))


def test_year_axis_labels_whole_years_only():
    fig, ax = plt.subplots()
    figures.year_axis(ax)
    formatter = ax.xaxis.get_major_formatter()
    assert formatter(2010.0, 0) == "2010" and formatter(2010.5, 0) == ""
    plt.close(fig)
