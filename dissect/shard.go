package dissect

import "encoding/binary"

// ConversationKey returns the key of the conversation a packet belongs to
// as far as a State's tables are concerned, for splitting a capture among
// partial States (NewPartialState): the unordered pair of its outermost IP
// addresses, found through the link layers (Ethernet with VLAN and Q-in-Q
// tags or LLC/SNAP, Linux cooked captures, BSD loopback, raw IP). Every
// table a State keeps (TCP and UDP streams, reassembly, DNS transactions,
// IP fragments, ICMP echoes) is keyed by the packets' addresses, so packets
// with different keys never share state. It returns 0 for packets without
// IP (ARP, STP, ...), which then all go together.
//
// One case is not covered: a conversation that the capture shows both
// inside an IP tunnel (GRE, IP-in-IP, VXLAN) and outside it is split by
// the tunnel's outer addresses.
func ConversationKey(linkType uint16, data []byte) uint64 {
	switch off, ver := outerIP(linkType, data); {
	case off < 0:
		return 0
	case ver == 4 && len(data) >= off+20:
		return addrPairKey(data[off+12:off+16], data[off+16:off+20])
	case ver == 6 && len(data) >= off+40:
		return addrPairKey(data[off+8:off+24], data[off+24:off+40])
	}
	return 0
}

// outerIP finds the outermost IP header through the link layers: its
// offset (-1 if none) and the version its first nibble or link type says.
func outerIP(linkType uint16, data []byte) (off, ver int) {
	off = -1
	switch linkType {
	case 1: // Ethernet
		off, ver = etherIP(data, 12)
	case 113: // Linux cooked v1: the protocol at 14, 16-byte header
		if len(data) >= 16 {
			off, ver = etherTypeIP(data, binary.BigEndian.Uint16(data[14:]), 16)
		}
	case 276: // Linux cooked v2: the protocol first, 20-byte header
		if len(data) >= 20 {
			off, ver = etherTypeIP(data, binary.BigEndian.Uint16(data), 20)
		}
	case 0, 108: // BSD NULL (host byte order) and OpenBSD LOOP
		if len(data) >= 4 {
			h := binary.BigEndian.Uint32(data)
			if linkType == 0 {
				h = nullHeader(binary.LittleEndian.Uint32(data))
				if h > 1500 {
					off, ver = etherTypeIP(data, uint16(h), 4)
					break
				}
			}
			switch h {
			case 2:
				off, ver = 4, 4
			case 10, 24, 28, 30:
				off, ver = 4, 6
			}
		}
	case 101, 12, 14, 228, 229: // raw IP
		off, ver = 0, 0
		if len(data) > 0 {
			ver = int(data[0] >> 4)
		}
		if linkType == 229 {
			ver = 6
		}
	}
	return off, ver
}

// etherIP follows an Ethernet type field at typeOff (and the VLAN tags or
// LLC/SNAP header after it) to an IP header: its offset and version.
func etherIP(data []byte, typeOff int) (off, ver int) {
	for hops := 0; hops < 8 && len(data) >= typeOff+2; hops++ {
		typ := binary.BigEndian.Uint16(data[typeOff:])
		switch {
		case typ == 0x8100 || typ == 0x9100 || typ == 0x88a8:
			typeOff += 4 // a tag: TCI, then the next type
		case typ <= 1500:
			// 802.3 length, then LLC: only SNAP with an Ethertype can
			// carry IP.
			l := typeOff + 2
			if len(data) < l+8 || data[l] != 0xaa || data[l+1] != 0xaa || data[l+2]&3 != 3 ||
				data[l+3]|data[l+4]|data[l+5] != 0 {
				return -1, 0
			}
			return etherTypeIP(data, binary.BigEndian.Uint16(data[l+6:]), l+8)
		default:
			return etherTypeIP(data, typ, typeOff+2)
		}
	}
	return -1, 0
}

func etherTypeIP(data []byte, typ uint16, off int) (int, int) {
	switch typ {
	case 0x0800:
		return off, 4
	case 0x86dd:
		return off, 6
	case 0x8100, 0x9100, 0x88a8:
		return etherIP(data, off+2) // a tag at off: TCI, then the next type
	}
	return -1, 0
}

// addrPairKey hashes two addresses in an order that does not depend on
// which is the source. The result is never 0, and all its bits are mixed.
func addrPairKey(a, b []byte) uint64 {
	if string(b) < string(a) {
		a, b = b, a
	}
	h := uint64(0xcbf29ce484222325)
	for _, s := range [2][]byte{a, b} {
		for _, c := range s {
			h ^= uint64(c)
			h *= 0x100000001b3
		}
		h ^= 0xff
		h *= 0x100000001b3
	}
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9 // so that the low bits (key % shards) are mixed too
	h ^= h >> 32
	if h == 0 {
		h = 1
	}
	return h
}

// Outline is what a packet's outer headers tell of it without dissecting
// it, for a file read that skips the packets its display filter cannot
// match (CannotContain, PortsOutside).
type Outline struct {
	kind         carrier
	sport, dport uint16 // of a carriesUDP or carriesTCP packet
}

// OutlineOf reads a packet's outer headers.
func OutlineOf(linkType uint16, data []byte) Outline {
	kind, sport, dport := outerCarrier(linkType, data)
	return Outline{kind: kind, sport: sport, dport: dport}
}

// CannotContain reports whether the packet certainly has no item of
// protocol proto ("tcp", "udp" or "dns"; false for any other), judging
// from its outer headers alone, and whether leaving it out of a State then
// changes nothing for the packets that do have one. It lets a file read
// whose display filter requires proto (filter.Requires) skip the packet
// without dissecting it:
//
//   - a UDP datagram, not a fragment, on no port of a protocol that
//     carries IP (VXLAN), has no TCP: the tables it feeds (UDP
//     conversations, DNS-over-UDP transactions) are not TCP's;
//   - a TCP segment, not a fragment, has no UDP (nothing over TCP carries
//     IP), and no DNS either unless a port is 53 (DNS over TCP); it feeds
//     the TCP tables of its own connection only;
//   - ARP, ICMP echoes and ICMPv6 echoes and neighbour discovery have none
//     of the three and feed only their own tables.
//
// Fragments are never skipped (the first one's ports say nothing about the
// others), nor IP in IP, ICMP errors (which quote TCP and UDP headers), or
// IPv6 with extension headers.
func (o Outline) CannotContain(proto string) bool {
	switch proto {
	case "tcp":
		return o.kind == carriesNone || (o.kind == carriesUDP && o.sport != vxlanPort && o.dport != vxlanPort)
	case "udp":
		return o.kind == carriesNone || o.kind == carriesTCP
	case "dns":
		return o.kind == carriesNone || (o.kind == carriesTCP && o.sport != 53 && o.dport != 53)
	}
	return false
}

// PortsOutside reports whether the packet certainly has no TCP port in the
// inclusive ranges: it is a plain TCP segment (not a fragment, right after
// its outer IP header) with neither port in them, or it has no TCP at all
// (CannotContain). Such a segment feeds only its own connection's tables,
// which no segment with a port in range reads.
func (o Outline) PortsOutside(ranges [][2]uint16) bool {
	if o.kind != carriesTCP {
		return o.CannotContain("tcp")
	}
	for _, r := range ranges {
		if (o.sport >= r[0] && o.sport <= r[1]) || (o.dport >= r[0] && o.dport <= r[1]) {
			return false
		}
	}
	return true
}

// vxlanPort is the one UDP port whose payload can hold IP (vxlan.go).
const vxlanPort = 4789

// carrier is what outerCarrier found a packet to be.
type carrier uint8

const (
	carriesUnknown carrier = iota // anything else: it might hold anything
	carriesUDP                    // a whole UDP header after the outer IP header
	carriesTCP                    // a whole TCP header after the outer IP header
	carriesNone                   // ARP, ICMP echo, ICMPv6 echo or neighbour discovery
)

// outerCarrier classifies a packet by its outer headers, for
// Outline.CannotContain: UDP or TCP right after an IP header that is not a
// fragment (with the ports), or a kind that carries no upper layer.
func outerCarrier(linkType uint16, data []byte) (kind carrier, sport, dport uint16) {
	off, ver := outerIP(linkType, data)
	if off < 0 {
		if linkType == 1 && etherTypeAfterTags(data) == 0x0806 {
			return carriesNone, 0, 0 // ARP
		}
		return carriesUnknown, 0, 0
	}
	var proto uint8
	var th int // transport header offset
	switch {
	case ver == 4 && len(data) >= off+20:
		ihl := int(data[off]&0xf) * 4
		frag := binary.BigEndian.Uint16(data[off+6:])
		if data[off]>>4 != 4 || ihl < 20 || frag&0x3fff != 0 { // MF or an offset
			return carriesUnknown, 0, 0
		}
		proto, th = data[off+9], off+ihl
	case ver == 6 && len(data) >= off+40:
		if data[off]>>4 != 6 {
			return carriesUnknown, 0, 0
		}
		proto, th = data[off+6], off+40 // no extension headers: the transport
	default:
		return carriesUnknown, 0, 0
	}
	switch {
	case len(data) < th+8:
		return carriesUnknown, 0, 0
	case proto == 17:
		return carriesUDP, binary.BigEndian.Uint16(data[th:]), binary.BigEndian.Uint16(data[th+2:])
	case proto == 6:
		return carriesTCP, binary.BigEndian.Uint16(data[th:]), binary.BigEndian.Uint16(data[th+2:])
	case proto == 1 && ver == 4 && (data[th] == 0 || data[th] == 8): // echo reply, request
		return carriesNone, 0, 0
	case proto == 58 && ver == 6 && (data[th] == 128 || data[th] == 129 || (data[th] >= 133 && data[th] <= 136)):
		// echo request and reply, router and neighbour discovery (not
		// redirects, whose option quotes the redirected packet)
		return carriesNone, 0, 0
	}
	return carriesUnknown, 0, 0
}

// etherTypeAfterTags returns an Ethernet frame's type after its VLAN tags
// (0 if the frame is too short or has an 802.3 length).
func etherTypeAfterTags(data []byte) uint16 {
	for off := 12; len(data) >= off+2; off += 4 {
		switch typ := binary.BigEndian.Uint16(data[off:]); typ {
		case 0x8100, 0x9100, 0x88a8:
		default:
			if typ <= 1500 {
				return 0
			}
			return typ
		}
	}
	return 0
}
