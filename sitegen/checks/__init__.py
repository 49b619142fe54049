"""Content checks for editors: `python build.py check` (see run.py for the order they run in)."""
