"""Data the Elasticsearch tests share: a mission's record, the visibility clause of a day, a realistic reply."""

from __future__ import annotations

import datetime

TODAY = datetime.date(2026, 11, 23)
VISIBLE_TODAY = {
    "bool": {
        "filter": [
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": [{"exists": {"field": "visible_from"}}]}},
                        {"range": {"visible_from": {"lte": "2026-11-23"}}},
                    ]
                }
            },
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": [{"exists": {"field": "visible_until"}}]}},
                        {"range": {"visible_until": {"gte": "2026-11-23"}}},
                    ]
                }
            },
        ]
    }
}


def mission_record(pk: int, **overrides) -> dict:
    record = {
        "pk": pk,
        "title": "Bénévolat à l'épicerie solidaire",
        "title_folded": "benevolat a l epicerie solidaire",
        "secondary": "Secours populaire",
        "description": "Accueillir les familles.",
        "visible_from": None,
        "visible_until": datetime.date(2027, 3, 1),
        "start_date": datetime.date(2026, 12, 1),
        "published_at": datetime.datetime(2026, 11, 1, 9, 30, tzinfo=datetime.UTC),
        "everywhere": False,
        "programme": "benevolat",
        "domain": "solidarite-insertion",
        "remote": "no",
        "source": "jeveuxaider",
        "organization": 12,
        "open_to_minors": True,
        "accessible": False,
        "min_age": None,
        "max_age": None,
        "places": [
            {
                "latitude": 45.764,
                "longitude": 4.8357,
                "department": "69",
                "region": "auvergne-rhone-alpes",
                "city": "lyon",
            },
            {
                "latitude": 45.1885,
                "longitude": 5.7245,
                "department": "38",
                "region": "auvergne-rhone-alpes",
                "city": "grenoble",
            },
        ],
    }
    return record | overrides


SEARCH_REPLY = {
    "took": 7,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 42, "relation": "eq"},
        "max_score": None,
        "hits": [
            {
                "_index": "tremplin-missions-20261123114500123456",
                "_id": "301",
                "_score": 7.1,
                "_source": {"location": [{"lat": 45.1885, "lon": 5.7245}, {"lat": 45.7719, "lon": 4.8902}]},
                "highlight": {"title": ["\x02Bénévolat\x03 à l'épicerie"]},
                "sort": [7.1, 1761989400000, 301],
            },
            {
                "_index": "tremplin-missions-20261123114500123456",
                "_id": "17",
                "_score": 3.4,
                "_source": {"location": []},
                "sort": [3.4, 1761989400000, 17],
            },
        ],
    },
    "aggregations": {
        "facet_domain": {
            "doc_count": 120,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": "environnement", "doc_count": 78}, {"key": "sante", "doc_count": 42}],
            },
        },
        "facet_programme": {
            "doc_count": 42,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": "benevolat", "doc_count": 30}, {"key": "service-civique", "doc_count": 12}],
            },
        },
    },
}
