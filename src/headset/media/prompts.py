"""Prompts spoken by espeak-ng (a Debian package), generated once into a cache folder.

A prompt is named by its text and voice; the WAV is cached under a digest of both, so an
IVR step or a queue announcement costs one espeak-ng run the first time and a file read
after that. Uploaded audio files go through the same `read_wav` path.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from headset.core.errors import Invalid
from headset.media.frames import read_wav
from headset.media.pcm import Samples

_MAX_TEXT = 2000


class PromptCache:
    """Spoken prompts as hub-rate PCM, generated on first use."""

    def __init__(self, folder: Path, espeak: str = "espeak-ng") -> None:
        self.folder = folder
        self._espeak = espeak
        self._loaded: dict[Path, Samples] = {}

    def path_for(self, text: str, voice: str = "en") -> Path:
        """The cached WAV for this text, generating it if it is not there yet."""
        if not text.strip() or len(text) > _MAX_TEXT:
            raise Invalid(f"a prompt needs 1-{_MAX_TEXT} characters of text")
        if not voice.replace("-", "").replace("+", "").isalnum():
            raise Invalid(f"{voice!r} is not an espeak-ng voice name")
        digest = hashlib.sha256(f"{voice}\0{text}".encode()).hexdigest()[:32]
        path = self.folder / f"{digest}.wav"
        if not path.exists():
            binary = shutil.which(self._espeak)
            if binary is None:
                raise Invalid("espeak-ng is not installed (scripts/install-servers adds it)")
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            # text after `--` so a prompt starting with "-" is never read as an option
            subprocess.run(
                [binary, "-v", voice, "-w", str(partial), "--", text],
                check=True,
                capture_output=True,
                timeout=30,
            )
            partial.replace(path)
        return path

    def samples(self, text: str, voice: str = "en") -> Samples:
        path = self.path_for(text, voice)
        if path not in self._loaded:
            self._loaded[path] = read_wav(path)
        return self._loaded[path]
