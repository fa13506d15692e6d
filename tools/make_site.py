"""Write the static site: one HTML page per notebook, from the outputs stored in it.

    python tools/make_site.py            # writes site/ (git-ignored)
    python tools/make_site.py --out DIR  # anywhere else

Nothing is executed: nbconvert's HTMLExporter (the JupyterLab look) renders each
notebook as it is stored, so the figures are the stored PNGs (inline, base64),
each widget is its stored picture, and the math stays in $...$ for MathJax,
which the page loads from a CDN (cdnjs). Every link to a notebook
(`NN-name.ipynb`: the contents, previous/next) points at its page
(`NN-name.html`); the Binder badges still open the notebook on mybinder.org.
00-index.ipynb is written twice, as 00-index.html and as index.html.
"""

import argparse
import pathlib
import re
import sys
import time

import jinja2
import nbformat
from nbconvert import HTMLExporter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from notebook_nav import INDEX, title  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SITE = ROOT / "site"

# The lab template with one change: require.js (only needed to show live widgets
# from saved widget state, which these notebooks do not store) is loaded only
# when a notebook holds such state, so a page asks a CDN for MathJax alone.
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}
{%- if "widgets" in nb.metadata -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_requirejs -%}
"""

# href="X.ipynb" or href="X.ipynb#anchor", relative (no scheme such as https:, no //).
NOTEBOOK_HREF = re.compile(r"""href=(["'])(?![a-zA-Z][\w+.-]*:|//)([^"'#?]*\.ipynb)([#?][^"']*)?\1""")


def page_name(notebook):
    """'01-simple-rnn-by-hand.ipynb' -> '01-simple-rnn-by-hand.html'."""
    return pathlib.PurePosixPath(notebook).with_suffix(".html").name


def _unchanged(html):
    """Stands in for nbconvert's clean_html (bleach), which the lab template runs on every
    code cell's highlighted source: Pygments has already escaped it, so bleach changes
    nothing there (checked: the pages are byte for byte the same) but takes 40% of the
    build. Markdown and HTML outputs are not sanitized either way (HTMLExporter.sanitize_html
    is off): these are our own notebooks."""
    return html


def make_exporter():
    """One HTMLExporter (lab template, no execution) to render every page with."""
    exporter = HTMLExporter(template_name="lab", template_file="site.html.j2",
                            extra_loaders=[jinja2.DictLoader({"site.html.j2": TEMPLATE})])
    exporter.register_filter("clean_html", _unchanged)
    return exporter


def link_pages(html, pages, source):
    """Point every relative link to a notebook at its page; `pages` are the notebooks' names.
    A link to a notebook that is not among them is an error, not a dead link on the site."""
    def to_page(match):
        """The rewritten href of one match."""
        quote, target, rest = match.group(1), match.group(2), match.group(3) or ""
        if target not in pages:
            raise ValueError(f"{source}: links to {target!r}, which is not a notebook in notebooks/ "
                             f"(one of {sorted(pages)})")
        return f"href={quote}{page_name(target)}{rest}{quote}"

    return NOTEBOOK_HREF.sub(to_page, html)


def render(path, exporter, pages):
    """The HTML page of one notebook, titled with its first line ('01 · SimpleRNN by hand')."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["title"] = title(nb, path)  # in memory only: the page's <title>
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    return link_pages(html, pages, path.name)


def build(out_dir=SITE, notebooks_dir=NOTEBOOKS):
    """Write one page per notebook in `notebooks_dir` into `out_dir`; return the pages written.

    Pages left from notebooks that no longer exist (NN-*.html) are removed first."""
    notebooks = sorted(pathlib.Path(notebooks_dir).glob("[0-9][0-9]-*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks (NN-name.ipynb) in {notebooks_dir}")
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("[0-9][0-9]-*.html"):
        stale.unlink()
    exporter, pages, written = make_exporter(), {path.name for path in notebooks}, []
    for path in notebooks:
        html = render(path, exporter, pages)
        names = [page_name(path.name)] + (["index.html"] if path.name == INDEX else [])
        for name in names:
            (out_dir / name).write_text(html, encoding="utf-8")
            written.append(out_dir / name)
    return written


def main(argv=None):
    """Command line: build the site and say where it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=SITE, help="folder to write (default: site/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = build(args.out)
    where = args.out.resolve()
    shown = where.relative_to(ROOT) if where.is_relative_to(ROOT) else where
    print(f"wrote {len(written)} pages to {shown}/ in {time.perf_counter() - start:.1f} s; "
          f"open {shown}/index.html")


if __name__ == "__main__":
    main()
