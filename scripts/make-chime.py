"""Writes resources/sounds/chime.wav: a soft two-note chime (sine tones, slow fade), 1.2 s.

Kept as a script so the sound is ours, reproducible, and easy to change.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
SECONDS = 1.2
NOTES = ((523.25, 0.0), (659.25, 0.18))  # C5 then E5: a gentle major third
VOLUME = 0.18  # quiet on purpose: a nudge, not an alarm


def sample(t: float) -> float:
    value = 0.0
    for freq, start in NOTES:
        if t >= start:
            age = t - start
            envelope = min(1.0, age / 0.02) * math.exp(-age * 3.2)  # soft attack, long decay
            value += envelope * math.sin(2 * math.pi * freq * age)
    return value * VOLUME


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "resources" / "sounds" / "chime.wav"
    out.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(
        struct.pack("<h", round(max(-1.0, min(1.0, sample(i / RATE))) * 32767))
        for i in range(int(RATE * SECONDS))
    )
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(frames)
    print(out, len(frames), "bytes")


if __name__ == "__main__":
    main()
