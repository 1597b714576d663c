"""The .deb's layout and control file, staged from a stand-in bundle (no dpkg needed)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from unclench import APP_REVERSE_ID, __version__
from unclench.core.i18n import LANGUAGES

from helpers.scripts import INSTALLER, load_installer_script

deb = load_installer_script("deb")


def fake_bundle(tmp_path: Path) -> tuple[Path, Path]:
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    program = bundle / "unclench"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o700)
    (bundle / "_internal" / "libfoo.so").write_text("x")
    icons = tmp_path / "icons"
    for size in ("48x48", "scalable"):
        (icons / "hicolor" / size / "apps").mkdir(parents=True)
        (icons / "hicolor" / size / "apps" / "unclench.png").write_text("png")
    return bundle, icons


def test_staging_puts_each_file_where_the_desktop_looks(tmp_path: Path) -> None:
    bundle, icons = fake_bundle(tmp_path)
    root = tmp_path / "root"
    deb.stage(bundle, icons, root)
    assert (root / "opt/unclench/unclench").is_file()
    assert (root / "usr/bin/unclench").readlink() == Path("/opt/unclench/unclench")
    assert (root / f"usr/share/applications/{APP_REVERSE_ID}.desktop").is_file()
    assert (root / f"usr/share/metainfo/{APP_REVERSE_ID}.metainfo.xml").is_file()
    assert (root / "usr/share/icons/hicolor/48x48/apps/unclench.png").is_file()
    assert (root / "usr/share/doc/unclench/copyright").is_file()


def test_staged_modes_do_not_depend_on_the_build_machine(tmp_path: Path) -> None:
    bundle, icons = fake_bundle(tmp_path)
    root = tmp_path / "root"
    deb.stage(bundle, icons, root)
    assert (root / "opt/unclench/unclench").stat().st_mode & 0o777 == 0o755
    assert (root / "opt/unclench/_internal/libfoo.so").stat().st_mode & 0o777 == 0o644
    assert (root / "usr/share").stat().st_mode & 0o777 == 0o755


def test_control_names_the_package_and_its_needs() -> None:
    text = deb.control_text(version="1.2.3", architecture="amd64", installed_kb=99, libc="2.36")
    fields = dict(line.split(": ", 1) for line in text.splitlines() if not line.startswith(" "))
    assert fields["Package"] == "unclench"
    assert fields["Version"] == "1.2.3"
    assert fields["Installed-Size"] == "99"
    assert fields["Depends"].startswith("libc6 (>= 2.36), ")
    assert "treat" not in text.replace("not a treatment", "")


def test_md5sums_lists_files_but_not_links(tmp_path: Path) -> None:
    bundle, icons = fake_bundle(tmp_path)
    root = tmp_path / "root"
    deb.stage(bundle, icons, root)
    sums = deb.md5sums(root)
    assert "  opt/unclench/unclench\n" in sums
    assert "usr/bin/unclench" not in sums


def test_the_metainfo_names_this_version_as_its_newest_release() -> None:
    text = (INSTALLER / "linux" / f"{APP_REVERSE_ID}.metainfo.xml").read_text()
    assert f'<release version="{__version__}"' in text
    assert f"<id>{APP_REVERSE_ID}</id>" in text


def test_the_menu_entry_and_the_app_use_the_same_id() -> None:
    text = (INSTALLER / "linux" / f"{APP_REVERSE_ID}.desktop").read_text()
    assert "Exec=unclench\n" in text
    assert "Icon=unclench\n" in text


def test_the_metainfo_has_what_software_centers_require() -> None:
    metainfo = INSTALLER / "linux" / f"{APP_REVERSE_ID}.metainfo.xml"
    root = ElementTree.parse(metainfo).getroot()  # noqa: S314 - our own file
    assert root.get("type") == "desktop-application"
    for tag in ("id", "name", "summary", "metadata_license", "project_license", "description"):
        assert (root.findtext(tag) or root.find(tag)) is not None, tag
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.text == f"{APP_REVERSE_ID}.desktop"
    assert (INSTALLER / "linux" / launchable.text).is_file()
    assert root.find("content_rating") is not None
    assert "treats" not in ElementTree.tostring(root, encoding="unicode")


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_the_menu_entry_and_the_summary_speak_every_shipped_language(code: str) -> None:
    entry = (INSTALLER / "linux" / f"{APP_REVERSE_ID}.desktop").read_text(encoding="utf-8")
    assert f"\nComment[{code}]=" in entry
    assert f"\nGenericName[{code}]=" in entry
    metainfo = INSTALLER / "linux" / f"{APP_REVERSE_ID}.metainfo.xml"
    root = ElementTree.parse(metainfo).getroot()  # noqa: S314 - our own file
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    summaries = {s.get(lang): s.text for s in root.findall("summary")}
    assert summaries.get(code)
    assert summaries[code] != summaries[None]
