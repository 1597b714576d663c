"""The core: what a break is and when it is due. No Qt, no real clock, no tray.

Everything here takes its clock, idle source and file paths as parameters, so tests can
run a simulated month in a second and the desktop shell can wire real ones in.
"""
