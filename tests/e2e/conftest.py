"""The e2e tests' desktop: a real X session (Xvfb, openbox, trayer) per test module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from unclench_devtools.x11.desktop import Desktop, missing_tools

HERE = Path(__file__).parent


@pytest.hookimpl(optionalhook=True)
def pytest_xvfb_disable(config: pytest.Config) -> bool:
    """Turns pytest-xvfb off when only e2e tests run: they start displays of their own.

    pytest sees this hook only when this folder is on the command line (its conftest then
    loads before plugins configure); a run that also collects the GUI tests keeps the Xvfb
    those need.
    """
    start = config.invocation_params.dir
    paths = [(start / arg.split("::", 1)[0]).resolve() for arg in config.args]
    return bool(paths) and all(path.is_relative_to(HERE) for path in paths)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """A started desktop with a tray, shared by one module's tests.

    Missing tools skip the tests, except on CI (``CI=true``), where e2e must not vanish quietly.
    """
    missing = missing_tools(tray=True)
    if missing:
        reason = f"e2e tests need {', '.join(missing)}; `scripts/dev test` installs the packages"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip(reason)
    with Desktop(tray=True, workdir=tmp_path_factory.mktemp("desktop")) as started:
        yield started


@pytest.fixture(autouse=True)
def _fresh_desktop_per_test(desktop: Desktop) -> Iterator[None]:
    """A test's programs end with it, so the next test starts on a bare desktop."""
    yield
    desktop.stop_programs()
