"""Search over a model's normalised `search_text` column on either backend.

PostgreSQL: a prefix tsquery with the 'simple' configuration (PostgreSQL has
no Indonesian stemmer; 'simple' keeps words as they are), served by the GIN
index created in the models' migrations, ranked by ts_rank.
SQLite: every term must start a word of the same normalised column, which
gives the same matches as the prefix tsquery.
"""

from django.db import connection
from django.db.models import F, QuerySet

from gelar.common.text import search_terms


def filter_by_search(queryset: QuerySet, query: str) -> QuerySet:
    """Rows matching every term of `query`, best first; none for an empty query."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        tsquery = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
        )
        vector = SearchVector("search_text", config="simple")
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=tsquery)
            .annotate(search_rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-search_rank", "pk")
        )
    for term in terms:
        queryset = queryset.filter(search_text__contains=f" {term}")
    return queryset.order_by("pk")
