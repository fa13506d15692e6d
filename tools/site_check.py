"""The static site in a real browser with the network shut: every page whole, and accessible.

    python tools/site_check.py           # what `make test-browser` runs after the notebooks
    python tools/site_check.py 01 07     # some pages only

Builds the site (tools/make_site.py) into a temporary folder and opens every page in
headless Chromium from the disk, with every request that would leave the site's folder
blocked and recorded. A page passes when
  - it made no request outside the folder (no script, font, style or picture from elsewhere);
  - no formula is left as TeX: no `$...$` or TeX command in its text outside code, and every
    lesson page holds MathML;
  - every picture has an alt text;
  - axe-core (the one axe-playwright-python carries, pinned in the lock) finds no violation of
    WCAG 2.0 or 2.1 at level A or AA.
A screenshot of each page goes to browser-screenshots/site/. Exits 1 if any page fails.
"""

import json
import pathlib
import re
import shutil
import sys
import tempfile

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/site_check.py`, sys.path[0] is tools/
    sys.path.insert(0, str(ROOT))

from tools import make_site  # noqa: E402
from tools.browser_lab import SCREENSHOTS, chromium  # noqa: E402

SHOTS = SCREENSHOTS / "site"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SCRIPT = pathlib.Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")

# The text a reader sees outside code and MathML; TeX left in it means a formula was not rendered.
VISIBLE_TEXT = """() => {
  const skip = new Set(["PRE", "CODE", "SCRIPT", "STYLE", "MATH"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let e = node.parentElement; e; e = e.parentElement) {
        if (skip.has(e.tagName.toUpperCase()) || e.classList.contains("jp-InputArea") ||
            e.classList.contains("jp-OutputArea")) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }});
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.textContent);
  return parts.join(" ");
}"""
TEX = re.compile(r"\$[^$\n]+\$|\\(frac|begin|hat|tilde|odot|sigma|partial|sum|mathbf|operatorname|qquad)\b")


def check_page(context, site, name):
    """The failures of one page, as sentences (an empty list when it passes)."""
    outside = []

    def route(route):
        url = route.request.url
        if url.startswith(site.as_uri() + "/") or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page = context.new_page()
    page.route("**/*", route)
    page.goto((site / name).as_uri(), wait_until="load")
    failures = [f"requested {url}, outside the site's folder" for url in outside]
    text = page.evaluate(VISIBLE_TEXT)
    failures += [f"TeX left unrendered: {m.group(0)!r}" for m in list(TEX.finditer(text))[:5]]
    if name[:2].isdigit() and name[:2] != "00" and not page.locator("math").count():
        failures.append("no MathML on a lesson page")
    no_alt = page.locator("img:not([alt]), img[alt='']").count()
    if no_alt:
        failures.append(f"{no_alt} picture(s) without an alt text")
    page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate("options => axe.run(document, options)",
                            {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    for violation in results["violations"]:
        targets = [node["target"] for node in violation["nodes"][:3]]
        failures.append(f"axe {violation['id']} ({violation['impact']}): {len(violation['nodes'])} element(s), "
                        f"e.g. {json.dumps(targets)}: {violation['help']}")
    page.screenshot(path=str(SHOTS / name.replace(".html", ".png")), full_page=False)
    page.close()
    return failures


def main(argv=None):
    wanted = sys.argv[1:] if argv is None else argv
    with tempfile.TemporaryDirectory(prefix="rnn-site-") as tmp, sync_playwright() as playwright:
        site = pathlib.Path(tmp)
        pages = sorted(path.name for path in make_site.build(site))
        pages = [name for name in pages if not wanted or any(name.startswith(w) for w in wanted)]
        browser = chromium(playwright)
        shutil.rmtree(SHOTS, ignore_errors=True)
        SHOTS.mkdir(parents=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        failed = 0
        for name in pages:
            failures = check_page(context, site, name)
            failed += bool(failures)
            print(f"site_check {name}: " + ("ok" if not failures else "FAILED"), flush=True)
            for failure in failures:
                print(f"    {failure}")
        browser.close()
    print(f"site_check: {len(pages) - failed} of {len(pages)} pages ok, with the network shut; "
          f"screenshots in {SHOTS.relative_to(ROOT)}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
