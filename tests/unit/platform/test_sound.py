"""The chime: our own file, played by whatever player the platform has."""

from __future__ import annotations

import wave
from pathlib import Path

from unclench.platform.sound import chime_path, player_command


def test_the_chime_is_a_short_quiet_wav() -> None:
    with wave.open(str(chime_path())) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    assert 0.5 < seconds < 2.0
    peak = max(
        abs(int.from_bytes(frames[i : i + 2], "little", signed=True))
        for i in range(0, len(frames), 2)
    )
    assert peak < 0.5 * 32767  # a nudge, not an alarm


def test_linux_prefers_pipewire_then_pulse_then_alsa() -> None:
    path = Path("/x/chime.wav")
    have = {"paplay": "/usr/bin/paplay", "aplay": "/usr/bin/aplay"}
    assert player_command(path, "linux", have.get) == ["/usr/bin/paplay", str(path)]
    assert player_command(path, "linux", {"aplay": "/bin/aplay"}.get) == [
        "/bin/aplay",
        "-q",
        str(path),
    ]
    nothing: dict[str, str] = {}
    assert player_command(path, "linux", nothing.get) is None


def test_macos_uses_afplay() -> None:
    path = Path("/x/chime.wav")
    assert player_command(path, "darwin", {"afplay": "/usr/bin/afplay"}.get) == [
        "/usr/bin/afplay",
        str(path),
    ]
