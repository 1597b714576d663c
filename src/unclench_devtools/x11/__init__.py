"""The X11 desktop of the end-to-end tests and the benchmark (Xvfb, openbox, trayer)."""
