"""Run records from crawl stats: errors by kind and the broken-rule flag."""

from crawler.extensions import BROKEN, summarize


def test_a_run_without_documents_is_flagged_probably_broken():
    rec = summarize({"baogao/pages/fetched": 4, "baogao/errors/list_without_articles": 2}, 1, "s", "t")
    assert rec.documents == 0 and BROKEN in rec.flags
    assert rec.errors == {"list_without_articles": 2}


def test_mostly_empty_bodies_are_flagged_and_errors_are_counted_by_kind():
    stats = {
        "baogao/documents/new": 2,
        "baogao/errors/empty_body": 5,
        "baogao/errors/http_404": 1,
        "baogao/errors/encoding_fffd": 7,
        "retry/count": 2,
        "baogao/pages/fetched": 9,
        "baogao/pages/cached": 1,
    }
    rec = summarize(stats, 1, "s", "t")
    assert BROKEN in rec.flags and rec.pages == 10
    assert rec.errors == {"empty_body": 5, "http_404": 1, "encoding_fffd": 7, "retried": 2}


def test_a_healthy_run_is_not_flagged():
    rec = summarize(
        {"baogao/documents/new": 5, "baogao/documents/unchanged": 3, "baogao/errors/empty_body": 1},
        1,
        "s",
        "t",
    )
    assert rec.flags == [] and (rec.new, rec.unchanged) == (5, 3)
