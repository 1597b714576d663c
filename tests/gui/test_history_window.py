"""The History window over a seeded month: charts, summary, exports and deleting."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from unclench.core.catalogue import Catalogue, Technique, load_catalogue
from unclench.core.history import BreakRecord, History
from unclench.core.history_report import CSV_COLUMNS, build_report
from unclench.core.local_zone import LOCAL
from unclench.core.scheduler import Outcome
from unclench.ui.history_window import HistoryWindow
from unclench_devtools.sample_history import fill

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

ZONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 25, 17, 30, tzinfo=ZONE)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "history.sqlite3") as opened:
        fill(opened, NOW, days=95)
        yield opened


class Answers:
    """Stands in for the dialogs: records the questions, gives set answers."""

    def __init__(self, yes: bool = True, path: Path | None = None) -> None:
        self.yes = yes
        self.path = path
        self.asked: list[str] = []

    def confirm(self, parent: object, title: str, text: str) -> bool:
        self.asked.append(text)
        return self.yes

    def choose(self, parent: object, title: str, name: str, filter_: str) -> Path | None:
        self.asked.append(name)
        return self.path


def make(
    qtbot: QtBot, history: History | None, catalogue: Catalogue, answers: Answers
) -> HistoryWindow:
    window = HistoryWindow(
        history, catalogue, now=lambda: NOW, confirm=answers.confirm, choose_file=answers.choose
    )
    qtbot.addWidget(window)
    return window


def shown(qtbot: QtBot, window: HistoryWindow) -> HistoryWindow:
    window.show()
    qtbot.waitExposed(window)
    return window


def painted(widget: object) -> QImage:
    image: QImage = widget.grab().toImage()  # type: ignore[attr-defined]
    return image


def distinct_colors(image: QImage) -> int:
    colors = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            colors.add(image.pixel(x, y))
    return len(colors)


def test_the_summary_and_charts_follow_the_chosen_period(
    qtbot: QtBot, history: History, catalogue: Catalogue
) -> None:
    window = make(qtbot, history, catalogue, Answers())
    window.show()
    assert window.days == 30
    expected = build_report(
        history.all(),
        now=NOW,
        days=30,
        area_name=lambda a: catalogue.area(a).name,  # type: ignore[union-attr]
        area_order=[a.id for a in catalogue.areas],
    )
    assert window.summary.text() == "\n".join(expected.summary)
    standout = expected.standout
    assert standout is not None
    assert window.summary.text().endswith(
        f"Biggest average drop: {standout.name}, "
        f"{float(standout.average_drop):.1f} points over {standout.breaks} breaks."
    )
    assert window.daily_chart.days == expected.per_day
    assert len(window.daily_chart.days) == 30
    assert {a.area for a in window.area_chart.areas} == {
        a.area for a in expected.per_area if a.relief is not None
    }
    thirty_rows = window.table.rowCount()
    assert thirty_rows == expected.totals().total

    window.period_buttons[7].click()
    assert window.days == 7
    assert len(window.daily_chart.days) == 7
    assert window.summary.text().startswith("In the last 7 days:")
    assert window.table.rowCount() < thirty_rows
    window.period_buttons[90].click()
    assert len(window.daily_chart.days) == 90
    assert window.table.rowCount() > thirty_rows


def test_the_charts_draw_bars_in_the_series_colors(
    qtbot: QtBot, history: History, catalogue: Catalogue
) -> None:
    window = shown(qtbot, make(qtbot, history, catalogue, Answers()))
    daily = painted(window.daily_chart)
    areas = painted(window.area_chart)
    accent = window.palette().color(window.palette().ColorRole.Highlight).rgb()
    assert distinct_colors(daily) > 3
    assert accent in {
        daily.pixel(x, y) for x in range(daily.width()) for y in range(daily.height())
    }
    assert accent in {
        areas.pixel(x, y) for x in range(areas.width()) for y in range(areas.height())
    }
    described = window.area_chart.accessibleDescription()
    assert "Neck and shoulders:" in described


def test_an_empty_history_says_so_and_offers_nothing_to_export(
    qtbot: QtBot, tmp_path: Path, catalogue: Catalogue
) -> None:
    with History.open(tmp_path / "empty.sqlite3") as empty:
        window = make(qtbot, empty, catalogue, Answers())
        assert window.summary.text().startswith("No breaks in the last 30 days yet.")
        assert window.daily_chart.peak == 0
        assert window.area_chart.areas == ()
        assert not window.csv_button.isEnabled()
        assert not window.delete_button.isEnabled()


def test_a_missing_history_shows_a_message_instead_of_failing(
    qtbot: QtBot, catalogue: Catalogue
) -> None:
    window = make(qtbot, None, catalogue, Answers())
    assert "cannot be read" in window.summary.text()
    assert not window.json_button.isEnabled()


def test_csv_export_writes_every_break(
    qtbot: QtBot, history: History, catalogue: Catalogue, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "history.csv"
    answers = Answers(path=target)
    window = make(qtbot, history, catalogue, answers)
    window.csv_button.click()
    assert answers.asked == ["unclench-history.csv"]
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS
    everything = history.all()
    assert len(rows) == len(everything)
    assert [int(r["id"]) for r in rows] == [r.id for r in everything]
    rated = next(r for r in everything if r.tension_after is not None)
    row = next(r for r in rows if int(r["id"]) == rated.id)
    assert (row["tension_before"], row["tension_after"]) == (
        str(rated.tension_before),
        str(rated.tension_after),
    )
    assert f"Saved to {target}" in window.status.text()


def test_json_export_has_the_summary_and_every_break(
    qtbot: QtBot, history: History, catalogue: Catalogue, tmp_path: Path
) -> None:
    target = tmp_path / "history.json"
    window = make(qtbot, history, catalogue, Answers(path=target))
    window.period_buttons[7].click()
    window.json_button.click()
    data = json.loads(target.read_text())
    assert data["days"] == 7
    assert data["to"] == "2026-11-25"
    assert data["summary"] == window.summary.text().split("\n")
    assert len(data["breaks"]) == history.count()
    assert {b["outcome"] for b in data["breaks"]} <= {o.value for o in Outcome}
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0  # check-ins are private, exported or not


def test_a_canceled_export_writes_nothing(
    qtbot: QtBot, history: History, catalogue: Catalogue, tmp_path: Path
) -> None:
    window = make(qtbot, history, catalogue, Answers(path=None))
    window.csv_button.click()
    window.json_button.click()
    assert not [p for p in tmp_path.iterdir() if p.suffix in {".csv", ".json"}]
    assert not window.status.isVisible()


def test_an_export_that_cannot_be_written_says_why(
    qtbot: QtBot, history: History, catalogue: Catalogue, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    window = make(qtbot, history, catalogue, Answers(path=blocker / "history.csv"))
    window.show()
    window.csv_button.click()
    assert window.status.isVisible()
    assert "could not be saved" in window.status.text()


def test_delete_all_asks_first_and_cancel_keeps_everything(
    qtbot: QtBot, history: History, catalogue: Catalogue
) -> None:
    count = history.count()
    answers = Answers(yes=False)
    window = make(qtbot, history, catalogue, answers)
    window.delete_button.click()
    assert answers.asked
    assert f"That is {count} breaks, with any check-ins." in answers.asked[0]
    assert history.count() == count


def test_one_break_is_counted_in_the_singular_when_deleting(
    qtbot: QtBot, tmp_path: Path, catalogue: Catalogue
) -> None:
    with History.open(tmp_path / "one.sqlite3") as history:
        history.add(BreakRecord(started_at=NOW - timedelta(hours=1), outcome=Outcome.DONE))
        answers = Answers(yes=True)
        window = make(qtbot, history, catalogue, answers)
        window.delete_button.click()
        assert "That is 1 break, with any check-ins." in answers.asked[0]
        assert window.status.text() == "Deleted 1 break. The history starts afresh."


def test_no_area_is_named_when_none_stands_out(
    qtbot: QtBot, tmp_path: Path, catalogue: Catalogue
) -> None:
    with History.open(tmp_path / "few.sqlite3") as history:
        for hours in (1, 2):  # a big drop, but over too few breaks
            history.add(
                BreakRecord(
                    started_at=NOW - timedelta(hours=hours),
                    outcome=Outcome.DONE,
                    area="hands",
                    tension_before=8,
                    tension_after=2,
                )
            )
        window = make(qtbot, history, catalogue, Answers())
        assert window.summary.text().split("\n")[-1] == "No area stands out yet."


def test_delete_all_empties_the_history_and_the_window(
    qtbot: QtBot, history: History, catalogue: Catalogue
) -> None:
    window = make(qtbot, history, catalogue, Answers(yes=True))
    with qtbot.waitSignal(window.deleted):
        window.delete_button.click()
    assert history.count() == 0
    assert window.table.rowCount() == 0
    assert window.daily_chart.peak == 0
    assert window.summary.text().startswith("No breaks")
    assert not window.delete_button.isEnabled()


def test_the_window_never_speaks_of_streaks_or_scores(
    qtbot: QtBot, history: History, catalogue: Catalogue
) -> None:
    window = make(qtbot, history, catalogue, Answers())
    for days in (7, 30, 90):
        window.set_period(days)
        words = set(re.findall(r"[a-z]+", window.summary.text().lower()))
        assert not words & {"streak", "streaks", "score", "missed", "failed", "should"}


def test_a_new_catalogue_renames_the_techniques_in_the_table(
    qtbot: QtBot, tmp_path: Path, catalogue: Catalogue
) -> None:
    """One of the person's own techniques, added while the window is open, shows by name."""
    mine = Technique(
        id="own-shoulder-drop-1",
        area="neck_shoulders",
        title="Shoulder drop",
        steps=("Lift.", "Drop."),
        seconds=45,
        custom=True,
    )
    with History.open(tmp_path / "h.sqlite3") as history:
        history.add(
            BreakRecord(
                started_at=NOW - timedelta(hours=1),
                outcome=Outcome.DONE,
                technique_id=mine.id,
                area=mine.area,
            )
        )
        window = make(qtbot, history, catalogue, Answers())

        def technique_cell() -> str:
            item = window.table.item(0, 2)
            assert item is not None
            return item.text()

        assert technique_cell() == mine.id
        window.set_catalogue(catalogue.with_techniques([mine]))
        assert technique_cell() == "Shoulder drop"


def test_each_break_shows_the_hour_it_had_whatever_the_season(
    qtbot: QtBot, tmp_path: Path, catalogue: Catalogue, central_europe: None
) -> None:
    with History.open(tmp_path / "seasons.sqlite3") as history:
        for moment in (
            datetime(2026, 3, 28, 22, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
        ):
            history.add(BreakRecord(started_at=moment, outcome=Outcome.DONE, area="hands"))
        window = HistoryWindow(
            history, catalogue, now=lambda: datetime(2026, 4, 2, 12, tzinfo=LOCAL)
        )
        qtbot.addWidget(window)
        window.set_period(7)
        items = [window.table.item(row, 0) for row in range(window.table.rowCount())]
        assert [item.text() for item in items if item] == ["Sun 29 Mar, 09:00", "Sat 28 Mar, 23:30"]
        assert window.report is not None
        per_day = {day.day.isoformat(): day.done for day in window.report.per_day}
        assert (per_day["2026-03-28"], per_day["2026-03-29"]) == (1, 1)


def test_esc_or_closing_only_hides_it_and_it_fits_the_screen(
    qtbot: QtBot, history: History, catalogue: Catalogue
) -> None:
    window = shown(qtbot, make(qtbot, history, catalogue, Answers()))
    screen = window.screen()
    assert screen is not None
    room = screen.availableGeometry()
    assert window.width() <= room.width()
    assert window.height() <= room.height()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()
    window.show()
    window.close()
    assert not window.isVisible()
    assert window.table.rowCount() > 0  # still the same window, with what it showed
