package capture

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// storeRecord is the i-th record of TestStoreAcrossChunks: every field
// differs from its neighbours', so a misplaced entry shows.
func storeRecord(i int) Record {
	r := Record{Kind: KindPacket, HasTime: i%3 != 0, Iface: i % 2, Off: int64(i) * 7,
		Units: uint64(i)*3 + 1, CapLen: uint32(i % 1500), OrigLen: uint32(i%1500 + i%7)}
	if i%1000 == 999 {
		r = Record{Kind: KindCustom, Iface: -1, Off: int64(i) * 7, CapLen: 9, OrigLen: 9, PEN: uint32(i), NoCopy: i%2 == 0}
	}
	return r
}

// TestStoreAcrossChunks appends past several index chunks (the later ones
// mapped outside the Go heap on Linux) while another goroutine reads, and
// checks every entry.
func TestStoreAcrossChunks(t *testing.T) {
	const n = 3*chunkSize + 5
	s := NewStore(MemSource(nil))
	s.SetInterfaces([]Interface{{LinkType: 1, TSMul: 1000, TSDiv: 1}, {LinkType: 1, TSMul: 1, TSDiv: 1}})
	check := func(i int) {
		r, in, units := storeRecord(i), s.Info(i), s.Units(i)
		want := Info{Kind: r.Kind, HasTime: r.HasTime, Iface: r.Iface, CapLen: int(r.CapLen), OrigLen: int(r.OrigLen), PEN: r.PEN, NoCopy: r.NoCopy}
		wantUnits := r.Units
		if r.Kind == KindCustom || !r.HasTime {
			wantUnits = 0
		}
		in.TS, in.Sec, in.Nsec = 0, 0, 0
		if in != want || units != wantUnits {
			t.Errorf("packet %d: %+v units %d, want %+v units %d", i, in, units, want, wantUnits)
		}
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		// A reader sees every entry below Len complete.
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			if l := s.Len(); l > 0 {
				check(l - 1)
			}
		}
	}()
	for i := range n {
		s.Append(storeRecord(i))
	}
	close(done)
	wg.Wait()
	if s.Len() != n {
		t.Fatalf("Len %d, want %d", s.Len(), n)
	}
	for i := range n {
		check(i)
	}
}

// TestStoreReleasesChunks: the memory of chunks mapped outside the Go heap
// goes back once the Store is unreachable.
func TestStoreReleasesChunks(t *testing.T) {
	s := NewStore(MemSource(nil))
	for i := range 2*chunkSize + 1 {
		s.Append(storeRecord(i))
	}
	mem := s.mem
	if len(mem.maps) == 0 {
		t.Skip("index chunks live on the Go heap in this build (not Linux, or -race)")
	}
	if len(mem.maps) != 2 {
		t.Fatalf("%d chunks mapped, want 2 (all but the first)", len(mem.maps))
	}
	var addrs []uintptr
	for _, m := range mem.maps {
		addrs = append(addrs, uintptr(unsafe.Pointer(unsafe.SliceData(m))))
	}
	s = nil
	deadline := time.Now().Add(10 * time.Second)
	for !mem.released.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the chunks of an unreachable Store were not released")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	_ = s
	// And the kernel agrees: no mapping covers them any more.
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(maps), "\n") {
		var lo, hi uintptr
		if _, err := fmt.Sscanf(line, "%x-%x", &lo, &hi); err != nil {
			continue
		}
		for _, a := range addrs {
			if a >= lo && a < hi {
				t.Errorf("chunk at %#x still mapped: %s", a, line)
			}
		}
	}
}

// TestStoreInMemory: Prefetch finds the bytes of packets in a mapped file
// or a memory source (and only the first ones asked for), never those of a
// source it would have to read.
func TestStoreInMemory(t *testing.T) {
	data := make([]byte, 4000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	path := filepath.Join(t.TempDir(), "bytes")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	file := &fileSource{f: f, size: int64(len(data))}
	defer file.close()
	for _, tc := range []struct {
		name  string
		src   DataSource
		inMem bool
	}{
		{"memory", MemSource(data), true},
		{"mapped file", file, file.mapping() != nil},
		{"reader", ReaderAtSource{R: f}, false},
	} {
		s := NewStore(tc.src)
		s.Append(Record{Off: 100, CapLen: 50})
		s.Append(Record{Off: 1000, CapLen: 2000})
		s.Append(Record{Off: 3990, CapLen: 50}) // past the end: corrupt
		for i, want := range [][]byte{data[100:150], data[1000 : 1000+prefetchPacket], nil} {
			got := s.inMemory(i, prefetchPacket)
			if !tc.inMem {
				want = nil
			}
			if !bytes.Equal(got, want) || (want == nil) != (got == nil) {
				t.Errorf("%s: packet %d: %d bytes in memory, want %d", tc.name, i, len(got), len(want))
			}
		}
	}
}
