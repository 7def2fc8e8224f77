// Package pcapdev opens local interfaces for live capture through libpcap
// (Npcap on Windows) using gopacket's pcap package. Only the capture helper
// executable uses it: it is the one piece of Kaiseki that needs capture
// privileges. Built without cgo, every function reports ErrNoLibpcap.
package pcapdev

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
)

// ErrNoLibpcap is returned by builds without cgo (and so without libpcap).
var ErrNoLibpcap = errors.New("this build has no libpcap support (built with CGO_ENABLED=0)")

// ErrPermission wraps a failure to open an interface for lack of privileges.
var ErrPermission = errors.New("capture not permitted")

// Device is a local interface as libpcap lists it.
type Device struct {
	Name        string
	Description string
	Addresses   []string // CIDR notation
	Up          bool
	Running     bool
	Loopback    bool
	Wireless    bool
}

// Flags returns the device's flags as a short comma-separated list.
func (d Device) Flags() string {
	var f []string
	if d.Up {
		f = append(f, "up")
	}
	if d.Running {
		f = append(f, "running")
	}
	if d.Loopback {
		f = append(f, "loopback")
	}
	if d.Wireless {
		f = append(f, "wireless")
	}
	return strings.Join(f, ",")
}

// Config says how to open an interface.
type Config struct {
	Interface string
	SnapLen   int  // 0 means 262144, as dumpcap
	NoPromisc bool // promiscuous mode is on unless this is set
	Filter    string
	BufferMiB int // kernel buffer; 0 means libpcap's default
}

// PermissionHint tells, for this OS, what to do when capture is not
// permitted, instead of showing libpcap's raw error.
func PermissionHint(helper string) string {
	switch runtime.GOOS {
	case "linux":
		return fmt.Sprintf("on Linux the capture helper needs the capture capabilities: installed from the .deb or the tarball, join the kaiseki group (sudo usermod -aG kaiseki $USER, then log out and in); otherwise run once: sudo setcap cap_net_raw,cap_net_admin=eip %s", helper)
	case "darwin":
		return "grant read access to /dev/bpf*: install Kaiseki's ChmodBPF launch daemon (or Wireshark's) and log out and in, or run the helper with sudo"
	case "windows":
		return "install Npcap from https://npcap.com (with \"WinPcap API-compatible mode\"); Kaiseki does not bundle it"
	}
	return "run the capture helper with the privileges needed to open the interface"
}

// isPermission reports whether a libpcap error text is a privilege problem.
func isPermission(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "permission") || strings.Contains(m, "operation not permitted") ||
		strings.Contains(m, "access denied") || strings.Contains(m, "/dev/bpf")
}
