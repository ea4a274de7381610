; Inno Setup script: a per-user installer for Windows (no administrator rights needed).
; Built by `python -m tools.build` on Windows when iscc (Inno Setup 6) is on the PATH, which
; passes AppVersion, SourceDir (the one-folder bundle) and OutputDir.
; Installs into %LOCALAPPDATA%\Programs\CSARP Referrals with a Start-menu shortcut. The
; uninstaller leaves the advocate's data (%LOCALAPPDATA%\csarp-referrals: the database, its
; backups and the log) unless the advocate says otherwise; a silent uninstall never deletes it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\referral-app"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\bundle\icons\referral-app.ico"
#endif

[Setup]
AppId={{140F32BD-1B98-457F-A50E-708406B5BE8F}
AppName=CSARP Referrals
AppVersion={#AppVersion}
AppVerName=CSARP Referrals {#AppVersion}
AppPublisher=CSARP Referrals
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\CSARP Referrals
DefaultGroupName=CSARP Referrals
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
OutputDir={#OutputDir}
OutputBaseFilename=csarp-referrals-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\referral-app.exe
UninstallDisplayName=CSARP Referrals
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An earlier version's files, so that nothing old is left beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\CSARP Referrals"; Filename: "{app}\referral-app.exe"
Name: "{autodesktop}\CSARP Referrals"; Filename: "{app}\referral-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\referral-app.exe"; Description: "{cm:LaunchProgram,CSARP Referrals}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{localappdata}\csarp-referrals');
  if UninstallSilent() or not DirExists(DataDir) then
    Exit;
  if MsgBox('CSARP Referrals is removed. Your referrals database, its backups and the log are '
      + 'still in ' + DataDir + '.' + #13#10#13#10
      + 'Delete them too? Deleted referrals cannot be recovered, unless someone holds an '
      + 'export of them. Choose No to keep them (for example to install the app again).',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DelTree(DataDir, True, True, True);
end;
