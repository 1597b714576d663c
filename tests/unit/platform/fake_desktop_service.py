"""A stand-in desktop on a private D-Bus, run as a child process by the platform tests.

    python fake_desktop_service.py ADDRESS SPEC...

Each SPEC is ``SERVICE:PATH:INTERFACE.METHOD=ANSWER``: the program owns SERVICE and answers
METHOD at PATH with the integer ANSWER, or with a NotSupported error when ANSWER is
``refuse``, with a boolean when ANSWER is ``true`` or ``false``, or with an object path
when ANSWER starts with ``/``. When ANSWER is ``emit``,
a call makes it emit the signal of the same name, path and interface, with the call's
arguments: that is how a test makes the owner of a name send a signal. A bare ``SERVICE``
only owns the name. It prints ``ready`` once every name is owned, then serves until killed,
printing ``call MEMBER ARGUMENTS`` for each call it answers.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusObjectPath, QDBusVirtualObject


class Answers(QDBusVirtualObject):
    """Replies to the methods named in the specs; anything else gets UnknownMethod."""

    def __init__(self, answers: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self._answers = answers

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        answer = self._answers.get((message.interface(), message.member()))
        print("call", message.member(), repr(list(message.arguments())), flush=True)
        if answer is None:
            reply = message.createErrorReply("org.freedesktop.DBus.Error.UnknownMethod", "no")
        elif answer == "emit":
            signal = QDBusMessage.createSignal(
                message.path(), message.interface(), message.member()
            )
            signal.setArguments(message.arguments())
            connection.send(signal)
            reply = message.createReply()
        elif answer == "refuse":
            reply = message.createErrorReply(
                "org.freedesktop.DBus.Error.NotSupported", "not supported on this platform"
            )
        elif answer in {"true", "false"}:
            reply = message.createReply(answer == "true")
        elif answer.startswith("/"):
            reply = message.createReply(QDBusObjectPath(answer))
        else:
            reply = message.createReply(int(answer))
        return connection.send(reply)

    def introspect(self, path: str) -> str:
        return ""


def main(address: str, specs: list[str]) -> int:
    app = QCoreApplication([])
    bus = QDBusConnection.connectToBus(address, "fake-desktop")
    by_path: dict[str, dict[tuple[str, str], str]] = {}
    for spec in specs:
        service, _, rest = spec.partition(":")
        if not bus.registerService(service):
            print(f"cannot own {service}", flush=True)
            return 1
        if rest:
            path, _, call = rest.partition(":")
            method, _, answer = call.partition("=")
            interface, _, member = method.rpartition(".")
            by_path.setdefault(path, {})[(interface, member)] = answer
    objects = [Answers(answers) for answers in by_path.values()]
    for path, handler in zip(by_path, objects, strict=True):
        bus.registerVirtualObject(path, handler)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
