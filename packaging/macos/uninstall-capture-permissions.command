#!/bin/sh
# Undoes install-capture-permissions.command: removes the launch daemon, the
# kaiseki group, and gives /dev/bpf* back to root:wheel 0600.
set -eu
if [ "$(id -u)" -ne 0 ]; then
    exec sudo "$0" "$@"
fi
launchctl bootout system/app.kaiseki.ChmodBPF 2>/dev/null || true
rm -f /Library/LaunchDaemons/app.kaiseki.ChmodBPF.plist
rm -rf "/Library/Application Support/Kaiseki"
if dscl . -read /Groups/kaiseki >/dev/null 2>&1; then
    dseditgroup -o delete kaiseki
fi
chgrp wheel /dev/bpf* && chmod g-rw /dev/bpf*
echo "Kaiseki's capture permissions were removed."
