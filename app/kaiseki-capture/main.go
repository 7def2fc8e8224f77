// Command kaiseki-capture is Kaiseki's capture helper, like Wireshark's
// dumpcap: the only program that needs capture privileges. It opens one
// interface with libpcap, applies a BPF capture filter and writes pcapng
// (interface description first, interface statistics at the end) to a file,
// a ring of files, or standard output. The window and `kaiseki -i` start it
// and read its output with the same reader they use for files.
//
// Progress goes to standard error as lines "stats packets=N bytes=N recv=N
// drop=N ifdrop=N"; a failure as one line "error: ..." (and "hint: ..." when
// there is something to do about it).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/capture/pcapdev"
)

// version and commit are set at build time by scripts/package-*.sh with
// -ldflags "-X main.version=... -X main.commit=...", as for kaiseki.
var (
	version = "0.1.0-dev"
	commit  = "unknown"
)

type options struct {
	iface       string
	filter      string
	snapLen     int
	noPromisc   bool
	count       int64
	autostop    []string
	ring        []string
	write       string
	list        bool
	check       bool
	bufferMiB   int
	stopOnStdin bool
	statsEvery  time.Duration
	version     bool
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("kaiseki-capture", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.iface, "i", "", "capture on `INTERFACE`")
	fs.StringVar(&o.filter, "f", "", "capture `FILTER` (BPF syntax, compiled by libpcap)")
	fs.IntVar(&o.snapLen, "s", 0, "snapshot length in `BYTES` (default 262144)")
	fs.BoolVar(&o.noPromisc, "p", false, "do not put the interface into promiscuous mode")
	fs.Int64Var(&o.count, "c", 0, "stop after `N` packets")
	fs.Var((*multi)(&o.autostop), "a", "autostop `COND`: duration:SECONDS, filesize:KB, packets:N")
	fs.Var((*multi)(&o.ring), "b", "ring buffer `COND`: filesize:KB, duration:SECONDS, files:N (needs -w FILE)")
	fs.StringVar(&o.write, "w", "-", "write pcapng to `FILE` (- for standard output)")
	fs.BoolVar(&o.list, "D", false, "list interfaces and exit")
	fs.BoolVar(&o.check, "d", false, "check the capture filter for the interface and exit")
	fs.IntVar(&o.bufferMiB, "B", 0, "kernel buffer size in `MiB`")
	fs.BoolVar(&o.stopOnStdin, "stop-on-stdin-close", false, "stop cleanly when standard input is closed (used by Kaiseki)")
	fs.DurationVar(&o.statsEvery, "stats-interval", time.Second, "how often to report statistics on standard error")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if o.version {
		fmt.Fprintf(stdout, "kaiseki-capture %s (commit %s)\n", version, commit)
		return 0
	}
	if o.list {
		return listDevices(stdout, stderr)
	}
	if o.iface == "" {
		fmt.Fprintln(stderr, "error: no interface: use -i INTERFACE (kaiseki-capture -D lists them)")
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := capture1(ctx, &o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		if errors.Is(err, pcapdev.ErrPermission) {
			exe, _ := os.Executable()
			fmt.Fprintf(stderr, "hint: %s\n", pcapdev.PermissionHint(exe))
		}
		return 2
	}
	return 0
}

func listDevices(stdout, stderr io.Writer) int {
	devs, err := pcapdev.List()
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 2
	}
	// One interface per line, tab-separated: number, name, description,
	// flags, addresses (comma-separated), like dumpcap -D -M.
	for i, d := range devs {
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%s\n", i+1, d.Name, d.Description, d.Flags(), strings.Join(d.Addresses, ","))
	}
	return 0
}

// limits are the stop conditions.
type limits struct {
	packets  int64
	bytes    int64
	duration time.Duration
}

func parseConds(conds []string, what string) (map[string]int64, error) {
	m := map[string]int64{}
	for _, c := range conds {
		k, v, ok := strings.Cut(c, ":")
		n, err := strconv.ParseInt(v, 10, 64)
		if !ok || err != nil || n <= 0 {
			return nil, fmt.Errorf("%s %q: expected NAME:POSITIVE-NUMBER", what, c)
		}
		switch k {
		case "duration", "filesize", "packets", "files":
		default:
			return nil, fmt.Errorf("%s %q: unknown condition %q", what, c, k)
		}
		m[k] = n
	}
	return m, nil
}

func capture1(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	auto, err := parseConds(o.autostop, "-a")
	if err != nil {
		return err
	}
	ring, err := parseConds(o.ring, "-b")
	if err != nil {
		return err
	}
	if len(ring) > 0 && (o.write == "-" || o.write == "") {
		return errors.New("-b needs -w FILE")
	}
	lim := limits{packets: o.count, bytes: auto["filesize"] * 1000, duration: time.Duration(auto["duration"]) * time.Second}
	if p := auto["packets"]; p > 0 && (lim.packets == 0 || p < lim.packets) {
		lim.packets = p
	}

	h, err := pcapdev.Open(pcapdev.Config{Interface: o.iface, SnapLen: o.snapLen, NoPromisc: o.noPromisc, Filter: o.filter, BufferMiB: o.bufferMiB})
	if err != nil {
		return err
	}
	defer h.Close()
	if o.check {
		return nil // opening applied the filter: it is valid for this interface
	}
	snap := o.snapLen
	if snap <= 0 {
		snap = 262144
	}
	in := capture.Interface{LinkType: h.LinkType(), Name: o.iface, SnapLen: uint32(snap), TSMul: 1, TSDiv: 1, TSResolution: 9, FCSLen: -1}
	out, err := newOutput(o.write, stdout, in, ring)
	if err != nil {
		return err
	}
	if o.stopOnStdin {
		stdinDone := make(chan struct{})
		go func() {
			io.Copy(io.Discard, os.Stdin)
			close(stdinDone)
		}()
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-stdinDone:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	start := time.Now()
	var packets, bytes int64
	lastStats := start
	report := func() {
		recv, drop, ifdrop, _ := h.Stats()
		fmt.Fprintf(stderr, "stats packets=%d bytes=%d recv=%d drop=%d ifdrop=%d\n", packets, bytes, recv, drop, ifdrop)
	}
	var runErr error
	for {
		if ctx.Err() != nil {
			break
		}
		if lim.duration > 0 && time.Since(start) >= lim.duration {
			break
		}
		if (lim.packets > 0 && packets >= lim.packets) || (lim.bytes > 0 && bytes >= lim.bytes) {
			break
		}
		if o.statsEvery > 0 && time.Since(lastStats) >= o.statsEvery {
			report()
			lastStats = time.Now()
		}
		data, ts, wire, err := h.Read()
		if errors.Is(err, pcapdev.ErrTimeout) {
			if err := out.flush(); err != nil {
				if isBrokenPipe(err) {
					return nil
				}
				return err
			}
			continue
		}
		if err != nil {
			// The interface went away or permission was lost: keep what
			// was written, end the file properly, and say why.
			runErr = fmt.Errorf("read from %s: %w", o.iface, err)
			break
		}
		if err := out.write(ts, wire, data); err != nil {
			if isBrokenPipe(err) {
				return nil // the reader went away: nothing left to do
			}
			return err
		}
		packets++
		bytes += int64(len(data))
	}
	recv, drop, ifdrop, _ := h.Stats()
	if err := out.close(time.Now().UnixNano(), recv, drop+ifdrop); err != nil && !isBrokenPipe(err) && runErr == nil {
		runErr = err
	}
	report()
	return runErr
}

func isBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed)
}

// output writes pcapng to standard output, a file, or a ring of files.
type output struct {
	in       capture.Interface
	stdout   io.Writer
	path     string
	ring     map[string]int64
	f        *os.File
	w        *capture.NGWriter
	fileN    int
	started  time.Time
	flushed  time.Time
	written  int64
	ringKeep []string
}

func newOutput(path string, stdout io.Writer, in capture.Interface, ring map[string]int64) (*output, error) {
	o := &output{in: in, stdout: stdout, path: path, ring: ring}
	return o, o.open()
}

func (o *output) open() error {
	var w io.Writer = o.stdout
	if o.path != "-" && o.path != "" {
		name := o.path
		if len(o.ring) > 0 {
			o.fileN++
			ext := filepath.Ext(o.path)
			name = fmt.Sprintf("%s_%05d_%s%s", strings.TrimSuffix(o.path, ext), o.fileN, time.Now().Format("20060102150405"), ext)
		}
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
		o.f, w = f, f
		o.ringKeep = append(o.ringKeep, name)
		if max := o.ring["files"]; max > 0 && int64(len(o.ringKeep)) > max {
			os.Remove(o.ringKeep[0])
			o.ringKeep = o.ringKeep[1:]
		}
	}
	nw, err := capture.NewNGWriter(w, "Kaiseki capture helper", []capture.Interface{o.in})
	if err != nil {
		return err
	}
	o.w, o.started, o.written = nw, time.Now(), 0
	// The reader waits for the header: send it before the first packet.
	return nw.Flush()
}

func (o *output) write(ts int64, wire int, data []byte) error {
	if len(o.ring) > 0 {
		if (o.ring["filesize"] > 0 && o.written >= o.ring["filesize"]*1000) ||
			(o.ring["duration"] > 0 && time.Since(o.started) >= time.Duration(o.ring["duration"])*time.Second) {
			if err := o.close(ts, 0, 0); err != nil {
				return err
			}
			if err := o.open(); err != nil {
				return err
			}
		}
	}
	if err := o.w.WritePacket(0, ts/1e9, int32(ts%1e9), wire, data, nil); err != nil {
		return err
	}
	o.written += int64(len(data))
	// Flush at least every 2 ms (and whenever the interface goes quiet): a
	// helper killed mid-capture takes at most 2 ms of packets with it, and
	// a busy link costs one write per batch instead of one per packet.
	if now := time.Now(); now.Sub(o.flushed) >= 2*time.Millisecond {
		o.flushed = now
		return o.w.Flush()
	}
	return nil
}

// flush writes out buffered packets (called when reading times out).
func (o *output) flush() error {
	o.flushed = time.Now()
	return o.w.Flush()
}

func (o *output) close(ts int64, recv, drop uint64) error {
	err := o.w.WriteStats(0, ts, recv, drop)
	if ferr := o.w.Flush(); err == nil {
		err = ferr
	}
	if o.f != nil {
		if serr := o.f.Sync(); err == nil {
			err = serr
		}
		if cerr := o.f.Close(); err == nil {
			err = cerr
		}
		o.f = nil
	}
	return err
}
