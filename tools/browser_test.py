"""Run the lessons in JupyterLab under headless Chromium, as a learner would, and move every widget.

    .venv/bin/python tools/browser_test.py                        # make test-browser: every lesson
    .venv/bin/python tools/browser_test.py 01 notebooks/06-counting-parameters.ipynb   # some
    .venv/bin/python tools/browser_test.py --slides-only 03   # authors: only step 4, from stored outputs

JupyterLab is started the way `make lab` starts it, on a free port with a random token, over a
temporary copy of notebooks/ (its autosave never touches the repository). For each lesson it:
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
     the shown numbers against `rnnlib.widgets.live_widget_report()`, printed by a cell it adds at
     the end of the notebook.
Screenshots of every slide, and of every widget before and after each move, go to browser-screenshots/; on a failure
a full-page screenshot goes to browser-failures/. Exit status: 0 when everything passed, 1 when
something failed (after trying every lesson), 2 when there is no Chromium to drive.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

import slides  # tools/slides.py: the lessons, and which cells start a slide

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CONTENTS = "00-index.ipynb"
FAILURES = ROOT / "browser-failures"
SCREENSHOTS = ROOT / "browser-screenshots"
DEBIAN_CHROMIUM = Path("/usr/lib/chromium/chromium")  # the real binary; /usr/bin/chromium is a wrapper script
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'  # errors are shown so too
REPORT_CODE = "import json, rnnlib.widgets; print(json.dumps(rnnlib.widgets.live_widget_report()))"
# Timeouts in milliseconds; generous, since a 2-core machine runs TensorFlow in every kernel.
OPEN_MS, RUN_MS, MOVE_MS, REPORT_MS = 120_000, 180_000, 15_000, 60_000
VIEWPORT = {"width": 1400, "height": 900}


class Failure(Exception):
    """A check that failed; `step` names it, and the failure screenshot after it."""

    def __init__(self, step, message):
        super().__init__(message)
        self.step = step


class ReportUnavailable(Failure):
    """live_widget_report() could not be run: the widgets are still moved, but not checked against it."""


# ---------------------------------------------------------------- Chromium and JupyterLab


def find_chromium(playwright):
    """Debian's Chromium if it is installed, else the one Playwright downloaded, else None."""
    if DEBIAN_CHROMIUM.exists():
        return str(DEBIAN_CHROMIUM)
    own = Path(playwright.chromium.executable_path)
    return str(own) if own.exists() else None


NO_CHROMIUM = f"""browser_test: no Chromium found; install one of:
  Debian's:     apt-get install chromium      (its binary is {DEBIAN_CHROMIUM})
  Playwright's: .venv/bin/python -m playwright install chromium"""


def free_port():
    """A TCP port that nothing listens on right now (the operating system picks one for port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(root_dir, state_dir, port, token):
    """`make lab`'s command, headless, on its own port, token, settings and workspace."""
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root_dir}",
               # A learner's own settings and open tabs (in ~/.jupyter) stay out of the test;
               # the course's settings, installed in .venv, still apply.
               f"--LabApp.user_settings_dir={state_dir / 'user-settings'}",
               f"--LabApp.workspaces_dir={state_dir / 'workspaces'}"]
    return command + (["--allow-root"] if os.geteuid() == 0 else [])


@contextmanager
def jupyter_lab(root_dir, state_dir):
    """Start JupyterLab on root_dir; yield (base URL, token); always stop it and its kernels."""
    port, token = free_port(), secrets.token_hex(24)
    base = f"http://127.0.0.1:{port}"
    log = open(state_dir / "jupyterlab.log", "w")
    server = subprocess.Popen(lab_command(root_dir, state_dir, port, token), stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_server(server, base, token, state_dir / "jupyterlab.log")
        yield base, token
    finally:
        stop_lab(server, base, token)
        log.close()


def api(base, token, path, method="GET"):
    """One call to the Jupyter server's REST API; returns the decoded JSON (or None)."""
    request = urllib.request.Request(f"{base}{path}", method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def wait_for_server(server, base, token, log_path, timeout=60):
    """Poll /api/status until the server answers (no browser to wait with yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            api(base, token, "/api/status")
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer on {base} within {timeout} s:\n{log_path.read_text()[-3000:]}")


def stop_lab(server, base, token):
    """Shut every kernel down through the API, then the server (its own process group)."""
    try:
        for kernel in api(base, token, "/api/kernels"):
            api(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")
    except OSError:
        pass  # the server is gone already; its kernels went with its shutdown
    if server.poll() is None:
        server.terminate()  # SIGTERM: JupyterLab shuts any remaining kernel down itself
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


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


# ---------------------------------------------------------------- widgets


WIDGET_STATE_JS = """w => ({
    readout: [...w.querySelectorAll('.widget-html-content')].map(e => e.textContent).join('\\n'),
    picture: (w.querySelector('img') || {}).src || null,
})"""


def live_widgets(panel):
    """The course widgets (ipywidgets VBoxes) shown as outputs, in notebook order."""
    return panel.locator(".jp-OutputArea-output > .widget-vbox").all()


def widget_state(widget):
    """{'readout': the HTML widgets' text, 'picture': the <img> src or None}."""
    return widget.evaluate(WIDGET_STATE_JS)


def shown_readout(widget):
    """The readout's text as displayed (scrolled into view: off-screen cells are not laid out)."""
    scroll_to(widget)
    return " ".join(" ".join(widget.locator(".widget-html-content").all_inner_texts()).split())


def shown_controls(widget):
    """{description: the value the browser shows} for every slider and dropdown."""
    values = {}
    for control in widget.locator(".widget-slider, .widget-dropdown").all():
        label = control.locator(".widget-label").text_content().strip()
        if control.locator("select").count():
            values[label] = control.locator("select").evaluate("s => s.options[s.selectedIndex].text")
        else:
            values[label] = control.locator(".widget-readout").text_content().strip().replace("−", "-")
    return values


def move(control):
    """One step: ArrowRight on a focused slider (ArrowLeft at its maximum); a dropdown's next option."""
    select = control.locator("select")
    if select.count():
        index, count = select.evaluate("s => [s.selectedIndex, s.options.length]")
        select.select_option(index=(index + 1) % count)
        return
    handle = control.locator(".noUi-handle")
    at_max = float(handle.get_attribute("aria-valuetext")) >= float(handle.get_attribute("aria-valuemax"))
    handle.focus()
    handle.press("ArrowLeft" if at_max else "ArrowRight")


def wait_for_change(page, widget, before):
    """Wait until the readout's text, and the picture if there is one, differ from `before`."""
    try:
        page.wait_for_function("""([w, before]) => {
            const text = [...w.querySelectorAll('.widget-html-content')].map(e => e.textContent).join('\\n');
            const img = w.querySelector('img');
            return text !== before.readout && (!img || img.src !== before.picture);
        }""", arg=[widget.element_handle(), before], timeout=MOVE_MS)
    except PlaywrightError:
        after = widget_state(widget)
        what = "readout" if after["readout"] == before["readout"] else "picture"
        raise Failure("move", f"the {what} did not change within {MOVE_MS // 1000} s") from None


def scroll_to(element):
    """Scroll an element into view and wait until it stops moving (cells above it are laid out
    only when they come near the view, and may grow then)."""
    box, previous = None, False
    while box != previous:
        element.scroll_into_view_if_needed()
        element.page.wait_for_timeout(100)
        previous, box = box, element.bounding_box()


def shoot(widget, path):
    """An element screenshot of the widget, in view and laid out."""
    scroll_to(widget)
    widget.screenshot(path=path)


# ---------------------------------------------------------------- slides


SLIDE = {"width": 1280, "height": 720}  # a projector's 720p; the rest of the test runs at 1400x900
# A slide taller than the screen fails. One that fits with less than this to spare is named in a
# warning: a slide measured 706 px in every run on the author's machine and 726 px in one CI run,
# for a reason not found, so a slide that fits with little room on one machine may not on another.
SLIDE_SPARE = 24
ON_SCREEN_JS = """async panel => {
    // Two animation frames first: the browser draws a cell's content once it is on screen (JupyterLab
    // gives its cells content-visibility: auto, and a skipped cell measures at an estimated size),
    // and JupyterLab updates its editors, in a rendering step, not when the click returns.
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const cells = [...panel.querySelectorAll('.jp-Cell')];
    const shown = cells.flatMap((cell, i) => cell.classList.contains('jp-deck-mod-onscreen') ? [i] : []);
    const boxes = shown.map(i => cells[i].getBoundingClientRect());
    const wide = shown.filter(i => [...cells[i].querySelectorAll('.cm-scroller, .jp-OutputArea-output')]
        .some(e => e.scrollWidth > e.clientWidth + 1));
    return {cells: shown, wide, widgets: shown.filter(i => cells[i].querySelector('.widget-vbox')),
            heights: boxes.map(b => Math.round(b.height)),
            parts: shown.map(i => ['.jp-Cell-inputWrapper', '.jp-Cell-outputWrapper']
                .map(part => cells[i].querySelector(part)).map(e => e ? Math.round(e.offsetHeight) : 0)),
            height: boxes.length ? Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top)) : 0};
}"""


def present(page, panel):
    """Select the first cell and press the notebook's presentation button (jupyterlab-slideshow)."""
    panel.locator(".jp-Cell").first.locator(".jp-InputPrompt").click()
    panel.locator('.jp-Toolbar-item[data-jp-item-name="deck"]').click()
    expect(page.locator("body[data-jp-deck-mode='presenting']")).to_have_count(1)


NEXT_JS = """() => {
    const button = ['down', 'forward'].map(d => document.querySelector(`.jp-deck-mod-direction-${d}`))
        .find(b => b && !b.classList.contains('jp-mod-disabled'));
    if (button) button.click();
    return !!button;
}"""


def settled_slide(page, panel):
    """ON_SCREEN_JS once two readings in a row agree: a slide is measured as it stays on
    screen, not while it is still being laid out. After 3 s, the last reading, with a note."""
    deadline, reading = time.monotonic() + 3, None
    while True:
        previous, reading = reading, panel.evaluate(ON_SCREEN_JS)
        if reading == previous:
            return reading
        if time.monotonic() > deadline:
            print(f"browser_test: cells {reading['cells']} still changed size after 3 s; "
                  f"measured as they were then", flush=True)
            return reading
        page.wait_for_timeout(50)


def next_step(page):
    """What Space does in a presentation: down (the next cell of this slide, or its next subslide)
    while that is possible, else forward to the next slide; a click on the presenter's arrow
    button, in the page (one round trip a step). False at the end."""
    return page.evaluate(NEXT_JS)


def check_slides(page, panel, lesson, notebook):
    """Present the lesson at 1280x720 and step through it to the end. Every slide is shot to
    browser-screenshots/<lesson>/slides/; a slide taller than the screen, a cell that must be
    scrolled sideways, or a widget shown without its live view is a failure (all are named); a
    slide that fits with less than SLIDE_SPARE px to spare, a warning."""
    page.set_viewport_size(SLIDE)
    problems, seen = [], []
    try:
        present(page, panel)
        while True:
            slide = settled_slide(page, panel)
            if slide["cells"] and slide["cells"] not in seen:
                seen.append(slide["cells"])
                height = round(slide["height"])  # what the messages print is what is compared
                lesson.tallest = max(lesson.tallest, height)
                name = f"cells {slide['cells'][0]}-{slide['cells'][-1]}"
                page.screenshot(path=shot_path(lesson, f"slides/{len(seen):02d}-cells-{slide['cells'][0]}.png"),
                                scale="css")  # 1280x720 pixels, as a projector shows it
                parts = "; ".join(f"cell {i} {h} px (input {inp}, output {out})"
                                  for i, h, (inp, out) in zip(slide["cells"], slide["heights"], slide["parts"]))
                tall = f"slide {len(seen)} ({name}) is {height} px tall: {parts}"
                if height > SLIDE["height"]:
                    problems.append(tall)
                elif height > SLIDE["height"] - SLIDE_SPARE:
                    lesson.warnings.append(f"{tall}; it fits, with only {SLIDE['height'] - height} px to spare")
                if slide["wide"]:
                    problems.append(f"slide {len(seen)} ({name}): cell(s) {slide['wide']} scroll sideways")
                missing = [i for i in lesson.widget_cells if i in slide["cells"] and i not in slide["widgets"]]
                if missing:
                    problems.append(f"slide {len(seen)} ({name}): cell(s) {missing} show no live widget")
            if not next_step(page):
                break
    finally:
        if page.locator(".jp-deck-mod-stop").count():
            page.locator(".jp-deck-mod-stop").click()
        page.set_viewport_size(VIEWPORT)
    lesson.slides = len(seen)
    expected = sum(map(slides.is_slide, notebook.cells))
    if len(seen) != expected:
        problems.append(f"the presentation showed {len(seen)} slides; the notebook's metadata makes {expected}")
    if problems:
        raise Failure("slides", f"{len(problems)} problem(s) in {len(seen)} slides at {SLIDE['width']}x"
                                f"{SLIDE['height']}:\n  " + "\n  ".join(problems))


def shot_path(lesson, name):
    path = SCREENSHOTS / lesson.stem / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------- the report from the kernel


def add_report_cell(page, panel):
    """A code cell after the last one, holding REPORT_CODE (typed as a learner would paste it)."""
    panel.locator(".jp-Cell").last.locator(".jp-InputPrompt").click()  # select it, command mode
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # insert a code cell below
    page.keyboard.press("Enter")  # edit it
    page.keyboard.insert_text(REPORT_CODE)
    page.keyboard.press("Escape")
    cell = panel.locator(".jp-Cell").last
    expect(cell.locator(".jp-InputArea-editor")).to_contain_text("live_widget_report")
    return cell


def run_report(page, cell):
    """Run the report cell again; return the list that live_widget_report() printed."""
    prompt = cell.locator(".jp-InputArea-prompt")
    before = prompt.text_content().strip()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function("""([p, before]) => { const t = p.textContent.trim();
        return /^\\[\\d+\\]:$/.test(t) && t !== before; }""", arg=[prompt.element_handle(), before],
                           timeout=REPORT_MS)
    error = cell.locator(STDERR)
    if error.count():
        last_line = error.first.text_content().strip().splitlines()[-1]
        raise ReportUnavailable("report", f"the cell `{REPORT_CODE}` failed: {last_line}")
    printed = cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]')
    try:
        return json.loads(printed.first.text_content())
    except (PlaywrightError, ValueError) as error:
        raise Failure("report", f"live_widget_report() printed no JSON list: {error}") from None


def same_value(shown, value):
    """Whether a control's displayed text shows `value` (a number to the digits shown)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(shown)
        except ValueError:
            return False
        return abs(number - value) <= 0.5 * 10.0 ** -len(shown.partition(".")[2]) + 1e-9
    return shown == str(value)


def check_against_report(report, index, count, readout, controls):
    """The widget's readout and controls agree with the kernel's report for widget `index`."""
    if len(report) != count:
        raise Failure("report", f"live_widget_report() lists {len(report)} widgets; the page shows {count}")
    entry = report[index]
    missing = [s for s in entry["expected"] if " ".join(s.split()) not in readout]
    if missing:
        raise Failure("report", f"{entry['class']}: the readout lacks {missing}; it shows {readout!r}")
    if set(entry["controls"]) != set(controls):
        raise Failure("report", f"{entry['class']}: the kernel has controls {sorted(entry['controls'])}, "
                                f"the page {sorted(controls)}")
    wrong = {name: (controls[name], value) for name, value in entry["controls"].items()
             if not same_value(controls[name], value)}
    if wrong:
        raise Failure("report", f"{entry['class']}: shown vs kernel values differ: {wrong}")


# ---------------------------------------------------------------- one lesson


class Lesson:
    """What happened to one notebook: counts for the summary, and its failures."""

    def __init__(self, name):
        self.name, self.stem = name, Path(name).stem
        self.cells = self.widgets = self.controls = self.slides = self.tallest = 0
        self.widget_cells = []
        self.failures, self.warnings, self.step = [], [], "open"
        self.check_report = True
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


def test_lesson(page, lesson, notebook, slides_only=False):
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
    widgets = live_widgets(panel)
    report_cell = add_report_cell(page, panel) if widgets else None
    for index, widget in enumerate(widgets):
        check_widget(page, lesson, widget, index, len(widgets), report_cell)
        lesson.widgets += 1


def check_widget(page, lesson, widget, index, count, report_cell):
    """Move each control of one widget in turn; after each, the readout changes and agrees with rnnlib."""
    for number, control in enumerate(widget.locator(".widget-slider, .widget-dropdown").all(), start=1):
        label = control.locator(".widget-label").text_content().strip()
        lesson.step = f"widget{index + 1}-{slug(label)}"
        shot = f"widget{index + 1}-{number}-{slug(label)}"
        before = widget_state(widget)
        shoot(widget, shot_path(lesson, f"{shot}-before.png"))
        move(control)
        try:
            wait_for_change(page, widget, before)
        except Failure as failure:
            raise Failure(lesson.step, f"widget {index + 1}, {label!r} moved: {failure}") from None
        lesson.controls += 1
        shoot(widget, shot_path(lesson, f"{shot}-after.png"))
        if lesson.check_report:
            verify(page, lesson, widget, index, count, report_cell)


def verify(page, lesson, widget, index, count, report_cell):
    """Compare the widget with live_widget_report(); when that cannot run, say so once and go on."""
    try:
        report = run_report(page, report_cell)
    except ReportUnavailable as failure:
        lesson.fail(page, failure)
        lesson.check_report = False
        return
    try:
        check_against_report(report, index, count, shown_readout(widget), shown_controls(widget))
    except Failure as failure:
        raise Failure(lesson.step, f"widget {index + 1}: {failure}") from None


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "control"


def run_lesson(page, name, root_dir, slides_only):
    """test_lesson, with every failure recorded and a screenshot; the tab is closed in any case."""
    lesson = Lesson(name)
    notebook = nbformat.read(root_dir / name, as_version=4)
    try:
        test_lesson(page, lesson, notebook, slides_only)
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


def run_browser(playwright, executable, names, base, token, root_dir, slides_only):
    """Drive one headless Chromium through the contents notebook and every lesson."""
    browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    try:
        page = browser.new_context(viewport=VIEWPORT, device_scale_factor=2).new_page()
        page.set_default_timeout(30_000)
        open_contents(page, base, token)
        lessons = []
        for name in names:
            lessons.append(run_lesson(page, name, root_dir, slides_only))
            print(lessons[-1].summary(), flush=True)
        return lessons
    finally:
        browser.close()


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    slides_only = "--slides-only" in args
    names = lesson_names([a for a in args if a != "--slides-only"])
    started = time.monotonic()
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="rnn-browser-test-") as tmp:
        executable = find_chromium(playwright)
        if executable is None:
            print(NO_CHROMIUM, file=sys.stderr)
            return 2
        root_dir, state_dir = Path(tmp) / "notebooks", Path(tmp)
        shutil.copytree(NOTEBOOKS, root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        shutil.rmtree(FAILURES, ignore_errors=True)
        print(f"browser_test: {executable}, JupyterLab over a copy of notebooks/ in {tmp}", flush=True)
        with jupyter_lab(root_dir, state_dir) as (base, token):
            lessons = run_browser(playwright, executable, names, base, token, root_dir, slides_only)
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
