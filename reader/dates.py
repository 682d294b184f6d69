"""Dates as a reader wants them: recent ones relative, older ones by day, in local time."""

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


def short(stamp: str | None, now: datetime | None = None) -> str:
    """«5 min ago», «3 h ago», «yesterday», «3 Dec», «3 Dec 2025» (local time)."""
    when = parse_utc(stamp)
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    seconds = (now - when).total_seconds()
    local, today = when.astimezone(), now.astimezone()
    if 0 <= seconds < 3600:
        return f"{max(1, int(seconds // 60))} min ago"
    if 0 <= seconds < 86400 and local.date() == today.date():
        return f"{int(seconds // 3600)} h ago"
    if 0 <= seconds < 2 * 86400 and (today.date() - local.date()).days == 1:
        return "yesterday"
    if local.year == today.year:
        return f"{local.day} {_MONTHS[local.month - 1]}"
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


def full(stamp: str | None) -> str:
    """«Thu 3 Dec 2026, 14:05» in local time."""
    when = parse_utc(stamp)
    if when is None:
        return ""
    local = when.astimezone()
    day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[local.weekday()]
    return f"{day} {local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
