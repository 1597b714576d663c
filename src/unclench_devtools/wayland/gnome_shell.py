"""What the GNOME harness (``gnome.py``) hands GNOME Shell 43: its helper extension, the
settings keyfile, and the JavaScript it evaluates to read windows, type and wait for effects.
"""

from __future__ import annotations

from pathlib import Path

SYSTEM_EXTENSIONS = Path("/usr/share/gnome-shell/extensions")
APPINDICATOR = "ubuntu-appindicators@ubuntu.com"  # Debian 12's gnome-shell-extension-appindicator
HELPER = "unclench-e2e@unclench.test"

HELPER_METADATA = {
    "uuid": HELPER,
    "name": "Unclench e2e helper",
    "description": "Lets the end-to-end tests ask GNOME Shell about its windows.",
    "shell-version": ["43"],
}

HELPER_SOURCE = """\
const { Clutter } = imports.gi;
const Main = imports.ui.main;
const MessageTray = imports.ui.messageTray;

let keyboard = null;

function init() {}

function enable() {
    // GNOME 43 has no --unsafe-mode: Eval and Screenshot answer only in unsafe mode.
    global.context.unsafe_mode = true;
    // The shell's notice of it would cover the top of the screen for the first seconds.
    Main.messageTray.getSources()
        .filter(source => source instanceof MessageTray.SystemNotificationSource)
        .forEach(source => source.destroy());
    // Without a keyboard the Wayland seat offers none, and a typing session's own keyboard
    // arrives with its first keys, which clients lose while they bind to it.
    keyboard = Clutter.get_default_backend().get_default_seat()
        .create_virtual_device(Clutter.InputDeviceType.KEYBOARD_DEVICE);
    // Typing opens RemoteDesktop sessions, and the "screen shared" pill they show for 5 s
    // would push the tray icons aside.
    Main.panel.statusArea.screenSharing?.container.hide();
    // The shell starts in the overview, whose search entry would keep the keyboard.
    if (Main.layoutManager._startingUp)
        Main.layoutManager.connect('startup-complete', () => Main.overview.hide());
    else
        Main.overview.hide();
}

function disable() {
    global.context.unsafe_mode = false;
    keyboard = null;
}
"""

#: GSettings for the shell, read through the keyfile backend: no dconf service needed.
SETTINGS = f"""\
[org/gnome/shell]
enabled-extensions=['{APPINDICATOR}', '{HELPER}']
disable-user-extensions=false
welcome-dialog-last-shown-version='999'

[org/gnome/desktop/interface]
enable-animations=false

[org/gnome/desktop/input-sources]
sources=[('xkb', 'us')]

[org/gnome/desktop/session]
idle-delay=uint32 0

[org/gnome/desktop/screensaver]
lock-enabled=false
"""

#: Every window but the shell's own, bottom to top as drawn.
WINDOWS_JS = """(() => {
  const shell = new Gio.Credentials().get_unix_pid();
  const focus = global.display.focus_window;
  return global.get_window_actors().map(actor => actor.meta_window)
    .filter(w => !(w.is_override_redirect() && w.get_pid() === shell))
    .map(w => {
      const rect = w.get_frame_rect();
      return {
        title: w.get_title() ?? '', wm_class: w.get_wm_class() ?? '',
        x: rect.x, y: rect.y, width: rect.width, height: rect.height,
        focused: w === focus, above: w.is_above(), skip_taskbar: w.is_skip_taskbar(),
        fullscreen: w.is_fullscreen(), minimized: w.minimized,
        x11: w.get_client_type() === Meta.WindowClientType.X11,
      };
    });
})()"""

#: Types KEYSYMS through a RemoteDesktop session that the shell itself opens: a session ends
#: with the D-Bus connection that made it, so one ``gdbus call`` per method would not do.
#: The calls are asynchronous (the shell serves them itself); TOKEN's state tells the end.
TYPE_JS = """(() => {
  const name = 'org.gnome.Mutter.RemoteDesktop';
  const session = `${name}.Session`;
  const call = (path, iface, method, args) => new Promise((resolve, reject) => {
    Gio.DBus.session.call(name, path, iface, method, args, null, Gio.DBusCallFlags.NONE, -1,
      null, (bus, result) => {
        try { resolve(bus.call_finish(result)); } catch (error) { reject(error); }
      });
  });
  const typing = globalThis.unclenchTyping ??= {};
  typing[TOKEN] = 'busy';
  (async () => {
    const [path] = (await call('/org/gnome/Mutter/RemoteDesktop', name, 'CreateSession',
      null)).deep_unpack();
    await call(path, session, 'Start', null);
    try {
      for (const keysym of KEYSYMS) {
        for (const pressed of [true, false]) {
          await call(path, session, 'NotifyKeyboardKeysym',
            new GLib.Variant('(ub)', [keysym, pressed]));
        }
      }
    } finally {
      await call(path, session, 'Stop', null);
    }
  })().then(() => { typing[TOKEN] = 'done'; }, error => { typing[TOKEN] = `${error}`; });
  return typing[TOKEN];
})()"""

#: How many windows the shell is still mapping, closing, minimizing or unminimizing.
EFFECTS_JS = " + ".join(
    f"Main.wm.{effect}.size"
    for effect in ("_mapping", "_destroying", "_minimizing", "_unminimizing")
)

#: X keysyms of the keys that are not printable ASCII, whose keysyms are their codes.
KEYSYMS = {"\n": 0xFF0D, "\t": 0xFF09}
