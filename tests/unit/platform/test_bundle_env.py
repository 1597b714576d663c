"""Programs a bundle starts get the person's library path, not the bundle's."""

from __future__ import annotations

from unclench.platform.bundle_env import restore_for_children


def test_a_bundle_puts_back_the_path_it_replaced() -> None:
    env = {"LD_LIBRARY_PATH": "/opt/unclench/_internal", "LD_LIBRARY_PATH_ORIG": "/usr/local/lib"}
    restore_for_children(env, frozen=True)
    assert env == {"LD_LIBRARY_PATH": "/usr/local/lib"}


def test_a_bundle_started_without_a_path_leaves_none() -> None:
    env = {"LD_LIBRARY_PATH": "/opt/unclench/_internal", "HOME": "/home/ann"}
    restore_for_children(env, frozen=True)
    assert env == {"HOME": "/home/ann"}


def test_from_source_nothing_changes() -> None:
    env = {"LD_LIBRARY_PATH": "/home/ann/lib"}
    restore_for_children(env, frozen=False)
    assert env == {"LD_LIBRARY_PATH": "/home/ann/lib"}
