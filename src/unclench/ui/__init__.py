"""Qt widgets: tray, break window, Settings, About. No decisions live here; the core makes them."""
