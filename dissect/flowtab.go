package dissect

import "encoding/binary"

// flowKey is a conversation key (two endpoints, in a canonical order, and
// flags) packed in words: hashing and comparing it is a handful of
// integer operations, where a map keyed by a struct of byte arrays pays
// for a generic hash and a memory comparison on every packet.
type flowKey [5]uint64

// makeFlowKey packs endpoints a and b (16-byte addresses, IPv4 in the
// first 4 bytes) with their ports, a first, and extra (flags such as
// "IPv6") into a key.
func makeFlowKey(a *[16]byte, pa uint16, b *[16]byte, pb uint16, extra uint32) flowKey {
	return flowKey{
		binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(a[8:]),
		binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:]),
		uint64(pa)<<48 | uint64(pb)<<32 | uint64(extra),
	}
}

// endpointAfter reports whether endpoint (a, pa) sorts after (b, pb):
// addresses compared bytewise, then ports.
func endpointAfter(a *[16]byte, pa uint16, b *[16]byte, pb uint16) bool {
	a0, b0 := binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8])
	if a0 != b0 {
		return a0 > b0
	}
	a1, b1 := binary.BigEndian.Uint64(a[8:]), binary.BigEndian.Uint64(b[8:])
	if a1 != b1 {
		return a1 > b1
	}
	return pa > pb
}

// eq compares keys word by word (== on the array calls memequal).
func (k *flowKey) eq(o *flowKey) bool {
	return k[0] == o[0] && k[1] == o[1] && k[2] == o[2] && k[3] == o[3] && k[4] == o[4]
}

func (k *flowKey) hash() uint64 {
	h := k[0]*0x9e3779b97f4a7c15 ^ k[1]
	h = (h^h>>31)*0xbf58476d1ce4e5b9 ^ k[2]
	h = (h^h>>31)*0x94d049bb133111eb ^ k[3]
	h = (h^h>>31)*0x9e3779b97f4a7c15 ^ k[4]
	h = (h ^ h>>29) * 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// flowMap maps flow keys to values (stream indexes). The hash table
// holds 8-byte slots (hash, entry index+1) over a dense array of entries:
// a capture may have a hundred thousand conversations (each DNS query has
// its own port), and small slots keep the probes in cache. Open
// addressing with linear probing; no deletion.
type flowMap struct {
	slots   []uint64 // len is a power of two, or 0; 0 is an empty slot
	entries bigSlice[flowEntry]
}

type flowEntry struct {
	k flowKey
	v uint32
}

func flowSlot(h uint32, entry int) uint64 { return uint64(h)<<32 | uint64(entry+1) }

// get returns the value of k.
func (m *flowMap) get(k *flowKey) (uint32, bool) {
	if e := m.find(k, uint32(k.hash())); e >= 0 {
		return m.entries.at(e).v, true
	}
	return 0, false
}

// find returns the entry index of k (hash h), or -1.
func (m *flowMap) find(k *flowKey, h uint32) int {
	if len(m.slots) == 0 {
		return -1
	}
	mask := uint32(len(m.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := m.slots[i]
		if s == 0 {
			return -1
		}
		if uint32(s>>32) == h {
			if e := int(uint32(s)) - 1; m.entries.at(e).k.eq(k) {
				return e
			}
		}
	}
}

// put sets the value of k.
func (m *flowMap) put(k *flowKey, v uint32) {
	h := uint32(k.hash())
	if e := m.find(k, h); e >= 0 {
		m.entries.at(e).v = v
		return
	}
	if 2*(m.entries.len()+1) > len(m.slots) {
		m.grow()
	}
	m.entries.push(flowEntry{k: *k, v: v})
	m.place(h, m.entries.len()-1)
}

// place puts entry e (hash h) in the first free slot of its probe sequence.
func (m *flowMap) place(h uint32, e int) {
	mask := uint32(len(m.slots) - 1)
	i := h & mask
	for m.slots[i] != 0 {
		i = (i + 1) & mask
	}
	m.slots[i] = flowSlot(h, e)
}

func (m *flowMap) grow() {
	old := m.slots
	m.slots = make([]uint64, max(64, 2*len(old)))
	for _, s := range old {
		if s != 0 {
			m.place(uint32(s>>32), int(uint32(s))-1)
		}
	}
}

// bigChunkBits sets the size of a bigSlice chunk (4096 elements).
const bigChunkBits = 12

// bigSlice is an append-only slice kept in chunks of 1<<bigChunkBits
// elements. Tables that reach hundreds of thousands of entries (a UDP
// conversation per DNS query) grow without copying what they hold or
// touching twice the memory they use, as doubling a slice does; small
// captures pay only for a first chunk that grows like a slice.
type bigSlice[T any] struct {
	chunks [][]T
	n      int
}

func (s *bigSlice[T]) len() int { return s.n }

// at returns element i (i < len()); the pointer stays valid as the slice grows.
func (s *bigSlice[T]) at(i int) *T {
	return &s.chunks[i>>bigChunkBits][i&(1<<bigChunkBits-1)]
}

func (s *bigSlice[T]) push(v T) {
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last]) == 1<<bigChunkBits {
		c := []T(nil)
		if last >= 0 {
			c = make([]T, 0, 1<<bigChunkBits)
		}
		s.chunks = append(s.chunks, c)
		last++
	}
	s.chunks[last] = append(s.chunks[last], v)
	s.n++
}
