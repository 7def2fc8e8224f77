package cli

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// fieldPrinter prints `-T fields` rows.
type fieldPrinter struct {
	fields     []*dissect.Field
	want       []bool
	header     func(out *bufio.Writer)
	sep        string
	occurrence byte // 'f', 'l' or 'a'
	aggregator string
	quote      byte // 0, '"' or '\''
	names      []string
	buf        []byte
	hdr        bool
}

func newFieldPrinter(names []string, opts []string) (*fieldPrinter, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("-T fields requires at least one -e FIELD")
	}
	reg := dissect.Fields()
	fp := &fieldPrinter{sep: "\t", occurrence: 'a', aggregator: ",", want: make([]bool, reg.Len()), names: names}
	for _, n := range names {
		f := reg.Lookup(n)
		if f == nil {
			msg := fmt.Sprintf("-e %s: unknown field", n)
			if s := reg.Suggest(n); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			return nil, fmt.Errorf("%s", msg)
		}
		fp.fields = append(fp.fields, f)
		fp.want[f.ID()] = true
	}
	for _, o := range opts {
		k, v, ok := strings.Cut(o, "=")
		if !ok {
			return nil, fmt.Errorf("-E %s: expected KEY=VALUE", o)
		}
		switch k {
		case "header":
			fp.hdr = v == "y"
		case "separator":
			switch v {
			case "/t":
				fp.sep = "\t"
			case "/s":
				fp.sep = " "
			default:
				fp.sep = v
			}
		case "occurrence":
			switch v {
			case "f", "l", "a":
				fp.occurrence = v[0]
			default:
				if _, err := strconv.Atoi(v); err != nil {
					return nil, fmt.Errorf("-E occurrence=%s: use f, l, a or a number", v)
				}
				fp.occurrence = 'a'
			}
		case "aggregator":
			switch v {
			case "/s":
				fp.aggregator = " "
			default:
				fp.aggregator = v
			}
		case "quote":
			switch v {
			case "d":
				fp.quote = '"'
			case "s":
				fp.quote = '\''
			case "n":
				fp.quote = 0
			default:
				return nil, fmt.Errorf("-E quote=%s: use d, s or n", v)
			}
		case "bom", "escape":
		default:
			return nil, fmt.Errorf("-E %s: unknown option", k)
		}
	}
	fp.header = func(out *bufio.Writer) {
		if !fp.hdr {
			return
		}
		out.WriteString(strings.Join(names, fp.sep))
		out.WriteByte('\n')
	}
	return fp, nil
}

// columns reports whether a printed field is a summary column (_ws.col.*).
func (fp *fieldPrinter) columns() bool {
	for _, f := range fp.fields {
		if dissect.ColumnField(f) {
			return true
		}
	}
	return false
}

func (fp *fieldPrinter) print(out lineWriter, p *dissect.Packet, items []dissect.Item, sum *dissect.Summary) {
	for fi, f := range fp.fields {
		if fi > 0 {
			out.WriteString(fp.sep)
		}
		if fp.quote != 0 {
			out.WriteByte(fp.quote)
		}
		if dissect.ColumnField(f) {
			out.Write(columnValue(fp.buf[:0], f, p, sum))
		} else {
			n := 0
			last := -1
			for i := range items {
				if items[i].Field != f {
					continue
				}
				if fp.occurrence == 'l' {
					last = i
					continue
				}
				if n > 0 {
					out.WriteString(fp.aggregator)
				}
				fp.buf = dissect.FieldText(fp.buf[:0], &items[i])
				out.Write(fp.buf)
				n++
				if fp.occurrence == 'f' {
					break
				}
			}
			if last >= 0 {
				fp.buf = dissect.FieldText(fp.buf[:0], &items[last])
				out.Write(fp.buf)
			}
		}
		if fp.quote != 0 {
			out.WriteByte(fp.quote)
		}
	}
	out.WriteByte('\n')
}

func columnValue(dst []byte, f *dissect.Field, p *dissect.Packet, sum *dissect.Summary) []byte {
	switch f.Name {
	case "No.":
		return strconv.AppendInt(dst, int64(p.Num), 10)
	case "Time":
		return appendRelTime(dst, p.TS-p.FirstTS)
	case "Source":
		return append(dst, sum.Src...)
	case "Destination":
		return append(dst, sum.Dst...)
	case "Protocol":
		return append(dst, sum.Protocol...)
	case "Length":
		return strconv.AppendInt(dst, int64(p.OrigLen), 10)
	case "Info":
		return append(dst, sum.Info...)
	}
	return dst
}

// appendRelTime appends seconds with nine decimals, without allocating.
func appendRelTime(dst []byte, ns int64) []byte {
	if ns < 0 {
		dst = append(dst, '-')
		ns = -ns
	}
	dst = strconv.AppendInt(dst, ns/1e9, 10)
	frac := ns % 1e9
	var d [10]byte
	d[0] = '.'
	for i := 9; i >= 1; i-- {
		d[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(dst, d[:]...)
}

// summaryPrinter prints one line per packet like `tshark -r`. It reuses
// one line buffer, so printing allocates nothing per packet.
type summaryPrinter struct{ buf []byte }

func (sp *summaryPrinter) print(out lineWriter, p *dissect.Packet, sum *dissect.Summary) {
	var num [24]byte
	b := sp.buf[:0]
	b = padLeft(b, strconv.AppendInt(num[:0], int64(p.Num), 10), 5)
	b = append(b, ' ')
	if p.HasTime {
		var t [32]byte
		ts := appendRelTime(t[:0], p.TS-p.FirstTS)
		// tshark prints six decimals for microsecond files; nine always is exact.
		b = padLeft(b, ts, 12)
	} else {
		b = padLeft(b, nil, 12)
	}
	b = append(b, ' ')
	b = append(b, sum.Src...)
	if len(sum.Src) > 0 || len(sum.Dst) > 0 {
		b = append(b, " → "...)
	}
	b = append(b, sum.Dst...)
	b = append(b, ' ')
	b = append(b, sum.Protocol...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(p.OrigLen), 10)
	b = append(b, ' ')
	b = append(b, sum.Info...)
	b = append(b, '\n')
	out.Write(b)
	sp.buf = b
}

func padLeft(dst, s []byte, w int) []byte {
	for i := len(s); i < w; i++ {
		dst = append(dst, ' ')
	}
	return append(dst, s...)
}

// printTree prints a protocol tree like `tshark -V` (dissect.Tree.WriteText,
// shared with the window's plain-text export).
func printTree(out lineWriter, t *dissect.Tree, _ *dissect.Summary) {
	_ = t.WriteText(out) // a bufio.Writer keeps its error for Flush
}

// printHex prints offset, 16 hex bytes and ASCII per line exactly like
// `tshark -x`: "0000  ff ff ... 00 01   ........". It builds each line in a
// stack buffer, so it does not allocate.
func printHex(out lineWriter, data []byte) {
	const hexd = "0123456789abcdef"
	var line [6 + 16*3 + 2 + 16 + 1]byte
	for off := 0; off < len(data); off += 16 {
		chunk := data[off:min(off+16, len(data))]
		b := append(line[:0], hexd[off>>12&15], hexd[off>>8&15], hexd[off>>4&15], hexd[off&15], ' ', ' ')
		for i := 0; i < 16; i++ {
			if i < len(chunk) {
				b = append(b, hexd[chunk[i]>>4], hexd[chunk[i]&15], ' ')
			} else {
				b = append(b, ' ', ' ', ' ')
			}
		}
		b = append(b, ' ', ' ')
		for _, c := range chunk {
			if c < 0x20 || c >= 0x7f {
				c = '.'
			}
			b = append(b, c)
		}
		b = append(b, '\n')
		out.Write(b)
	}
}
