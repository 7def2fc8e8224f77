package capture_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/kaiseki-app/kaiseki/capture"
)

// manyPackets writes the sample conversation n times over (several of
// Load's batches) and returns the file and its packets.
func manyPackets(t *testing.T, n int) (string, []pkt) {
	t.Helper()
	var ps []pkt
	base := samplePackets(t)
	for i := range n {
		for _, p := range base {
			p.ts += int64(i) * 1e9
			ps = append(ps, p)
		}
	}
	path := filepath.Join(t.TempDir(), "many.pcap")
	if err := os.WriteFile(path, writePcapgo(t, ps, true, layers.LinkTypeEthernet), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, ps
}

// TestLoadStops checks Load's contract with its reading goroutine: visit
// sees every packet in order with its bytes, an error from visit or a
// cancelled context stops it with the packets so far in the Store, and
// Offset grows to the stream's size.
func TestLoadStops(t *testing.T) {
	path, ps := manyPackets(t, 200)
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		t.Run("all", func(t *testing.T) {
			cf, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer cf.Close()
			var last int64
			err = cf.Load(context.Background(), func(i int, rec capture.Record, data []byte) error {
				if !bytes.Equal(data, ps[i].data) || rec.TS != ps[i].ts {
					t.Fatalf("procs %d: packet %d differs", procs, i+1)
				}
				if off := cf.Offset(); off < last || off < rec.Off+int64(rec.CapLen) {
					t.Fatalf("procs %d: Offset %d after %d, record ends at %d", procs, off, last, rec.Off+int64(rec.CapLen))
				}
				last = cf.Offset()
				return nil
			})
			if err != nil || cf.Store.Len() != len(ps) || cf.Offset() != cf.DataSize() {
				t.Fatalf("procs %d: %v, %d packets of %d, offset %d of %d", procs, err, cf.Store.Len(), len(ps), cf.Offset(), cf.DataSize())
			}
		})
		t.Run("visit error", func(t *testing.T) {
			cf, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer cf.Close()
			stop := errors.New("stop")
			visited := 0
			err = cf.Load(context.Background(), func(i int, _ capture.Record, _ []byte) error {
				visited++
				if i == 1000 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || visited != 1001 || cf.Store.Len() != 1001 {
				t.Fatalf("procs %d: %v after %d visits, %d in the Store; want stop after 1001", procs, err, visited, cf.Store.Len())
			}
		})
		t.Run("cancel", func(t *testing.T) {
			cf, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer cf.Close()
			ctx, cancel := context.WithCancel(context.Background())
			err = cf.Load(ctx, func(i int, _ capture.Record, _ []byte) error {
				if i == 500 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) || cf.Store.Len() < 501 || cf.Store.Len() >= len(ps) {
				t.Fatalf("procs %d: %v with %d packets", procs, err, cf.Store.Len())
			}
		})
		runtime.GOMAXPROCS(prev)
	}
}

// TestLargeRecord reads packets larger than the reader's buffer (they are
// assembled in a scratch buffer) and cuts one short.
func TestLargeRecord(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 3<<20/16) // 3 MiB
	small := []byte("after the big one")
	b := newPcap(binary.LittleEndian, false, 0, 1)
	b.packet(baseTS, big, len(big))
	b.packet(baseTS+1000, small, len(small))
	for _, src := range []int{0, 3} { // bytes, half reads
		src := sources[src]
		rd, err := capture.NewReader(src.wrap(b.b), "big")
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(rd)
		if err != nil || len(got) != 2 || !bytes.Equal(got[0].data, big) || !bytes.Equal(got[1].data, small) {
			t.Fatalf("%s: %v, %d records", src.name, err, len(got))
		}
	}
	rd, err := capture.NewReader(bytes.NewReader(b.b[:2<<20]), "big-cut")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := rd.Next(); !errors.Is(err, capture.ErrTruncated) {
		t.Fatalf("cut inside a 3 MiB record: %v, want ErrTruncated", err)
	}
	if _, _, err := rd.Next(); !errors.Is(err, capture.ErrTruncated) {
		t.Fatalf("the error is not sticky: %v", err)
	}
}
