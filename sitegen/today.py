"""One calendar for every build: what "today" is, whatever the machine's clock zone (TZ) says.

"Today" is the UTC date of SOURCE_DATE_EPOCH when it is set (reproducible builds), else the date
in the site's time zone (`timezone` in site.yml, UTC by default) at the moment of the build.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import zoneinfo

MACHINE_ZONE = "localtime"  # a name some systems give their own zone: it would differ by machine


def build_date(zone: str = "UTC") -> dt.date:
    """Return today's date for a build of a site in zone."""
    epoch = source_date_epoch()
    return date_at(epoch, "UTC") if epoch is not None else date_at(time.time(), zone)


def date_at(instant: float, zone: str) -> dt.date:
    """Return the date in zone at instant (seconds since 1970 UTC)."""
    return dt.datetime.fromtimestamp(instant, zoneinfo.ZoneInfo(zone)).date()


def source_date_epoch() -> int | None:
    """Return SOURCE_DATE_EPOCH in seconds, None when unset; raise ValueError when it is not a usable time."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        raise ValueError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, got {text[:40]!r}")
    seconds = int(text)
    try:
        date_at(seconds, "UTC")
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"SOURCE_DATE_EPOCH {text} is not a date the calendar can show") from None
    return seconds


def zone_exists(name: str) -> bool:
    """True for an IANA time zone name such as America/New_York that this computer (or tzdata) knows."""
    if name == MACHINE_ZONE:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "America"
        return False
    return True


def zone_names() -> set[str]:
    """Every time zone name there is, for suggestions."""
    return zoneinfo.available_timezones() - {MACHINE_ZONE}
