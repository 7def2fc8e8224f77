package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
)

// benchCaptures lists the largest shared capture and, when $KAISEKI_BIG
// names one, a 1M-packet gencap file (scripts/bench.sh makes it).
func benchCaptures(b *testing.B) map[string]string {
	files := map[string]string{}
	if dir, err := filepath.Abs(sharedCaptures); err == nil {
		if p := filepath.Join(dir, "many-protocols.pcap"); fileExists(p) {
			files["many-protocols"] = p
		}
	}
	if p := os.Getenv("KAISEKI_BIG"); p != "" && fileExists(p) {
		files["big"] = p
	}
	if len(files) == 0 {
		b.Skip("no capture: neither ../shared/captures nor $KAISEKI_BIG")
	}
	return files
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// BenchmarkSummary measures the first, sequential summary pass of the
// dissector over an indexed capture (the work behind `kaiseki -r F`
// without the printing), in packets/s and allocations per packet.
func BenchmarkSummary(b *testing.B) {
	for name, path := range benchCaptures(b) {
		b.Run(name, func(b *testing.B) {
			cf, err := capture.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer cf.Close()
			if err := cf.Load(context.Background(), nil); err != nil {
				b.Fatal(err)
			}
			s := cf.Store
			n := s.Len()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				d := dissect.NewDissector(nil)
				for i := range n {
					data, err := s.Data(i, nil)
					if err != nil {
						b.Fatal(err)
					}
					p := s.Packet(i, data)
					d.Summary(&p)
				}
			}
			runtime.ReadMemStats(&ms1)
			total := float64(n) * float64(b.N)
			b.ReportMetric(total/b.Elapsed().Seconds(), "pkts/s")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/total, "allocs/pkt")
		})
	}
}

// BenchmarkCLI measures the whole command line (open, read, dissect,
// format, write to a discarding writer) as `kaiseki -r F > /dev/null`,
// with -T fields and with the display filters issue 7 measures.
func BenchmarkCLI(b *testing.B) {
	for name, path := range benchCaptures(b) {
		for _, mode := range []struct {
			name string
			args []string
		}{
			{"summary", []string{"-r", path}},
			{"fields", []string{"-r", path, "-T", "fields", "-e", "frame.number", "-e", "ip.src"}},
			{"filter-tcp80", []string{"-r", path, "-Y", "tcp.port == 80"}},
			{"filter-dns", []string{"-r", path, "-Y", `dns.qry.name contains "example"`}},
		} {
			b.Run(name+"/"+mode.name, func(b *testing.B) {
				o, err := Parse(mode.args, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				cf, err := capture.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if err := cf.Load(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
				n := cf.Store.Len()
				cf.Close()
				var ms0, ms1 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				for b.Loop() {
					if code := Run(context.Background(), o, "bench", io.Discard, io.Discard); code != 0 {
						b.Fatalf("exit code %d", code)
					}
				}
				runtime.ReadMemStats(&ms1)
				total := float64(n) * float64(b.N)
				b.ReportMetric(total/b.Elapsed().Seconds(), "pkts/s")
				b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/total, "allocs/pkt")
			})
		}
	}
}
