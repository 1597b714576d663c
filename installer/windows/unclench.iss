; Inno Setup 6 script: a per-user installer for the PyInstaller bundle (no administrator
; rights, nothing under Program Files). installer/build.py runs it as
;   iscc /DAppVersion=X.Y.Z /Obuild\out installer\windows\unclench.iss
; after building build\dist\unclench and build\icons\unclench.ico.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Unclench"
#define AppExe "unclench.exe"
#define Root "..\.."

[Setup]
; A fixed id keeps upgrades and the uninstaller tied to this app across versions.
AppId={{5B0C6F7E-4A1E-4C55-9E55-6B1E1C7D2A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Unclench team
; Per user: %LOCALAPPDATA%\Programs\Unclench, the Start menu entry in the user's own menu.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile={#Root}\build\icons\unclench.ico
OutputBaseFilename=Unclench-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; A running copy holds its files open: offer to close it before replacing them.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "startatlogin"; Description: "Start {#AppName} when I log in"; GroupDescription: "Starting:"

[Files]
Source: "{#Root}\build\dist\unclench\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Short self-massage breaks after active screen time"

[Registry]
; The same value the app's own "Start at login" setting writes and removes
; (src/unclench/platform/autostart_windows.py), so the two never disagree.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExe}"""; Flags: uninsdeletevalue; Tasks: startatlogin
; Creates nothing; on uninstall removes the value even when the setting, not this installer,
; wrote it (ValueType none + uninsdeletevalue).
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: none; ValueName: "{#AppName}"; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; Ask a running copy to quit before its files are removed; nothing happens if none runs.
Filename: "{app}\{#AppExe}"; Parameters: "quit"; Flags: runhidden skipifdoesntexist; RunOnceId: "QuitRunningCopy"

[UninstallDelete]
Type: dirifempty; Name: "{app}"
