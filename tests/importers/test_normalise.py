import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from importers import normalise as n


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11/01/2025", dt.date(2025, 1, 11)),
        ("1/3/2025", dt.date(2025, 3, 1)),
        ("11-01-2025", dt.date(2025, 1, 11)),
        ("2025-01-11", dt.date(2025, 1, 11)),
        ("2025-01-11T00:00:00.000Z", dt.date(2025, 1, 11)),
        ("2025-01-10T23:30:00+00:00", dt.date(2025, 1, 11)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_french_day_month_order_and_iso_forms(value, expected):
    assert n.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2025", "demain", "2025-13-45", "01/01/0099"])
def test_an_impossible_date_is_refused_with_a_french_message(value):
    with pytest.raises(n.InvalidValue, match="date"):
        n.parse_date(value)


def test_a_cached_date_time_follows_a_change_of_the_default_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    in_paris = n.parse_datetime("11/01/2025 10:00")
    settings.TIME_ZONE = "America/Cayenne"
    in_cayenne = n.parse_datetime("11/01/2025 10:00")
    assert in_cayenne - in_paris == dt.timedelta(hours=4)


def test_a_cached_date_follows_the_time_zone_it_is_seen_in():
    with timezone.override("Europe/Paris"):
        assert n.parse_date("2025-01-10T23:30:00+00:00") == dt.date(2025, 1, 11)
    with timezone.override("UTC"):
        assert n.parse_date("2025-01-10T23:30:00+00:00") == dt.date(2025, 1, 10)


def test_an_impossible_date_is_refused_every_time_it_is_met():
    for _ in range(2):
        with pytest.raises(n.InvalidValue, match="date illisible"):
            n.parse_date("30/02/2025")


def test_rfc_2822_dates_of_build_headers_are_read_as_aware_datetimes():
    parsed = n.parse_datetime("Fri, 10 Mar 2020 22:49:39 GMT")
    assert parsed == dt.datetime(2020, 3, 10, 22, 49, 39, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", "full"),
        ("oui", "full"),
        ("full", "full"),
        ("hybride", "possible"),
        ("Partiel", "possible"),
        ("possible", "possible"),
        ("no", "no"),
        ("non", "no"),
        ("", "no"),
    ],
)
def test_remote_values_map_to_the_three_mission_choices(value, expected):
    assert n.parse_remote(value) == expected


def test_an_unknown_remote_value_is_refused():
    with pytest.raises(n.InvalidValue, match="télétravail"):
        n.parse_remote("parfois le mardi")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Oui", True),
        ("true", True),
        ("1", True),
        ("no", False),
        ("NON", False),
        ("faux", False),
        ("", None),
    ],
)
def test_yes_no_flags_are_read_in_french_and_english(value, expected):
    assert n.parse_bool(value) is expected


def test_a_latitude_longitude_pair_in_france_is_kept():
    assert n.fix_coordinates("48.8541", "2.3643") == (48.8541, 2.3643)


def test_a_pair_that_only_makes_sense_swapped_is_swapped_back():
    assert n.fix_coordinates("2.3643", "48.8541") == (48.8541, 2.3643)


def test_a_pair_out_of_range_is_swapped_when_the_swap_is_valid():
    assert n.fix_coordinates("120.5", "45.2", french=False) == (45.2, 120.5)


def test_a_pair_outside_france_is_kept_for_a_foreign_address():
    assert n.fix_coordinates("2.3643", "48.8541", french=False) == (2.3643, 48.8541)


def test_decimal_commas_are_accepted_in_coordinates():
    assert n.fix_coordinates("45,764", "4,8357") == (45.764, 4.8357)


@pytest.mark.parametrize(("lat", "lon"), [("95", "200"), ("abc", "2.3"), ("48.8", ""), ("0", "0")])
def test_impossible_coordinates_are_refused(lat, lon):
    with pytest.raises(n.InvalidValue):
        n.fix_coordinates(lat, lon)


@pytest.mark.parametrize("value", ["2.3643,48.8541", "2.3643 48.8541", [2.3643, 48.8541]])
def test_lonlat_values_put_the_longitude_first(value):
    assert n.parse_lonlat(value) == (48.8541, 2.3643)


def test_department_and_region_come_from_the_postcode_when_missing():
    assert n.department_and_region("", "45000") == ("45", "Loiret", "Centre-Val de Loire")


def test_corsican_and_overseas_postcodes_find_their_department():
    assert n.department_and_region("", "20200")[0] == "2B"
    assert n.department_and_region("", "97400")[1] == "La Réunion"


def test_a_four_digit_postcode_gets_its_leading_zero_back():
    assert n.postcode("1000") == "01000"


def test_plain_text_descriptions_become_paragraphs():
    html, text = n.description("Première ligne\nsuite\n\nSecond paragraphe & fin")
    assert html == "<p>Première ligne<br>suite</p><p>Second paragraphe &amp; fin</p>"
    assert text == "Première ligne\nsuite\nSecond paragraphe & fin"


def test_hostile_html_is_cut_down_to_the_safe_subset():
    html, text = n.description(
        '<p onclick="x()">Bonjour <script>alert(1)</script><a href="javascript:alert(1)">ici</a></p>'
    )
    assert "script" not in html
    assert "onclick" not in html
    assert "javascript" not in html
    assert text == "Bonjour ici"


def test_comma_lists_are_split_trimmed_and_deduplicated():
    assert n.split_list("environnement, écologie;environnement,,") == ["environnement", "écologie"]


def test_repeated_xml_elements_read_as_a_list():
    assert n.split_list({"tag": ["a", "b"]}) == ["a", "b"]


def test_domains_are_matched_by_slug_label_or_alias():
    known = {"sante", "solidarite-insertion", "autre"}
    assert n.domain_slug("Santé", known) == "sante"
    assert n.domain_slug("Solidarité", known) == "solidarite-insertion"
    assert n.domain_slug("cuisine moléculaire", known) is None


def test_decimal_numbers_accept_commas_spaces_and_the_euro_sign():
    assert n.parse_decimal("1 234,50 €") == Decimal("1234.50")


def test_a_fractional_number_of_places_is_refused():
    with pytest.raises(n.InvalidValue, match="entier"):
        n.parse_int("2.5")


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "/relative/path",
        "http://exa mple.org",
        "https://example.org/a\u00a0b",
        "https://example.org/a\u2028b",
        "javascript://example.org/%0Aalert(1)",
    ],
)
def test_only_absolute_http_urls_are_accepted(value):
    with pytest.raises(n.InvalidValue, match="lien"):
        n.url(value)


@pytest.mark.parametrize(
    "value",
    ["https://www.example.org/missions/12?utm=x#postuler", "HTTP://Example.org:8080/", "https://exemple.fr/été"],
)
def test_ordinary_http_urls_are_kept_as_they_are(value):
    assert n.url(value) == value


def test_an_ordinary_url_over_the_length_limit_is_refused():
    with pytest.raises(n.InvalidValue, match="trop long"):
        n.url("https://example.org/" + "a" * 500, max_length=500)


def test_a_bare_domain_gets_an_https_scheme():
    assert n.url("www.example.org/candidater") == "https://www.example.org/candidater"


@pytest.mark.parametrize("value", ["Biblioth\ufffdque", "BibliothÃ¨que", "Bibliot\x00hèque"])
def test_encoding_errors_are_detected(value):
    assert n.has_encoding_errors(value)


def test_accented_french_is_not_an_encoding_error():
    assert not n.has_encoding_errors("Bibliothèque à Châlons, « Noël »")


@pytest.mark.parametrize(("value", "expected"), [("heure", "hour"), ("par mois", "month"), ("jours", "day"), ("", "")])
def test_compensation_units_are_read_in_french_and_english(value, expected):
    assert n.compensation_unit(value) == expected


def test_organisation_kinds_are_guessed_from_the_legal_status():
    assert n.organization_kind("1901") == "association"
    assert n.organization_kind("", "Collectivité territoriale") == "local_authority"
    assert n.organization_kind("Coopérative bizarre") == "other"


def test_siren_and_rna_are_kept_only_when_well_formed():
    assert n.digits("332 737 394", 9) == "332737394"
    assert n.digits("33273739", 9) == ""
    assert n.rna("w922000733") == "W922000733"
    assert n.rna("922000733") == ""
