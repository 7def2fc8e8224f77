// Package cli implements Kaiseki's tshark-compatible command line. It does
// not import Fyne, so it builds and tests without cgo.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
	"github.com/kaiseki-app/kaiseki/dissect/filter"
)

// Options are the parsed command-line flags, named after tshark's.
type Options struct {
	ReadFile   string   // -r
	Count      int      // -c
	Fields     []string // -e
	Output     string   // -T (fields, text)
	FieldOpts  []string // -E
	Verbose    bool     // -V
	TwoPass    bool     // -2
	Hex        bool     // -x
	Filter     string   // -Y
	WriteFile  string   // -w
	FileFormat string   // -F
	Version    bool     // --version / -v
	NoResolve  bool     // -n
	Prefs      []string // -o (accepted; column formats are fixed)
	Interface  string   // -i: capture live on this interface
	CapFilter  string   // -f: capture filter (BPF)
	SnapLen    int      // -s
	NoPromisc  bool     // -p
	Autostop   []string // -a duration:N, filesize:KB, packets:N
	ListIfaces bool     // -D
	Args       []string // positional arguments (a file to open in the window)

	// shards overrides how many partial States read a file (0: decided
	// by shardCount); tests set it.
	shards int
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// Parse parses args (without the program name). It returns flag.ErrHelp for
// -h.
func Parse(args []string, stderr io.Writer) (*Options, error) {
	o := &Options{}
	fs := flag.NewFlagSet("kaiseki", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.ReadFile, "r", "", "read packets from `FILE` (pcap, pcapng, optionally gzip-compressed; - for standard input)")
	fs.IntVar(&o.Count, "c", 0, "stop after `N` packets")
	fs.Var((*multi)(&o.Fields), "e", "with -T fields: print `FIELD` (repeatable)")
	fs.StringVar(&o.Output, "T", "text", "output `FORMAT`: text or fields")
	fs.Var((*multi)(&o.FieldOpts), "E", "fields option `K=V`: header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=C, quote=d|s|n")
	fs.BoolVar(&o.Verbose, "V", false, "print the protocol tree of each packet")
	fs.BoolVar(&o.TwoPass, "2", false, "two-pass analysis: read every packet first, so trees can refer to later packets (Response In)")
	fs.BoolVar(&o.Hex, "x", false, "print a hex and ASCII dump of each packet")
	fs.StringVar(&o.Filter, "Y", "", "display `FILTER` (Wireshark syntax)")
	fs.StringVar(&o.WriteFile, "w", "", "write packets to `FILE`")
	fs.StringVar(&o.FileFormat, "F", "", "output file `FORMAT`: pcap or pcapng")
	fs.BoolVar(&o.Version, "version", false, "print the version and exit")
	fs.BoolVar(&o.Version, "v", false, "print the version and exit")
	fs.BoolVar(&o.NoResolve, "n", false, "disable name resolution (accepted for compatibility)")
	fs.Var((*multi)(&o.Prefs), "o", "preference `NAME:VALUE` (accepted for compatibility)")
	fs.StringVar(&o.Interface, "i", "", "capture live on `INTERFACE` (through the kaiseki-capture helper)")
	fs.StringVar(&o.CapFilter, "f", "", "capture `FILTER` in libpcap (BPF) syntax")
	fs.IntVar(&o.SnapLen, "s", 0, "snapshot length in `BYTES`")
	fs.BoolVar(&o.NoPromisc, "p", false, "do not capture in promiscuous mode")
	fs.Var((*multi)(&o.Autostop), "a", "autostop `COND`: duration:SECONDS, filesize:KB, packets:N")
	fs.BoolVar(&o.ListIfaces, "D", false, "list the interfaces and whether they can be captured, then exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.Args = fs.Args()
	return o, nil
}

// WantsCLI reports whether the options ask for command-line output rather
// than the window.
func (o *Options) WantsCLI() bool {
	return o.ReadFile != "" || o.Version || o.Interface != "" || o.ListIfaces
}

// Run executes the command line and returns the process exit code. Errors
// are printed to stderr as one line.
func Run(ctx context.Context, o *Options, version string, stdout, stderr io.Writer) int {
	if o.Version {
		fmt.Fprintf(stdout, "Kaiseki %s\n", version)
		return 0
	}
	if o.ListIfaces {
		return listInterfaces(stdout, stderr)
	}
	if o.ReadFile == "" && o.Interface == "" {
		fmt.Fprintln(stderr, "kaiseki: no input: use -r FILE or -i INTERFACE")
		return 1
	}
	if o.ReadFile != "" && o.Interface != "" {
		fmt.Fprintln(stderr, "kaiseki: -r and -i cannot be used together")
		return 1
	}
	flt, err := filter.Compile(o.Filter, dissect.Fields())
	if err != nil {
		// Like tshark: the message, then the filter with the span marked.
		fmt.Fprintf(stderr, "kaiseki: -Y: %s\n", filterErrText(err, o.Filter))
		return 2 // tshark's exit code for a bad filter
	}
	out := bufio.NewWriterSize(stdout, 1<<16)
	defer out.Flush()
	code, err := run(ctx, o, flt, out, stderr)
	if err != nil {
		out.Flush()
		fmt.Fprintf(stderr, "kaiseki: %v\n", err)
	}
	return code
}

// filterErrText formats a display-filter error: its message and, for a
// *filter.Error, the filter with the offending span underlined.
func filterErrText(err error, src string) string {
	var fe *filter.Error
	if errors.As(err, &fe) {
		return fe.Msg + "\n" + fe.Caret(src)
	}
	return err.Error()
}

func run(ctx context.Context, o *Options, flt *filter.Filter, out *bufio.Writer, stderr io.Writer) (int, error) {
	var fp *fieldPrinter
	switch o.Output {
	case "text", "":
	case "fields":
		var err error
		if fp, err = newFieldPrinter(o.Fields, o.FieldOpts); err != nil {
			return 1, err
		}
	default:
		return 1, fmt.Errorf("-T %s: unknown output format (use text or fields)", o.Output)
	}
	if o.Output != "fields" && len(o.Fields) > 0 {
		return 1, errors.New("-e requires -T fields")
	}
	format, err := outputFormat(o)
	if err != nil {
		return 1, err
	}
	// With a filter, each packet is first dissected recording the fields
	// the filter and -T fields need (one pass, in frame order, as tshark
	// does without -2), then printed if it matches.
	var want []bool
	if !flt.Empty() {
		want = append([]bool(nil), flt.Want()...)
		if fp != nil {
			for i, w := range fp.want {
				want[i] = want[i] || w
			}
			fp.want = want
		}
	}
	if fp != nil {
		fp.header(out)
	}
	// newEmitter makes the per-packet printer of one goroutine.
	newEmitter := func(st *dissect.State) *emitter {
		e := &emitter{o: o, flt: flt, want: want, d: dissect.NewDissector(st)}
		if fp != nil {
			cp := *fp
			cp.buf = nil
			e.fp = &cp
		}
		// needCols: what is printed includes the summary columns.
		e.needCols = o.WriteFile == "" && !o.Verbose && !o.Hex && (fp == nil || fp.columns())
		return e
	}
	// With -w the matching packets are saved, not printed.
	var saved []int
	var store *capture.Store
	errStop := errors.New("stop")
	em := newEmitter(nil)
	printed := 0
	visit := func(i int, rec capture.Record, data []byte) error {
		p := store.Packet(i, data)
		if !em.emit(out, &p) {
			return nil
		}
		if o.WriteFile != "" {
			saved = append(saved, i)
		}
		printed++
		if o.Count > 0 && printed >= o.Count {
			return errStop
		}
		return nil
	}
	if o.Interface != "" {
		return runLive(ctx, o, visit, errStop, &store, out, stderr)
	}
	cf, err := capture.Open(o.ReadFile)
	if err != nil {
		return 2, err
	}
	defer cf.Close()
	store = cf.Store
	switch n := o.shardCount(want, fp); {
	case o.TwoPass:
		err = twoPass(ctx, cf, em.d, visit)
	case n > 1:
		err = runSharded(ctx, cf, n, newEmitter, filterSkip(flt), out, o.Count, o.WriteFile != "", &saved)
	default:
		err = cf.Load(ctx, visit)
	}
	if err != nil && !errors.Is(err, errStop) {
		return 2, err
	}
	if cf.Warning != "" {
		out.Flush()
		// Like tshark, every packet read is printed; unlike tshark a cut
		// file is a warning, not a failure (the issue asks for exit 0).
		fmt.Fprintf(stderr, "kaiseki: warning: %s: %s\n", o.ReadFile, cf.Warning)
	}
	if o.WriteFile != "" {
		if saved == nil {
			saved = []int{}
		}
		res, err := capture.Save(ctx, o.WriteFile, store, capture.SaveOptions{Format: format, Packets: saved})
		if err != nil {
			return 2, err
		}
		if res.DroppedComments > 0 {
			fmt.Fprintf(stderr, "kaiseki: warning: %d packet comments dropped: pcap cannot hold comments (use -F pcapng)\n", res.DroppedComments)
		}
	}
	return 0, nil
}

// lineWriter is where an emitter prints: the output's bufio.Writer, or a
// shard's bytes.Buffer.
type lineWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// emitter dissects packets and prints those that match the filter, in
// the format the options ask for. Each goroutine has its own.
type emitter struct {
	o        *Options
	flt      *filter.Filter
	want     []bool // the fields the filter (and -T fields) need; nil without a filter
	needCols bool
	fp       *fieldPrinter
	sp       summaryPrinter
	d        *dissect.Dissector
}

// emit dissects p and, when it matches, prints it to out (nothing with
// -w); it reports whether p matched.
func (e *emitter) emit(out lineWriter, p *dissect.Packet) bool {
	o, d, fp := e.o, e.d, e.fp
	var (
		items []dissect.Item
		sum   dissect.Summary
	)
	if e.want != nil {
		// Match on the cheaper pass without columns; a packet that
		// matches is dissected again for its columns, from what its
		// first pass just recorded (same result, and most packets of a
		// filtered read do not match).
		items = d.Items(p, e.want)
		if !e.flt.MatchFrame(items, p.Data) {
			return false
		}
		if e.needCols {
			items, sum = d.Fields(p, e.want)
		}
	}
	switch {
	case o.WriteFile != "":
		if e.want == nil {
			d.Index(p) // the first pass still runs, for stateful fields
		}
	case fp != nil:
		if e.want == nil && e.needCols {
			items, sum = d.Fields(p, fp.want)
		} else if e.want == nil {
			items = d.Items(p, fp.want)
		}
		fp.print(out, p, items, &sum)
	case o.Verbose:
		tree, sum := d.Tree(p)
		printTree(out, tree, &sum)
		if o.Hex {
			out.WriteByte('\n')
			printHex(out, p.Data)
		}
		out.WriteByte('\n')
	default:
		if e.want == nil && !o.Hex {
			sum = d.Summary(p)
		} else if e.want == nil {
			d.Index(p)
		}
		if o.Hex {
			// Like tshark: -x without -V prints each packet's hex
			// dump and an empty line, no summary line.
			printHex(out, p.Data)
			out.WriteByte('\n')
		} else {
			e.sp.print(out, p, &sum)
		}
	}
	return true
}

// outputFormat decides the -w file format: -F, else the file name's
// extension, else pcapng (which keeps everything).
func outputFormat(o *Options) (capture.Format, error) {
	switch o.FileFormat {
	case "pcap", "libpcap":
		return capture.FormatPcap, nil
	case "pcapng":
		return capture.FormatPcapNG, nil
	case "":
		if strings.HasSuffix(strings.ToLower(o.WriteFile), ".pcap") {
			return capture.FormatPcap, nil
		}
		return capture.FormatPcapNG, nil
	}
	return 0, fmt.Errorf("-F %s: unknown file format (use pcap or pcapng)", o.FileFormat)
}

// twoPass is tshark's -2: a first pass dissects every packet in order with
// d (its state learns what later packets say, such as which frame answers
// a DNS query), then visit sees each packet again, dissected against that
// state as the window and its exports show it.
func twoPass(ctx context.Context, cf *capture.File, d *dissect.Dissector, visit func(int, capture.Record, []byte) error) error {
	st := cf.Store
	err := cf.Load(ctx, func(i int, _ capture.Record, data []byte) error {
		p := st.Packet(i, data)
		d.Index(&p)
		return nil
	})
	if err != nil {
		return err
	}
	var buf []byte
	for i := range st.Len() {
		if i&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		data, err := st.Data(i, buf)
		if err != nil {
			return err
		}
		buf = data[:0:cap(data)]
		if err := visit(i, capture.Record{}, data); err != nil {
			return err
		}
	}
	return nil
}

// filterSkip returns what tells a sharded read that a packet cannot match
// flt and may go undissected, or nil: a packet that certainly lacks every
// protocol the filter requires (filter.Requires, dissect.Outline.CannotContain),
// as a UDP datagram lacks TCP for "tcp.port == 80", or a TCP segment whose
// ports the filter rules out (filter.TCPPorts, dissect.Outline.PortsOutside). Only
// partial States may miss such packets: they give no Global field
// (tcp.stream), the one kind of value that counts every conversation of
// the capture.
func filterSkip(flt *filter.Filter) func(linkType uint16, data []byte) bool {
	var protos []string
	for _, f := range flt.Requires() {
		if p := f.Protocol(); !slices.Contains(protos, p) {
			protos = append(protos, p)
		}
	}
	ports := flt.TCPPorts()
	if len(protos) == 0 && ports == nil {
		return nil
	}
	return func(linkType uint16, data []byte) bool {
		o := dissect.OutlineOf(linkType, data) // the headers are read once
		if ports != nil && o.PortsOutside(ports) {
			return true
		}
		for _, p := range protos {
			if !o.CannotContain(p) {
				return false
			}
		}
		return len(protos) > 0
	}
}
