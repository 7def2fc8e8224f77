package dissect

import (
	"fmt"
	"time"
)

var (
	fFrame         = &Field{Abbrev: "frame", Name: "Frame", Type: FTProtocol}
	fFrameIfaceID  = &Field{Abbrev: "frame.interface_id", Name: "Interface id", Type: FTUint, Bits: 32}
	fFrameEncap    = &Field{Abbrev: "frame.encap_type", Name: "Encapsulation type", Type: FTInt, Bits: 16}
	fFrameTime     = &Field{Abbrev: "frame.time", Name: "Arrival Time", Type: FTAbsTime}
	fFrameEpoch    = &Field{Abbrev: "frame.time_epoch", Name: "Epoch Time", Type: FTAbsTime}
	fFrameDelta    = &Field{Abbrev: "frame.time_delta", Name: "Time delta from previous captured frame", Type: FTRelTime}
	fFrameRelative = &Field{Abbrev: "frame.time_relative", Name: "Time since reference or first frame", Type: FTRelTime}
	fFrameNumber   = &Field{Abbrev: "frame.number", Name: "Frame Number", Type: FTUint, Bits: 32}
	fFrameLen      = &Field{Abbrev: "frame.len", Name: "Frame Length", Type: FTUint, Bits: 32}
	fFrameCapLen   = &Field{Abbrev: "frame.cap_len", Name: "Capture Length", Type: FTUint, Bits: 32}
	fFrameProtos   = &Field{Abbrev: "frame.protocols", Name: "Protocols in frame", Type: FTString}
	fFrameComment  = &Field{Abbrev: "frame.comment", Name: "Comment", Type: FTString}
	fPktComment    = &Field{Abbrev: "pkt_comment", Name: "Packet comments", Type: FTProtocol}
	fFrameMarked   = &Field{Abbrev: "frame.marked", Name: "Frame is marked", Type: FTBool, Bits: 8, TrueFalse: &[2]string{"True", "False"}}
)

// Column pseudo-fields, as tshark's `-e _ws.col.Info`.
var (
	fColNo       = &Field{Abbrev: "_ws.col.No.", Name: "No.", Type: FTString}
	fColTime     = &Field{Abbrev: "_ws.col.Time", Name: "Time", Type: FTString}
	fColSource   = &Field{Abbrev: "_ws.col.Source", Name: "Source", Type: FTString}
	fColDest     = &Field{Abbrev: "_ws.col.Destination", Name: "Destination", Type: FTString}
	fColProtocol = &Field{Abbrev: "_ws.col.Protocol", Name: "Protocol", Type: FTString}
	fColLength   = &Field{Abbrev: "_ws.col.Length", Name: "Length", Type: FTString}
	fColInfo     = &Field{Abbrev: "_ws.col.Info", Name: "Info", Type: FTString}
)

func init() {
	register(fFrame, fFrameIfaceID, fFrameEncap, fFrameTime, fFrameEpoch, fFrameDelta, fFrameRelative,
		fFrameNumber, fFrameLen, fFrameCapLen, fFrameProtos, fFrameComment, fPktComment, fFrameMarked,
		fColNo, fColTime, fColSource, fColDest, fColProtocol, fColLength, fColInfo, labelField)
}

// ColumnField reports whether f is a summary-column pseudo-field and, if so,
// which column it is (its Name).
func ColumnField(f *Field) bool {
	return len(f.Abbrev) > 8 && f.Abbrev[:8] == "_ws.col."
}

// frameTop adds the frame layer's items before the link layer runs; it
// returns the index of the frame.protocols item to fill in at the end.
func frameTop(c *Ctx) int {
	p := c.pkt
	n := len(c.data)
	if len(p.Comments) > 0 {
		// Like Wireshark, a "Packet comments" tree above the frame, one
		// line per comment; it is not a layer of frame.protocols.
		pc := -2 - c.parent
		if c.wants(fPktComment) {
			pc = c.add(fPktComment, 0, 0, Value{})
			c.parent = pc
		}
		for _, cm := range p.Comments {
			c.label(c.add(fFrameComment, 0, 0, Value{B: []byte(cm)}), cm)
		}
		c.pop(pc)
	}
	fr := c.push(fFrame, 0, n)
	if c.tree {
		ifs := ""
		if p.PcapNG && p.Iface >= 0 {
			ifs = fmt.Sprintf(", id %d", p.Iface)
		}
		c.labelf(fr, "Frame %d: %d bytes on wire (%d bits), %d bytes captured (%d bits)%s",
			p.Num, p.OrigLen, p.OrigLen*8, n, n*8, ifs)
	}
	if p.PcapNG && p.Iface >= 0 {
		c.addU(fFrameIfaceID, 0, 0, uint64(p.Iface))
	}
	if !p.Custom {
		enc := wtapEncap(p.LinkType)
		i := c.addU(fFrameEncap, 0, 0, uint64(enc))
		if c.tree {
			c.labelf(i, "Encapsulation type: %s (%d)", linkTypeName(p.LinkType), enc)
		}
	}
	if p.HasTime {
		tv := c.absTime(p.Sec, p.Nsec)
		i := c.add(fFrameTime, 0, 0, tv)
		if c.tree && i >= 0 {
			c.items[i].Label = "Arrival Time: " + time.Unix(p.Sec, int64(p.Nsec)).UTC().Format("Jan _2, 2006 15:04:05.000000000 UTC")
		}
		i = c.add(fFrameEpoch, 0, 0, tv)
		if c.tree && i >= 0 {
			c.items[i].Label = "Epoch Time: " + string(appendAbsTime(nil, tv)) + " seconds"
		}
		c.addGen(fFrameDelta, Value{U: uint64(p.TS - p.PrevTS)})
		c.addGen(fFrameRelative, Value{U: uint64(p.TS - p.FirstTS)})
	}
	c.addU(fFrameNumber, 0, 0, uint64(p.Num))
	i := c.addU(fFrameLen, 0, 0, uint64(p.OrigLen))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(i, "Frame Length: %d bytes (%d bits)", p.OrigLen, p.OrigLen*8)
	}
	i = c.addU(fFrameCapLen, 0, 0, uint64(n))
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(i, "Capture Length: %d bytes (%d bits)", n, n*8)
	}
	protos := -1
	if c.wants(fFrameProtos) {
		protos = c.addItem(Item{Field: fFrameProtos, Parent: c.parent, Gen: true})
	}
	c.pop(fr)
	return protos
}

// frameBottom fills in what is known only after every layer ran.
func frameBottom(c *Ctx, protosIdx int) {
	if protosIdx >= 0 {
		c.items[protosIdx].Val.B = c.protos
	}
}

// dissectLink dispatches on the interface's link type.
func dissectLink(c *Ctx, t tvb) {
	if c.pkt.Custom {
		c.setProto("PCAPNG")
		c.setInfo("Custom Block")
		dissectData(c, t) // tshark lists a custom block's content as data
		return
	}
	if fn := linkTypes[c.pkt.LinkType]; fn != nil {
		fn(c, t)
		return
	}
	c.setProto("WTAP_ENCAP = " + fmt.Sprint(c.pkt.LinkType))
	dissectData(c, t)
}

// linkTypes maps LINKTYPE_ values to dissectors; filled by init functions
// and read-only afterwards.
var linkTypes [1 << 16]func(c *Ctx, t tvb)

// linkTypeNames names the link types for the frame tree.
var linkTypeNames = map[uint16]string{
	0: "NULL/Loopback", 1: "Ethernet", 101: "Raw IP", 12: "Raw IP", 14: "Raw IP", 108: "OpenBSD loopback",
	113: "Linux cooked-mode capture v1", 276: "Linux cooked-mode capture v2", 228: "Raw IPv4", 229: "Raw IPv6",
	6: "Token Ring", 9: "PPP", 10: "FDDI", 104: "Cisco HDLC", 105: "IEEE 802.11 Wireless LAN",
	127: "IEEE 802.11 plus radiotap radio header",
}

// wtapEncap returns the WTAP_ENCAP_ number of a link type, which
// frame.encap_type shows (wiretap/pcap-common.c), or the link type itself
// when unknown. A switch, not a map: it runs for every packet.
func wtapEncap(lt uint16) int {
	switch lt {
	case 0:
		return 15
	case 1:
		return 1
	case 6:
		return 2
	case 9:
		return 4
	case 10:
		return 5
	case 12, 14, 101:
		return 7
	case 104:
		return 28
	case 105:
		return 20
	case 108:
		return 54
	case 113:
		return 25
	case 127:
		return 23
	case 228:
		return 129
	case 229:
		return 130
	case 276:
		return 210
	}
	return int(lt)
}

func linkTypeName(lt uint16) string {
	if s, ok := linkTypeNames[lt]; ok {
		return s
	}
	return "Unknown"
}
