"""Operating-system backends: idle time, session events, do-not-disturb, start at login."""
