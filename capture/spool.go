package capture

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Spool is a live capture's spool file left behind by a process that is
// no longer running (a crash or a kill): it can be recovered.
type Spool struct {
	Path    string
	Size    int64
	ModTime time.Time
	PID     int
}

// OrphanSpools lists spool files in dir whose capturing process is gone,
// newest first. Files of running Kaiseki processes are left alone.
func OrphanSpools(dir string) ([]Spool, error) {
	if dir == "" {
		dir = DefaultSpoolDir()
	}
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Spool
	for _, e := range ents {
		pid, ok := spoolPID(e.Name())
		if !ok || processAlive(pid) {
			continue
		}
		info, err := e.Info()
		if err != nil || info.Size() == 0 {
			continue
		}
		out = append(out, Spool{Path: filepath.Join(dir, e.Name()), Size: info.Size(), ModTime: info.ModTime(), PID: pid})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ModTime.After(out[j].ModTime) })
	return out, nil
}

// spoolPID extracts the pid from "live-YYYYMMDD-HHMMSS-PID-IFACE.pcapng".
func spoolPID(name string) (int, bool) {
	if !strings.HasPrefix(name, "live-") || !strings.HasSuffix(name, ".pcapng") {
		return 0, false
	}
	parts := strings.SplitN(name, "-", 5)
	if len(parts) < 5 {
		return 0, false
	}
	pid, err := strconv.Atoi(parts[3])
	return pid, err == nil && pid > 0
}
