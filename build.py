"""Build the patient-education site: python build.py [build|check|serve|new] --help"""

import os
import sys

from sitegen.cli import main

if __name__ == "__main__":
    status = main()
    # Leave at once: tearing down a big site's objects one by one takes a quarter of a second.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
