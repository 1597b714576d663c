"""Make the Debian package from a built bundle: ``/opt/unclench`` plus the desktop files.

    uv run python installer/deb.py BUNDLE_DIR ICONS_DIR OUT_DIR

(``installer/build.py`` calls it after PyInstaller.) The package holds:

- ``/opt/unclench/``: the PyInstaller bundle, as built;
- ``/usr/bin/unclench``: a link to the bundle's program, so ``unclench`` is on PATH;
- ``/usr/share/applications/`` and ``/usr/share/metainfo/``: the menu entry and the
  AppStream data that software centers show;
- ``/usr/share/icons/hicolor/``: the icon at every theme size, plus the SVG;
- ``/usr/share/doc/unclench/copyright``.

It has no maintainer scripts: dpkg's own triggers (from hicolor-icon-theme and
desktop-file-utils) refresh the icon and menu caches, and removal deletes exactly the files
listed. Nothing is written to anyone's home folder, so there is nothing to purge there.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINUX = HERE / "linux"
APP_REVERSE_ID = "io.github.unclench.Unclench"
PACKAGE = "unclench"
PREFIX = Path("opt") / PACKAGE
#: A reserved domain: the package needs an address, and the project has none yet.
MAINTAINER = "The Unclench team <packages@unclench.invalid>"
#: Qt draws through the system's OpenGL libraries, which PyInstaller never copies (they
#: must match the graphics driver); the chime plays through whichever player is there.
# libX11 and libXss are opened at run time for idle time and the full-screen check
# (platform/xlib_ctypes.py), so the bundle's analysis cannot see them: the system provides them.
DEPENDS = ("libgl1", "libegl1", "libx11-6", "libxss1")
RECOMMENDS = ("pipewire-bin | pulseaudio-utils | alsa-utils",)


def control_text(*, version: str, architecture: str, installed_kb: int, libc: str) -> str:
    """The ``DEBIAN/control`` file."""
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": architecture,
        "Maintainer": MAINTAINER,
        "Installed-Size": str(installed_kb),
        # The bundle links against the C library of the machine it was built on.
        "Depends": ", ".join((f"libc6 (>= {libc})", *DEPENDS)),
        "Recommends": ", ".join(RECOMMENDS),
        "Section": "utils",
        "Priority": "optional",
        "Description": "short self-massage breaks after active screen time\n"
        " Unclench sits in the tray and counts active screen time. After a stretch of it,\n"
        " it offers one short self-massage technique with a few plain steps and a timer.\n"
        " It helps you relax and take a break; it is not a treatment for any condition.\n"
        " .\n"
        " This package carries its own Python and Qt under /opt/unclench.",
    }
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def stage(bundle: Path, icons: Path, root: Path) -> None:
    """Lay out the package's files under ``root`` as they will be installed."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / PREFIX, symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / PACKAGE).symlink_to(Path("/") / PREFIX / PACKAGE)
    share = root / "usr" / "share"
    _copy(LINUX / f"{APP_REVERSE_ID}.desktop", share / "applications")
    _copy(LINUX / f"{APP_REVERSE_ID}.metainfo.xml", share / "metainfo")
    _copy(LINUX / "copyright", share / "doc" / PACKAGE)
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")
    _normalise_modes(root)


def _copy(source: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, folder / source.name)


def _normalise_modes(root: Path) -> None:
    """0755 for folders and programs, 0644 for the rest, whatever the build machine's umask."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or os.access(path, os.X_OK)
        path.chmod(0o755 if executable else 0o644)


def installed_kb(root: Path) -> int:
    return (
        sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
        + 1
    )


def md5sums(root: Path) -> str:
    """``DEBIAN/md5sums``: lets ``dpkg --verify`` check the installed files."""
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - dpkg's format
            lines.append(f"{digest}  {path.relative_to(root).as_posix()}\n")
    return "".join(lines)


def build(bundle: Path, icons: Path, out_dir: Path, *, version: str) -> Path:
    """Stage and pack; returns the ``.deb``."""
    root = out_dir / "deb-root"
    stage(bundle, icons, root)
    control_dir = root / "DEBIAN"
    control_dir.mkdir()
    architecture = _run("dpkg", "--print-architecture")
    (control_dir / "control").write_text(
        control_text(
            version=version,
            architecture=architecture,
            installed_kb=installed_kb(root),
            libc=_libc_version(),
        )
    )
    (control_dir / "md5sums").write_text(md5sums(root))
    for path in control_dir.iterdir():
        path.chmod(0o644)
    deb = out_dir / f"{PACKAGE}_{version}_{architecture}.deb"
    # xz: a third smaller than gzip for this bundle; every dpkg since Debian 6 reads it.
    _run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb))
    shutil.rmtree(root)
    return deb


def _libc_version() -> str:
    name, _, version = (os.confstr("CS_GNU_LIBC_VERSION") or "").partition(" ")  # glibc 2.36
    if name != "glibc" or not version:
        raise RuntimeError("a .deb needs a glibc build machine")
    return version


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("bundle", type=Path, help="the PyInstaller onedir folder")
    parser.add_argument("icons", type=Path, help="the folder installer/icons.py wrote")
    parser.add_argument("out", type=Path, help="where to write the .deb")
    parser.add_argument("--version", required=True, help="the package version")
    args = parser.parse_args(argv)
    print(build(args.bundle, args.icons, args.out, version=args.version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
