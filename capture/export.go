package capture

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// ExportFormat is a format for exported packet dissections (Wireshark's
// File → Export Packet Dissections).
type ExportFormat uint8

// Dissection export formats.
const (
	ExportText ExportFormat = iota // protocol trees like `tshark -V`
	ExportCSV                      // the packet list's columns, RFC 4180
	ExportJSON                     // protocol trees like `tshark -T json`
)

func (f ExportFormat) String() string {
	switch f {
	case ExportText:
		return "plain text"
	case ExportCSV:
		return "CSV"
	case ExportJSON:
		return "JSON"
	}
	return fmt.Sprintf("ExportFormat(%d)", f)
}

// Ext returns the usual file name extension of the format.
func (f ExportFormat) Ext() string {
	switch f {
	case ExportCSV:
		return ".csv"
	case ExportJSON:
		return ".json"
	}
	return ".txt"
}

// ExportOptions say what to export and how.
type ExportOptions struct {
	Format ExportFormat
	// Packets lists the 0-based indices to export, in order; nil exports
	// all.
	Packets []int
	// Columns are the CSV columns, in order; nil means all of them.
	Columns []Column
	// Cell formats a CSV cell; nil uses DefaultCell. The window passes its
	// own so that the file shows what the table shows (time format).
	Cell func(r *Row, col Column) string
	// Progress, when set, is called now and then with packets done so far.
	Progress func(done, total int)
}

// DefaultCell formats a packet-list cell as Wireshark shows it by default:
// the time in seconds since the first packet with six decimals.
func DefaultCell(r *Row, col Column) string {
	switch col {
	case ColNo:
		return strconv.Itoa(r.Num)
	case ColTime:
		if !r.HasTime {
			return ""
		}
		return formatSeconds6(r.Rel)
	case ColSource:
		return r.Source
	case ColDestination:
		return r.Dest
	case ColProtocol:
		return r.Protocol
	case ColLength:
		return strconv.Itoa(r.Length)
	case ColInfo:
		return r.Info
	}
	return ""
}

// formatSeconds6 formats ns as seconds rounded to six decimals.
func formatSeconds6(ns int64) string {
	sign := ""
	if ns < 0 {
		sign, ns = "-", -ns
	}
	us := (ns + 500) / 1000
	return fmt.Sprintf("%s%d.%06d", sign, us/1e6, us%1e6)
}

// ExportDissections writes the dissections of packets of st to w. ds is
// the capture's dissection state: packets must be dissected for the first
// time in frame order, so any that have not been yet are (nil starts a fresh
// state). It returns the number of packets written.
func ExportDissections(ctx context.Context, w io.Writer, st *Store, ds *dissect.State, opt ExportOptions) (int, error) {
	if ds == nil {
		ds = dissect.NewState()
	}
	total, index := selection(st.Len(), opt.Packets)
	last := -1
	for k := range total {
		i := index(k)
		if i < 0 || i >= st.Len() {
			return 0, fmt.Errorf("export: packet %d does not exist", i+1)
		}
		last = max(last, i)
	}
	if err := firstPass(ctx, st, ds, last); err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var ex exporter
	switch opt.Format {
	case ExportText:
		ex = &textExporter{}
	case ExportCSV:
		ex = newCSVExporter(st, ds, opt)
	case ExportJSON:
		ex = &jsonExporter{}
	default:
		return 0, fmt.Errorf("export: unknown format %v", opt.Format)
	}
	if err := ex.begin(bw); err != nil {
		return 0, err
	}
	d := dissect.NewDissector(ds)
	var buf []byte
	done := 0
	for k := range total {
		if k&255 == 0 {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			if opt.Progress != nil {
				opt.Progress(k, total)
			}
		}
		i := index(k)
		buf = growBuf(buf, st.Info(i).CapLen)
		data, err := st.Data(i, buf)
		if err != nil {
			return done, fmt.Errorf("export: packet %d: %w", i+1, err)
		}
		p := st.Packet(i, data)
		if err := ex.packet(bw, d, &p, i, k); err != nil {
			return done, err
		}
		done++
	}
	if err := ex.end(bw); err != nil {
		return done, err
	}
	if err := bw.Flush(); err != nil {
		return done, err
	}
	if opt.Progress != nil {
		opt.Progress(total, total)
	}
	return done, nil
}

// firstPass dissects, in frame order, the packets up to index last that
// have not had their first pass in ds.
func firstPass(ctx context.Context, st *Store, ds *dissect.State, last int) error {
	d := dissect.NewDissector(ds)
	var buf []byte
	for i := ds.Done(); i <= last; i++ {
		if i&4095 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		buf = growBuf(buf, st.Info(i).CapLen)
		data, err := st.Data(i, buf)
		if err != nil {
			return fmt.Errorf("export: packet %d: %w", i+1, err)
		}
		p := st.Packet(i, data)
		d.Summary(&p)
	}
	return nil
}

// exporter writes one export format: begin, one packet per call (k is its
// position in the export), end.
type exporter interface {
	begin(w *bufio.Writer) error
	packet(w *bufio.Writer, d *dissect.Dissector, p *dissect.Packet, i, k int) error
	end(w *bufio.Writer) error
}

// textExporter prints each tree followed by an empty line, as `tshark -V`
// (and `kaiseki -r F -V`) does.
type textExporter struct{ b []byte }

func (*textExporter) begin(*bufio.Writer) error { return nil }
func (*textExporter) end(*bufio.Writer) error   { return nil }

func (e *textExporter) packet(w *bufio.Writer, d *dissect.Dissector, p *dissect.Packet, _, _ int) error {
	t, _ := d.Tree(p)
	e.b = append(t.AppendText(e.b[:0]), '\n')
	_, err := w.Write(e.b)
	return err
}

// csvExporter writes the packet list: a header row, then one row per
// packet, every field quoted and lines ended by CRLF (RFC 4180).
type csvExporter struct {
	rows rowCache
	cols []Column
	cell func(r *Row, col Column) string
	b    []byte
}

func newCSVExporter(st *Store, ds *dissect.State, opt ExportOptions) *csvExporter {
	e := &csvExporter{cols: opt.Columns, cell: opt.Cell}
	if e.cols == nil {
		for c := range NumColumns {
			e.cols = append(e.cols, c)
		}
	}
	if e.cell == nil {
		e.cell = DefaultCell
	}
	// A private row cache: rows are built by a dissector of this export's
	// own, without touching the window's cache.
	e.rows.init()
	e.rows.reset(st, ds)
	return e
}

func (e *csvExporter) begin(w *bufio.Writer) error {
	b := e.b[:0]
	for k, c := range e.cols {
		if k > 0 {
			b = append(b, ',')
		}
		b = AppendCSVField(b, c.String())
	}
	b = append(b, '\r', '\n')
	e.b = b
	_, err := w.Write(b)
	return err
}

func (*csvExporter) end(*bufio.Writer) error { return nil }

func (e *csvExporter) packet(w *bufio.Writer, _ *dissect.Dissector, _ *dissect.Packet, i, _ int) error {
	r := e.rows.build(i)
	b := e.b[:0]
	for k, c := range e.cols {
		if k > 0 {
			b = append(b, ',')
		}
		b = AppendCSVField(b, e.cell(&r, c))
	}
	b = append(b, '\r', '\n')
	e.b = b
	_, err := w.Write(b)
	return err
}

// AppendCSVField appends s as one quoted CSV field (RFC 4180): in double
// quotes, with each double quote doubled. Wireshark quotes every field too,
// so a spreadsheet never mistakes "80" for a number to reformat.
func AppendCSVField(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// jsonExporter writes the trees in the shape of `tshark -T json`: an array
// of {"_index", "_type", "_score", "_source": {"layers": {...}}}, each layer
// an object keyed by field abbreviations (text labels by their text), a
// field with children followed by "abbrev_tree", values as `-T fields`
// prints them, duplicate keys kept as tshark keeps them.
type jsonExporter struct {
	b []byte
	n int // packets written
}

// begin, packet and end lay the array out as tshark does: "[", then
// "\n  {...}" per packet separated by ",", then "\n]\n" ("[]\n" when empty).
func (*jsonExporter) begin(w *bufio.Writer) error {
	_, err := w.WriteString("[")
	return err
}

func (e *jsonExporter) end(w *bufio.Writer) error {
	if e.n > 0 {
		w.WriteByte('\n')
	}
	_, err := w.WriteString("]\n")
	return err
}

func (e *jsonExporter) packet(w *bufio.Writer, d *dissect.Dissector, p *dissect.Packet, _, _ int) error {
	t, _ := d.TreeAll(p)
	b := e.b[:0]
	if e.n > 0 {
		b = append(b, ',')
	}
	e.n++
	b = append(b, "\n  {\n    \"_index\": \"packets-"...)
	b = time.Unix(p.Sec, int64(p.Nsec)).AppendFormat(b, "2006-01-02")
	b = append(b, "\",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {\n"...)
	b = appendJSONNodes(b, t.Nodes, 8)
	b = append(b, "\n      }\n    }\n  }"...)
	e.b = b
	_, err := w.Write(b)
	return err
}

// appendJSONNodes appends the members of an object for nodes, indented by
// indent spaces.
func appendJSONNodes(b []byte, nodes []*dissect.Node, indent int) []byte {
	first := true
	member := func(key string) {
		if !first {
			b = append(b, ",\n"...)
		}
		first = false
		for range indent {
			b = append(b, ' ')
		}
		b = appendJSONString(b, key)
		b = append(b, ": "...)
	}
	object := func(kids []*dissect.Node) {
		b = append(b, "{\n"...)
		b = appendJSONNodes(b, kids, indent+2)
		b = append(b, '\n')
		for range indent {
			b = append(b, ' ')
		}
		b = append(b, '}')
	}
	for _, n := range nodes {
		key := n.Abbrev()
		if n.Label() {
			key = n.Text
		}
		member(key)
		if n.Label() || n.Field.Type == dissect.FTProtocol || n.Field.Type == dissect.FTNone {
			// No value of their own: the children are the value.
			if len(n.Kids) == 0 {
				b = append(b, `""`...)
			} else {
				object(n.Kids)
			}
			continue
		}
		b = appendJSONString(b, string(n.ValueText(nil)))
		if len(n.Kids) > 0 {
			member(key + "_tree")
			object(n.Kids)
		}
	}
	return b
}

// appendJSONString appends s as a JSON string. Like tshark's JSON dumper
// it leaves non-ASCII UTF-8 as it is and escapes only what JSON requires;
// bytes that are not UTF-8 become U+FFFD so the output stays valid JSON.
func appendJSONString(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			if c < 0x20 || c == 0x7f {
				b = append(b, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&15])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}
