package dissect

import (
	"fmt"
	"sort"
	"strings"
)

// IPv4 and IPv6 fragment reassembly, as Wireshark's reassemble.c does it in
// its first pass: fragments are collected per (addresses, protocol, ID);
// the fragment that completes the datagram shows the reassembled payload,
// the others show as "Fragmented IP protocol" data. Only fragmented
// datagrams cost memory: the pending fragments' bytes, and each completed
// datagram's bytes keyed by the frame that completed it, so a later
// dissection of that frame gives the same result.

var (
	fIPFragCount   = &Field{Abbrev: "ip.fragment.count", Name: "Fragment count", Type: FTUint, Bits: 32}
	fIPReasmData   = &Field{Abbrev: "ip.reassembled.data", Name: "Reassembled IPv4 data", Type: FTBytes}
	fIPFragOverlap = &Field{Abbrev: "ip.fragment.overlap", Name: "Fragment overlap", Type: FTBool, Bits: 8}
	fIPv6ReasmData = &Field{Abbrev: "ipv6.reassembled.data", Name: "Reassembled IPv6 data", Type: FTBytes}
)

func init() { register(fIPFragCount, fIPReasmData, fIPFragOverlap, fIPv6ReasmData) }

type fragKey struct {
	v6       bool
	proto    uint8
	id       uint32
	src, dst [16]byte
}

type fragPart struct {
	frame uint32
	off   int
	last  bool // MF clear
	data  []byte
}

// fragDone is a datagram completed by one frame.
type fragDone struct {
	data  []byte
	parts []fragPart // data nil: only frame, offset and length are kept
	lens  []int
}

// fragTable is the per-capture reassembly state (in State).
type fragTable struct {
	pending map[fragKey][]fragPart
	done    map[uint32]*fragDone // by the number of the completing frame
}

// fragAdd records a fragment on the first pass and returns the completed
// datagram when this frame completes one; later passes return what the
// first pass found for this frame.
func fragAdd(c *Ctx, k fragKey, off int, mf bool, payload []byte) *fragDone {
	ft := &c.st.frag
	num := uint32(c.pkt.Num)
	if !c.first {
		return ft.done[num]
	}
	if ft.pending == nil {
		ft.pending = map[fragKey][]fragPart{}
		ft.done = map[uint32]*fragDone{}
	}
	parts := append(ft.pending[k], fragPart{frame: num, off: off, last: !mf, data: append([]byte(nil), payload...)})
	ft.pending[k] = parts
	// Complete only once the last fragment (MF clear) has been seen; it
	// gives the datagram's length.
	total := -1
	for _, p := range parts {
		if p.last {
			total = p.off + len(p.data)
		}
	}
	if total < 0 {
		return nil
	}
	sorted := append([]fragPart(nil), parts...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].off < sorted[j].off })
	pos := 0
	for _, p := range sorted {
		if p.off > pos {
			return nil // a hole
		}
		pos = max(pos, p.off+len(p.data))
	}
	if pos < total {
		return nil
	}
	// Lower offsets win where fragments overlap, as in Wireshark.
	data := make([]byte, total)
	pos = 0
	for _, p := range sorted {
		end := min(p.off+len(p.data), total)
		if end > pos {
			copy(data[pos:end], p.data[pos-p.off:end-p.off])
			pos = end
		}
	}
	d := &fragDone{data: data}
	for _, p := range parts {
		d.parts = append(d.parts, fragPart{frame: p.frame, off: p.off})
		d.lens = append(d.lens, len(p.data))
	}
	ft.done[num] = d
	delete(ft.pending, k)
	return d
}

// ipFragment handles an IPv4 fragment (see ipv4.go). It returns true when
// it has dissected the payload (as a fragment or as the reassembled
// datagram).
func ipFragment(c *Ctx, t tvb, ip *ipInfo, id uint16, off int, mf bool, ipt int) bool {
	var d *fragDone
	if t.len() > 0 && t.len() == t.rep {
		k := fragKey{proto: ip.proto, id: uint32(id)}
		copy(k.src[:4], ip.src[:4])
		copy(k.dst[:4], ip.dst[:4])
		d = fragAdd(c, k, off, mf, c.bytes(t, 0, t.len()))
	}
	if d == nil && off == 0 && t.len() < t.rep {
		// Not all of it was captured, so Wireshark does not try to
		// reassemble: a first fragment is dissected as it is.
		return false
	}
	if d == nil {
		c.info = append(c.info[:c.fence], "Fragmented IP protocol (proto="...)
		c.info = appendProtoName(c.info, ip.proto)
		c.info = append(c.info, ' ')
		c.info = appendUint(c.info, uint64(ip.proto))
		c.info = append(c.info, ", off="...)
		c.info = appendUint(c.info, uint64(off))
		c.info = append(c.info, ", ID="...)
		c.info = appendHex(c.info, []byte{byte(id >> 8), byte(id)})
		c.info = append(c.info, ')')
		dissectData(c, t)
		return true
	}
	rt := c.extend(d.data)
	fragTree(c, d, rt, ipt, fIPFragments, fIPFragment, fIPFragCount, fIPReasmLen, fIPReasmData, "IPv4")
	ip.payloadOff = rt.off
	dispatchIPProto(c, rt, ip)
	return true
}

// ipv6Fragment handles the payload after an IPv6 fragment header.
func ipv6Fragment(c *Ctx, t tvb, ip *ipInfo, ident uint32, off int, mf bool) {
	var d *fragDone
	if t.len() > 0 && t.len() == t.rep {
		k := fragKey{v6: true, proto: ip.proto, id: ident, src: ip.src, dst: ip.dst}
		d = fragAdd(c, k, off, mf, c.bytes(t, 0, t.len()))
	}
	if d == nil && off == 0 && t.len() < t.rep {
		dispatchIPProto(c, t, ip)
		return
	}
	if d == nil {
		c.info = append(c.info[:c.fence], "IPv6 fragment (off="...)
		c.info = appendUint(c.info, uint64(off))
		c.info = append(c.info, " more="...)
		if mf {
			c.info = append(c.info, 'y')
		} else {
			c.info = append(c.info, 'n')
		}
		c.info = append(c.info, " ident="...)
		c.info = appendHexN(c.info, uint64(ident), 8)
		c.info = append(c.info, " nxt="...)
		c.info = appendUint(c.info, uint64(ip.proto))
		c.info = append(c.info, ')')
		dissectData(c, t)
		return
	}
	rt := c.extend(d.data)
	fragTree(c, d, rt, -1, fIPv6Fragments, fIPv6Fragment, fIPv6FragCount, fIPv6ReasmLen, fIPv6ReasmData, "IPv6")
	ip.payloadOff = rt.off
	dispatchIPProto(c, rt, ip)
}

// fragTree adds the "[N IPv4 Fragments (L bytes): #a(n), ...]" subtree.
func fragTree(c *Ctx, d *fragDone, rt tvb, parent int, fs, f, fc, fl, fd *Field, name string) {
	if !c.tree {
		return
	}
	saved := c.parent
	if parent >= 0 {
		c.parent = parent
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "[%d %s Fragments (%d bytes): ", len(d.parts), name, len(d.data))
	for i, p := range d.parts {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "#%d(%d)", p.frame, d.lens[i])
	}
	sb.WriteString("]")
	top := c.addItem(Item{Field: fs, Off: rt.off, Len: 0, Parent: c.parent, Gen: true, Label: sb.String()})
	c.parent = top
	for i, p := range d.parts {
		j := c.addGen(f, Value{U: uint64(p.frame)})
		c.labelf(j, "[Frame: %d, payload: %d-%d (%d bytes)]", p.frame, p.off, p.off+d.lens[i]-1, d.lens[i])
	}
	c.addGen(fc, Value{U: uint64(len(d.parts))})
	c.addGen(fl, Value{U: uint64(len(d.data))})
	j := c.addGen(fd, Value{B: c.data[rt.off:rt.end:rt.end]})
	s := appendHex(nil, d.data[:min(len(d.data), 36)])
	if len(d.data) > 36 {
		s = append(s, "…"...)
	}
	c.labelf(j, "[%s: %s]", fd.Name, s)
	c.parent = saved
}

// appendProtoName appends Wireshark's short name of an IP protocol.
func appendProtoName(dst []byte, p uint8) []byte {
	if n, ok := ipProtoShort[p]; ok {
		return append(dst, n...)
	}
	return append(dst, "Unknown"...)
}

var ipProtoShort = map[uint8]string{0: "HOPOPT", 1: "ICMP", 2: "IGMP", 4: "IPv4", 6: "TCP", 17: "UDP", 41: "IPv6",
	43: "IPv6-Route", 44: "IPv6-Frag", 47: "GRE", 50: "ESP", 51: "AH", 58: "ICMPv6", 59: "IPv6-NoNxt",
	60: "IPv6-Opts", 89: "OSPF", 103: "PIM", 112: "VRRP", 132: "SCTP", 136: "UDPLite"}
