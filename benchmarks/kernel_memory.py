"""How much memory does each notebook's kernel need?

    .venv/bin/python benchmarks/kernel_memory.py [notebooks/03-*.ipynb ...]

Runs every notebook (or the ones named) top to bottom in a fresh kernel, as
`make notebooks` does but without writing anything, and reads the kernel
process's peak resident set size (VmHWM in /proc/<pid>/status, Linux only)
when the last cell has finished. Prints one line per notebook and exits 1 if
any kernel peaked above the budget (650 MiB by default): a learner on Binder
has 1 to 2 GB, and JupyterLab, the browser tab's server side and one kernel
must fit in it.

Peak RSS counts the pages of TensorFlow's shared libraries that the kernel
has mapped, and how many it maps depends on how the operating system holds
those files in its cache. Right after an install has written them, the same
kernel maps more of their pages (here up to about 90 MiB more, measured with
--warm just after `make venv`); once the OS has dropped them and reads back
only what is used, as in a freshly started Binder container, it does not.
So before each notebook this script asks the OS to drop TensorFlow's
libraries from its cache (posix_fadvise DONTNEED: clean pages only, nothing
is lost, no root needed) and measures from that state. `--warm` skips that.
"""

import argparse
import importlib.util
import os
import pathlib
import subprocess
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def status_kib(pid, field):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field}")


def drop_tensorflow_from_file_cache():
    """Ask the OS to forget the cached pages of TensorFlow's shared libraries (Linux; no root needed)."""
    folder = pathlib.Path(importlib.util.find_spec("tensorflow").origin).parent  # found, not imported
    for library in folder.rglob("*.so*"):
        fd = os.open(library, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def kernel_peak(path, per_cell=False):
    """(peak RSS, RSS at the end) of a fresh kernel that ran `path` top to bottom, in bytes.

    per_cell: also print the peak after each code cell that raised it by 5 MiB or more.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's own log, not the notebook's output
        pid = client.km.provisioner.pid
        peak = 0
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
            now = status_kib(pid, "VmHWM") * 1024
            if per_cell and now - peak >= 5 * MIB:
                first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
                print(f"    cell {index:>3}: peak {now / MIB:6.0f} MiB (+{(now - peak) / MIB:.0f})  {first}")
            peak = now
        return status_kib(pid, "VmHWM") * 1024, status_kib(pid, "VmRSS") * 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=pathlib.Path)
    parser.add_argument("--budget-mib", type=float, default=650)
    parser.add_argument("--per-cell", action="store_true", help="show which cells raise the peak")
    parser.add_argument("--warm", action="store_true", help="keep TensorFlow's libraries in the file cache")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    over = []
    print(f"{'notebook':<48}{'peak RSS':>12}{'at the end':>12}")
    for path in paths:
        if not args.warm:
            drop_tensorflow_from_file_cache()
        peak, end = kernel_peak(path.resolve(), args.per_cell)
        flag = "" if peak <= args.budget_mib * MIB else f"  over {args.budget_mib:g} MiB"
        print(f"{path.name:<48}{peak / MIB:>8.0f} MiB{end / MIB:>8.0f} MiB{flag}", flush=True)
        if flag:
            over.append(path.name)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
