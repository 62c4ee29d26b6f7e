"""The database backend's index: one denormalised row per searchable mission or offer, owned by ``search``.

The indexer (``search.indexing``) writes these tables from ``Mission.objects.searchable()`` and
``OfferPage.objects.searchable()``; queries read only them until the final ORM load of the hits. The wide text
(title, description: trigrams, highlights) lives in a separate one-to-one table so that facet scans read narrow
rows; the weighted tsvector stays on the document row, so that a text match needs no join. Multi-valued facets
(addresses, stores, categories, needs) live in small side tables so that "any of them matches" is a plain ``IN``.
The relations carry no database constraint (``db_constraint=False``): the index is derived data, written and deleted
a document with its side rows by the backend, and ORM deletions of missions and offers still cascade (Django's
collector); a foreign-key check per inserted row was a third of an import's index update. A hit whose mission or
offer is gone is dropped when the hits are loaded.
PostgreSQL-only indexes (GIN on the tsvectors, trigram GIN on the folded title, the covering index of the facet
columns) are created by migrations ``0002``, ``0003`` and ``0005``.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class VisibilityWindow(models.Model):
    """The days an item is visible (open when null), on its document and copied on its places."""

    visible_from = models.DateField(null=True)
    visible_until = models.DateField(null=True)

    class Meta:
        abstract = True


class SearchDocument(VisibilityWindow):
    """The narrow row every query scans: filters, facets, visibility window, sort keys. Text lives beside it."""

    start_date = models.DateField(null=True)
    published_at = models.DateTimeField(null=True)
    everywhere = models.BooleanField(default=False, help_text="Full-remote mission or nationwide offer.")
    # On the document row rather than beside the text: a text match is then one GIN bitmap scan of this table, with
    # no join to the wide text rows.
    search_vector = SearchVectorField(null=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.pk)


class SearchText(models.Model):
    """The wide part of a document, one row per document, kept apart so that facet scans stay small."""

    title = models.CharField(max_length=255)
    title_folded = models.CharField(
        max_length=255, help_text="The folded title words, one space apart (typo tolerance)."
    )
    secondary = models.CharField(max_length=255, blank=True, help_text="Organisation or partner name.")
    description = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Place(models.Model):
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    department = models.CharField(max_length=3, blank=True)
    region = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=255, blank=True, help_text="Folded city name.")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.city} ({self.department})"


class MissionFilters(models.Model):
    """The filter columns of a mission that a distance search applies to its places as well as to its document.

    Filters and facets compare integer codes rather than slugs: the taxonomy terms' primary keys and
    ``search.missions.REMOTE_CODES``.
    """

    domain_code = models.IntegerField(null=True)
    programme_code = models.IntegerField(null=True)
    remote_code = models.PositiveSmallIntegerField(null=True)
    open_to_minors = models.BooleanField(default=False)
    accessible = models.BooleanField(default=False)
    min_age = models.PositiveSmallIntegerField(null=True)
    max_age = models.PositiveSmallIntegerField(null=True)

    class Meta:
        abstract = True


#: The columns a mission's places copy from its document (see ``MissionPlace``).
COPIED_MISSION_COLUMNS = tuple(f.name for model in (VisibilityWindow, MissionFilters) for f in model._meta.local_fields)


class MissionDocument(SearchDocument, MissionFilters):
    mission = models.OneToOneField(
        "missions.Mission",
        primary_key=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="search_document",
    )
    programme = models.CharField(max_length=80, blank=True)
    domain = models.CharField(max_length=80, blank=True)
    remote = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=100, blank=True)
    organization = models.BigIntegerField(null=True)
    departments = models.JSONField(default=list, help_text="Department codes of the addresses (PostgreSQL facet).")
    activities = models.JSONField(default=list, help_text="The mission's activities, as the feed named them.")
    # The three codes of ``MissionFilters`` packed in one column that facet counts group by
    # (``search.missions.combination``).
    facets_combined = models.BigIntegerField(default=0)
    # The department codes again, comma-joined: grouped in byte order ("C" collation) by the department facet over
    # every visible mission, read in order from ``search_mdoc_departments_idx`` (keyed on it): a short text compares
    # and groups more cheaply than a jsonb array.
    department_key = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["domain_code"], name="search_mdoc_domain_code_idx"),
            models.Index(fields=["programme_code"], name="search_mdoc_programme_code_idx"),
            models.Index(fields=["remote_code"], name="search_mdoc_remote_code_idx"),
            models.Index(fields=["source"], name="search_mdoc_source_idx"),
            models.Index(fields=["organization"], name="search_mdoc_org_idx"),
            models.Index(fields=["start_date"], name="search_mdoc_start_idx"),
            models.Index(fields=["-published_at"], name="search_mdoc_published_idx"),
        ]
        # PostgreSQL also has ``search_mdoc_combined_idx`` and ``search_mdoc_departments_idx`` (migration 0005): the
        # facet grouping keys with the visibility window (and, for the departments, the codes) included, so that
        # facet counts over every visible mission are index-only scans read in group order.


class MissionText(SearchText):
    document = models.OneToOneField(
        MissionDocument, primary_key=True, on_delete=models.CASCADE, db_constraint=False, related_name="text"
    )


class MissionPlace(Place, VisibilityWindow, MissionFilters):
    """A mission's address, with copies of its document's visibility and filter columns (the fields of the same name,
    written with the document, never apart: :func:`search.backends.database.tables.copied_from_document`), so that
    the nearest places of a distance search are read already filtered: a window of them then holds only missions
    that may be on the page, however selective the filters."""

    document = models.ForeignKey(MissionDocument, on_delete=models.CASCADE, db_constraint=False, related_name="places")

    class Meta:
        indexes = [
            # Covering: the places of a radius are read and filtered from the index alone (their documents, the
            # distance, the copied filter columns).
            models.Index(
                fields=["latitude", "longitude"],
                include=["document", *COPIED_MISSION_COLUMNS],
                name="search_mplace_geo_cov_idx",
            ),
            models.Index(fields=["department", "document"], name="search_mplace_dept_idx"),
            models.Index(fields=["region"], name="search_mplace_region_idx"),
            models.Index(fields=["city"], name="search_mplace_city_idx"),
        ]


class OfferDocument(SearchDocument):
    offer = models.OneToOneField(
        "offers.OfferPage",
        primary_key=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="search_document",
    )
    partner = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=10, blank=True)
    channel = models.CharField(max_length=10, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["partner"], name="search_odoc_partner_idx"),
            models.Index(fields=["kind"], name="search_odoc_kind_idx"),
            models.Index(fields=["channel"], name="search_odoc_channel_idx"),
        ]


class OfferText(SearchText):
    document = models.OneToOneField(
        OfferDocument, primary_key=True, on_delete=models.CASCADE, db_constraint=False, related_name="text"
    )


class OfferPlace(Place):
    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, db_constraint=False, related_name="places")

    class Meta:
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="search_oplace_geo_idx"),
            models.Index(fields=["department"], name="search_oplace_dept_idx"),
        ]


class OfferCategoryLink(models.Model):
    document = models.ForeignKey(
        OfferDocument, on_delete=models.CASCADE, db_constraint=False, related_name="categories"
    )
    slug = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["slug", "document"], name="search_ocat_slug_idx")]

    def __str__(self) -> str:
        return self.slug


class OfferNeedLink(models.Model):
    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, db_constraint=False, related_name="needs")
    slug = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["slug", "document"], name="search_oneed_slug_idx")]

    def __str__(self) -> str:
        return self.slug
