"""Search over a model's normalised `search_text` column on either backend.

PostgreSQL: a prefix tsquery with the 'simple' configuration (PostgreSQL has
no Indonesian stemmer; 'simple' keeps words as they are), served by the GIN
index created in the models' migrations.
SQLite: every term must start a word of the same normalised column, which
gives the same matches as the prefix tsquery.

Both rank alike: the earlier the first term appears in `search_text` (which
starts with the name), the better. ts_rank would re-parse every match's text
(130 ms for 9,000 matches of "batik" in the scale-10 demo); a string position
costs next to nothing and puts name matches before description matches.
"""

from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.functions import StrIndex

from gelar.common.text import search_terms


def filter_by_search(queryset: QuerySet, query: str) -> QuerySet:
    """Rows matching every term of `query`, best first; none for an empty query."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        tsquery = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
        )
        vector = SearchVector("search_text", config="simple")
        queryset = queryset.annotate(search_vector=vector).filter(search_vector=tsquery)
    else:
        for term in terms:
            queryset = queryset.filter(search_text__contains=f" {term}")
    first_match = StrIndex("search_text", Value(f" {terms[0]}"))
    return queryset.annotate(search_position=first_match).order_by("search_position", "pk")
