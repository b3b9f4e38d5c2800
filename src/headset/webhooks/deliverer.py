"""Sends due webhook deliveries over HTTP, signed, and records each attempt's outcome."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import httpx

from headset.access.addresses import InternalAddress, check_public_host_async
from headset.core.clock import Clock
from headset.webhooks.model import Delivery, DeliveryStore, Outcome, Webhook
from headset.webhooks.schedule import RetryPolicy, next_attempt_at
from headset.webhooks.signing import SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

USER_AGENT = "Headset-Webhooks"
#: How much of a refusing receiver's answer is kept in `last_error`.
RESPONSE_EXCERPT_BYTES = 200


class WebhookDeliverer:
    """Delivers every due delivery once per `run_once`; a bad endpoint never raises.

    The store is synchronous (the SQL adapter), so its calls run in worker threads through
    `asyncio.to_thread` and never block the event loop; each call must therefore open its
    own session. Up to `concurrency` requests are in flight at once.
    """

    def __init__(
        self,
        store: DeliveryStore,
        clock: Clock,
        client: httpx.AsyncClient,
        policy: RetryPolicy | None = None,
        request_timeout: timedelta = timedelta(seconds=10),
        batch_size: int = 100,
        concurrency: int = 10,
        *,
        allow_internal: bool = False,
    ) -> None:
        self._store = store
        self._clock = clock
        self._client = client
        self._policy = policy or RetryPolicy()
        self._request_timeout = request_timeout
        self._batch_size = batch_size
        self._slots = asyncio.Semaphore(concurrency)
        #: Internal addresses are refused unless the operator allows them (targets.py).
        self._allow_internal = allow_internal

    async def run_once(self) -> int:
        """Attempts every delivery due now (at most `batch_size`); returns how many."""
        due = await asyncio.to_thread(self._store.due, self._clock.now(), self._batch_size)
        webhooks: dict[str, Webhook | None] = {}
        for delivery in due:
            if delivery.webhook_id not in webhooks:
                webhooks[delivery.webhook_id] = await asyncio.to_thread(
                    self._store.webhook, delivery.webhook_id
                )
        results = await asyncio.gather(
            *(self._attempt(d, webhooks[d.webhook_id]) for d in due), return_exceptions=True
        )
        # Only the store can fail here (endpoints cannot): let every attempt finish recording
        # first, then report the first failure to the caller.
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            raise failures[0]
        return len(due)

    async def run_forever(self, poll_interval: timedelta = timedelta(seconds=1)) -> None:
        """Runs `run_once` until cancelled, pausing `poll_interval` when nothing more is due."""
        while True:
            try:
                attempted = await self.run_once()
            except Exception:
                # The store (the database) failed, not an endpoint: log and try again later.
                logger.exception("webhook delivery round failed")
                attempted = 0
            if attempted < self._batch_size:
                await asyncio.sleep(poll_interval.total_seconds())

    async def _attempt(self, delivery: Delivery, webhook: Webhook | None) -> None:
        attempt = delivery.attempt + 1
        if webhook is None or not webhook.is_active:
            why = "was deleted" if webhook is None else "is deactivated"
            outcome = Outcome.unsuccessful(attempt, self._clock.now(), None, f"webhook {why}")
        else:
            async with self._slots:
                outcome = await self._post(delivery, webhook, attempt)
        await asyncio.to_thread(self._store.record, delivery.delivery_id, outcome)

    async def _post(self, delivery: Delivery, webhook: Webhook, attempt: int) -> Outcome:
        sent_at = self._clock.now()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(webhook.secret, int(sent_at.timestamp()), delivery.body),
            "Headset-Event": delivery.event_type,
            "Headset-Delivery": delivery.delivery_id,
            "Headset-Attempt": str(attempt),
        }
        status_code: int | None = None
        try:
            if not self._allow_internal:
                url = httpx.URL(webhook.url)
                port = url.port or (443 if url.scheme == "https" else 80)
                await check_public_host_async(url.host, port)
            # Streamed so that a receiver answering with a huge body costs us nothing.
            async with self._client.stream(
                "POST",
                webhook.url,
                content=delivery.body,
                headers=headers,
                timeout=self._request_timeout.total_seconds(),
                follow_redirects=False,
            ) as response:
                status_code = response.status_code
                if response.is_success:
                    return Outcome.delivered(attempt, self._clock.now(), status_code)
                error = f"HTTP {status_code}: {await _excerpt(response)}"
        except InternalAddress as refused:
            error = f"refused: {refused}; internal targets are not allowed"
        except httpx.TimeoutException:
            error = f"no answer within {self._request_timeout.total_seconds():g} s"
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except Exception as exc:
            # A bug here must not stop the other deliveries, nor retry forever unseen.
            logger.exception("webhook delivery %s failed unexpectedly", delivery.delivery_id)
            error = f"internal error: {type(exc).__name__}"
        return self._unsuccessful(delivery, attempt, error, status_code)

    def _unsuccessful(
        self, delivery: Delivery, attempt: int, error: str, status_code: int | None
    ) -> Outcome:
        now: datetime = self._clock.now()
        retry_at = next_attempt_at(attempt, now, self._policy, key=delivery.delivery_id)
        if retry_at is None:
            logger.warning(
                "webhook delivery %s failed after %d attempts: %s",
                delivery.delivery_id,
                attempt,
                error,
            )
        return Outcome.unsuccessful(attempt, now, retry_at, error, status_code)


async def _excerpt(response: httpx.Response) -> str:
    """The start of the receiver's answer, read no further than needed."""
    received = b""
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= RESPONSE_EXCERPT_BYTES:
            break
    text = received[:RESPONSE_EXCERPT_BYTES].decode("utf-8", errors="replace").strip()
    return text or "(empty answer)"
