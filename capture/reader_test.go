package capture_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/kaiseki-app/kaiseki/capture"
)

// gotRec is a record as read, with a copy of its bytes.
type gotRec struct {
	rec  capture.Record
	data []byte
}

// readAll reads every record of rd until an error, copying the bytes (the
// reader owns them).
func readAll(rd *capture.Reader) ([]gotRec, error) {
	var out []gotRec
	for {
		rec, data, err := rd.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, err
		}
		out = append(out, gotRec{rec, append([]byte{}, data...)})
	}
}

// checkRecs compares records with what the fixture promises.
func checkRecs(t *testing.T, got []gotRec, want []wantRec) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("read %d records, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		r := g.rec
		if r.Kind != w.kind || r.HasTime != w.hasTime || r.Iface != w.iface || int(r.CapLen) != w.capLen || int(r.OrigLen) != w.origLen {
			t.Errorf("record %d: kind %d time %v iface %d caplen %d origlen %d; want kind %d time %v iface %d caplen %d origlen %d",
				i+1, r.Kind, r.HasTime, r.Iface, r.CapLen, r.OrigLen, w.kind, w.hasTime, w.iface, w.capLen, w.origLen)
		}
		if r.PEN != w.pen || r.NoCopy != w.noCopy {
			t.Errorf("record %d: PEN %d no-copy %v, want %d %v", i+1, r.PEN, r.NoCopy, w.pen, w.noCopy)
		}
		if w.hasTime && r.TS != w.ts {
			t.Errorf("record %d: ts %s, want %s", i+1, nsString(r.TS), nsString(w.ts))
		}
		if !reflect.DeepEqual(r.Comments, w.comments) {
			t.Errorf("record %d: comments %q, want %q", i+1, r.Comments, w.comments)
		}
		if !bytes.Equal(g.data, w.data) {
			t.Errorf("record %d: data differs:\n got %x\nwant %x", i+1, g.data, w.data)
		}
	}
}

func nsString(ns int64) string { return fmt.Sprintf("%d.%09d", ns/1e9, ns%1e9) }

func checkIfaces(t *testing.T, ifs []capture.Interface, f fixture) {
	t.Helper()
	if len(ifs) != len(f.links) {
		t.Fatalf("%d interfaces, want %d", len(ifs), len(f.links))
	}
	for i, in := range ifs {
		if in.LinkType != f.links[i] {
			t.Errorf("interface %d: link type %d, want %d", i, in.LinkType, f.links[i])
		}
		if f.tsres != nil && in.TSResolution != f.tsres[i] {
			t.Errorf("interface %d: resolution %d digits, want %d", i, in.TSResolution, f.tsres[i])
		}
	}
}

// slowReader hands out at most 3 bytes per call after a pause, like a pipe
// fed by a slow capture helper.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(p []byte) (int, error) {
	time.Sleep(time.Microsecond)
	return s.r.Read(p[:min(len(p), 3)])
}

// sources builds the same bytes behind the readers the reader must support.
var sources = []struct {
	name string
	wrap func([]byte) io.Reader
}{
	{"bytes", func(b []byte) io.Reader { return bytes.NewReader(b) }},
	{"one-byte", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
	{"slow", func(b []byte) io.Reader { return slowReader{bytes.NewReader(b)} }},
	{"half", func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) }},
}

func TestReadFixtures(t *testing.T) {
	for _, f := range fixtures(t) {
		cut := strings.Contains(f.name, "cut")
		for _, src := range sources {
			t.Run(f.name+"/"+src.name, func(t *testing.T) {
				rd, err := capture.NewReader(src.wrap(f.data), f.name)
				if err != nil {
					t.Fatal(err)
				}
				if rd.Format() != f.format || rd.Gzipped() != f.gz {
					t.Errorf("format %s gzip %v, want %s %v", rd.Format(), rd.Gzipped(), f.format, f.gz)
				}
				got, err := readAll(rd)
				if cut != errors.Is(err, capture.ErrTruncated) || (!cut && err != nil) {
					t.Errorf("error %v, want truncated=%v", err, cut)
				}
				checkRecs(t, got, f.recs)
				checkIfaces(t, rd.Interfaces(), f)
			})
		}
		if f.gz {
			continue // the memory reader refuses gzip: Open inflates first
		}
		t.Run(f.name+"/memory", func(t *testing.T) {
			rd, err := capture.NewMemReader(f.data, f.name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(rd)
			if cut != errors.Is(err, capture.ErrTruncated) || (!cut && err != nil) {
				t.Errorf("error %v, want truncated=%v", err, cut)
			}
			checkRecs(t, got, f.recs)
			// Offsets point at the packet bytes in the input.
			for i, g := range got {
				if !bytes.Equal(f.data[g.rec.Off:g.rec.Off+int64(g.rec.CapLen)], g.data) {
					t.Errorf("record %d: Off %d does not address its bytes", i+1, g.rec.Off)
				}
			}
		})
	}
}

// TestOpenFixtures reads every fixture through Open and the Store, the path
// the application and the CLI use.
func TestOpenFixtures(t *testing.T) {
	dir := t.TempDir()
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			path := filepath.Join(dir, f.name)
			if err := os.WriteFile(path, f.data, 0o644); err != nil {
				t.Fatal(err)
			}
			cf, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer cf.Close()
			if cf.Format != f.format || cf.Gzipped != f.gz || cf.Size != int64(len(f.data)) {
				t.Errorf("format %s gzip %v size %d, want %s %v %d", cf.Format, cf.Gzipped, cf.Size, f.format, f.gz, len(f.data))
			}
			var visited []gotRec
			err = cf.Load(t.Context(), func(i int, rec capture.Record, data []byte) error {
				if i != len(visited) {
					t.Errorf("visit index %d, want %d", i, len(visited))
				}
				visited = append(visited, gotRec{rec, append([]byte{}, data...)})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if cut := strings.Contains(f.name, "cut"); cut != (cf.Warning != "") {
				t.Errorf("warning %q, want one: %v", cf.Warning, cut)
			}
			checkRecs(t, visited, f.recs)
			s := cf.Store
			if s.Len() != len(f.recs) {
				t.Fatalf("Store.Len %d, want %d", s.Len(), len(f.recs))
			}
			checkIfaces(t, s.Interfaces(), f)
			var fromStore []gotRec
			for i := range s.Len() {
				in := s.Info(i)
				data, err := s.Data(i, nil)
				if err != nil {
					t.Fatal(err)
				}
				rec := capture.Record{
					Kind: in.Kind, HasTime: in.HasTime, Iface: in.Iface, TS: in.TS,
					CapLen: uint32(in.CapLen), OrigLen: uint32(in.OrigLen), Comments: s.Comments(i),
					PEN: in.PEN, NoCopy: in.NoCopy,
				}
				fromStore = append(fromStore, gotRec{rec, data})
			}
			checkRecs(t, fromStore, f.recs)
		})
	}
}

// TestPcapgoAgreement reads the same bytes with gopacket's pcapgo readers,
// an independent implementation.
func TestPcapgoAgreement(t *testing.T) {
	for _, f := range fixtures(t) {
		if f.noPcapgo {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			raw := f.data
			if f.gz {
				zr, err := gzip.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				if raw, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			type ref struct {
				ts         int64
				cap, orig  int
				link       uint16
				data       []byte
				comments   []string
				hasComment bool
			}
			var refs []ref
			if f.format == capture.FormatPcap {
				r, err := pcapgo.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				for {
					data, ci, err := r.ReadPacketData()
					if err != nil {
						break
					}
					refs = append(refs, ref{ts: ci.Timestamp.UnixNano(), cap: ci.CaptureLength, orig: ci.Length, link: uint16(r.LinkType()), data: data})
				}
			} else {
				r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.NgReaderOptions{WantMixedLinkType: true})
				if err != nil {
					t.Fatal(err)
				}
				for {
					data, ci, opts, err := r.ReadPacketDataWithOptions()
					if err != nil {
						break
					}
					lt, _ := ci.AncillaryData[0].(layers.LinkType)
					refs = append(refs, ref{ts: ci.Timestamp.UnixNano(), cap: ci.CaptureLength, orig: ci.Length,
						link: uint16(lt), data: data, comments: opts.Comments, hasComment: true})
				}
			}
			rd, err := capture.NewReader(bytes.NewReader(f.data), f.name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(rd)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(refs) {
				t.Fatalf("%d records, gopacket reads %d", len(got), len(refs))
			}
			for i, g := range got {
				r := refs[i]
				link := rd.Interfaces()[g.rec.Iface].LinkType
				if int(g.rec.CapLen) != r.cap || int(g.rec.OrigLen) != r.orig || link != r.link || !bytes.Equal(g.data, r.data) {
					t.Errorf("record %d: caplen %d origlen %d link %d; gopacket: %d %d %d", i+1, g.rec.CapLen, g.rec.OrigLen, link, r.cap, r.orig, r.link)
				}
				if f.exactForPcapgo && g.rec.TS != r.ts {
					t.Errorf("record %d: ts %s, gopacket %s", i+1, nsString(g.rec.TS), nsString(r.ts))
				}
				if r.hasComment && !reflect.DeepEqual(g.rec.Comments, r.comments) {
					t.Errorf("record %d: comments %q, gopacket %q", i+1, g.rec.Comments, r.comments)
				}
			}
		})
	}
}

// recordEnds walks a (non-gzip) capture's framing independently of the
// reader: it returns the offset where the file header ends, the end of every
// block or record, and the end offsets of the records the reader returns.
func recordEnds(t *testing.T, b []byte) (header int, blocks map[int]bool, recs []int) {
	t.Helper()
	blocks = map[int]bool{}
	if binary.LittleEndian.Uint32(b) != 0x0A0D0D0A {
		bo := binary.ByteOrder(binary.LittleEndian)
		if m := binary.BigEndian.Uint32(b); m == 0xa1b2c3d4 || m == 0xa1b23c4d {
			bo = binary.BigEndian
		}
		off := 24
		for off+16 <= len(b) {
			end := off + 16 + int(bo.Uint32(b[off+8:]))
			if end > len(b) {
				break
			}
			blocks[end] = true
			recs = append(recs, end)
			off = end
		}
		return 24, blocks, recs
	}
	var bo binary.ByteOrder = binary.LittleEndian
	off := 0
	for off+12 <= len(b) {
		typ := binary.LittleEndian.Uint32(b[off:])
		if typ == 0x0A0D0D0A {
			bo = binary.LittleEndian
			if binary.BigEndian.Uint32(b[off+8:]) == 0x1A2B3C4D {
				bo = binary.BigEndian
			}
		} else {
			typ = bo.Uint32(b[off:])
		}
		end := off + int(bo.Uint32(b[off+4:]))
		if end > len(b) {
			break
		}
		if off == 0 {
			header = end
		}
		blocks[end] = true
		switch typ {
		case 2, 3, 6, 0xBAD, 0x40000BAD:
			recs = append(recs, end)
		}
		off = end
	}
	return header, blocks, recs
}

// TestTruncatedEveryLength cuts fixtures at every length: each complete
// record is returned, then an error wrapping ErrTruncated; a cut exactly
// between records reads as a complete file.
func TestTruncatedEveryLength(t *testing.T) {
	for _, f := range fixtures(t) {
		if f.gz || strings.Contains(f.name, "cut") || strings.HasPrefix(f.name, "fx-be") {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			header, blocks, ends := recordEnds(t, f.data)
			if len(ends) != len(f.recs) {
				t.Fatalf("framing walk found %d records, want %d", len(ends), len(f.recs))
			}
			for n := 0; n <= len(f.data); n++ {
				in := f.data[:n:n]
				complete := 0
				for complete < len(ends) && ends[complete] <= n {
					complete++
				}
				boundary := n == header || blocks[n]
				for _, mode := range []string{"stream", "memory"} {
					var rd *capture.Reader
					var err error
					if mode == "stream" {
						rd, err = capture.NewReader(bytes.NewReader(in), "cut")
					} else {
						rd, err = capture.NewMemReader(in, "cut")
					}
					var got []gotRec
					if err == nil {
						got, err = readAll(rd)
					}
					switch {
					case n == 0:
						if !errors.Is(err, capture.ErrNotCapture) {
							t.Fatalf("%s: empty input: %v, want ErrNotCapture", mode, err)
						}
					case boundary:
						if err != nil {
							t.Fatalf("%s: cut at %d, a record boundary: %v", mode, n, err)
						}
					default:
						if !errors.Is(err, capture.ErrTruncated) {
							t.Fatalf("%s: cut at %d: error %v, want ErrTruncated", mode, n, err)
						}
					}
					if len(got) != complete {
						t.Fatalf("%s: cut at %d: %d records, want %d", mode, n, len(got), complete)
					}
					checkRecs(t, got, f.recs[:complete])
				}
			}
		})
	}
}

// TestTruncatedGzip cuts a gzip file at every length: what can be inflated
// is read, records come out as a prefix of the full list, and the end is
// reported as truncation.
func TestTruncatedGzip(t *testing.T) {
	var f fixture
	for _, x := range fixtures(t) {
		if x.gz {
			f = x
		}
	}
	prev := 0
	for n := 1; n < len(f.data); n++ {
		rd, err := capture.NewReader(bytes.NewReader(f.data[:n]), "cut.gz")
		var got []gotRec
		if err == nil {
			got, err = readAll(rd)
		}
		if !errors.Is(err, capture.ErrTruncated) {
			t.Fatalf("cut at %d of %d: %v, want ErrTruncated", n, len(f.data), err)
		}
		if len(got) < prev {
			t.Fatalf("cut at %d: %d records, fewer than %d at a shorter cut", n, len(got), prev)
		}
		prev = len(got)
		checkRecs(t, got, f.recs[:len(got)])
	}
	if prev < len(f.recs)-1 {
		t.Errorf("with only the gzip trailer missing, %d of %d records were read", prev, len(f.recs))
	}
}

// TestOpenTruncated checks that Open/Load keep every complete packet of a
// cut file and say so in Warning, including a cut gzip stream.
func TestOpenTruncated(t *testing.T) {
	dir := t.TempDir()
	fs := fixtures(t)
	for _, f := range fs {
		if f.name != "fx-sample.pcapng" && f.name != "fx-sample.pcapng.gz" {
			continue
		}
		for _, cut := range []int{len(f.data) - 1, len(f.data) - 8, len(f.data) * 2 / 3} {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d", f.name, cut))
			if err := os.WriteFile(path, f.data[:cut], 0o644); err != nil {
				t.Fatal(err)
			}
			cf, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := cf.Load(t.Context(), nil); err != nil {
				t.Fatal(err)
			}
			// A gzip file cut in its trailer still holds every packet.
			if cf.Warning == "" || cf.Store.Len() > len(f.recs) || cf.Store.Len() == 0 || (!f.gz && cf.Store.Len() == len(f.recs)) {
				t.Errorf("%s cut at %d: %d packets, warning %q", f.name, cut, cf.Store.Len(), cf.Warning)
			}
			for i := range cf.Store.Len() {
				data, _ := cf.Store.Data(i, nil)
				if !bytes.Equal(data, f.recs[i].data) {
					t.Errorf("%s cut at %d: packet %d differs", f.name, cut, i+1)
				}
			}
			cf.Close()
		}
	}
}

func TestNotCapture(t *testing.T) {
	zipHead := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	tests := []struct {
		name string
		data []byte
		kind string
	}{
		{"x.txt", []byte("hello, this is text\nsecond line\n"), "looks like text"},
		{"short.txt", []byte("hi"), "looks like text"},
		{"empty", nil, "empty file"},
		{"doc.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "looks like a PDF document"},
		{"a.zip", zipHead, "looks like a zip archive"},
		{"prog", []byte("\x7fELF\x02\x01\x01\x00"), "looks like an executable"},
		{"blob", []byte{0, 1, 2, 3, 4, 5, 6, 7}, "unknown binary data"},
		{"x.bz2", []byte("BZh91AY&SY"), "looks like bzip2 data"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.name + ": not a pcap or pcapng file (" + tt.kind + ")"
			_, err := capture.NewReader(bytes.NewReader(tt.data), tt.name)
			if !errors.Is(err, capture.ErrNotCapture) || err.Error() != want {
				t.Errorf("NewReader: %v, want %q", err, want)
			}
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = capture.Open(path)
			want = path + ": not a pcap or pcapng file (" + tt.kind + ")"
			if !errors.Is(err, capture.ErrNotCapture) || err.Error() != want {
				t.Errorf("Open: %v, want %q", err, want)
			}
		})
	}
	// Gzip-compressed text is still not a capture.
	_, err := capture.NewReader(bytes.NewReader(gzipped(t, []byte("just text\n"))), "t.gz")
	if !errors.Is(err, capture.ErrNotCapture) || !strings.Contains(err.Error(), "looks like text") {
		t.Errorf("gzip text: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "secret.pcap")
	if err := os.WriteFile(unreadable, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		path   string
		is     error
		substr string
	}{
		{"missing", filepath.Join(dir, "nope.pcap"), fs.ErrNotExist, "no such file"},
		{"directory", dir, nil, "is a directory"},
		{"unreadable", unreadable, fs.ErrPermission, "permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "unreadable" && os.Geteuid() == 0 {
				t.Skip("running as root: a mode-000 file is readable")
			}
			_, err := capture.Open(tt.path)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%v does not wrap %v", err, tt.is)
			}
			if !strings.Contains(msg, tt.substr) || strings.Contains(msg, "\n") || strings.Count(msg, tt.path) != 1 {
				t.Errorf("message %q: want one line naming %s once and saying %q", msg, tt.path, tt.substr)
			}
		})
	}
}

// TestStreamingPipe proves the reader returns a packet as soon as its bytes
// arrive, without waiting for the end of the stream (live capture reads a
// helper's stdout this way).
func TestStreamingPipe(t *testing.T) {
	for _, f := range fixtures(t) {
		if f.name != "fx-sample.pcap" && f.name != "fx-sample.pcapng" {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			_, _, ends := recordEnds(t, f.data)
			pr, pw := io.Pipe()
			defer pr.Close()
			go pw.Write(f.data[:ends[1]]) // two records, then the writer stalls
			type result struct {
				n   int
				err error
			}
			done := make(chan result, 1)
			go func() {
				rd, err := capture.NewReader(pr, f.name)
				if err != nil {
					done <- result{0, err}
					return
				}
				n := 0
				for range 2 {
					if _, _, err := rd.Next(); err != nil {
						done <- result{n, err}
						return
					}
					n++
				}
				done <- result{n, nil}
			}()
			select {
			case r := <-done:
				if r.err != nil || r.n != 2 {
					t.Fatalf("read %d packets, error %v", r.n, r.err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the reader waited for more than the two packets it needed")
			}
			pw.Close()
		})
	}
}

// TestCorrupt checks that impossible framing is reported as corruption
// after the good records, not as truncation or a panic.
func TestCorrupt(t *testing.T) {
	var sample fixture
	for _, f := range fixtures(t) {
		if f.name == "fx-sample.pcapng" {
			sample = f
		}
	}
	_, _, ends := recordEnds(t, sample.data)
	first := ends[0]
	tests := []struct {
		name  string
		patch func(b []byte)
		recs  int
	}{
		{"block length not a multiple of 4", func(b []byte) { binary.LittleEndian.PutUint32(b[first+4:], 33) }, 1},
		{"block length too small", func(b []byte) { binary.LittleEndian.PutUint32(b[first+4:], 8) }, 1},
		{"block length huge", func(b []byte) { binary.LittleEndian.PutUint32(b[first+4:], 1<<30) }, 1},
		{"trailer differs", func(b []byte) { binary.LittleEndian.PutUint32(b[ends[1]-4:], 4) }, 1},
		{"unknown interface", func(b []byte) { binary.LittleEndian.PutUint32(b[first+8:], 7) }, 1},
		{"caplen beyond block", func(b []byte) { binary.LittleEndian.PutUint32(b[first+20:], 5000) }, 1},
		{"bad byte-order magic", func(b []byte) { b[8] ^= 0xff }, -1},
		{"unsupported version", func(b []byte) { b[12], b[13] = 2, 0 }, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := append([]byte{}, sample.data...)
			tt.patch(b)
			rd, err := capture.NewReader(bytes.NewReader(b), "bad")
			if tt.recs < 0 {
				if err == nil || errors.Is(err, capture.ErrTruncated) || !strings.Contains(err.Error(), "corrupt") {
					t.Fatalf("NewReader: %v, want a corruption error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(rd)
			if err == nil || errors.Is(err, capture.ErrTruncated) || !strings.Contains(err.Error(), "corrupt") {
				t.Errorf("error %v, want a corruption error", err)
			}
			if len(got) != tt.recs {
				t.Errorf("%d records before the error, want %d", len(got), tt.recs)
			}
			// The error is sticky.
			if _, _, err2 := rd.Next(); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("second Next: %v, want the same error", err2)
			}
		})
	}
}
