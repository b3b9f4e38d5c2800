"""WebhookDeliverer against a real local HTTP receiver, driven by a fake clock."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import pytest_asyncio

from headset.core.clock import FakeClock
from headset.webhooks import (
    Delivery,
    DeliveryStatus,
    Outcome,
    RetryPolicy,
    Webhook,
    delivery_body,
)
from headset.webhooks.deliverer import WebhookDeliverer
from tests.redis_server import free_port
from tests.webhooks.fake_store import FakeDeliveryStore
from tests.webhooks.receiver import Receiver

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SECRET = "whsec_test"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def receiver(clock: FakeClock) -> Iterator[Receiver]:
    receiver = Receiver(secret=SECRET, now_unix=lambda: int(clock.now().timestamp()))
    receiver.start()
    yield receiver
    receiver.stop()


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # trust_env=False: a proxy configured on the machine must not intercept 127.0.0.1.
    async with httpx.AsyncClient(trust_env=False) as client:
        yield client


def _local(*args: object, **kwargs: object) -> WebhookDeliverer:
    """A deliverer that may reach this machine, where the test receiver listens."""
    return WebhookDeliverer(*args, allow_internal=True, **kwargs)  # type: ignore[arg-type]


def store_with_one_delivery(url: str, *, webhook_exists: bool = True) -> FakeDeliveryStore:
    webhook = Webhook(webhook_id="w1", tenant_id="t1", url=url, secret=SECRET)
    body = delivery_body("d1", "routing.contact_queued", 42, START, "t1", {"contact_id": "c1"})
    delivery = Delivery(
        delivery_id="d1",
        webhook_id="w1",
        tenant_id="t1",
        event_seq=42,
        event_type="routing.contact_queued",
        body=body,
        next_attempt_at=START,
    )
    return FakeDeliveryStore([webhook] if webhook_exists else [], [delivery])


@pytest.mark.asyncio
async def test_a_receiver_failing_twice_gets_the_delivery_on_the_third_attempt(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.statuses = [500, 500]
    store = store_with_one_delivery(receiver.url)
    deliverer = _local(store, clock, client, RetryPolicy())

    assert await deliverer.run_once() == 1
    first = store.deliveries["d1"]
    assert first.status is DeliveryStatus.PENDING
    assert (first.attempt, first.last_status_code) == (1, 500)
    assert first.last_error == "HTTP 500: upstream broke"
    assert first.next_attempt_at == START + timedelta(seconds=10)

    assert await deliverer.run_once() == 0, "not due before its next attempt"
    clock.advance(timedelta(seconds=10))
    assert await deliverer.run_once() == 1
    assert store.deliveries["d1"].next_attempt_at == clock.now() + timedelta(seconds=30)

    clock.advance(timedelta(seconds=30))
    assert await deliverer.run_once() == 1
    done = store.deliveries["d1"]
    assert (done.status, done.attempt, done.last_status_code) == (DeliveryStatus.DELIVERED, 3, 200)
    assert done.delivered_at == clock.now()
    assert done.next_attempt_at is None

    assert [r.headers["Headset-Attempt"] for r in receiver.received] == ["1", "2", "3"]
    assert all(r.is_signature_valid for r in receiver.received)
    assert {r.body for r in receiver.received} == {done.body}, "every retry sends the same bytes"


@pytest.mark.asyncio
async def test_a_delivery_carries_the_documented_headers_and_body(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient
) -> None:
    store = store_with_one_delivery(receiver.url)
    await _local(store, clock, client).run_once()
    (request,) = receiver.received
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "Headset-Webhooks"
    assert request.headers["Headset-Event"] == "routing.contact_queued"
    assert request.headers["Headset-Delivery"] == "d1"
    assert request.headers["Headset-Signature"].startswith(f"t={int(START.timestamp())},v1=")
    assert json.loads(request.body) == {
        "delivery_id": "d1",
        "event": "routing.contact_queued",
        "seq": 42,
        "occurred_at": "2026-11-23T08:00:00+00:00",
        "tenant_id": "t1",
        "data": {"contact_id": "c1"},
    }


@pytest.mark.asyncio
async def test_an_unreachable_endpoint_is_retried_then_failed_after_the_last_attempt(
    clock: FakeClock, client: httpx.AsyncClient
) -> None:
    store = store_with_one_delivery(f"http://127.0.0.1:{free_port()}/hooks")
    policy = RetryPolicy(delays=(timedelta(seconds=10), timedelta(seconds=30)))
    deliverer = _local(store, clock, client, policy)

    await deliverer.run_once()
    assert store.deliveries["d1"].status is DeliveryStatus.PENDING
    assert "ConnectError" in (store.deliveries["d1"].last_error or "")
    clock.advance(timedelta(seconds=10))
    await deliverer.run_once()
    assert store.deliveries["d1"].status is DeliveryStatus.PENDING
    clock.advance(timedelta(seconds=30))
    await deliverer.run_once()

    failed = store.deliveries["d1"]
    assert (failed.status, failed.attempt) == (DeliveryStatus.FAILED, policy.max_attempts)
    assert failed.next_attempt_at is None
    assert failed.last_status_code is None
    clock.advance(timedelta(days=1))
    assert await deliverer.run_once() == 0


@pytest.mark.asyncio
async def test_a_receiver_that_does_not_answer_in_time_is_retried(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.delay = 0.5
    store = store_with_one_delivery(receiver.url)
    deliverer = _local(store, clock, client, request_timeout=timedelta(seconds=0.1))
    await deliverer.run_once()
    delivery = store.deliveries["d1"]
    assert delivery.status is DeliveryStatus.PENDING
    assert delivery.last_error == "no answer within 0.1 s"


@pytest.mark.asyncio
async def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient
) -> None:
    receiver.statuses = [302]
    store = store_with_one_delivery(receiver.url)
    await _local(store, clock, client).run_once()
    assert len(receiver.received) == 1
    assert store.deliveries["d1"].last_status_code == 302
    assert store.deliveries["d1"].status is DeliveryStatus.PENDING


@pytest.mark.asyncio
async def test_a_delivery_for_a_deleted_webhook_fails_without_a_request(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient
) -> None:
    store = store_with_one_delivery(receiver.url, webhook_exists=False)
    await _local(store, clock, client).run_once()
    assert receiver.received == []
    assert store.deliveries["d1"].status is DeliveryStatus.FAILED
    assert store.deliveries["d1"].last_error == "webhook was deleted"


@pytest.mark.asyncio
async def test_run_forever_keeps_delivering_until_cancelled(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient
) -> None:
    store = store_with_one_delivery(receiver.url)
    deliverer = _local(store, clock, client)
    task = asyncio.create_task(deliverer.run_forever(poll_interval=timedelta(milliseconds=10)))
    async with asyncio.timeout(5):
        while store.deliveries["d1"].status is not DeliveryStatus.DELIVERED:
            await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(receiver.received) == 1


class StoreFailingToRecord(FakeDeliveryStore):
    """A store whose database goes away while one outcome is being written."""

    def record(self, delivery_id: str, outcome: Outcome) -> None:
        if delivery_id == "d1":
            raise RuntimeError("database is gone")
        super().record(delivery_id, outcome)


@pytest.mark.asyncio
async def test_a_store_failure_is_raised_after_the_other_outcomes_are_recorded(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient
) -> None:
    one = store_with_one_delivery(receiver.url)
    other = dataclasses.replace(one.deliveries["d1"], delivery_id="d2")
    store = StoreFailingToRecord(one.webhooks.values(), [one.deliveries["d1"], other])
    with pytest.raises(RuntimeError, match="database is gone"):
        await _local(store, clock, client).run_once()
    assert store.deliveries["d2"].status is DeliveryStatus.DELIVERED


@pytest.mark.asyncio
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_by_default_a_webhook_on_this_machine_is_refused_without_a_request(
    clock: FakeClock, receiver: Receiver, client: httpx.AsyncClient, host: str
) -> None:
    store = store_with_one_delivery(receiver.url.replace("127.0.0.1", host))
    await WebhookDeliverer(store, clock, client).run_once()
    refused = store.deliveries["d1"]
    assert receiver.received == []
    assert refused.status is DeliveryStatus.PENDING  # retried: the operator may allow it
    assert refused.last_error is not None
    assert "internal" in refused.last_error
