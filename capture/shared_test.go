package capture_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
)

// sharedCaptures holds the public sample captures and tshark's reference
// outputs, beside the repository (read in place, never copied into it).
const sharedCaptures = "../../shared/captures"

func needShared(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(sharedCaptures)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "refs")); err != nil {
		t.Skipf("shared captures not found at %s: skipping the comparison with tshark's references", dir)
	}
	return dir
}

// refRow is the part of a tshark -T fields row the reader decides.
type refRow struct {
	epoch   string // frame.time_epoch, empty for records without a time
	len     int
	capLen  int
	pcapng  bool // a custom block listed as a frame
	rowText string
}

func readRefRows(t *testing.T, path string) []refRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var cols map[string]int
	var rows []refRow
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = map[string]int{}
			for i, c := range cells {
				cols[c] = i
			}
			continue
		}
		cell := func(name string) string {
			if i, ok := cols[name]; ok && i < len(cells) {
				return cells[i]
			}
			return ""
		}
		l, _ := strconv.Atoi(cell("frame.len"))
		c, _ := strconv.Atoi(cell("frame.cap_len"))
		rows = append(rows, refRow{epoch: cell("frame.time_epoch"), len: l, capLen: c,
			pcapng: cell("_ws.col.Protocol") == "PCAPNG", rowText: sc.Text()})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

var capinfosCount = regexp.MustCompile(`(?m)^Number of packets:\s+(\d+)`)

// epoch formats ns since the epoch as tshark's frame.time_epoch.
func epoch(ns int64) string {
	return strconv.FormatInt(ns/1e9, 10) + "." + strconv.FormatInt(ns%1e9+1e9, 10)[1:]
}

// TestSharedCaptures reads every shared capture through Open and compares
// packet counts with capinfos and each frame's time, length and captured
// length with tshark's references.
func TestSharedCaptures(t *testing.T) {
	dir := needShared(t)
	var files []string
	for _, sub := range []string{"", "malformed"} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if !e.IsDir() && !strings.HasSuffix(e.Name(), ".md") {
				files = append(files, filepath.Join(sub, e.Name()))
			}
		}
	}
	if len(files) < 40 {
		t.Fatalf("only %d captures in %s", len(files), dir)
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			capinfos, err := os.ReadFile(filepath.Join(dir, "refs", name+".capinfos.txt"))
			if err != nil {
				// dsa.pcap: tshark cannot read link type 284, so there
				// is no reference; we must still read it.
				cf, err := capture.Open(filepath.Join(dir, name))
				if err != nil {
					t.Fatalf("no references, and Open fails: %v", err)
				}
				defer cf.Close()
				if err := cf.Load(t.Context(), nil); err != nil || cf.Warning != "" || cf.Store.Len() == 0 {
					t.Errorf("Load: %v, warning %q, %d packets", err, cf.Warning, cf.Store.Len())
				}
				return
			}
			m := capinfosCount.FindSubmatch(capinfos)
			if m == nil {
				t.Fatal("no packet count in capinfos output")
			}
			wantPackets, _ := strconv.Atoi(string(m[1]))
			rows := readRefRows(t, filepath.Join(dir, "refs", name+".fields.tsv"))

			cf, err := capture.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer cf.Close()
			if err := cf.Load(t.Context(), nil); err != nil {
				t.Fatal(err)
			}
			cut := strings.Contains(name, "-cut")
			if cut != (cf.Warning != "") {
				t.Errorf("warning %q; the file is cut: %v", cf.Warning, cut)
			}
			s := cf.Store
			packets := 0
			for i := range s.Len() {
				if s.Info(i).Kind == capture.KindPacket {
					packets++
				}
			}
			// capinfos counts packets; tshark also lists pcapng custom
			// blocks as frames (MANIFEST.md).
			if packets != wantPackets {
				t.Errorf("%d packets, capinfos says %d", packets, wantPackets)
			}
			if s.Len() != len(rows) {
				t.Fatalf("%d records, tshark prints %d rows", s.Len(), len(rows))
			}
			bad := 0
			for i, r := range rows {
				in := s.Info(i)
				got := ""
				if in.HasTime {
					// Sec/Nsec are exact where TS (int64 ns) wraps:
					// pcapng-example.pcapng has a time in year 584 million.
					got = strconv.FormatInt(in.Sec, 10) + "." + strconv.FormatInt(int64(in.Nsec)+1e9, 10)[1:]
					if in.TS >= 0 && epoch(in.TS) != got {
						t.Errorf("frame %d: TS %s and Sec/Nsec %s differ", i+1, epoch(in.TS), got)
					}
				}
				if got != r.epoch || in.OrigLen != r.len || in.CapLen != r.capLen || (in.Kind == capture.KindCustom) != r.pcapng {
					if bad++; bad <= 5 {
						t.Errorf("frame %d: time %q len %d caplen %d custom %v; tshark: %s", i+1, got, in.OrigLen, in.CapLen, in.Kind == capture.KindCustom, r.rowText)
					}
				}
			}
			if bad > 5 {
				t.Errorf("%d frames differ in all", bad)
			}
		})
	}
}
