"""Dates as a reader wants them, in local time: the hour today, the day this year, else the month.

``now`` is the one clock (tests set it to a fixed instant).
"""

from __future__ import annotations

from datetime import UTC, datetime

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_utc(stamp: str | None) -> datetime | None:
    """An ISO 8601 UTC stamp as stored ("2026-12-03T10:00:00Z"), or None."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)


def short(stamp: str | None, at: datetime | None = None) -> str:
    """At most 8 cells: «14:05» today, «3 Dec» this year, «Dec 2025» before (local time)."""
    when = parse_utc(stamp)
    if when is None:
        return ""
    local, today = when.astimezone(), (at or now()).astimezone()
    if local.date() == today.date():
        return f"{local:%H:%M}"
    if local.year == today.year:
        return f"{local.day} {_MONTHS[local.month - 1]}"
    return f"{_MONTHS[local.month - 1]} {local.year}"


def full(stamp: str | None) -> str:
    """«Thu 3 Dec 2026, 14:05» in local time."""
    when = parse_utc(stamp)
    if when is None:
        return ""
    local = when.astimezone()
    day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[local.weekday()]
    return f"{day} {local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
