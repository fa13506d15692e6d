"""Move every control of every live course widget, and check the readout against the kernel.

For each control in turn: one step (a focused slider by the keyboard, a dropdown to its next
option), the readout (and the picture) must change, the controls shown must be the kernel's, and
the readout must show the values the widget's own compute gives for them (its readout_values(),
from `rnnlib.widgets.live_widget_report()`, run in the notebook's own kernel beside the browser),
each to the digits shown (readout_disagreements; tests/test_widgets.py uses it too).
"""

import json
import re

import numpy as np

from playwright.sync_api import Error as PlaywrightError

from tools.browser_lab import Failure, run_in_kernel, scroll_to, shot_path

MOVE_MS = 15_000
# A number as a readout writes it: 24,576  -0.1470  +0.2893  1.15e-08  896
NUMBER = re.compile(r"[\s…(),]*([-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?)")
REPORT_CODE = "import json, rnnlib.widgets; print(json.dumps(rnnlib.widgets.live_widget_report()))"


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


def shoot(widget, path):
    """An element screenshot of the widget, in view and laid out."""
    scroll_to(widget)
    widget.screenshot(path=path)


def same_value(shown, value):
    """Whether a control's displayed text shows `value` (a number to the digits shown)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(shown)
        except ValueError:
            return False
        return abs(number - value) <= 0.5 * 10.0 ** -len(shown.partition(".")[2]) + 1e-9
    return shown == str(value)


def _flat(text):
    """Runs of white space made one, and _ dropped: the h_0 of rnnlib.widgets.readout_text is a browser's h0."""
    return " ".join(text.replace("_", "").split())


def _within_shown_digits(shown, value):
    """Whether the number written `shown` is `value` to the digits shown: within half a unit of the last."""
    shown = shown.replace("−", "-").replace(",", "")
    mantissa, _, exponent = shown.partition("e")
    half_unit = 0.5 * 10.0 ** (int(exponent or 0) - len(mantissa.partition(".")[2]))
    return abs(float(shown) - value) <= half_unit * (1 + 1e-9)


def readout_disagreements(text, values):
    """What in a readout's text disagrees with values, [(label, value), ...] in the order written (a widget's
    readout_values()): each label is looked up (as a whole word) after the previous value, and right after
    it must come the value: a string as written, a number or a list of numbers (a shape, a table row) each
    to the digits shown. An empty list when all agree."""
    text, at, problems = _flat(text), 0, []
    for label, value in values:
        whole = re.escape(_flat(label)) + (r"(?!\w)" if re.search(r"\w$", _flat(label)) else "")
        found = re.compile(r"(?<!\w)" + whole).search(text, at)
        if found is None:
            problems.append(f"no {label!r} after {text[max(0, at - 40):at]!r}")
            continue
        at = found.end()
        if isinstance(value, str):
            at += len(text[at:]) - len(text[at:].lstrip())
            if not text.startswith(_flat(value), at):
                problems.append(f"{label!r} is not followed by {value!r}: {text[at:at + 60]!r}")
            at += len(_flat(value))
            continue
        for number in [value] if np.ndim(value) == 0 else value:
            shown = NUMBER.match(text, at)
            if shown is None or not _within_shown_digits(shown.group(1), number):
                problems.append(f"{label!r} shows {shown and shown.group(1)!r}, not {number!r}")
                break
            at = shown.end()
    return problems


def check_against_report(report, index, count, readout, controls):
    """The widget's readout and controls agree with the kernel's report for widget `index`."""
    if len(report) != count:
        raise Failure("report", f"live_widget_report() lists {len(report)} widgets; the page shows {count}")
    entry = report[index]
    wrong = readout_disagreements(readout, entry["values"])
    if wrong:
        raise Failure("report", f"{entry['class']}: the readout disagrees with its readout_values(): {wrong}; "
                                f"it shows {readout!r}")
    if set(entry["controls"]) != set(controls):
        raise Failure("report", f"{entry['class']}: the kernel has controls {sorted(entry['controls'])}, "
                                f"the page {sorted(controls)}")
    wrong = {name: (controls[name], value) for name, value in entry["controls"].items()
             if not same_value(controls[name], value)}
    if wrong:
        raise Failure("report", f"{entry['class']}: shown vs kernel values differ: {wrong}")


def check_widgets(page, lesson, panel, report):
    """Move every control of every live widget; after each move the readout and the picture change,
    and the values shown agree with `report()` (live_widget_report, from the kernel)."""
    widgets = live_widgets(panel)
    for index, widget in enumerate(widgets):
        check_widget(page, lesson, widget, index, len(widgets), report)
        lesson.widgets += 1


def check_widget(page, lesson, widget, index, count, report):
    """Move each control of one widget in turn; after each, the readout changes and agrees with rnnlib."""
    for number, control in enumerate(widget.locator(".widget-slider, .widget-dropdown").all(), start=1):
        label = control.locator(".widget-label").text_content().strip()
        lesson.step = f"widget{index + 1}-{slug(label)}"
        shot = f"widget{index + 1}-{number}-{slug(label)}"
        before = widget_state(widget)
        shoot(widget, shot_path(lesson.stem, f"{shot}-before.png"))
        move(control)
        try:
            wait_for_change(page, widget, before)
        except Failure as failure:
            raise Failure(lesson.step, f"widget {index + 1}, {label!r} moved: {failure}") from None
        lesson.controls += 1
        shoot(widget, shot_path(lesson.stem, f"{shot}-after.png"))
        try:
            check_against_report(report(), index, count, shown_readout(widget), shown_controls(widget))
        except Failure as failure:
            raise Failure(lesson.step, f"widget {index + 1}: {failure}") from None


def kernel_report(base, token, notebook):
    """A function that runs live_widget_report() in the notebook's kernel and returns its list."""
    def report():
        printed = run_in_kernel(base, token, notebook, REPORT_CODE)
        try:
            return json.loads(printed)
        except ValueError:
            raise Failure("report", f"live_widget_report() printed no JSON list: {printed[:200]!r}") from None
    return report


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "control"
