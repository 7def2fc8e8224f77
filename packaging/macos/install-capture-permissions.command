#!/bin/sh
# Double-click (it opens in Terminal and asks for your password) or run with
# sudo: lets you capture with Kaiseki without sudo. It creates the "kaiseki"
# group, adds you to it, and installs a launch daemon that gives the group
# access to /dev/bpf* at every boot (and runs it now). Log out and back in
# afterwards so the new group applies.
set -eu
if [ "$(id -u)" -ne 0 ]; then
    exec sudo "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
GROUP=kaiseki
SUPPORT="/Library/Application Support/Kaiseki"
PLIST=/Library/LaunchDaemons/app.kaiseki.ChmodBPF.plist

if [ -f /Library/LaunchDaemons/org.wireshark.ChmodBPF.plist ]; then
    echo "Note: Wireshark's ChmodBPF is installed too; both set the group of /dev/bpf* at boot." >&2
    echo "      Members of Wireshark's access_bpf group can already capture with Kaiseki." >&2
fi
if ! dscl . -read "/Groups/$GROUP" >/dev/null 2>&1; then
    dseditgroup -o create -r "Kaiseki packet capture" "$GROUP"
fi
user=${SUDO_USER:-$(stat -f %Su /dev/console)}
if [ -n "$user" ] && [ "$user" != root ]; then
    dseditgroup -o edit -a "$user" -t user "$GROUP"
fi
mkdir -p "$SUPPORT"
cp "$here/ChmodBPF" "$SUPPORT/ChmodBPF"
chown -R root:wheel "$SUPPORT"
chmod 0755 "$SUPPORT" "$SUPPORT/ChmodBPF"
cp "$here/app.kaiseki.ChmodBPF.plist" "$PLIST"
chown root:wheel "$PLIST"
chmod 0644 "$PLIST"
launchctl bootout system/app.kaiseki.ChmodBPF 2>/dev/null || true
launchctl bootstrap system "$PLIST"
if [ -n "$user" ] && [ "$user" != root ]; then
    echo "Done: $user may capture once logged out and back in."
fi
echo "Add others with: sudo dseditgroup -o edit -a NAME -t user $GROUP"
