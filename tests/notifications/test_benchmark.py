import pytest

from socialgov.notifications import registry
from socialgov.notifications.benchmark import BenchmarkRefused, run_benchmark
from socialgov.notifications.models import Message


def test_the_benchmark_builds_and_delivers_one_digest_a_person(db):
    result = run_benchmark(30)
    assert result.people == 30
    assert result.digests_written == 30
    assert result.messages_sent == 30
    assert result.messages_received == 30
    assert (result.messages_failed, result.messages_retrying) == (0, 0)
    assert result.consistent
    assert result.bytes_received > 0
    assert result.build_queries > 0
    assert result.tracemalloc_digests == 30
    assert result.tracemalloc_peak_mb > 0
    assert Message.objects.filter(kind=registry.DIGEST.key).count() == 30
    assert "| 30 |" in result.table()[2]


def test_the_benchmark_refuses_a_database_with_people_in_it(staff):
    with pytest.raises(BenchmarkRefused):
        run_benchmark(30)
