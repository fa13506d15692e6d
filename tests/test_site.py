"""The static site (tools/make_site.py, `make html`): a page per notebook, and no dead links."""

import html
import pathlib
import re

import nbformat
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
from tools import make_site  # noqa: E402

# href="..." and src="..." (either quote), and inline or display math in markdown.
LINK = re.compile(r"""\b(href|src)=(["'])(.*?)\2""")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
WIDGET_TEXT = "(run the notebook to move it)"  # the start of a course widget's stored text/plain


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """{page name: its HTML}, built once for every test here (about 3 s)."""
    out = tmp_path_factory.mktemp("site")
    make_site.build(out)
    return {path.name: path.read_text(encoding="utf-8") for path in out.glob("*.html")}


@pytest.fixture(scope="module")
def notebooks():
    """{path: notebook} for every notebook in notebooks/."""
    return {path: nbformat.read(path, as_version=4) for path in NOTEBOOKS}


def test_every_notebook_has_a_page_titled_with_its_first_line(site, notebooks):
    assert set(site) == {path.stem + ".html" for path in notebooks} | {"index.html"}
    assert site["index.html"] == site["00-index.html"]
    for path, nb in notebooks.items():
        found = re.search(r"<title>(.*?)</title>", site[path.stem + ".html"], re.S)
        expected = nb.cells[0].source.splitlines()[0].removeprefix("# ")
        assert found and html.unescape(found.group(1)) == expected, (path.name, found and found.group(1))


def test_every_internal_link_is_a_page_and_no_link_is_a_notebook(site):
    for name, page in site.items():
        for attribute, _, target in LINK.findall(page):
            target = html.unescape(target)
            if re.match(r"[a-zA-Z][\w+.-]*:|//", target):  # https:, data:, mailto:: not ours to check
                continue
            path = target.split("#")[0].split("?")[0]
            assert not path.endswith(".ipynb"), f"{name} links to a notebook: {target}"
            assert attribute == "href", f"{name} needs a file beside it: {attribute}={target!r}"
            assert path == "" or path in site, f"{name} links to {target}, which is not a page"
        assert "00-index.html" in page or name.endswith("index.html"), f"{name} has no link to the contents"


def test_widget_cells_show_their_stored_picture_not_a_repr(site, notebooks):
    shown = 0
    for path, nb in notebooks.items():
        page = site[path.stem + ".html"]
        assert "children=(" not in page, f"{path.name}: a widget's repr is on its page"
        for cell in nb.cells:
            stored = [o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", [])]
            if any(WIDGET_TEXT in text for text in stored):
                start = page.index(f'id="cell-id={cell.id}"')
                end = page.find('id="cell-id=', start + 1)
                chunk = page[start:end]
                picture = re.search(r'<img [^>]*src="data:image/png;base64,', chunk)
                assert picture, f"{path.name}: widget cell {cell.id} shows no picture"
                assert WIDGET_TEXT not in chunk, f"{path.name}: widget cell {cell.id} shows its text, not its picture"
                shown += 1
    assert shown >= 7  # 01, 02, 03, 04, 05, 06 and 09 each have one


def test_every_formula_is_mathml_and_nothing_comes_from_elsewhere(site, notebooks):
    """The site needs no network: every formula is rendered when the site is built, and no page
    loads a script, a style or a picture from another site (tools/site_check.py proves it in a browser)."""
    for path, nb in notebooks.items():
        page = site[path.stem + ".html"]
        prose = [make_site.CODE.sub("", cell.source) for cell in nb.cells if cell.cell_type == "markdown"]
        formulas = sum(len(make_site.MATH.findall(text)) for text in prose)
        assert page.count("<math ") == formulas, f"{path.name}: {formulas} formulas, {page.count('<math ')} MathML"
        assert "mathjax" not in page.lower() and "MATHMLTOKEN" not in page
        loaded = re.findall(r"""<(?:script|img|link|iframe)\b[^>]*\b(?:src|href)=["']((?:https?:)?//[^"']+)""", page)
        assert not loaded, f"{path.name} loads {loaded[:3]} from elsewhere"
        assert "badge_logo.svg" not in page, f"{path.name}: a Binder badge (a picture from mybinder.org)"


def test_math_in_a_table_and_beside_markdown_characters():
    rendered = make_site.with_mathml("| a | $\\|h_t\\|$ |\n|---|---|\n| `$x$` | $a_i * b_i$ |",
                                     markdown2html_mistune)
    assert rendered.count("<td>") == 2 and rendered.count("<math ") == 2  # the | inside the math is no column
    assert "<code>$x$</code>" in rendered and "<em>" not in rendered  # code keeps its $; a TeX * is no emphasis
    assert make_site.mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True).count("<mtr>") == 2


def test_every_picture_says_what_it_shows(notebooks):
    for path, nb in notebooks.items():
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    alt = make_site.alt_text(cell, output)
                    assert len(alt) >= 40, f"{path.name} cell {cell.id}: give the figure an alt text (cell metadata 'alt')"


def test_links_to_notebooks_become_pages_and_others_are_kept():
    pages = {"00-index.ipynb", "01-a.ipynb"}
    page = ('<a href="01-a.ipynb#Setup">x</a> <a href=\'00-index.ipynb\'>c</a> '
            '<a href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks/01-a.ipynb">b</a>')
    assert make_site.link_pages(page, pages, "t") == (
        '<a href="01-a.html#Setup">x</a> <a href=\'00-index.html\'>c</a> '
        '<a href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks/01-a.ipynb">b</a>')
    with pytest.raises(ValueError, match="links to '02-gone.ipynb', which is not a notebook"):
        make_site.link_pages('<a href="02-gone.ipynb">', pages, "t")
