; Inno Setup script for Tramontane (called by installers\build-windows.ps1 with
; /DAppVersion=... and /DGpu=cuda|vulkan|cpu). Installs for the current user, no admin rights.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef Gpu
  #define Gpu "cuda"
#endif

[Setup]
AppId={{6F2B7E2C-3B1D-4C8E-9E5A-7A1D2C4B8F10}
AppName=Tramontane
AppVersion={#AppVersion}
AppPublisher=Tramontane
DefaultDirName={localappdata}\Programs\Tramontane
DefaultGroupName=Tramontane
PrivilegesRequired=lowest
OutputDir=..\..\build
OutputBaseFilename=Tramontane-{#AppVersion}-windows-x64-{#Gpu}-setup
SetupIconFile=..\build\tramontane.ico
UninstallDisplayIcon={app}\Tramontane.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\resources\licenses\Apache-2.0.txt

[Files]
Source: "..\..\build\dist\Tramontane\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Tramontane"; Filename: "{app}\Tramontane.exe"
Name: "{userdesktop}\Tramontane"; Filename: "{app}\Tramontane.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\Tramontane.exe"; Description: "Start Tramontane"; Flags: nowait postinstall skipifsilent
