"""What Elasticsearch stores: the French analysis chain, the index documents of each kind, the index names and the
document built from an indexer record."""

from __future__ import annotations

import datetime

from django.conf import settings
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Long,
    Mapping,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from ...base import Kind

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")
#: One-letter tokens are dropped, as the database backend drops one-letter words ("y", "a" once folded).
one_letter = token_filter("one_letter", type="length", min=2)
#: French, accent- and case-insensitive, in this order: elision, lower case, stop words (which carry accents: "à"
#: must go before folding makes it "a"), light stemming (which folds its own accents), ASCII folding, no one-letter
#: tokens. Its expected output is the table of ``tests/search/analysis_examples.py``.
french = analyzer(
    "french_folded",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, french_stemmer, "asciifolding", one_letter],
)
folded = normalizer("folded", filter=["lowercase", "asciifolding"])


class _Common(Document):
    pk = Long()
    # Every word of a search must be found in one of the three: all_text holds them together (see .text).
    title = Text(analyzer=french, copy_to="all_text")
    secondary = Text(analyzer=french, copy_to="all_text")
    description = Text(analyzer=french, copy_to="all_text")
    all_text = Text(analyzer=french)
    # The title's folded words (search.folding.fold_words), matched by the typo rule of search.typos.
    title_words = Keyword()
    location = GeoPoint()  # one point per address or store
    departments = Keyword()
    regions = Keyword(normalizer=folded)
    cities = Keyword(normalizer=folded)
    visible_from = Date()
    visible_until = Date()
    start_date = Date()
    published_at = Date()
    everywhere = Boolean()


class MissionIndexDocument(_Common):
    programme = Keyword()
    domain = Keyword()
    remote = Keyword()
    source = Keyword()
    activities = Keyword()
    organization = Keyword()
    open_to_minors = Boolean()
    accessible = Boolean()
    min_age = Integer()
    max_age = Integer()


class OfferIndexDocument(_Common):
    partner = Keyword()
    kind = Keyword()
    channel = Keyword()
    categories = Keyword()
    needs = Keyword()


DOCUMENTS: dict[str, type[Document]] = {"missions": MissionIndexDocument, "offers": OfferIndexDocument}
#: Record keys Elasticsearch does not store as they are: derived below, or the database backend's own integer codes.
_DERIVED = {
    "pk",
    "title_folded",
    "places",
    "domain_code",
    "programme_code",
    "remote_code",
    "facets_combined",
    "department_key",
}


def alias_name(kind: Kind) -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{kind.name}"


def rebuilding_alias(kind: Kind) -> str:
    """The alias on an index being rebuilt: writers that see it write there too, so the rebuild loses nothing."""
    return f"{alias_name(kind)}-rebuilding"


def changes_alias(kind: Kind) -> str:
    """The alias on the log of the ids changed while a rebuild fills its index, replayed after the swap."""
    return f"{alias_name(kind)}-changes"


def index_definition(kind: Kind, name: str, **index_settings) -> Index:
    """The index ``name`` with the kind's mapping and the French analysis chain (and ``index_settings``)."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=settings.ELASTICSEARCH_REPLICAS, **index_settings)
    index.document(DOCUMENTS[kind.name])
    return index


def changes_definition(name: str) -> Index:
    """The log index of a rebuild: one document per changed id."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=settings.ELASTICSEARCH_REPLICAS)
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("pk", Long())
    index.mapping(mapping)
    return index


def to_source(record: dict) -> dict:
    """The Elasticsearch document of an indexer record (see ``search.missions``/``search.offers``)."""
    source = {k: v for k, v in record.items() if k not in _DERIVED}
    for key, value in source.items():
        if isinstance(value, datetime.date):
            source[key] = value.isoformat()
    for key in ("organization", "partner"):
        if key in source and source[key] is not None:
            source[key] = str(source[key])
    places = record.get("places", [])
    source["pk"] = record["pk"]
    source["title_words"] = (record.get("title_folded") or "").split()
    # A geo_point needs both coordinates (the model allows a latitude alone): such a place has no point.
    source["location"] = [
        {"lat": p["latitude"], "lon": p["longitude"]}
        for p in places
        if p["latitude"] is not None and p["longitude"] is not None
    ]
    source["departments"] = sorted({p["department"] for p in places if p["department"]})
    source["regions"] = sorted({p["region"] for p in places if p["region"]})
    source["cities"] = sorted({p["city"] for p in places if p["city"]})
    return source
