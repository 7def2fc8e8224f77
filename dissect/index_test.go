package dissect_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
)

// TestIndexMatchesSummary checks that a first pass by Index (no summary
// columns) leaves the State exactly as one by Summary does: every packet,
// dissected again afterwards, shows the same columns and tree either way.
// It runs over every shared capture (and $KAISEKI_BIG, summaries only).
func TestIndexMatchesSummary(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "captures")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
	more, _ := filepath.Glob(filepath.Join(dir, "malformed", "*"))
	paths = append(paths, more...)
	if len(paths) == 0 {
		t.Skip("no shared captures in ../shared/captures")
	}
	if big := os.Getenv("KAISEKI_BIG"); big != "" {
		paths = append(paths, big)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			trees := path != os.Getenv("KAISEKI_BIG") // (too slow for 1M packets)
			cf, err := capture.Open(path)
			if err != nil {
				t.Skipf("open: %v", err)
			}
			defer cf.Close()
			if err := cf.Load(context.Background(), nil); err != nil {
				t.Fatalf("load: %v", err)
			}
			st := cf.Store
			packet := func(i int) dissect.Packet {
				data, err := st.Data(i, nil)
				if err != nil {
					t.Fatalf("packet %d: %v", i+1, err)
				}
				return st.Packet(i, data)
			}
			// Two dissectors, each with its own State: one first-passes
			// with Summary, the other with Index.
			ds, di := dissect.NewDissector(nil), dissect.NewDissector(nil)
			for i := range st.Len() {
				p := packet(i)
				ds.Summary(&p)
				di.Index(&p)
			}
			if got, want := di.State().Done(), st.Len(); got != want {
				t.Fatalf("Index: %d frames done, want %d", got, want)
			}
			for i := range st.Len() {
				p := packet(i)
				want := summaryText(ds.Summary(&p))
				if got := summaryText(di.Summary(&p)); got != want {
					t.Fatalf("frame %d: after Index, summary\n%s\nwant (after Summary)\n%s", i+1, got, want)
				}
				if !trees {
					continue
				}
				tw, _ := ds.Tree(&p)
				tg, _ := di.Tree(&p)
				if got, want := string(tg.AppendText(nil)), string(tw.AppendText(nil)); got != want {
					t.Fatalf("frame %d: after Index, tree\n%s\nwant (after Summary)\n%s", i+1, got, want)
				}
			}
		})
	}
}

func summaryText(s dissect.Summary) string {
	return strings.Join([]string{string(s.Protocol), string(s.Info), string(s.Src), string(s.Dst), string(s.Protocols)}, " | ") +
		map[bool]string{true: " malformed", false: ""}[s.Malformed] + map[bool]string{true: " short", false: ""}[s.Short]
}
