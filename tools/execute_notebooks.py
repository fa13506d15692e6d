"""Re-execute notebooks in place, each top to bottom in a fresh kernel.

    python tools/execute_notebooks.py                 # every notebook
    python tools/execute_notebooks.py notebooks/01-*  # some

Outputs are stored as nbval will compare them; no timings, no widget state
and no live widget views are written (a widget is saved as the picture of its
state that rnnlib's widgets give), so re-running an unchanged notebook
changes nothing but what the code really prints.
"""

import argparse
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/execute_notebooks.py`, sys.path[0] is tools/
    sys.path.insert(0, str(ROOT))
from tools.notebook_nav import write_text  # noqa: E402


def coalesce_streams(outputs):
    """One output per run of printed text: how the kernel happened to split a stream into
    messages depends on timing, so the stored notebook would change from run to run."""
    merged = []
    for out in outputs:
        if out.output_type == "stream" and merged and merged[-1].output_type == "stream" and merged[-1].name == out.name:
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def without_live_views(outputs):
    """A live widget's output refers to a model that exists only while its kernel runs; saved, it
    would show "Error displaying widget: model not found". Keep the rest of its bundle: the course's
    widgets also give a picture of their state (rnnlib.widgets.CourseWidget), which is what a reader
    without a kernel sees (GitHub, nbviewer, JupyterLab before Run All)."""
    for out in outputs:
        if WIDGET_VIEW in out.get("data", {}):
            del out["data"][WIDGET_VIEW]
    return outputs


def execute(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = without_live_views(coalesce_streams(cell.outputs))
    nb.metadata.pop("widgets", None)
    path.write_text(write_text(nb))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=pathlib.Path, help="notebooks to execute (default: every one)")
    paths = parser.parse_args(argv).paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    for path in paths:
        print(f"executing {path.name}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
