"""The fixed vocabulary the catalogue and the settings share: body areas and props."""

from __future__ import annotations

#: The nine areas, in the order the app lists them. Stable ids: settings and history use them.
AREA_IDS: tuple[str, ...] = (
    "hands",
    "forearms",
    "scalp",
    "temples",
    "face",
    "neck_shoulders",
    "thighs",
    "calves",
    "feet",
)

#: Calves are off by default: calf massage is a risk for anyone with a clot (docs/evidence.md,
#: "Safety, area by area"), and the person should opt in knowingly.
DEFAULT_AREA_IDS: tuple[str, ...] = tuple(a for a in AREA_IDS if a != "calves")

#: Things a technique may need; it is offered only when the person says they have it.
PROP_IDS: tuple[str, ...] = ("ball",)

#: What a person may tell Unclench about themselves (Settings, "About me") so that the
#: cautions meant for them show, and the ones meant for others do not (docs/evidence.md,
#: "Safety, area by area"): pregnancy; diabetes or less feeling in the hands or feet; a
#: history of blood clots.
CONDITION_IDS: tuple[str, ...] = ("pregnancy", "low_sensation", "clots")
