"""The policies benchmark on a small organisation: its figures agree with each other, and the counts stay fixed.

No wall-clock thresholds: the test checks that every read saw the same people
and ran the number of statements it runs for any number of people, on a
small and a larger organisation.
"""

from __future__ import annotations

import pytest

from policies.benchmark import BenchmarkRefused, policy_body, run_policies_benchmark
from policies.models import Acknowledgement, Document
from policies.rendering import markdown_render

# Statements each read runs, whatever the number of people (one document, for everyone):
# the report's three aggregates (kinds, total, by department), then the paginator's count and its page.
REPORT_QUERIES = 3 + 2
# The documents and their two prefetched audience lists, when each was first published, then one per document.
DUE_ITEMS_QUERIES = 3 + 1 + 1
# The documents and their audience lists, the person's groups, the person with their department,
# their acknowledgements, when each was first published.
OWED_BY_QUERIES = 3 + 1 + 1 + 1 + 1
# The paginator's count and its page.
SEARCH_QUERIES = 2
# One query, streamed (select_related brings the department and the line manager).
CSV_QUERIES = 1


@pytest.mark.parametrize("people", [40, 300])
def test_the_figures_agree_and_the_queries_do_not_grow(db, people):
    lines = []
    result = run_policies_benchmark(people=people, progress=lines.append)

    acknowledged = sum(1 for n in range(people) if n % 5 < 3)
    # Everyone generated, and the two comms leads who wrote and approved the policy.
    assert result.audience == result.report_total == people + 2
    assert result.acknowledgements_created == result.report_acknowledged == acknowledged
    assert Acknowledgement.objects.count() == acknowledged
    outstanding = people + 2 - acknowledged
    assert result.report_outstanding == outstanding
    assert result.due_items.rows == outstanding
    assert result.csv.rows == outstanding
    assert result.csv_bytes > 0
    assert result.report.rows == min(50, outstanding)
    assert result.owed.rows == 1
    assert result.search.rows == 1
    assert result.consistent

    assert [m.queries for m in result.measurements] == [
        [REPORT_QUERIES] * 3,
        [DUE_ITEMS_QUERIES] * 3,
        [OWED_BY_QUERIES] * 3,
        [SEARCH_QUERIES] * 3,
        [CSV_QUERIES] * 3,
    ]
    assert all(len(m.seconds) == 3 and min(m.seconds) > 0 for m in result.measurements)
    assert result.peak_rss_mb > 0

    document = Document.objects.get()
    assert document.is_published
    assert document.current_version.published_by != document.current_version.author
    assert f"| {people:,} | Report + first page of 50 |" in "\n".join(result.table())
    assert result.lines()[-1].endswith("yes")
    assert any("acknowledgements" in line for line in lines)


def test_the_policy_text_is_long_with_sections_and_mentions_elections():
    body = policy_body()
    assert 1500 <= len(body.split()) < 1700
    rendered = markdown_render(body)
    assert len(rendered.contents) >= 9
    assert "<table>" in rendered.html
    assert "election" in rendered.text
    assert policy_body() == body


def test_the_benchmark_refuses_a_database_with_people_in_it(staff):
    with pytest.raises(BenchmarkRefused):
        run_policies_benchmark(people=10, progress=lambda line: None)
