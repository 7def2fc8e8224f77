package capture_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
)

// benchFiles lists the captures the read benchmarks use: the largest shared
// capture and, when $KAISEKI_BIG names one, a 1M-packet file made by
// ../shared/tools/gencap (scripts/bench.sh makes it).
func benchFiles(b *testing.B) map[string]string {
	files := map[string]string{}
	if dir, err := filepath.Abs(sharedCaptures); err == nil {
		p := filepath.Join(dir, "many-protocols.pcap")
		if _, err := os.Stat(p); err == nil {
			files["many-protocols"] = p
		}
	}
	if p := os.Getenv("KAISEKI_BIG"); p != "" {
		if _, err := os.Stat(p); err == nil {
			files["big"] = p
		}
	}
	if len(files) == 0 {
		b.Skip("no capture to read: neither ../shared/captures nor $KAISEKI_BIG")
	}
	return files
}

// BenchmarkRead measures indexing a whole file the way the application and
// the CLI open one (Open + Load into the Store), and the streaming reader
// alone over the same file (the live-capture path).
func BenchmarkRead(b *testing.B) {
	for name, path := range benchFiles(b) {
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/open-load", func(b *testing.B) {
			b.SetBytes(st.Size())
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				cf, err := capture.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if err := cf.Load(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
				n += cf.Store.Len()
				cf.Close()
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pkts/s")
		})
		b.Run(name+"/stream", func(b *testing.B) {
			b.SetBytes(st.Size())
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				rd, err := capture.NewReader(f, path)
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, _, err := rd.Next()
					if err != nil {
						if !errors.Is(err, io.EOF) {
							b.Fatal(err)
						}
						break
					}
					n++
				}
				f.Close()
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pkts/s")
		})
	}
}
