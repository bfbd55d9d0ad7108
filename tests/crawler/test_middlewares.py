"""Retry backoff: how long a retried request waits."""

from crawler.middlewares import RetryBackoff


def test_retries_wait_longer_each_time_up_to_the_cap():
    backoff = RetryBackoff(base=1.0, cap=5.0)
    assert [backoff.delay(n) for n in range(5)] == [0.0, 1.0, 2.0, 4.0, 5.0]
