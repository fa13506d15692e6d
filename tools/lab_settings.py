"""Install the course's JupyterLab settings into the running Python's environment.

    python tools/lab_settings.py          # make lab / make test run it; conda users and binder/postBuild too

JupyterLab reads `<sys.prefix>/share/jupyter/lab/settings/overrides.json` as
its defaults, so the settings hold for everyone who starts JupyterLab from
this environment and a learner can still change them in Settings. The file
that is copied, tools/jupyterlab/overrides.json, sets:
  - closing a notebook's tab shuts its kernel down, so that a learner who
    opens the notebooks one after the other keeps one kernel's memory, not
    seven (each holds TensorFlow, 500 MiB or more);
  - no news and no update checks over the network.
"""

import argparse
import pathlib
import shutil
import sys

SOURCE = pathlib.Path(__file__).resolve().parent / "jupyterlab" / "overrides.json"


def target(prefix=sys.prefix):
    return pathlib.Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    path = target()
    if path.exists() and path.read_bytes() == SOURCE.read_bytes():
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, path)
    if not args.quiet:
        print(f"JupyterLab settings installed in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
