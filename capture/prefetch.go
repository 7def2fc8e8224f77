package capture

// A capture's bytes are read where the file is mapped, in order, but the
// next record's address is known only once the previous header is read: a
// chain of cache misses (one per packet, ~100 ns) that the hardware does
// not see coming. Asking for the bytes a few KiB ahead, and for a packet's
// first bytes before it is dissected, takes them off that chain.

// prefetchAhead is how far ahead of the record being parsed the reader
// asks for a mapped file's bytes (~13 packets of 600 bytes).
const prefetchAhead = 8192

// prefetchPacket is how many of a packet's first bytes Store.Prefetch asks
// for: its link, network and transport headers.
const prefetchPacket = 192

// Prefetch asks the CPU to start loading the first bytes of packet i (i <
// Len) into its caches, for a caller that will dissect it shortly, after
// other work. It does nothing when the packet bytes are not in memory.
func (s *Store) Prefetch(i int) {
	m, ok := s.src.(MemSource)
	if !ok {
		return
	}
	e := s.entry(i)
	if n := min(int64(e.capLen), prefetchPacket); n > 0 && e.off+n <= int64(len(m)) {
		prefetch(&m[e.off], uintptr(n))
	}
}
