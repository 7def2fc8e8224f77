package capture

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const sharedCaptures = "../../shared/captures"

// loadAll opens path and indexes every packet.
func loadAll(t *testing.T, path string) *File {
	t.Helper()
	cf, err := Open(path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { cf.Close() })
	if err := cf.Load(context.Background(), nil); err != nil {
		t.Fatalf("load: %v", err)
	}
	return cf
}

type pktSummary struct {
	ts        int64
	hasTime   bool
	capLen    int
	origLen   int
	linkType  uint16
	data      []byte
	comments  string
	tsDigits  int
	ifaceName string
}

func summarize(t *testing.T, cf *File) []pktSummary {
	t.Helper()
	var out []pktSummary
	ifs := cf.Store.Interfaces()
	for i := 0; i < cf.Store.Len(); i++ {
		in := cf.Store.Info(i)
		if in.Kind != KindPacket {
			continue
		}
		d, err := cf.Store.Data(i, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pktSummary{
			ts: in.TS, hasTime: in.HasTime, capLen: in.CapLen, origLen: in.OrigLen,
			linkType: ifs[in.Iface].LinkType, data: append([]byte(nil), d...),
			comments: strings.Join(cf.Store.Comments(i), "\x00"), tsDigits: ifs[in.Iface].TSResolution,
			ifaceName: ifs[in.Iface].Name,
		})
	}
	return out
}

// TestSaveRoundTrip saves every shared capture as pcapng (and as pcap where
// it has one link type) and reads it back: same packets, bytes, timestamps
// to the source's resolution, link types and comments.
func TestSaveRoundTrip(t *testing.T) {
	dir, _ := filepath.Abs(sharedCaptures)
	files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
	more, _ := filepath.Glob(filepath.Join(dir, "malformed", "*.*"))
	files = append(files, more...)
	sort.Strings(files)
	if len(files) == 0 {
		t.Skipf("no shared captures at %s: skipping round trips", dir)
	}
	out := t.TempDir()
	for _, src := range files {
		if strings.HasSuffix(src, ".md") {
			continue
		}
		name := filepath.Base(src)
		t.Run(name, func(t *testing.T) {
			cf, err := Open(src)
			if err != nil {
				t.Skipf("not readable: %v", err)
			}
			defer cf.Close()
			if err := cf.Load(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			want := summarize(t, cf)
			for _, f := range []Format{FormatPcapNG, FormatPcap} {
				dst := filepath.Join(out, name+"."+f.String())
				res, err := Save(context.Background(), dst, cf.Store, SaveOptions{Format: f})
				if f == FormatPcap && errors.Is(err, ErrMixedLinkTypes) {
					continue
				}
				if err != nil {
					t.Fatalf("save %v: %v", f, err)
				}
				got := summarize(t, loadAll(t, dst))
				if len(got) != len(want) || res.Written != len(want) {
					t.Fatalf("%v: %d packets back (%d written), want %d", f, len(got), res.Written, len(want))
				}
				for i := range want {
					w, g := want[i], got[i]
					wantTS := w.ts
					if !w.hasTime {
						wantTS = 0
					}
					if f == FormatPcap && g.tsDigits == 6 {
						wantTS -= wantTS % 1000
					}
					if g.ts != wantTS || g.capLen != w.capLen || g.origLen != w.origLen || g.linkType != w.linkType || !bytes.Equal(g.data, w.data) {
						t.Fatalf("%v packet %d differs:\n got  ts=%d cap=%d orig=%d lt=%d\n want ts=%d cap=%d orig=%d lt=%d",
							f, i+1, g.ts, g.capLen, g.origLen, g.linkType, wantTS, w.capLen, w.origLen, w.linkType)
					}
					if f == FormatPcapNG && (g.comments != w.comments || g.tsDigits != w.tsDigits || g.ifaceName != w.ifaceName) {
						t.Fatalf("pcapng packet %d: comments %q tsres %d iface %q, want %q %d %q",
							i+1, g.comments, g.tsDigits, g.ifaceName, w.comments, w.tsDigits, w.ifaceName)
					}
				}
			}
		})
	}
}

// failingWriter passes n bytes to w, then fails like a full disk.
type failingWriter struct {
	w io.Writer
	n int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errors.New("no space left on device")
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func TestSaveFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "testdata", "sample.pcapng")
	cf := loadAll(t, src)
	dst := filepath.Join(dir, "keep.pcapng")
	old := []byte("previous contents, byte for byte")
	if err := os.WriteFile(dst, old, 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("disk full midway", func(t *testing.T) {
		opt := SaveOptions{Format: FormatPcapNG, wrap: func(w io.Writer) io.Writer { return &failingWriter{w: w, n: 70000} }}
		_, err := Save(context.Background(), dst, cf.Store, opt)
		if err == nil || !strings.Contains(err.Error(), "no space left") {
			t.Fatalf("err = %v, want the writer's error", err)
		}
		assertFile(t, dst, old)
	})
	t.Run("cancelled midway", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Save(ctx, dst, cf.Store, SaveOptions{Format: FormatPcapNG}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		assertFile(t, dst, old)
	})
	t.Run("folder gone", func(t *testing.T) {
		_, err := Save(context.Background(), filepath.Join(dir, "nope", "x.pcapng"), cf.Store, SaveOptions{Format: FormatPcapNG})
		if err == nil || !strings.Contains(err.Error(), "nope") {
			t.Fatalf("err = %v, want one naming the missing folder", err)
		}
	})
	t.Run("mixed link types to pcap", func(t *testing.T) {
		s := NewStore(MemSource(make([]byte, 64)))
		s.SetInterfaces([]Interface{{LinkType: 1, TSMul: 1000, TSDiv: 1, TSResolution: 6}, {LinkType: 113, TSMul: 1000, TSDiv: 1, TSResolution: 6}})
		s.Append(Record{HasTime: true, Iface: 0, CapLen: 14, OrigLen: 14})
		s.Append(Record{HasTime: true, Iface: 1, CapLen: 16, OrigLen: 16})
		_, err := Save(context.Background(), dst, s, SaveOptions{Format: FormatPcap})
		if !errors.Is(err, ErrMixedLinkTypes) || !strings.Contains(err.Error(), "pcapng") {
			t.Fatalf("err = %v, want ErrMixedLinkTypes suggesting pcapng", err)
		}
		assertFile(t, dst, old)
	})
	// No temporary files are left behind by the failures.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestSaveOntoOpenFile(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "sample.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "open.pcapng")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cf := loadAll(t, path)
	n := cf.Store.Len()
	if _, err := Save(context.Background(), path, cf.Store, SaveOptions{Format: FormatPcapNG, Packets: []int{0, 1, 2}}); err != nil {
		t.Fatal(err)
	}
	// The open store still reads its (now unlinked) file.
	if d, err := cf.Store.Data(n-1, nil); err != nil || len(d) == 0 {
		t.Fatalf("store after save: %v", err)
	}
	back := loadAll(t, path)
	if back.Store.Len() != 3 {
		t.Fatalf("saved %d packets, want 3", back.Store.Len())
	}
}

func assertFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s changed: %q", path, got)
	}
}
