"""Live preview: build into a private folder, serve it on localhost, rebuild and reload on every save.

The server never writes into site/. Builds go into a folder under a temporary work folder, which
a build swaps in only when it succeeds (see write.Staging), so a failed build leaves the last good
one on screen, with the errors shown in a banner over it. A saved page is mostly shown at once,
rendered alone before the full build (see early.py). The search index is built after the page
is shown, into a folder of its own, and served at /pagefind/. Pages learn about new builds through
Server-Sent Events on /__reload, from a small script the server adds to every HTML page it serves
(never to the files on disk); each event lists the files the build changed, so a page reloads
only when its own file changed. Idle or slow clients hold no thread (see bounded.py).
"""

from .command import run

__all__ = ["run"]
