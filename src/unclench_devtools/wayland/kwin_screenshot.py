"""KWin's ScreenShot2 interface, read into a PNG: raw pixels come down a pipe that ``gdbus``
hands KWin as a file descriptor, and are written out as an RGB PNG with no imaging library.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
import zlib
from collections.abc import Mapping
from pathlib import Path

from unclench_devtools.programs import DesktopError

SCREENSHOT = ("org.kde.KWin.ScreenShot2", "/org/kde/KWin/ScreenShot2", "org.kde.KWin.ScreenShot2")


def capture_workspace(env: Mapping[str, str], path: Path) -> Path:
    """The whole screen as a PNG, from KWin's ScreenShot2 (raw pixels down a pipe); ``env``
    reaches KWin's session bus."""
    read_end, write_end = os.pipe()
    # gdbus sends its own fd ``write_end`` as the "h" argument; KWin writes, then closes.
    cmd = [
        "gdbus", "call", "--session", "--dest", SCREENSHOT[0], "--object-path", SCREENSHOT[1],
        "--method", f"{SCREENSHOT[2]}.CaptureWorkspace",
        "{'include-cursor': <false>, 'native-resolution': <true>}", f"handle {write_end}",
    ]  # fmt: skip
    try:
        gdbus = subprocess.Popen(
            cmd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(write_end,),
        )
    finally:
        os.close(write_end)
    try:
        pixels = _read_to_end(read_end, timeout=10.0)
        out, err = gdbus.communicate(timeout=10.0)
    finally:
        os.close(read_end)
        if gdbus.poll() is None:
            gdbus.kill()
            gdbus.wait()
    reply = out.decode(errors="replace")
    if gdbus.returncode != 0:
        raise DesktopError(f"KWin took no screenshot: {err.decode(errors='replace')}")
    width, height, stride, image_format = (
        _uint(reply, key) for key in ("width", "height", "stride", "format")
    )
    # 4, 5, 6: QImage's RGB32, ARGB32 and ARGB32_Premultiplied, 4 bytes a pixel.
    if image_format not in {4, 5, 6} or len(pixels) < stride * height:
        raise DesktopError(f"an unexpected screenshot ({len(pixels)} bytes): {reply}")
    path.write_bytes(_png(pixels, width, height, stride))
    return path


def _uint(reply: str, key: str) -> int:
    found = re.search(rf"'{key}': <uint32 (\d+)>", reply)
    if found is None:
        raise DesktopError(f"KWin's screenshot reply has no {key}: {reply}")
    return int(found[1])


def _read_to_end(fd: int, timeout: float) -> bytes:
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise DesktopError(f"the screenshot took over {timeout} s")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _png(pixels: bytes, width: int, height: int, stride: int) -> bytes:
    """An RGB PNG of Qt's 32-bit little-endian pixels (bytes B, G, R, A or X)."""
    rows = bytearray()
    for y in range(height):
        row = pixels[y * stride : y * stride + width * 4]
        rgb = bytearray(width * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = row[2::4], row[1::4], row[0::4]
        rows += b"\0" + rgb

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + chunk(b"IEND", b"")
    )
