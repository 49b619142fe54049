"""Build the patient-education site: python build.py [build|check|serve|new|init|import] --help"""

import os
import sys

if sys.version_info < (3, 10):
    from sitegen.start import too_old

    sys.exit(too_old())
try:
    from sitegen.cli import main
except ModuleNotFoundError as exc:
    if (exc.name or "").partition(".")[0] == "sitegen":  # the generator itself is broken: a bug, shown as it is
        raise
    from sitegen.start import missing_packages  # a Python without the packages: say what to run instead

    sys.exit(missing_packages(exc))

if __name__ == "__main__":
    status = main()
    # Leave at once: tearing down a big site's objects one by one takes a quarter of a second.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
