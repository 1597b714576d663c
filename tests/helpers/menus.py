"""The tray menu's items in order, every one of them (Resume included), as a person reads them."""

FULL_MENU = [
    "Take a break now",
    "Calming break now",
    "Snooze",
    "Pause",
    "Resume",
    "Settings…",
    "History…",
    "About",
    "Quit",
]
