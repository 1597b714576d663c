"""The single-instance socket: the running app's control server and the command-line client.

``protocol`` and ``address`` are plain Python, and so is ``client`` on POSIX, so that
``unclench status`` never loads Qt. ``server`` needs QtCore for the event loop; QtNetwork is
loaded only on Windows, whose named pipes only QLocalServer and QLocalSocket speak.
"""
