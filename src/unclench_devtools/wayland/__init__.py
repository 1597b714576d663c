"""Headless Wayland desktops for the end-to-end tests: sway, GNOME Shell 43 and KWin 5.27."""
