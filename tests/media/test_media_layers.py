"""The hub's pure modules stay free of aiortc and PyAV, so they are tested without media."""

from __future__ import annotations

import pytest

from tests.test_architecture import SRC, _imports

PURE = ("plan", "rfc4733", "dtmf", "pcm", "recording", "sources", "call", "protocol", "settings")


@pytest.mark.parametrize("module", PURE)
def test_pure_media_modules_import_no_media_library(module: str) -> None:
    names = _imports(SRC / "media" / f"{module}.py")
    top_level = {n.split(".")[0] for n in names}
    assert not top_level & {"aiortc", "av", "aioice"}, top_level
    assert not any(
        n.startswith("headset.") and not n.startswith(("headset.core", "headset.media"))
        for n in names
    )
    assert not [n for n in names if n.startswith("headset.media.") and n.split(".")[2] not in PURE]
