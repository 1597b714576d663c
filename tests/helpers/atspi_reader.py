"""Reads a running application through AT-SPI, as a screen reader would; prints JSON.

Run by Debian's ``/usr/bin/python3`` (package ``python3-pyatspi``), never imported by the
tests: the venv's Python cannot load Debian's ``gi``. ``tests/helpers/atspi.py`` starts it
with the desktop's ``DISPLAY`` and session bus, through which libatspi finds the a11y bus.

    atspi_reader.py tree (--name NAME | --pid PID) [--wait S]
        One JSON object: the application's accessible tree. Each node has ``role``, ``name``,
        ``description``, ``text`` (None without the Text interface), ``states``,
        ``interfaces``, ``attributes`` and ``children``. Exits 3 if no application matched.
    atspi_reader.py events --seconds S [--type EVENT ...]
        After printing ``{"ready": true}`` once its listeners are registered, one JSON line
        per event received in the next S seconds: ``type``, ``detail1``, ``detail2``,
        ``any_data``, ``source`` (role, name, states) and the sending application's
        ``app_name`` and ``pid``.
    atspi_reader.py apps
        The applications on the registry: a JSON list of ``{"name", "pid"}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import pyatspi  # type: ignore[import-not-found]
from gi.repository import Atspi, GLib  # type: ignore[import-not-found]

#: Pass ``--type object --type window --type focus`` to hear everything but the mouse.
DEFAULT_EVENTS = (
    "object:announcement",
    "object:state-changed:focused",
    "object:state-changed:showing",
    "object:children-changed",
    "object:property-change:accessible-name",
    "window:activate",
    "window:create",
)
NOT_FOUND = 3
MAX_DEPTH = 40


def state_names(acc: Any) -> list[str]:
    try:
        states = acc.getState().getStates()
    except GLib.Error:
        return []
    return sorted(state.value_nick for state in states)


def role_name(acc: Any) -> str:
    try:
        return str(acc.getRoleName())
    except GLib.Error as error:
        return f"<error: {error.message}>"


def text_of(acc: Any) -> str | None:
    try:
        text = acc.queryText()
    except NotImplementedError:
        return None
    return str(text.getText(0, -1))


def node(acc: Any, depth: int = 0) -> dict[str, Any]:
    """One accessible and, recursively, its children."""
    try:
        attributes = dict(acc.get_attributes() or {})
    except GLib.Error:
        attributes = {}
    result: dict[str, Any] = {
        "role": role_name(acc),
        "name": acc.name,
        "description": acc.description,
        "text": text_of(acc),
        "states": state_names(acc),
        "interfaces": sorted(acc.get_interfaces() or []),
        "attributes": attributes,
        "children": [],
    }
    if depth < MAX_DEPTH:
        for index in range(acc.childCount):
            child = acc.getChildAtIndex(index)
            if child is not None:
                result["children"].append(node(child, depth + 1))
    return result


def applications() -> list[Any]:
    desktop = pyatspi.Registry.getDesktop(0)
    return [app for app in (desktop.getChildAtIndex(i) for i in range(desktop.childCount)) if app]


def find_app(name: str | None, pid: int | None) -> Any | None:
    for app in applications():
        try:
            if (pid is not None and app.get_process_id() == pid) or (
                name is not None and app.name == name
            ):
                return app
        except GLib.Error:
            continue  # an application that went away while listed
    return None


def cmd_tree(args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.wait
    while (app := find_app(args.name, args.pid)) is None:
        if time.monotonic() >= deadline:
            seen = [(a.name, a.get_process_id()) for a in applications()]
            print(
                f"no application name={args.name!r} pid={args.pid}; seen: {seen}", file=sys.stderr
            )
            return NOT_FOUND
        time.sleep(0.1)
    tree = node(app)
    tree["pid"] = app.get_process_id()
    print(json.dumps(tree))
    return 0


def cmd_apps(_args: argparse.Namespace) -> int:
    print(json.dumps([{"name": a.name, "pid": a.get_process_id()} for a in applications()]))
    return 0


def plain(value: Any) -> Any:
    """any_data as JSON: strings stay, accessibles become (role, name), others repr()."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Atspi.Accessible):
        return {"role": role_name(value), "name": value.name}
    return repr(value)


def describe_event(event: Any) -> dict[str, Any]:
    source = event.source
    record: dict[str, Any] = {
        "type": str(event.type),
        "detail1": event.detail1,
        "detail2": event.detail2,
        "any_data": plain(event.any_data),
        "time": time.monotonic(),
        "source": None,
        "app_name": None,
        "pid": None,
    }
    if source is not None:
        record["source"] = {
            "role": role_name(source),
            "name": source.name,
            "states": state_names(source),
        }
        try:
            record["app_name"] = source.get_application().name
            record["pid"] = source.get_process_id()
        except GLib.Error:
            pass  # the sender left already
    return record


def cmd_events(args: argparse.Namespace) -> int:
    def on_event(event: Any) -> None:
        print(json.dumps(describe_event(event)), flush=True)

    types = args.type or list(DEFAULT_EVENTS)
    pyatspi.Registry.registerEventListener(on_event, *types)
    # Registering is asynchronous on the registry's side; a round trip makes sure it is done.
    pyatspi.Registry.getDesktop(0).childCount  # noqa: B018
    print(json.dumps({"ready": True, "types": types}), flush=True)
    GLib.timeout_add(int(args.seconds * 1000), lambda: pyatspi.Registry.stop() or False)
    pyatspi.Registry.start()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    tree = modes.add_parser("tree")
    who = tree.add_mutually_exclusive_group(required=True)
    who.add_argument("--name")
    who.add_argument("--pid", type=int)
    tree.add_argument("--wait", type=float, default=5.0, help="seconds to wait for the app")
    events = modes.add_parser("events")
    events.add_argument("--seconds", type=float, required=True)
    events.add_argument("--type", action="append", help="an event type; repeat for more")
    modes.add_parser("apps")
    args = parser.parse_args(argv)
    Atspi.set_timeout(5000, 10000)  # ms: a hung application fails the call instead of us
    handlers = {"tree": cmd_tree, "events": cmd_events, "apps": cmd_apps}
    return handlers[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
