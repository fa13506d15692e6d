"""Write the static site: one HTML page per notebook, from the outputs stored in it.

    python tools/make_site.py            # writes site/ (git-ignored)
    python tools/make_site.py --out DIR  # anywhere else

Nothing is executed: nbconvert's HTMLExporter (the JupyterLab look) renders each
notebook as it is stored, so the figures are the stored PNGs (inline, base64),
each with its alt text, and each widget is its stored picture. The site needs no
network: the math is rendered to MathML when the site is built (latex2mathml),
which browsers draw and screen readers read without a script; the pages load no
script, font or picture from anywhere else, and the Binder badges become text
links. Code is highlighted in colours that keep WCAG AA contrast. Every link to a
notebook (`NN-name.ipynb`: the contents, previous/next) points at its page
(`NN-name.html`). 00-index.ipynb is written twice, as 00-index.html and as index.html.
"""

import argparse
import pathlib
import re
import sys
import time

import jinja2
import nbformat
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert import HTMLExporter

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/make_site.py`, sys.path[0] is tools/
    sys.path.insert(0, str(ROOT))
from tools.notebook_nav import INDEX, title  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
SITE = ROOT / "site"

# The lab template, with nothing loaded from a CDN (require.js, MathJax and mermaid are
# not needed: no widget state is stored, the math is MathML, there are no diagrams), code
# colours with AA contrast, a check cell's code folded as JupyterLab folds it, and each
# picture's alt text (read from the output's metadata, where `with_alt_texts` puts it).
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}<style type="text/css">{{ resources.site_css }}</style>{% endblock extra_css %}
{% block input_group -%}
{%- if cell.metadata.get("jupyter", {}).get("source_hidden") -%}
<details class="site-check"><summary>Checks (folded, as in JupyterLab)</summary>{{ super() }}</details>
{%- else -%}{{ super() }}{%- endif -%}
{%- endblock input_group %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ output.metadata.get('alt', '') | escape_html }}"
{%- set width=output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width={{ width | escape_html }}{%- endif %}>
</div>
{%- endblock data_png %}
"""

# Colours over JupyterLab's light theme: every one at least 4.5:1 against the page and the
# code cells' background (WCAG 2.1 AA for normal text), checked by axe-core in make test-browser.
SITE_CSS = """
html:root {  /* more specific than the theme's :root, which comes later */
  --jp-mirror-editor-keyword-color: #005c00; --jp-mirror-editor-atom-color: #3c3cb0;
  --jp-mirror-editor-number-color: #006b35; --jp-mirror-editor-def-color: #0040a8;
  --jp-mirror-editor-variable-color: #1f1f1f; --jp-mirror-editor-variable-2-color: #0b4f8a;
  --jp-mirror-editor-variable-3-color: #00664b; --jp-mirror-editor-punctuation-color: #0b4f8a;
  --jp-mirror-editor-property-color: #0b4f8a; --jp-mirror-editor-operator-color: #8a2be2;
  --jp-mirror-editor-comment-color: #3d6b6b; --jp-mirror-editor-string-color: #a3151f;
  --jp-mirror-editor-string-2-color: #8a3a00; --jp-mirror-editor-meta-color: #8a2be2;
  --jp-mirror-editor-qualifier-color: #4f4f4f; --jp-mirror-editor-builtin-color: #005c00;
  --jp-mirror-editor-bracket-color: #4f4f4f; --jp-mirror-editor-tag-color: #005c00;
  --jp-mirror-editor-attribute-color: #0000b8; --jp-mirror-editor-header-color: #0000b8;
  --jp-mirror-editor-quote-color: #006600; --jp-mirror-editor-link-color: #0000b8;
  --jp-mirror-editor-error-color: #c00000;
  --jp-cell-inprompt-font-color: #2f4f8f; --jp-cell-outprompt-font-color: #8a2b00;
  --jp-cell-prompt-not-active-font-color: #595959; --jp-cell-prompt-not-active-opacity: 1;
  --jp-content-link-color: #0b57d0; --jp-ui-font-color2: #4f4f4f; --jp-ui-font-color3: #5c5c5c;
  --jp-content-font-color2: #4f4f4f; --jp-content-font-color3: #5c5c5c;
}
math { font-size: 1.1em; }
math[display="block"] { display: block math; margin: 0.6em 0; }
details.site-check > summary { cursor: pointer; color: #4f4f4f; margin: 0.2em 0 0.2em 6em; }
/* Links in prose underlined: told apart from the text by more than colour (WCAG 1.4.1). */
html .jp-RenderedHTMLCommon a:link, html .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
/* Output text in the text colour: rich's pale blues in Keras's model.summary() are under 4.5:1. */
.jp-OutputArea-output pre span[style*="color"] { color: inherit !important; text-decoration-color: currentColor !important; }
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


MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)  # $$display$$ or $inline$
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)  # code in markdown, whose $ is not math
TOKEN = re.compile(r"MATHMLTOKEN(\d+)END")
BADGE = re.compile(r"\[!\[([^\]]*)\]\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)\s]+)\)")
WIDGET = "(run the notebook to move it)"  # how a course widget's saved text begins


def mathml(tex, display):
    """TeX as MathML; `aligned` (which latex2mathml does not know) as the `align*` it does."""
    tex = tex.strip().replace(r"\begin{aligned}", r"\begin{align*}").replace(r"\end{aligned}", r"\end{align*}")
    return latex_to_mathml(tex, display="block" if display else "inline")


def with_mathml(source, render):
    """`render(markdown)` of `source` with its math as MathML. The math is set aside as tokens
    first, so that Markdown never reads a TeX `_` or `*`; code spans and blocks keep their `$`."""
    found = []

    def set_aside(match):
        found.append(mathml(match.group(1) or match.group(2), match.group(1) is not None))
        return f"MATHMLTOKEN{len(found) - 1}END"

    codes = CODE.findall(source)
    pieces = CODE.split(source)
    text = "".join(MATH.sub(set_aside, piece) + (codes[i] if i < len(codes) else "") for i, piece in enumerate(pieces))
    return TOKEN.sub(lambda match: found[int(match.group(1))], render(BADGE.sub(r"[\1](\2)", text)))


def alt_text(cell, output):
    """What a picture shows: the cell's own `alt` metadata, or a widget's saved description."""
    if cell.metadata.get("alt"):
        return cell.metadata["alt"]
    lines = str(output.get("data", {}).get("text/plain", "")).splitlines()
    if lines and lines[0].endswith(WIDGET):
        name = lines[0][: -len(WIDGET)].strip()
        return f"The {name} widget as saved, before the notebook runs: " + "; ".join(line.strip() for line in lines[1:])
    return ""


def with_alt_texts(nb):
    """Put each picture's alt text into its output's metadata, where the template reads it."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output.setdefault("metadata", {})["alt"] = alt_text(cell, output)
    return nb


def make_exporter():
    """One HTMLExporter (lab template, no execution) to render every page with."""
    exporter = HTMLExporter(template_name="lab", template_file="site.html.j2",
                            extra_loaders=[jinja2.DictLoader({"site.html.j2": TEMPLATE})])
    exporter.register_filter("clean_html", _unchanged)
    markdown = exporter.markdown2html

    @jinja2.pass_context
    def markdown_with_mathml(context, source):
        return with_mathml(source, lambda text: markdown(context, text))

    exporter.register_filter("markdown2html", markdown_with_mathml)
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
    resources = {"metadata": {"name": path.stem}, "site_css": SITE_CSS}
    html, _ = exporter.from_notebook_node(with_alt_texts(nb), resources=resources)
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
