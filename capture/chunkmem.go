package capture

import "sync/atomic"

// chunkMem holds the memory behind a Store's index chunks when it comes
// from the operating system rather than the Go heap (see newChunk). The
// Store's cleanup returns it once the Store is unreachable, so nothing
// may keep a pointer into a chunk beyond a Store method: entries are
// read by value.
type chunkMem struct {
	maps     [][]byte // written by the appender only; read by the cleanup
	released atomic.Bool
}

// release returns every chunk's memory.
func (m *chunkMem) release() {
	for _, b := range m.maps {
		freeChunk(b)
	}
	m.maps = nil
	m.released.Store(true)
}
