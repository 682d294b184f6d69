"""Dates as a reader wants them, in local time and in the interface language.

Recent ones are relative («5 min ago», «منذ ٣ ساعات»), then the day and month,
then the month and year. In Arabic, month names come from CLDR (through
Babel) for the region the user chose: يناير… (``standard``), كانون الثاني…
(``levant``) or يناير/دجنبر as in the Maghreb (``maghreb``); the article
header can add the Hijri date (Umm al-Qura) beside the Gregorian one.

``now`` is the one clock (tests set it to a fixed instant).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from reader import i18n
from reader.i18n import _, ngettext

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: The user's choice of Arabic month names → the CLDR locale that has them.
MONTH_LOCALES = {"standard": "ar", "levant": "ar_SY", "maghreb": "ar_MA"}

_options: dict[str, object] = {"months": "standard", "hijri": False}


def configure(*, months: str | None = None, hijri: bool | None = None) -> None:
    """Which Arabic month names to use, and whether the header shows the Hijri date."""
    if months is not None and months in MONTH_LOCALES:
        _options["months"] = months
    if hijri is not None:
        _options["hijri"] = hijri


def now() -> datetime:
    return datetime.now(UTC)


def parse_utc(stamp: str | None) -> datetime | None:
    """An ISO 8601 UTC stamp as stored ("2026-12-03T10:00:00Z"), or None."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def short(stamp: str | None, at: datetime | None = None) -> str:
    """For a list row: «now», «5 min ago», «3 h ago», «yesterday», «3 Dec», «Dec 2025»."""
    when = parse_utc(stamp)
    if when is None:
        return ""
    at = at or now()
    seconds = (at - when).total_seconds()
    local, today = when.astimezone(), at.astimezone()
    if 0 <= seconds < 60:
        text = _("now")
    elif 0 <= seconds < 3600:
        minutes = int(seconds // 60)
        text = ngettext("{n} min ago", "{n} min ago", minutes).format(n=minutes)
    elif 0 <= seconds < 86400 and local.date() == today.date():
        hours = int(seconds // 3600)
        text = ngettext("{n} h ago", "{n} h ago", hours).format(n=hours)
    elif 0 <= seconds < 2 * 86400 and (today.date() - local.date()).days == 1:
        text = _("yesterday")
    elif local.year == today.year:
        text = _("{day} {month}").format(day=local.day, month=_month(local.month, short=True))
    else:
        text = _("{month} {year}").format(month=_month(local.month, short=True), year=local.year)
    return i18n.digits(text)


def full(stamp: str | None) -> str:
    """For the article header: «Thu 3 Dec 2026, 14:05», «الخميس 3 ديسمبر 2026، 14:05» (+ the Hijri date)."""
    when = parse_utc(stamp)
    if when is None:
        return ""
    local = when.astimezone()
    if i18n.language() == "ar":
        text = _arabic_full(local)
        if _options["hijri"]:
            text += " · " + hijri(local)
    else:
        day = _DAYS[local.weekday()]
        text = f"{day} {local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
    return i18n.digits(text)


def hijri(local: datetime) -> str:
    """The Umm al-Qura date of a day: «23 جمادى الآخرة 1448 هـ» (empty outside its range)."""
    from hijridate import Gregorian

    try:
        date = Gregorian(local.year, local.month, local.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    return f"{date.day} {date.month_name('ar')} {date.year} هـ"


def _month(month: int, *, short: bool) -> str:
    if i18n.language() == "ar":
        return _arabic_months(str(_options["months"]))[month - 1]
    return _MONTHS[month - 1]


@lru_cache(maxsize=4)
def _arabic_months(choice: str) -> tuple[str, ...]:
    from babel.dates import get_month_names

    names = get_month_names("wide", locale=MONTH_LOCALES.get(choice, "ar"))
    return tuple(names[number] for number in range(1, 13))


def _arabic_full(local: datetime) -> str:
    from babel.dates import get_day_names

    day = get_day_names("wide", locale="ar")[local.weekday()]
    month = _arabic_months(str(_options["months"]))[local.month - 1]
    return f"{day} {local.day} {month} {local.year}، {local:%H:%M}"
