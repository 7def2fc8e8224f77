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

func (k *flowKey) hash() uint64 {
	h := k[0]*0x9e3779b97f4a7c15 ^ k[1]
	h = (h^h>>31)*0xbf58476d1ce4e5b9 ^ k[2]
	h = (h^h>>31)*0x94d049bb133111eb ^ k[3]
	h = (h^h>>31)*0x9e3779b97f4a7c15 ^ k[4]
	h = (h ^ h>>29) * 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// flowMap maps flow keys to values (stream indexes): open addressing with
// linear probing, no deletion.
type flowMap struct {
	slots []flowSlot // len is a power of two, or 0
	n     int
}

type flowSlot struct {
	k    flowKey
	v    uint32
	used bool
}

// get returns the value of k.
func (m *flowMap) get(k *flowKey) (uint32, bool) {
	if len(m.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(m.slots) - 1)
	for i := k.hash() & mask; ; i = (i + 1) & mask {
		s := &m.slots[i]
		if !s.used {
			return 0, false
		}
		if s.k == *k {
			return s.v, true
		}
	}
}

// put sets the value of k.
func (m *flowMap) put(k *flowKey, v uint32) {
	if 2*(m.n+1) > len(m.slots) {
		m.grow()
	}
	mask := uint64(len(m.slots) - 1)
	for i := k.hash() & mask; ; i = (i + 1) & mask {
		s := &m.slots[i]
		if !s.used {
			*s = flowSlot{k: *k, v: v, used: true}
			m.n++
			return
		}
		if s.k == *k {
			s.v = v
			return
		}
	}
}

func (m *flowMap) grow() {
	old := m.slots
	m.slots = make([]flowSlot, max(64, 2*len(old)))
	m.n = 0
	for i := range old {
		if old[i].used {
			m.put(&old[i].k, old[i].v)
		}
	}
}
