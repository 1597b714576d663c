"""pystray for the bundle: name this system's backend instead of importing every one.

The stock hook imports each pystray submodule to list them, and ``pystray._xorg`` cannot
be imported without a display, nor ``_gtk``/``_appindicator`` without PyGObject. pystray
picks its backend at import time with ``importlib``, so the analysis cannot see it: we
list the one(s) the app can use on the OS the bundle is built for.
"""

import sys

if sys.platform == "win32":
    hiddenimports = ["pystray._win32", "pystray._util.win32"]
elif sys.platform == "darwin":
    hiddenimports = ["pystray._darwin"]
else:
    # X11 only: the GTK and AppIndicator backends need PyGObject, which the app does not ship.
    hiddenimports = ["pystray._xorg", "pystray._util.notify_dbus"]
hiddenimports += ["pystray._dummy"]
