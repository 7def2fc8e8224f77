package capture

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaiseki-app/kaiseki/capture/pcapdev"
)

// HelperName is the file name of the capture helper executable.
const HelperName = "kaiseki-capture"

// LiveOptions configure a live capture.
type LiveOptions struct {
	// Helper is the capture helper's path; empty finds it beside the running
	// executable, then in PATH.
	Helper    string
	Interface string
	Filter    string // BPF capture filter
	SnapLen   int
	NoPromisc bool
	Count     int64         // stop after this many packets (0: no limit)
	Duration  time.Duration // stop after this long (0: no limit)
	MaxBytes  int64         // stop after this many captured bytes (0: no limit)
	// SpoolPath is where packets are written as they arrive; empty makes a
	// new file in SpoolDir. The file survives a crash of either process.
	SpoolPath string
	SpoolDir  string // empty means DefaultSpoolDir()
}

// LiveStats are the counters of a running capture.
type LiveStats struct {
	Packets   uint64 // packets received by Kaiseki
	Bytes     uint64 // captured bytes received by Kaiseki
	Received  uint64 // packets the kernel passed to libpcap
	Dropped   uint64 // dropped by the kernel (buffer full)
	IfDropped uint64 // dropped by the interface or driver
}

// Live is a running capture: the helper process, the spool file every packet
// is written to as it arrives, and a Store indexing that file.
type Live struct {
	Store     *Store
	SpoolPath string

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	spool  *os.File
	rd     *Reader
	done   chan struct{}
	err    error // set before done closes
	errMsg atomic.Pointer[string]
	stats  atomic.Pointer[LiveStats]
	pkts   atomic.Uint64
	bytes  atomic.Uint64
	stop   sync.Once
}

// DefaultSpoolDir is where live captures are spooled unless told otherwise.
func DefaultSpoolDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "kaiseki", "spool")
	}
	return filepath.Join(os.TempDir(), "kaiseki-spool")
}

// FindHelper returns the capture helper's path: beside the running
// executable first (installed layouts), then in PATH.
func FindHelper() (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), HelperName+exeSuffix())
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath(HelperName)
	if err != nil {
		return "", fmt.Errorf("capture helper %s not found beside kaiseki or in PATH: %w", HelperName, err)
	}
	return p, nil
}

// CheckFilter validates a capture filter with libpcap before anything is
// started, returning libpcap's message for an invalid one. Interfaces are
// assumed to be Ethernet (as Linux loopback and most NICs are); the helper
// checks again against the real link type when it opens the interface.
func CheckFilter(expr string, snapLen int) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	err := pcapdev.CheckFilter(1, snapLen, expr)
	if errors.Is(err, pcapdev.ErrNoLibpcap) {
		return nil // the helper will check it
	}
	return err
}

// StartLive checks the filter, starts the helper and waits for the capture
// file header. visit (which may be nil) is called from the capture's own
// goroutine for each packet after it was indexed, as in File.Load.
func StartLive(ctx context.Context, opt LiveOptions, visit Visit) (*Live, error) {
	if opt.Interface == "" {
		return nil, errors.New("live capture: no interface")
	}
	if err := CheckFilter(opt.Filter, opt.SnapLen); err != nil {
		return nil, err
	}
	helper := opt.Helper
	if helper == "" {
		var err error
		if helper, err = FindHelper(); err != nil {
			return nil, err
		}
	}
	spoolPath := opt.SpoolPath
	if spoolPath == "" {
		dir := opt.SpoolDir
		if dir == "" {
			dir = DefaultSpoolDir()
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("live capture: spool folder: %w", err)
		}
		spoolPath = filepath.Join(dir, fmt.Sprintf("live-%s-%d-%s.pcapng",
			time.Now().Format("20060102-150405"), os.Getpid(), sanitize(opt.Interface)))
	}
	spool, err := os.OpenFile(spoolPath, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("live capture: %w", err)
	}
	args := []string{"-i", opt.Interface, "--stop-on-stdin-close"}
	if opt.Filter != "" {
		args = append(args, "-f", opt.Filter)
	}
	if opt.SnapLen > 0 {
		args = append(args, "-s", strconv.Itoa(opt.SnapLen))
	}
	if opt.NoPromisc {
		args = append(args, "-p")
	}
	if opt.Count > 0 {
		args = append(args, "-c", strconv.FormatInt(opt.Count, 10))
	}
	if opt.Duration > 0 {
		args = append(args, "-a", "duration:"+strconv.FormatInt(int64(max(opt.Duration/time.Second, 1)), 10))
	}
	if opt.MaxBytes > 0 {
		args = append(args, "-a", "filesize:"+strconv.FormatInt(max(opt.MaxBytes/1000, 1), 10))
	}
	cmd := exec.Command(helper, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		spool.Close()
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		spool.Close()
		return nil, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		spool.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		spool.Close()
		os.Remove(spoolPath)
		if errors.Is(err, os.ErrPermission) {
			// Installed packages let only the capture group run the helper.
			return nil, fmt.Errorf("start capture helper %s: %w: %w; %s", helper, pcapdev.ErrPermission, err, pcapdev.PermissionHint(helper))
		}
		return nil, fmt.Errorf("start capture helper %s: %w", helper, err)
	}
	l := &Live{
		Store: NewStore(ReaderAtSource{R: spool}), SpoolPath: spoolPath,
		cmd: cmd, stdin: stdin, spool: spool, done: make(chan struct{}),
	}
	l.stats.Store(&LiveStats{})
	stderrDone := make(chan struct{})
	go func() {
		defer close(stderrDone)
		l.readStderr(stderr)
	}()
	// Everything the helper writes goes to the spool file before the reader
	// sees it, so every indexed packet is already in the file.
	tee := io.TeeReader(stdout, spool)
	started := make(chan struct{})
	go func() {
		// A helper that never sends its header must not hang the caller.
		select {
		case <-ctx.Done():
			cmd.Process.Kill()
		case <-started:
		}
	}()
	rd, err := NewReader(tee, opt.Interface)
	close(started)
	if err != nil {
		cmd.Wait()
		<-stderrDone
		spool.Close()
		os.Remove(spoolPath)
		if m := l.errMsg.Load(); m != nil {
			return nil, errors.New(*m)
		}
		return nil, fmt.Errorf("capture helper: %w", err)
	}
	l.rd = rd
	l.Store.format = rd.Format()
	l.Store.SetInterfaces(rd.Interfaces())
	go func() {
		select {
		case <-ctx.Done():
			l.Stop()
		case <-l.done:
		}
	}()
	go func() {
		err := l.pump(visit)
		// Drain what is left so the helper can exit, then reap it.
		io.Copy(io.Discard, stdout)
		werr := cmd.Wait()
		<-stderrDone
		if err == nil && werr != nil {
			if m := l.errMsg.Load(); m != nil {
				err = errors.New(*m)
			} else {
				err = fmt.Errorf("capture helper: %w", werr)
			}
		}
		l.spool.Sync()
		l.err = err
		close(l.done)
	}()
	return l, nil
}

func (l *Live) pump(visit Visit) error {
	nIfs := len(l.rd.Interfaces())
	for {
		rec, data, err := l.rd.Next()
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, ErrTruncated) {
				return nil // the helper ended (or was killed mid-write)
			}
			return err
		}
		if ifs := l.rd.Interfaces(); len(ifs) != nIfs {
			l.Store.SetInterfaces(ifs)
			nIfs = len(ifs)
		}
		i := l.Store.Len()
		l.Store.Append(rec)
		l.pkts.Add(1)
		l.bytes.Add(uint64(rec.CapLen))
		if visit != nil {
			if err := visit(i, rec, data); err != nil {
				// The caller has what it wanted (or failed): end the
				// capture; Err returns visit's error.
				l.Stop()
				return err
			}
		}
	}
}

// readStderr parses the helper's "stats ..." and "error: ..." lines.
func (l *Live) readStderr(r io.Reader) {
	sc := bufio.NewScanner(r)
	var errLines []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "stats "):
			var s LiveStats
			for _, kv := range strings.Fields(line[6:]) {
				k, v, _ := strings.Cut(kv, "=")
				n, _ := strconv.ParseUint(v, 10, 64)
				switch k {
				case "recv":
					s.Received = n
				case "drop":
					s.Dropped = n
				case "ifdrop":
					s.IfDropped = n
				}
			}
			l.stats.Store(&s)
		case strings.HasPrefix(line, "error: "), strings.HasPrefix(line, "hint: "):
			errLines = append(errLines, strings.TrimPrefix(strings.TrimPrefix(line, "error: "), "hint: "))
			m := strings.Join(errLines, "; ")
			l.errMsg.Store(&m)
		}
	}
}

// Stats returns the current counters.
func (l *Live) Stats() LiveStats {
	s := *l.stats.Load()
	s.Packets, s.Bytes = l.pkts.Load(), l.bytes.Load()
	return s
}

// Stop asks the helper to finish cleanly (it writes its statistics block and
// exits); packets already received stay in the spool file and the Store.
func (l *Live) Stop() {
	l.stop.Do(func() {
		l.stdin.Close()
		// A helper that does not stop within two seconds is killed; what it
		// wrote is kept either way.
		go func() {
			select {
			case <-l.done:
			case <-time.After(2 * time.Second):
				if l.cmd.Process != nil {
					l.cmd.Process.Kill()
				}
			}
		}()
	})
}

// Done is closed when the capture has ended.
func (l *Live) Done() <-chan struct{} { return l.done }

// Err returns why the capture ended (nil for a normal stop); valid after Done.
func (l *Live) Err() error {
	<-l.done
	return l.err
}

// Pid returns the helper's process id.
func (l *Live) Pid() int { return l.cmd.Process.Pid }

// Close stops the capture if it runs and closes the spool file; the Store
// cannot be read afterwards. The file is not removed: the caller saves or
// discards it.
func (l *Live) Close() error {
	l.Stop()
	<-l.done
	return l.spool.Close()
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}
