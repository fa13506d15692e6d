"""Run the lessons in JupyterLab under headless Chromium, as a learner would, and move every widget.

    .venv/bin/python tools/browser_test.py                        # make test-browser: every lesson
    .venv/bin/python tools/browser_test.py 01 notebooks/06-counting-parameters.ipynb   # some
    .venv/bin/python tools/browser_test.py --slides-only 03   # authors: only step 4, from stored outputs

JupyterLab is started by `make lab`, on a free port with a random token, over a temporary copy of
notebooks/ (its autosave never touches the repository). For each lesson it:
  1. opens the lesson from its link in the contents notebook, 00-index.ipynb, and waits for the kernel;
  2. runs Run > Run All Cells, waits until every code cell has its number and the kernel is idle,
     and requires no error and no stderr output anywhere;
  3. checks what a learner saw before that, without a kernel: a picture in every cell that now
     holds a widget, and no Python repr (`...(children=(...`) in any cell;
  4. presents it as slides (jupyterlab-slideshow) at 1280x720, steps through every slide, and
     fails on a slide taller than the screen, a cell that scrolls sideways, a widget cell whose
     slide shows no live widget, or a number of slides that the cells' slide types do not make,
     and warns of a slide that fits with less than 24 px to spare;
     every slide is shot to browser-screenshots/<lesson>/slides/;
  5. in every live widget, moves each control by one step (a focused slider by the keyboard, a
     dropdown to its next option), requires the readout (and the picture) to change, and checks
     the shown numbers against `rnnlib.widgets.live_widget_report()`, run in the notebook's kernel.
The parts live beside it: tools/browser_lab.py (Chromium, JupyterLab, the kernel),
tools/browser_slides.py (step 4) and tools/browser_widgets.py (step 5). Screenshots of every
slide, and of every widget before and after each move, go to browser-screenshots/; on a failure
a full-page screenshot goes to browser-failures/. Exit status: 0 when everything passed, 1 when
something failed (after trying every lesson), 2 when there is no Chromium to drive.
"""

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/browser_test.py`, sys.path[0] is tools/
    sys.path.insert(0, str(ROOT))

from tools import slides  # noqa: E402  the lessons
from tools.browser_lab import (  # noqa: E402
    CONTENTS, FAILURES, NOTEBOOKS, SCREENSHOTS, VIEWPORT, Failure, chromium, jupyter_lab, scroll_to,
)
from tools.browser_slides import check_slides  # noqa: E402
from tools.browser_widgets import check_widgets, kernel_report  # noqa: E402

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'  # errors are shown so too
# Timeouts in milliseconds; generous, since a 2-core machine runs TensorFlow in every kernel.
OPEN_MS, RUN_MS = 120_000, 180_000


# ---------------------------------------------------------------- the notebook, as a learner sees it


def current_panel(page):
    """The notebook whose tab is showing."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")


def open_contents(page, base, token):
    page.goto(f"{base}/lab/tree/{CONTENTS}?token={token}")
    expect(page.locator(".lm-TabBar-tab.lm-mod-current", has_text=CONTENTS)).to_be_visible(timeout=OPEN_MS)


def open_lesson(page, name, notebook):
    """Click the lesson's link in the contents notebook; wait for all its cells and an idle kernel."""
    page.locator(".lm-DockPanel .lm-TabBar-tab", has_text=CONTENTS).click()
    # JupyterLab rewrites a relative link to /files/<name>?_xsrf=... and opens it in a new tab on a click.
    link = current_panel(page).locator(f'.jp-RenderedMarkdown a[href*="/files/{name}?"]').first
    link.click()
    expect(page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name)).to_be_visible(timeout=OPEN_MS)
    panel = current_panel(page)
    expect(panel.locator(".jp-Cell")).to_have_count(len(notebook.cells), timeout=OPEN_MS)
    wait_for_idle_kernel(page, panel, notebook.metadata.kernelspec.display_name, OPEN_MS)
    return panel


def wait_for_idle_kernel(page, panel, kernel_name, timeout):
    """The status bar says '<kernel> | Idle' and the toolbar's indicator agrees."""
    status = page.locator(".jp-StatusBar-TextItem", has_text=f"{kernel_name} | Idle")
    expect(status).to_be_visible(timeout=timeout)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                               timeout=timeout)


STORED_OUTPUTS_JS = """panel => [...panel.querySelectorAll('.jp-Cell')].map(cell => {
    const out = cell.querySelector('.jp-Cell-outputArea');
    return {picture: !!(out && out.querySelector('img')), text: out ? out.textContent.trim() : ''};
})"""


def stored_outputs(panel):
    """For every cell, whether its output shows a picture, and its text, as opened (before running)."""
    return panel.evaluate(STORED_OUTPUTS_JS)


def widget_cells(panel):
    """The indices of the cells whose output holds a live widget (after running)."""
    return panel.evaluate("""panel => [...panel.querySelectorAll('.jp-Cell')].flatMap(
        (cell, i) => cell.querySelector('.jp-OutputArea-output > .widget-vbox') ? [i] : [])""")


def check_no_repr(panel, stored):
    """No cell shows a widget's Python repr, `...(children=(...`, before the kernel has run it."""
    for index, output in enumerate(stored):
        if "children=(" in output["text"]:
            scroll_to(panel.locator(".jp-Cell").nth(index))  # for the screenshot
            raise Failure("stored-repr", f"cell {index}'s stored output shows a Python repr where "
                                         f"a picture belongs: {output['text'][:120]!r}")


def check_stored_pictures(stored, cells):
    """Every cell that holds a widget once run showed a picture before: what a learner sees
    before Run All, and on GitHub or nbviewer."""
    for index in cells:
        if not stored[index]["picture"]:
            raise Failure("stored-picture", f"cell {index} holds a widget, but its stored output shows "
                                            f"no picture: {stored[index]['text'][:120]!r}")


def run_all_cells(page, panel, kernel_name):
    """Run > Run All Cells; wait until every code cell has a number (or an error stopped the run)."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Run All Cells")).first.click()
    # The last cell waits in the queue ([*]) until all before it ran, so this sees the run start.
    last_prompt = panel.locator(".jp-CodeCell .jp-InputArea-prompt").last
    expect(last_prompt).to_have_text("[*]:", timeout=OPEN_MS)
    page.wait_for_function("""([panel, stderr]) => {
        const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
        const numbered = prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
        const stopped = panel.querySelector(stderr) && !prompts.some(p => p.textContent.includes('*'));
        return numbered || stopped;
    }""", arg=[panel.element_handle(), STDERR], timeout=RUN_MS, polling=250)
    wait_for_idle_kernel(page, panel, kernel_name, RUN_MS)
    prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
    return sum(bool(re.fullmatch(r"\[\d+\]:", p.strip())) for p in prompts)


def check_no_error_output(panel):
    """No cell shows an error traceback or text on stderr."""
    bad = panel.locator(STDERR)
    if bad.count():
        raise Failure("outputs", f"{bad.count()} error or stderr output(s); the first:\n"
                                 f"{bad.first.text_content().strip()[:2000]}")
    unrun = [p for p in panel.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
             if not re.fullmatch(r"\[\d+\]:", p.strip())]
    if unrun:
        raise Failure("run-all", f"{len(unrun)} code cell(s) did not run: prompts {unrun[:5]}")


def close_current_tab(page):
    """Close the lesson's tab without saving; the course's setting shuts its kernel down."""
    page.locator(".lm-DockPanel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").click()
    discard = page.locator(".jp-Dialog-button", has_text="Discard")
    try:
        discard.click(timeout=5_000)
    except PlaywrightError:
        pass  # nothing changed, so no dialog


# ---------------------------------------------------------------- one lesson


class Lesson:
    """What happened to one notebook: counts for the summary, and its failures."""

    def __init__(self, name):
        self.name, self.stem = name, Path(name).stem
        self.cells = self.widgets = self.controls = self.slides = self.tallest = 0
        self.widget_cells = []
        self.failures, self.warnings, self.step = [], [], "open"
        self.started, self.seconds = time.monotonic(), 0.0

    def fail(self, page, failure):
        """Print the failure and save a full-page screenshot named after the step."""
        FAILURES.mkdir(exist_ok=True)
        path = FAILURES / f"{self.stem}-{failure.step}.png"
        try:
            page.screenshot(path=path, full_page=True)
        except PlaywrightError as error:
            path = f"(no screenshot: {error.message.splitlines()[0]})"
        self.failures.append(f"[{failure.step}] {failure}")
        print(f"FAIL {self.name} [{failure.step}]: {failure}\n     screenshot: {path}", flush=True)

    def summary(self):
        status = "ok" if not self.failures else f"FAILED ({len(self.failures)})"
        warnings = "".join(f"\n  warning: {w}" for w in self.warnings)
        tallest = f" (tallest {self.tallest} px)" if self.slides else ""
        return (f"{self.name}: {self.cells} cells run, {self.slides} slides shown{tallest}, "
                f"{self.widgets} widgets checked, {self.controls} controls moved in {self.seconds:.0f} s: {status}"
                + warnings)


def test_lesson(page, lesson, notebook, report, slides_only=False):
    """Open; run all; check what showed before the run; present it as slides; move and check
    every widget's controls. With slides_only, just present it from its stored outputs."""
    kernel = notebook.metadata.kernelspec.display_name
    panel = open_lesson(page, lesson.name, notebook)
    if slides_only:
        lesson.step = "slides"
        return check_slides(page, panel, lesson, notebook)
    stored = stored_outputs(panel)
    try:
        check_no_repr(panel, stored)
    except Failure as failure:  # a failure for a learner without a kernel; the live checks still run
        lesson.fail(page, failure)
    lesson.step = "run-all"
    lesson.cells = run_all_cells(page, panel, kernel)
    lesson.step = "outputs"
    check_no_error_output(panel)
    lesson.widget_cells = widget_cells(panel)
    try:  # which cells hold widgets is known only now; what they showed before is in `stored`
        check_stored_pictures(stored, lesson.widget_cells)
    except Failure as failure:
        lesson.fail(page, failure)
    lesson.step = "slides"
    try:  # live, as a teacher presents it after running it
        check_slides(page, panel, lesson, notebook)
    except Failure as failure:
        lesson.fail(page, failure)
    check_widgets(page, lesson, panel, report)


def run_lesson(page, name, root_dir, lab, slides_only):
    """test_lesson, with every failure recorded and a screenshot; the tab is closed in any case."""
    lesson = Lesson(name)
    notebook = nbformat.read(root_dir / name, as_version=4)
    try:
        test_lesson(page, lesson, notebook, kernel_report(*lab, name), slides_only)
    except Failure as failure:
        lesson.fail(page, failure)
    except PlaywrightError as error:  # a timeout, mostly: name the step it happened in
        lesson.fail(page, Failure(lesson.step, error.message.strip()[:2000]))
    lesson.seconds = time.monotonic() - lesson.started
    try:
        if page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name).count():
            close_current_tab(page)
    except PlaywrightError:
        pass  # the next lesson opens from the contents tab anyway
    return lesson


# ---------------------------------------------------------------- main


def lesson_names(args):
    """The lessons named on the command line (a path, a file name or its number), else every one."""
    lessons = [p.name for p in slides.lessons()]
    if not args:
        return lessons
    names = []
    for arg in args:
        matches = [n for n in lessons if n == Path(arg).name or n.startswith(f"{Path(arg).name}-")]
        if len(matches) != 1:
            sys.exit(f"browser_test: {arg!r} names no lesson in {NOTEBOOKS}; they are: {', '.join(lessons)}")
        names += matches
    return names


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    slides_only = "--slides-only" in args
    names = lesson_names([a for a in args if a != "--slides-only"])
    started = time.monotonic()
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="rnn-browser-test-") as tmp:
        browser = chromium(playwright)
        root_dir, state_dir = Path(tmp) / "notebooks", Path(tmp)
        shutil.copytree(NOTEBOOKS, root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        shutil.rmtree(FAILURES, ignore_errors=True)
        print(f"browser_test: JupyterLab (make lab) over a copy of notebooks/ in {tmp}", flush=True)
        with jupyter_lab(root_dir, state_dir) as lab:
            page = browser.new_context(viewport=VIEWPORT, device_scale_factor=2).new_page()
            page.set_default_timeout(30_000)
            open_contents(page, *lab)
            lessons = []
            for name in names:
                lessons.append(run_lesson(page, name, root_dir, lab, slides_only))
                print(lessons[-1].summary(), flush=True)
        browser.close()
    print(f"\n{len(lessons)} notebooks in {time.monotonic() - started:.0f} s; "
          f"widget screenshots (before and after each move) in {SCREENSHOTS.relative_to(ROOT)}/")
    for lesson in lessons:
        print(lesson.summary())
    failed = [lesson for lesson in lessons if lesson.failures]
    if failed:
        print(f"\n{len(failed)} notebook(s) failed; full-page screenshots in {FAILURES.relative_to(ROOT)}/")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
