"""make_bus: the backend follows the URL's scheme."""

from __future__ import annotations

import pytest

from headset.bus import MemoryBus, make_bus
from headset.bus.redis import RedisBus
from headset.core.errors import Invalid


def test_memory_url_gives_the_in_process_bus() -> None:
    assert isinstance(make_bus("memory://"), MemoryBus)


@pytest.mark.parametrize("url", ["redis://localhost:6379/0", "rediss://cache.example:6380/1"])
def test_redis_urls_give_the_redis_bus(url: str) -> None:
    assert isinstance(make_bus(url), RedisBus)


@pytest.mark.parametrize("url", ["kafka://broker:9092", "localhost:6379", "", "memory:"])
def test_other_urls_are_refused_with_the_supported_schemes(url: str) -> None:
    with pytest.raises(Invalid, match=r"memory://, redis://, rediss://"):
        make_bus(url)


def test_the_refusal_never_echoes_a_password() -> None:
    with pytest.raises(Invalid) as refused:
        make_bus("amqp://user:s3cret@broker/")
    assert "s3cret" not in str(refused.value)
