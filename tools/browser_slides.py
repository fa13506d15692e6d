"""Present a lesson as slides at 1280x720 in JupyterLab and check that every slide fits.

tools/browser_test.py calls check_slides for every lesson it runs (`make test-browser`);
`tools/browser_test.py --slides-only NN` presents a lesson from its stored outputs, for authors.
"""

import time

from playwright.sync_api import expect

from tools.browser_lab import VIEWPORT, Failure, shot_path
from tools.slides import is_slide

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
                page.screenshot(path=shot_path(lesson.stem, f"slides/{len(seen):02d}-cells-{slide['cells'][0]}.png"),
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
    expected = sum(map(is_slide, notebook.cells))
    if len(seen) != expected:
        problems.append(f"the presentation showed {len(seen)} slides; the notebook's metadata makes {expected}")
    if problems:
        raise Failure("slides", f"{len(problems)} problem(s) in {len(seen)} slides at {SLIDE['width']}x"
                                f"{SLIDE['height']}:\n  " + "\n  ".join(problems))
