"""Where the socket lives: one path per user, in a folder only they can enter."""

from __future__ import annotations

import getpass
import os
import stat
import tempfile
from pathlib import Path

import pytest

from unclench.ipc.address import ensure_private_folder, lock_path, server_address

from helpers.fake_app import private_runtime_dir

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX paths and modes")


@posix_only
def test_the_socket_is_in_the_runtime_folder_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = private_runtime_dir(tmp_path / "rt")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert server_address() == str(runtime / "unclench" / "unclench.sock")
    assert not (runtime / "unclench").exists()


@posix_only
def test_without_xdg_runtime_dir_there_is_still_an_absolute_path_and_no_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    path = server_address()  # the suite turns warnings into errors
    assert Path(path).is_absolute()
    assert path.endswith("/unclench/unclench.sock")


@posix_only
def test_an_unsafe_xdg_runtime_dir_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_folder = tmp_path / "open"
    open_folder.mkdir(mode=0o777)
    open_folder.chmod(0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(open_folder))
    assert not server_address().startswith(str(open_folder))


def test_on_windows_it_is_a_pipe_named_for_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(getpass, "getuser", lambda: "Jo Smith\\ad")
    assert server_address() == "unclench-Jo_Smith_ad"


def test_on_windows_a_missing_user_name_still_gives_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(getpass, "getuser", no_user)
    assert server_address() == "unclench-user"


def test_the_lock_sits_beside_a_socket_or_in_temp_for_a_pipe(tmp_path: Path) -> None:
    sock = tmp_path / "unclench.sock"
    assert lock_path(str(sock)) == tmp_path / "unclench.sock.lock"
    assert lock_path("unclench-jo") == Path(tempfile.gettempdir()) / "unclench-jo.lock"


@posix_only
def test_a_missing_folder_is_created_private_with_its_parents(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    ensure_private_folder(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700


@posix_only
def test_an_open_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o755)
    ensure_private_folder(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@posix_only
def test_a_link_or_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "file").write_text("")
    for path in (tmp_path / "link", tmp_path / "file"):
        with pytest.raises(PermissionError, match="not a folder"):
            ensure_private_folder(path)


@posix_only
@pytest.mark.skipif(os.name == "posix" and os.geteuid() != 0, reason="needs root to chown")
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    with pytest.raises(PermissionError, match="another user"):
        ensure_private_folder(folder)
