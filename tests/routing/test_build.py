"""The tests run on the build they mean to: pure Python, or compiled by mypyc.

scripts/test runs the suite on the editable, pure-Python install and then the engine tests
again on the compiled build with HEADSET_EXPECT_COMPILED=1.
"""

from __future__ import annotations

import os

import headset.routing.engine as engine_module


def test_the_engine_build_is_the_one_expected() -> None:
    is_compiled = not engine_module.__file__.endswith(".py")
    assert is_compiled == (os.environ.get("HEADSET_EXPECT_COMPILED") == "1")
