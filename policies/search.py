"""Search across published documents: ranked, with the matching words highlighted.

On PostgreSQL this is full-text search (English stemming, so "posting"
finds "post"), ranked with the title weighted above the summary and the
summary above the body, with a snippet from ``ts_headline``. On SQLite, the
embedded default, every word must appear somewhere; titles rank first and
the snippet is cut around the first match. Snippets are escaped before the
highlight is added, so document text can never inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from policies.models import DocumentVersion

CONFIG = "english"
# Private-use characters mark the highlight in PostgreSQL's headline, and stand in for < and > while
# ts_headline runs (it would drop anything that looks like a tag); they cannot come from typed text.
START, STOP = "\ue000", "\ue001"
LT, GT = "\ue002", "\ue003"
SNIPPET_CHARS = 220


@dataclass(frozen=True)
class Hit:
    version: DocumentVersion
    snippet: SafeString


def _published() -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.filter(
        status=DocumentVersion.Status.PUBLISHED, document__is_retired=False
    ).select_related("document")


def words_of(query: str) -> list[str]:
    return [word for word in re.split(r"\W+", query) if word][:12]


def published_search(query: str, *, category: str = "") -> QuerySet[DocumentVersion]:
    """Published versions matching ``query``, best first, each with a ``headline`` attribute."""
    versions = _published()
    if category:
        versions = versions.filter(document__category=category)
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config=CONFIG)
        vector = (
            SearchVector("document__title", weight="A", config=CONFIG)
            + SearchVector("document__summary", weight="B", config=CONFIG)
            + SearchVector("body_text", weight="C", config=CONFIG)
        )
        return (
            versions.annotate(document_vector=vector, rank=SearchRank(vector, search))
            .filter(document_vector=search)
            .annotate(
                headline=SearchHeadline(
                    Replace(Replace("body_text", Value("<"), Value(LT)), Value(">"), Value(GT)),
                    search,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=40,
                    min_words=20,
                )
            )
            .order_by("-rank", "document__title")
        )
    words = words_of(query)
    if not words:
        return versions.none()
    for word in words:
        versions = versions.filter(
            Q(document__title__icontains=word) | Q(document__summary__icontains=word) | Q(body_text__icontains=word)
        )
    in_title = Q()
    for word in words:
        in_title |= Q(document__title__icontains=word)
    return versions.annotate(
        rank=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-rank", "document__title")


def snippet(version: DocumentVersion, query: str) -> SafeString:
    """A short, escaped extract of the text with the query's words marked."""
    headline = getattr(version, "headline", None)
    if headline is not None:
        return _marked(headline.replace(LT, "<").replace(GT, ">"))
    text = version.body_text
    words = words_of(query)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - SNIPPET_CHARS // 3) if match else 0
    extract = text[start : start + SNIPPET_CHARS]
    if start > 0:
        extract = "…" + extract.split(" ", 1)[-1]
    if start + SNIPPET_CHARS < len(text):
        extract = extract.rsplit(" ", 1)[0] + "…"
    if pattern:
        extract = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", extract)
    return _marked(extract)


def _marked(text: str) -> SafeString:
    """Escape the text, then turn only our own markers into highlight tags."""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308
