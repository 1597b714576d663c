"""The macOS LaunchAgent backend, in a temporary LaunchAgents folder."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from unclench.platform.autostart import AutostartError
from unclench.platform.autostart_macos import LABEL, LaunchAgent

COMMAND = ["/Applications/Unclench.app/Contents/MacOS/unclench"]


@pytest.fixture
def agent(tmp_path: Path) -> LaunchAgent:
    return LaunchAgent(tmp_path / "LaunchAgents")


def test_enable_writes_an_agent_that_runs_at_login(agent: LaunchAgent) -> None:
    agent.enable(COMMAND)
    plist = plistlib.loads(agent.path.read_bytes())
    assert plist["Label"] == LABEL
    assert plist["ProgramArguments"] == COMMAND
    assert plist["RunAtLoad"] is True
    assert plist["KeepAlive"] is False
    assert agent.path.name == f"{LABEL}.plist"
    assert agent.is_enabled()


def test_disable_removes_exactly_the_agent(agent: LaunchAgent) -> None:
    agent.path.parent.mkdir()
    other = agent.path.parent / "com.example.other.plist"
    other.write_bytes(plistlib.dumps({"Label": "com.example.other"}))
    agent.enable(COMMAND)
    agent.disable()
    assert [p.name for p in agent.path.parent.iterdir()] == [other.name]


def test_a_foreign_plist_under_our_name_is_left_alone(agent: LaunchAgent) -> None:
    agent.path.parent.mkdir()
    agent.path.write_bytes(plistlib.dumps({"Label": "someone.else"}))
    agent.disable()
    assert agent.path.exists()
    with pytest.raises(AutostartError, match="not made by Unclench"):
        agent.enable(COMMAND)


def test_an_unreadable_plist_is_not_ours(agent: LaunchAgent) -> None:
    agent.path.parent.mkdir()
    agent.path.write_bytes(b"not a plist")
    assert not agent.is_enabled()
