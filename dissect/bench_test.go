//go:build unix

package dissect

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// benchFrames reads a little-endian microsecond pcap (what gencap writes
// and what many-protocols.pcap is) into memory: a reader of its own keeps
// the benchmark on the dissector (the capture package imports this one).
func benchFrames(b *testing.B, path string) []Packet {
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("%s: %v", path, err)
	}
	if len(raw) < 24 || binary.LittleEndian.Uint32(raw) != 0xa1b2c3d4 {
		b.Skipf("%s: not a little-endian microsecond pcap", path)
	}
	lt := uint16(binary.LittleEndian.Uint32(raw[20:]))
	pkts := make([]Packet, 0, len(raw)/64)
	var first, prev int64
	for off := 24; off+16 <= len(raw); {
		h := raw[off:]
		ts := int64(binary.LittleEndian.Uint32(h))*1e9 + int64(binary.LittleEndian.Uint32(h[4:]))*1e3
		capLen := int(binary.LittleEndian.Uint32(h[8:]))
		origLen := int(binary.LittleEndian.Uint32(h[12:]))
		off += 16
		if off+capLen > len(raw) {
			break
		}
		if len(pkts) == 0 {
			first, prev = ts, ts
		}
		pkts = append(pkts, Packet{Num: len(pkts) + 1, Data: raw[off : off+capLen : off+capLen], OrigLen: origLen,
			LinkType: lt, Iface: -1, HasTime: true, TS: ts, Sec: ts / 1e9, Nsec: int32(ts % 1e9), FirstTS: first, PrevTS: prev})
		prev = ts
		off += capLen
	}
	return pkts
}

func benchFirstPass(b *testing.B, path string, index bool) {
	pkts := benchFrames(b, path)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		d := NewDissector(nil)
		for i := range pkts {
			if index {
				d.Index(&pkts[i])
			} else {
				d.Summary(&pkts[i])
			}
		}
	}
	// On a shared machine wall time says little: CPU time (user+system
	// of the whole process, GC included) is the figure to compare.
	cpu := (cpuTime() - cpu0).Seconds()
	b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(len(pkts))*float64(b.N)/cpu, "pkts/cpu-s")
}

// cpuTime is the process's user+system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFirstPass is the first, in-order summary pass over the 1M-packet
// gencap capture named by $KAISEKI_BIG (skipped when unset).
func BenchmarkFirstPass(b *testing.B) {
	p := os.Getenv("KAISEKI_BIG")
	if p == "" {
		b.Skip("set KAISEKI_BIG to a gencap capture")
	}
	benchFirstPass(b, p, false)
}

// BenchmarkIndex is BenchmarkFirstPass through Index (no summary columns),
// as the window's loader does it.
func BenchmarkIndex(b *testing.B) {
	p := os.Getenv("KAISEKI_BIG")
	if p == "" {
		b.Skip("set KAISEKI_BIG to a gencap capture")
	}
	benchFirstPass(b, p, true)
}

// BenchmarkFirstPassShared is the same over the largest shared capture.
func BenchmarkFirstPassShared(b *testing.B) {
	benchFirstPass(b, filepath.Join("..", "..", "shared", "captures", "many-protocols.pcap"), false)
}
