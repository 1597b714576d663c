"""A break as a screen reader meets it: read through AT-SPI on a real X desktop.

The app exports its accessible tree on the desktop's accessibility bus; the reader is
Debian's python3-pyatspi (see tests/helpers/atspi.py). Each test reads what Orca would: the
names, descriptions and text of what shows, and the events it would speak.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from unclench.core.break_content import compose
from unclench.core.catalogue import Catalogue, load_catalogue
from unclench.core.settings import AboutMeSettings
from unclench_devtools.programs import Program
from unclench_devtools.x11.desktop import Desktop

from helpers.atspi import AtSpi, Node, find, skip_reason, walk

BREAK_WINDOW = "^Unclench break$"
#: Temples only: every temples break has a safety note for everyone.
SETTINGS = '[techniques]\nareas = ["temples"]\n'


@pytest.fixture
def atspi(desktop: Desktop) -> AtSpi:
    reason = skip_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip(reason)
    return AtSpi(desktop).start()


@pytest.fixture
def unclench(desktop: Desktop, atspi: AtSpi, tmp_path: Path) -> Program:
    config = tmp_path / "home" / ".config" / "unclench"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text(SETTINGS)
    env = atspi.env(home=tmp_path / "home")
    program = desktop.spawn(
        [sys.executable, "-m", "unclench", "--verbose", "--tray", "qt"], env=env, name="unclench"
    )
    desktop.wait_until(
        lambda: cli(desktop, atspi, tmp_path, "status", check=False) is not None,
        timeout=15,
        what="the app to answer on its socket",
    )
    return program


def cli(
    desktop: Desktop, atspi: AtSpi, tmp_path: Path, *args: str, check: bool = True
) -> str | None:
    result = desktop.run(
        [sys.executable, "-m", "unclench", *args],
        env=atspi.env(home=tmp_path / "home"),
        check=check,
        timeout=15,
    )
    return result.stdout if result.returncode == 0 else None


def _showing(tree: Node) -> list[Node]:
    return [n for n in walk(tree) if "showing" in (n["states"] or [])]


def _words(nodes: list[Node]) -> str:
    return "\n".join(str(n.get(key) or "") for n in nodes for key in ("name", "text"))


def _break_node(tree: Node) -> Node:
    [window] = [n for n in walk(tree) if n["name"] == "Unclench break" and n["role"] != "label"]
    return window


def _shown_technique(catalogue: Catalogue, words: str) -> str:
    titles = [t.id for t in catalogue.in_area("temples") if t.title in words.splitlines()]
    assert len(titles) == 1, titles
    return titles[0]


def test_every_word_of_a_break_reaches_a_screen_reader(
    desktop: Desktop, atspi: AtSpi, unclench: Program, tmp_path: Path
) -> None:
    cli(desktop, atspi, tmp_path, "now")
    desktop.wait_for_window(name=BREAK_WINDOW, timeout=10)
    tree = atspi.read_tree(pid=unclench.pid)
    window = _break_node(tree)
    assert window["role"] == "notification"  # not a plain "filler": something arrived
    shown = _showing(window)
    words = _words(shown)
    catalogue = load_catalogue()
    technique = catalogue.get(_shown_technique(catalogue, words))
    assert technique is not None
    content = compose(catalogue, technique, AboutMeSettings())
    lines = words.splitlines()
    assert "TEMPLES" in lines
    for step in content.steps:
        assert step in lines, step
    assert "  ".join(content.cautions) in lines  # the safety note's own words
    assert content.stop_rule in lines
    assert "1:00" in lines or f"0:{technique.seconds:02d}" in lines  # the time left
    # The check-in and the buttons are named for what they do.
    assert "Right now, how tense or stressed do you feel?" in lines
    assert find(window, role="check box", name="0 out of 10, not at all tense")
    for name in ("Start the timer", "Skip this break", "Show another technique"):
        assert find(window, role="push button", name=name), name
    assert "Step 1" not in lines  # no placeholder hides a step's words


def test_a_break_is_announced_and_the_focus_stays_where_it_was(
    desktop: Desktop, atspi: AtSpi, unclench: Program, tmp_path: Path
) -> None:
    term = desktop.start_xterm("writing", cwd=tmp_path)
    listener = atspi.listen(seconds=60, types=("object:announcement",))
    cli(desktop, atspi, tmp_path, "now")
    desktop.wait_for_window(name=BREAK_WINDOW, timeout=10)
    said = listener.wait_for(lambda e: e["type"] == "object:announcement", timeout=10)
    assert said["any_data"].startswith("Time for a break: Temples, ")
    assert said["source"]["role"] == "notification"
    assert desktop.watch_focus(1.0) == {term}
    listener.stop()


def test_settings_read_out_its_choices_about_me_included(
    desktop: Desktop, atspi: AtSpi, unclench: Program, tmp_path: Path
) -> None:
    cli(desktop, atspi, tmp_path, "settings")
    desktop.wait_for_window(name="^Unclench Settings$", timeout=10)
    tree = atspi.read_tree(pid=unclench.pid)
    boxes = {n["name"] for n in walk(tree) if n["role"] == "check box"}
    for name in (
        "Temples",
        "Show only the cautions that apply to me",
        "I am pregnant",
        "I have had a blood clot",
    ):
        assert name in boxes, name
    spins = {n["name"] for n in walk(tree) if n["role"] == "spin button"}
    assert "Time away that counts as a break" in spins


def test_history_reads_out_its_sentences_and_what_its_charts_show(
    desktop: Desktop, atspi: AtSpi, unclench: Program, tmp_path: Path
) -> None:
    cli(desktop, atspi, tmp_path, "history")
    desktop.wait_for_window(name="^Unclench History$", timeout=10)
    tree = atspi.read_tree(pid=unclench.pid)
    lines = _words(_showing(tree)).splitlines()
    assert "No breaks in the last 30 days yet. They will show up here as they come." in lines
    # The chart (beside its heading of the same name) says in words what its bars show.
    assert [n for n in find(tree, name="Breaks per day") if n["description"]]
    assert find(tree, role="table", name="Breaks in this period")
    for name in ("Export all breaks as CSV", "Show the last 7 days"):
        assert find(tree, name=name), name
