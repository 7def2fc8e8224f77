package capture

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// chunkBits sets how many packets one index chunk holds. Chunks never move
// once allocated, so readers can use entries below Len while a loader or a
// live capture appends more.
const chunkBits = 16

const chunkSize = 1 << chunkBits

// entry is the per-packet index: 32 bytes with padding. Packet bytes stay in
// the file behind the Store.
type entry struct {
	off     int64
	ts      int64 // ns since the epoch; the PEN for custom blocks (no time)
	capLen  uint32
	origLen uint32
	iface   uint16
	flags   uint8
}

const (
	flagHasTime = 1 << iota
	flagCustom
	flagNoCopy
)

type chunk [chunkSize]entry

// Store is an append-only index of packets whose bytes live in a file or
// memory region (the data source). It is safe for one appender (one
// goroutine calling Append and SetInterfaces) and many concurrent readers:
// entries below Len never change.
type Store struct {
	n        atomic.Int64
	chunks   atomic.Pointer[[]*chunk]
	mem      *chunkMem // the chunks' memory, if not on the Go heap
	ifaces   atomic.Pointer[[]Interface]
	comments sync.Map // packet index -> []string (rare; pcapng comments)
	// commented counts Stores of comments ever made, so that the common
	// capture without any skips the map on every packet.
	commented atomic.Int64

	src DataSource
	// format is the container the packets came from: only pcapng records
	// carry an interface id (tshark's frame.interface_id). Set once by
	// whoever creates the Store, before any packet is appended.
	format Format
}

// DataSource gives access to packet bytes by stream offset.
type DataSource interface {
	// Bytes returns n bytes at off. When the source is memory-backed it
	// returns a sub-slice without copying; otherwise it fills and returns buf.
	Bytes(off int64, n int, buf []byte) ([]byte, error)
}

// MemSource is a DataSource backed by a byte slice (a mapped file or a
// decompressed capture).
type MemSource []byte

// Bytes implements DataSource without copying.
func (m MemSource) Bytes(off int64, n int, _ []byte) ([]byte, error) {
	if off < 0 || off+int64(n) > int64(len(m)) {
		return nil, fmt.Errorf("packet bytes at %d+%d: %w", off, n, io.ErrUnexpectedEOF)
	}
	return m[off : off+int64(n) : off+int64(n)], nil
}

// ReaderAtSource is a DataSource backed by an io.ReaderAt (a file that is still
// growing, such as a live capture's spool file).
type ReaderAtSource struct{ R io.ReaderAt }

// Bytes implements DataSource by reading into buf (grown when too small).
func (s ReaderAtSource) Bytes(off int64, n int, buf []byte) ([]byte, error) {
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := s.R.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("packet bytes at %d: %w", off, err)
	}
	return buf, nil
}

// NewStore returns an empty Store reading packet bytes from src.
func NewStore(src DataSource) *Store {
	s := &Store{src: src, mem: &chunkMem{}}
	runtime.AddCleanup(s, (*chunkMem).release, s.mem)
	empty := []*chunk{}
	s.chunks.Store(&empty)
	noIfs := []Interface{}
	s.ifaces.Store(&noIfs)
	return s
}

// Len returns the number of packets indexed so far.
func (s *Store) Len() int { return int(s.n.Load()) }

// SetInterfaces replaces the interface table (it only ever grows).
func (s *Store) SetInterfaces(ifs []Interface) {
	cp := append([]Interface(nil), ifs...)
	s.ifaces.Store(&cp)
}

// Interfaces returns the capture interfaces known so far.
func (s *Store) Interfaces() []Interface { return *s.ifaces.Load() }

// Append adds one record to the index.
func (s *Store) Append(r Record) {
	n := s.n.Load()
	cs := *s.chunks.Load()
	if int(n>>chunkBits) == len(cs) {
		grown := make([]*chunk, len(cs), len(cs)+1)
		copy(grown, cs)
		var c *chunk
		if len(cs) == 0 {
			// The first 65 536 packets stay on the Go heap, which the
			// collector sizes itself by: small captures (tests,
			// fuzzing) put nothing outside its view.
			c = new(chunk)
		} else {
			var m []byte
			if c, m = newChunk(); m != nil {
				s.mem.maps = append(s.mem.maps, m)
			}
		}
		grown = append(grown, c)
		s.chunks.Store(&grown)
		cs = grown
	}
	e := entry{off: r.Off, ts: int64(r.Units), capLen: r.CapLen, origLen: r.OrigLen}
	if r.Iface >= 0 {
		e.iface = uint16(r.Iface)
	}
	if r.HasTime {
		e.flags |= flagHasTime
	}
	if r.Kind == KindCustom {
		e.flags |= flagCustom
		e.ts = int64(r.PEN)
		if r.NoCopy {
			e.flags |= flagNoCopy
		}
	}
	cs[n>>chunkBits][n&(chunkSize-1)] = e
	if len(r.Comments) > 0 {
		s.commented.Add(1)
		s.comments.Store(int(n), r.Comments)
	}
	s.n.Store(n + 1)
}

// Info is what the index knows about one packet without reading its bytes.
type Info struct {
	Kind    RecordKind
	HasTime bool
	Iface   int
	TS      int64 // ns since the epoch (wraps past 2262; Sec/Nsec are exact)
	Sec     int64 // exact arrival time: seconds since the epoch
	Nsec    int32 // and nanoseconds
	CapLen  int
	OrigLen int
	PEN     uint32 // custom blocks: see Record.PEN
	NoCopy  bool   // custom blocks: see Record.NoCopy
}

// entry returns a copy of packet i's entry: a pointer into a chunk must not
// outlive the Store (see chunkMem).
func (s *Store) entry(i int) entry {
	cs := *s.chunks.Load()
	e := cs[i>>chunkBits][i&(chunkSize-1)]
	runtime.KeepAlive(s)
	return e
}

// Info returns the index entry of packet i (0-based; i < Len()).
func (s *Store) Info(i int) Info {
	e := s.entry(i)
	in := Info{HasTime: e.flags&flagHasTime != 0, Iface: int(e.iface), CapLen: int(e.capLen), OrigLen: int(e.origLen)}
	if e.flags&flagCustom != 0 {
		in.Kind, in.Iface = KindCustom, -1
		in.PEN, in.NoCopy = uint32(e.ts), e.flags&flagNoCopy != 0
		return in
	}
	if in.HasTime {
		// The index keeps the file's own timestamp units: 8 bytes that
		// hold every time a capture can express.
		if ifs := s.Interfaces(); in.Iface < len(ifs) {
			f := &ifs[in.Iface]
			in.TS = unitsToNS(uint64(e.ts), f)
			in.Sec, in.Nsec = f.Exact(uint64(e.ts))
		}
	}
	return in
}

// tsNS returns packet i's time in ns since the epoch, if it has one
// (Info without the exact seconds, which cost divisions).
func (s *Store) tsNS(i int) (int64, bool) {
	e := s.entry(i)
	if e.flags&flagHasTime == 0 || e.flags&flagCustom != 0 {
		return 0, false
	}
	if ifs := s.Interfaces(); int(e.iface) < len(ifs) {
		return unitsToNS(uint64(e.ts), &ifs[e.iface]), true
	}
	return 0, false
}

// firstTS returns the time of the first packet before i that has one (the
// reference of frame.time_relative).
func (s *Store) firstTS(i int) (int64, bool) {
	for j := 0; j < i && j < s.Len(); j++ {
		if ts, ok := s.tsNS(j); ok {
			return ts, true
		}
	}
	return 0, false
}

// Units returns packet i's timestamp in its interface's units, exactly as
// the file stored it (0 when it has none).
func (s *Store) Units(i int) uint64 {
	e := s.entry(i)
	if e.flags&flagHasTime == 0 || e.flags&flagCustom != 0 {
		return 0
	}
	return uint64(e.ts)
}

// Data returns the captured bytes of packet i. For memory-backed stores it
// is a read-only view (no copy); otherwise buf is filled and returned.
func (s *Store) Data(i int, buf []byte) ([]byte, error) {
	e := s.entry(i)
	return s.src.Bytes(e.off, int(e.capLen), buf)
}

// Comments returns the pcapng comments of packet i, if any.
func (s *Store) Comments(i int) []string {
	if s.commented.Load() == 0 {
		return nil
	}
	v, ok := s.comments.Load(i)
	if !ok {
		return nil
	}
	return v.([]string)
}

// SetComments replaces the comments of packet i (an empty slice removes them).
func (s *Store) SetComments(i int, c []string) {
	if len(c) == 0 {
		s.comments.Delete(i)
		return
	}
	s.commented.Add(1)
	s.comments.Store(i, append([]string(nil), c...))
}
