package capture

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/kaiseki-app/kaiseki/capture/pcapdev"
)

// Access says whether this user can capture on an interface.
type Access struct {
	OK           bool
	NotPermitted bool
	// Msg says why not: for NotPermitted, what to do on this OS
	// (pcapdev.PermissionHint); otherwise the helper's error.
	Msg string
}

// ProbeInterface asks the capture helper to open iface and close it again
// (`kaiseki-capture -i IFACE -d`), so a list of interfaces can say which
// ones this user may capture on before anything is started.
func ProbeInterface(ctx context.Context, helper, iface string) Access {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, helper, "-i", iface, "-d")
	cmd.Env = helperEnv()
	out, err := cmd.CombinedOutput()
	if err == nil {
		return Access{OK: true}
	}
	msg := strings.TrimSpace(string(out))
	if strings.Contains(msg, pcapdev.ErrPermission.Error()) {
		return Access{NotPermitted: true, Msg: pcapdev.PermissionHint(helper)}
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimPrefix(msg, "error: ")
	if msg == "" {
		msg = err.Error()
	}
	return Access{Msg: msg}
}

// helperEnv is the environment for probing the helper: without DISPLAY,
// because opening libpcap's dbus-session device otherwise autolaunches a
// D-Bus daemon on the X display, which can stall the window's drawing.
func helperEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			env = append(env, kv)
		}
	}
	return env
}
