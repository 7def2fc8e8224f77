; Kaiseki's installer for 64-bit Windows, compiled by makensis 3 (Debian's
; nsis package) from scripts/package-windows.sh:
;
;   makensis -DVERSION=0.1.0 -DVIVERSION=0.1.0.0 -DBUILD=out/build/windows-amd64 \
;            -DOUTFILE=out/kaiseki-0.1.0-windows-amd64-setup.exe packaging/windows/kaiseki.nsi
;
; It installs kaiseki.exe (the window and the tshark-like CLI) and
; kaiseki-capture.exe (the capture helper) in Program Files, adds a Start
; menu entry and an uninstaller, offers Kaiseki for .pcap, .pcapng and
; gzip-compressed captures, and checks for Npcap, which live capture needs
; but which we may not redistribute: when it is missing the installer says
; where to get it. The uninstaller removes everything the installer wrote.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "define VERSION (makensis -DVERSION=...): X.Y.Z"
!endif
!ifndef VIVERSION
  !error "define VIVERSION (makensis -DVIVERSION=...): X.Y.Z.W"
!endif
!ifndef BUILD
  !error "define BUILD (makensis -DBUILD=...): the folder with kaiseki.exe, kaiseki-capture.exe, kaiseki.ico"
!endif
!ifndef OUTFILE
  !error "define OUTFILE (makensis -DOUTFILE=...): the installer to write"
!endif

!define APP "Kaiseki"
!define PROGID "Kaiseki.CaptureFile"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Kaiseki"
!define NPCAP_URL "https://npcap.com/#download"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
RequestExecutionLevel admin
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VIVERSION}"
VIFileVersion "${VIVERSION}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "Kaiseki developers"

!define MUI_ICON "${BUILD}\kaiseki.ico"
!define MUI_UNICON "${BUILD}\kaiseki.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\kaiseki.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Assoc EXT offers Kaiseki in the extension's "Open with" list, and makes it
; the default only where no other program is (Wireshark keeps its files).
!macro Assoc EXT
  WriteRegStr HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKLM "Software\Classes\Applications\kaiseki.exe\SupportedTypes" "${EXT}" ""
  ReadRegStr $0 HKLM "Software\Classes\${EXT}" ""
  ${If} $0 == ""
    WriteRegStr HKLM "Software\Classes\${EXT}" "" "${PROGID}"
  ${EndIf}
!macroend

; UnAssoc EXT undoes Assoc, leaving other programs' entries alone.
!macro UnAssoc EXT
  DeleteRegValue HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKLM "Software\Classes\${EXT}\OpenWithProgids"
  ReadRegStr $0 HKLM "Software\Classes\${EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue HKLM "Software\Classes\${EXT}" ""
  ${EndIf}
  DeleteRegKey /ifempty HKLM "Software\Classes\${EXT}"
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP} needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  ; Reinstalling goes where the last installation went, unless /D= says
  ; otherwise. (InstallDirRegKey would read the 32-bit registry view.)
  ReadRegStr $0 HKLM "Software\${APP}" "InstallDir"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APP}"
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; CheckNpcap looks for Npcap where its installer puts it (the registry key
; and System32\Npcap\wpcap.dll, which gopacket loads at run time) and, when
; it is missing, says where to get it. Opening files works without it.
Function CheckNpcap
  ReadRegStr $1 HKLM "SOFTWARE\Npcap" ""
  ${If} $1 == ""
    ${DisableX64FSRedirection}
    ${If} ${FileExists} "$SYSDIR\Npcap\wpcap.dll"
      StrCpy $1 "$SYSDIR\Npcap"
    ${EndIf}
    ${EnableX64FSRedirection}
  ${EndIf}
  ${If} $1 != ""
    DetailPrint "Npcap found: $1"
    Return
  ${EndIf}
  DetailPrint "Npcap is not installed: live capture needs it (${NPCAP_URL})"
  MessageBox MB_YESNO|MB_ICONINFORMATION "Npcap is not installed.$\r$\n$\r$\n${APP} opens capture files without it, but capturing on this computer's interfaces needs Npcap, which ${APP} may not include. Install it from npcap.com (keep $\"WinPcap API-compatible Mode$\" checked), then start ${APP} again.$\r$\n$\r$\nOpen ${NPCAP_URL} now?" /SD IDNO IDNO done
  ExecShell "open" "${NPCAP_URL}"
done:
FunctionEnd

Section "${APP}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${BUILD}\kaiseki.exe"
  File "${BUILD}\kaiseki-capture.exe"
  File "${BUILD}\kaiseki.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "Software\${APP}" "InstallDir" "$INSTDIR"

  SetShellVarContext all
  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\kaiseki.exe" "" "$INSTDIR\kaiseki.ico" 0

  ; File types: a ProgID of our own, .pcap/.pcapng/.pcapng.gz by name
  ; (Windows only looks at the last extension, so .gz is offered in "Open
  ; with" and never made ours by default), and the app itself for "Open with".
  WriteRegStr HKLM "Software\Classes\${PROGID}" "" "Packet capture"
  WriteRegStr HKLM "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\kaiseki.ico"
  WriteRegStr HKLM "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\kaiseki.exe" "%1"'
  WriteRegStr HKLM "Software\Classes\Applications\kaiseki.exe" "FriendlyAppName" "${APP}"
  WriteRegStr HKLM "Software\Classes\Applications\kaiseki.exe\shell\open\command" "" '"$INSTDIR\kaiseki.exe" "%1"'
  !insertmacro Assoc ".pcap"
  !insertmacro Assoc ".pcapng"
  WriteRegStr HKLM "Software\Classes\.gz\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKLM "Software\Classes\Applications\kaiseki.exe\SupportedTypes" ".gz" ""
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Apps & features entry.
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "Kaiseki developers"
  WriteRegStr HKLM "${UNINST_KEY}" "URLInfoAbout" "https://github.com/kaiseki-app/kaiseki"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\kaiseki.ico"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0

  Call CheckNpcap
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\kaiseki.exe"
  Delete "$INSTDIR\kaiseki-capture.exe"
  Delete "$INSTDIR\kaiseki.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  SetShellVarContext all
  Delete "$SMPROGRAMS\${APP}.lnk"

  !insertmacro UnAssoc ".pcap"
  !insertmacro UnAssoc ".pcapng"
  DeleteRegValue HKLM "Software\Classes\.gz\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKLM "Software\Classes\.gz\OpenWithProgids"
  DeleteRegKey HKLM "Software\Classes\${PROGID}"
  DeleteRegKey HKLM "Software\Classes\Applications\kaiseki.exe"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegKey HKLM "Software\${APP}"
SectionEnd
