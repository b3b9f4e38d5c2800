"""The e-mail benchmark still runs, tiny (figures are not asserted, only that it measured)."""

from __future__ import annotations

from bench import mail_bench


def test_the_mail_benchmark_ingests_every_message_once() -> None:
    figures = mail_bench.run(count=40, concurrency=4, agents=5)

    ingest = figures["ingest_sqlite"]
    # 20 questions, 4 HTML messages and 3 early answers with nothing to answer start
    # conversations; 11 answers and a bounce join theirs; the first bounce has none
    assert ingest["outcomes"] == {"new": 27, "joined": 12, "held": 1}
    assert ingest["contacts_connected"] == 10  # five agents, two e-mails each
    assert ingest["messages_per_s"] > 0
    assert figures["parsing"]["messages_per_s"] > 0
