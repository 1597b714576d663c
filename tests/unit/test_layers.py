"""The layers stay layers: every import in src/unclench is read and checked against the rules.

core imports only core; ui never imports platform, nor platform ui; ipc never imports ui.
``app.py`` and the other top-level modules wire the layers together and may import any. The
package root (``unclench``: the app's name and version) is open to all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import unclench

SOURCE = Path(unclench.__file__).parent
#: (importing layer, imported layer) pairs that are not allowed.
FORBIDDEN = {
    ("core", "platform"),
    ("core", "ui"),
    ("core", "ipc"),
    ("core", "app"),
    ("ui", "platform"),
    ("platform", "ui"),
    ("ipc", "ui"),
}
LAYERS = ("core", "ui", "platform", "ipc")


def layer_of(module: str) -> str | None:
    """``unclench.core.x`` → ``core``; a top-level module → ``app``; the root → ``None``."""
    parts = module.split(".")
    if parts[0] != "unclench" or len(parts) == 1:
        return None
    return parts[1] if parts[1] in LAYERS else "app"


def imported_modules(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """Every module an import statement names, at any depth (lazy imports count too)."""
    package = module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # "from unclench import platform" imports a layer by its name
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def violations(source: Path) -> list[str]:
    problems = []
    for path in sorted(source.rglob("*.py")):
        parts = path.relative_to(source.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mine = layer_of(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, imported in imported_modules(tree, module):
            theirs = layer_of(imported)
            if theirs is not None and (mine, theirs) in FORBIDDEN:
                problems.append(f"{path.relative_to(source.parent)}:{line}: {mine} → {imported}")
    return sorted(set(problems))


def test_no_layer_imports_what_it_must_not() -> None:
    assert violations(SOURCE) == []


def test_the_check_finds_a_forbidden_import(tmp_path: Path) -> None:
    """The control: a copy of the source with one forbidden import in each way is caught."""
    copy = tmp_path / "unclench"
    for path in SOURCE.rglob("*.py"):
        target = copy / path.relative_to(SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (copy / "core" / "bad.py").write_text("from unclench.platform import idle\n")
    (copy / "ui" / "bad.py").write_text("def f():\n    import unclench.platform.sound\n")
    (copy / "platform" / "bad.py").write_text("from ..ui import tray\n")
    (copy / "ipc" / "bad.py").write_text("from unclench import ui\n")
    found = violations(copy)
    assert {line.split(":")[0] for line in found} == {
        f"unclench/{layer}/bad.py" for layer in ("core", "ui", "platform", "ipc")
    }, found
