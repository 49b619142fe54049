"""Build the patient-education site: python build.py [build|check|serve|new] --help"""

from sitegen.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
