"""Pure functions that turn the values partner feeds publish in the wild into clean Python values.

Each function takes what a feed gave (a string, a number, a list, None) and returns a clean value, or raises
:class:`InvalidValue` with a French message that ends up as a refusal reason or a warning. Nothing here touches the
database, so every rule is cheap to test on its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils import timezone

from cms.core.geo import address_department
from cms.core.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, html_to_text
from cms.organisations.kinds import kind_of_status

#: The same safe subset as ``cms.core.html.sanitize_html``, built once (building it per call dominated imports).
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    clean_content_tags={"script", "style"},
    strip_comments=True,
)


class InvalidValue(ValueError):
    """A value that cannot be read; ``str(exc)`` is a French sentence for publishers."""


# ------------------------------------------------------------------------------------------------ text


def text(value: Any) -> str:
    """A stripped string from whatever the feed gave (None → "", numbers → their text, lists → comma-joined)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return ", ".join(text(item) for item in value if text(item))
    if isinstance(value, dict):
        return ""
    return str(value).strip()


def truncate(value: str, length: int) -> str:
    return value if len(value) <= length else value[: length - 1].rstrip() + "…"


# U+FFFD is what a decoder leaves for invalid bytes; "Ã©"-style pairs are UTF-8 read as Latin-1 (mojibake).
_MOJIBAKE = re.compile("\ufffd|\x00|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|â€")


def has_encoding_errors(value: str) -> bool:
    if not value or (
        "\ufffd" not in value and "\x00" not in value and "Ã" not in value and "Â" not in value and "â" not in value
    ):
        return False
    return _MOJIBAKE.search(value) is not None


_LIST_SEPARATORS = re.compile(r"[,;\n]")


def split_list(value: Any) -> list[str]:
    """Comma- or semicolon-separated lists, or real lists; blanks and duplicates dropped, order kept."""
    if value is None:
        return []
    if isinstance(value, dict):
        items: Iterable[Any] = [item for inner in value.values() for item in _as_list(inner)]
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = _LIST_SEPARATORS.split(str(value))
    out: list[str] = []
    for item in items:
        for part in item if isinstance(item, list) else [item]:
            cleaned = text(part)
            if cleaned and cleaned not in out:
                out.append(cleaned)
    return out


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@functools.lru_cache(maxsize=8192)
def slug_key(value: str) -> str:
    """Lowercase ASCII with hyphens: "Santé pour tous" → "sante-pour-tous"."""
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_value.lower()).strip("-")


# ------------------------------------------------------------------------------------------------ HTML

_HAS_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def description(value: Any) -> tuple[str, str]:
    """(safe HTML, plain text). Plain-text descriptions become paragraphs; HTML is cut down to the safe subset."""
    raw = text(value)
    if not raw:
        return "", ""
    if _HAS_TAG.search(raw):
        safe = _CLEANER.clean(raw).strip()
    else:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw) if p.strip()]
        safe = "".join("<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return safe, html_to_text(safe)


# ------------------------------------------------------------------------------------------------ dates

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_datetime(value: Any) -> dt.datetime | None:
    """dd/mm/yyyy (French order), ISO 8601 dates and date-times, RFC 2822, or Unix timestamps; aware datetimes."""
    raw = text(value)
    if not raw:
        return None
    return _parse_datetime(raw, settings.TIME_ZONE)


@functools.lru_cache(maxsize=4096)
def _parse_datetime(raw: str, default_zone: str) -> dt.datetime:
    """Cached by text and by the time zone naive values are read in: a feed repeats the same few hundred dates."""
    try:
        match = _DMY.match(raw)
        if match:
            day, month, year, hour, minute, second = match.groups()
            parsed = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        elif raw.isdigit() and len(raw) >= 9:
            seconds = int(raw) / (1000 if len(raw) >= 12 else 1)
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        elif raw[:4].isdigit():
            parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "T", 1))
        else:
            parsed = parsedate_to_datetime(raw)
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        raise InvalidValue(f"date illisible « {truncate(raw, 40)} »") from exc
    if parsed is None:
        raise InvalidValue(f"date illisible « {truncate(raw, 40)} »")
    if not 1900 <= parsed.year <= 2200:
        raise InvalidValue(f"date hors limites « {truncate(raw, 40)} »")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def parse_date(value: Any) -> dt.date | None:
    """A calendar date from any form :func:`parse_datetime` reads; the date as seen in France."""
    raw = text(value)
    if not raw:
        return None
    calendar_date = _calendar_date(raw)
    if calendar_date is not None:
        return calendar_date
    return timezone.localtime(_parse_datetime(raw, settings.TIME_ZONE)).date()


@functools.lru_cache(maxsize=4096)
def _calendar_date(raw: str) -> dt.date | None:
    """yyyy-mm-dd or dd/mm/yyyy read without any time zone, cached (a feed repeats the same few hundred dates);
    None for the other forms, which carry a time and so depend on the zone they are seen in."""
    match = _YMD.match(raw)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise InvalidValue(f"date illisible « {raw} »") from exc
    match = _DMY.match(raw)
    if match and match.group(4) is None:
        day, month, year = match.group(1, 2, 3)
        try:
            parsed_date = dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise InvalidValue(f"date illisible « {raw} »") from exc
        if not 1900 <= parsed_date.year <= 2200:
            raise InvalidValue(f"date hors limites « {raw} »")
        return parsed_date
    return None


# ------------------------------------------------------------------------------------------------ flags

_YES = {"yes", "y", "oui", "o", "true", "vrai", "1", "x", "on"}
_NO = {"no", "n", "non", "false", "faux", "0", "off"}


def parse_bool(value: Any) -> bool | None:
    """yes/no in French and English (oui, non, true, vrai, 1…); None when empty."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if not raw:
        return None
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise InvalidValue(f"valeur oui/non illisible « {truncate(raw, 40)} »")


_REMOTE = {
    "no": "no",
    "non": "no",
    "local": "no",
    "sur-place": "no",
    "presentiel": "no",
    "aucun": "no",
    "possible": "possible",
    "hybride": "possible",
    "hybrid": "possible",
    "partiel": "possible",
    "partial": "possible",
    "partiellement": "possible",
    "ponctuel": "possible",
    "full": "full",
    "yes": "full",
    "oui": "full",
    "total": "full",
    "complet": "full",
    "distanciel": "full",
    "a-distance": "full",
    "remote": "full",
    "100": "full",
}


def parse_remote(value: Any) -> str:
    """The Mission.Remote value: yes/oui/full → full, hybride/partiel/possible → possible, no/non → no."""
    raw = text(value)
    if not raw:
        return "no"
    key = slug_key(raw)
    if key in _REMOTE:
        return _REMOTE[key]
    raise InvalidValue(f"valeur de télétravail inconnue « {truncate(raw, 40)} »")


# ------------------------------------------------------------------------------------------------ numbers


def parse_decimal(value: Any) -> Decimal | None:
    """Numbers with a decimal comma or point, spaces as thousand separators, an optional € sign."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    raw = text(value).replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidValue(f"nombre illisible « {truncate(text(value), 40)} »") from exc
    if not number.is_finite():
        raise InvalidValue(f"nombre illisible « {truncate(text(value), 40)} »")
    return number


def _float(value: Any) -> float | None:
    """A finite float from a number or a string (decimal comma accepted); None when empty."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
    else:
        raw = text(value)
        if not raw:
            return None
        try:
            number = float(raw.replace(",", "."))
        except ValueError as exc:
            raise InvalidValue(f"nombre illisible « {truncate(raw, 40)} »") from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidValue("nombre illisible")
    return number


def parse_int(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise InvalidValue(f"nombre entier attendu, reçu « {text(value)} »")
    return int(number)


# ------------------------------------------------------------------------------------------------ places

# Rough boxes (lat_min, lat_max, lon_min, lon_max) around metropolitan France, Corsica and the overseas departments.
_FRANCE_BOXES = (
    (41.2, 51.2, -5.3, 9.7),
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.95, -61.3, -60.8),  # Martinique
    (2.0, 6.0, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.5, 44.9, 45.4),  # Mayotte
)


def in_france(latitude: float, longitude: float) -> bool:
    for a, b, c, d in _FRANCE_BOXES:
        if a <= latitude <= b and c <= longitude <= d:
            return True
    return False


def fix_coordinates(latitude: Any, longitude: Any, *, french: bool = True) -> tuple[float, float] | None:
    """(latitude, longitude) as floats, swapped back when the pair only makes sense swapped; None when both empty.

    A pair is swapped when the latitude is out of range but the longitude would fit, or, for a French address,
    when the pair lands outside France but the swapped one lands inside (a very common publisher mistake).
    """
    lat_f, lon_f = _float(latitude), _float(longitude)
    if lat_f is None and lon_f is None:
        return None
    if lat_f is None or lon_f is None:
        raise InvalidValue("coordonnées incomplètes (latitude ou longitude manquante)")
    if not -90 <= lat_f <= 90 and -90 <= lon_f <= 90 and -180 <= lat_f <= 180:
        return lon_f, lat_f
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        raise InvalidValue(f"coordonnées hors limites ({lat_f}, {lon_f})")
    if lat_f == 0 and lon_f == 0:
        raise InvalidValue("coordonnées nulles (0, 0)")
    if french and not in_france(lat_f, lon_f) and in_france(lon_f, lat_f):
        return lon_f, lat_f
    return lat_f, lon_f


def parse_lonlat(value: Any, *, french: bool = True) -> tuple[float, float] | None:
    """A ``lonLat`` value: "2.35,48.85", "2.35 48.85", [2.35, 48.85] (longitude first), returned as (lat, lon)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return fix_coordinates(value.get("lat"), value.get("lon", value.get("lng")), french=french)
    parts = list(value) if isinstance(value, list | tuple) else re.split(r"[\s,;]+", text(value))
    parts = [p for p in parts if text(p)]
    if not parts:
        return None
    if len(parts) != 2:
        raise InvalidValue(f"coordonnées illisibles « {truncate(text(value), 40)} »")
    return fix_coordinates(parts[1], parts[0], french=french)


_SPACE = re.compile(r"\s")


def postcode(value: Any) -> str:
    raw = text(value).replace(" ", "")
    if raw.isdigit() and len(raw) == 4:
        raw = "0" + raw
    return raw[:10]


def department_and_region(code: str, postcode_value: str) -> tuple[str, str, str]:
    """(department code, department name, region) from the department code, else from the postcode."""
    return _department_and_region(text(code), postcode_value or "")


@functools.lru_cache(maxsize=8192)
def _department_and_region(code: str, postcode_value: str) -> tuple[str, str, str]:
    """Cached: a feed names the same few thousand postcodes over and over."""
    department = address_department(code, postcode_value)
    if department is None:
        return code.strip().upper()[:3], "", ""
    return department.code, department.name, department.region


_COUNTRIES = {
    "fr": "FR",
    "france": "FR",
    "fra": "FR",
    "belgique": "BE",
    "belgium": "BE",
    "suisse": "CH",
    "switzerland": "CH",
    "luxembourg": "LU",
    "allemagne": "DE",
    "germany": "DE",
    "espagne": "ES",
    "spain": "ES",
    "italie": "IT",
    "italy": "IT",
    "monaco": "MC",
}


def country(value: Any) -> str:
    raw = text(value)
    if not raw:
        return "FR"
    key = slug_key(raw)
    if key in _COUNTRIES:
        return _COUNTRIES[key]
    if len(raw) == 2 and raw.isalpha():
        return raw.upper()
    return ""


# ------------------------------------------------------------------------------------------------ URLs


#: The common case, accepted without ``urlsplit``: http(s), a plain host name, an optional port, no whitespace.
_PLAIN_URL = re.compile(r"(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]\S*)?")
_BARE_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+(/|$)")


def url(value: Any, *, max_length: int = 1000) -> str:
    """An absolute http(s) URL, or "" when empty; anything else (javascript:, relative, too long) is refused."""
    raw = text(value)
    if not raw:
        return ""
    if raw.startswith("//"):
        raw = "https:" + raw
    elif "://" not in raw and _BARE_DOMAIN.match(raw):
        raw = "https://" + raw
    if _PLAIN_URL.fullmatch(raw) is not None:
        if len(raw) > max_length:
            raise InvalidValue(f"lien trop long ({len(raw)} caractères)")
        return raw
    parts = urlsplit(raw)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or _SPACE.search(raw):
        raise InvalidValue(f"lien invalide « {truncate(raw, 60)} »")
    if len(raw) > max_length:
        raise InvalidValue(f"lien trop long ({len(raw)} caractères)")
    return raw


# ------------------------------------------------------------------------------------------------ vocabularies

_UNITS = {
    "hour": "hour",
    "heure": "hour",
    "h": "hour",
    "day": "day",
    "jour": "day",
    "week": "week",
    "semaine": "week",
    "month": "month",
    "mois": "month",
    "year": "year",
    "an": "year",
    "annee": "year",
    "total": "total",
}


def compensation_unit(value: Any) -> str:
    raw = text(value)
    if not raw:
        return ""
    key = slug_key(raw).removeprefix("par-")
    if key not in _UNITS:
        key = key.rstrip("s")
    if key in _UNITS:
        return _UNITS[key]
    raise InvalidValue(f"unité d'indemnisation inconnue « {truncate(raw, 40)} »")


def compensation_type(value: Any) -> str:
    key = slug_key(text(value))
    if not key:
        return ""
    if key in {"gross", "brut"}:
        return "gross"
    if key == "net":
        return "net"
    raise InvalidValue(f"type d'indemnisation inconnu « {truncate(text(value), 40)} »")


#: Spellings of engagement domains met in feeds, mapped to the seeded slugs (``cms.taxonomy.vocabulary.DOMAINS``).
DOMAIN_ALIASES = {
    "education-pour-tous": "education",
    "sante-pour-tous": "sante",
    "sport-pour-tous": "sport",
    "solidarite": "solidarite-insertion",
    "insertion": "solidarite-insertion",
    "culture": "culture-loisirs",
    "culture-et-loisirs": "culture-loisirs",
    "loisirs": "culture-loisirs",
    "memoire": "memoire-et-citoyennete",
    "citoyennete": "memoire-et-citoyennete",
    "ecologie": "environnement",
    "environment": "environnement",
    "health": "sante",
    "animal": "animaux",
    "protection": "prevention-protection",
    "prevention": "prevention-protection",
    "interventions-d-urgence": "prevention-protection",
    "developpement-international-et-aide-humanitaire": "humanitaire",
    "digital": "numerique",
    "mixite": "vivre-ensemble",
}

#: The ``type`` field of the engagement feed, mapped to programme slugs.
PROGRAMME_BY_TYPE = {
    "benevolat": "benevolat",
    "volontariat-service-civique": "service-civique",
    "service-civique": "service-civique",
    "volontariat-sapeurs-pompiers": "sapeurs-pompiers-volontaires",
    "volontariat-reserve-operationnelle": "reserve-operationnelle",
    "snu": "snu",
    "reserve-civique": "reserve-civique",
}


def domain_slug(value: Any, known: Iterable[str]) -> str | None:
    """The slug of a known domain for a feed value (slug, label or alias), or None when unknown."""
    key = slug_key(text(value))
    if not key:
        return None
    known = set(known)
    if key in known:
        return key
    alias = DOMAIN_ALIASES.get(key)
    return alias if alias in known else None


def organization_kind(*values: Any) -> str:
    for value in values:
        kind = kind_of_status(text(value))
        if kind:
            return kind
    return "other" if any(text(v) for v in values) else "association"


def digits(value: Any, length: int) -> str:
    """Identifiers like SIREN/SIRET: spaces and dots removed; "" unless exactly ``length`` digits."""
    raw = re.sub(r"[\s.\-]", "", text(value))
    return raw if len(raw) == length and raw.isdigit() else ""


def rna(value: Any) -> str:
    raw = text(value).upper().replace(" ", "")
    return raw if re.fullmatch(r"W\d{9}", raw) else ""
