"""A SoftHSM2 token for the PKCS#11 tests, in a temporary folder of its own.

SoftHSM2 comes from Debian's packages (scripts/install-servers); without it the tests fail
loudly rather than skip. The module reads its configuration once per process, so one token
serves the whole session and each test makes keys under labels of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "4711"


@dataclass(frozen=True)
class Token:
    library: str
    label: str
    pin: str

    def new_key_label(self) -> str:
        return f"master-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Token:
    util = shutil.which("softhsm2-util")
    if util is None or not Path(SOFTHSM_LIBRARY).exists():
        pytest.fail("SoftHSM2 is missing: run scripts/install-servers (Debian package softhsm2)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        [util, "--init-token", "--free", "--label", "headset-test", "--pin", PIN,
         "--so-pin", "0000"],
        check=True, capture_output=True,
    )  # fmt: skip
    return Token(SOFTHSM_LIBRARY, "headset-test", PIN)
