package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
)

// PacketWriter writes packets to a capture stream. Implementations buffer;
// call Flush before closing the underlying file.
type PacketWriter interface {
	// WritePacket writes one packet captured at sec+nsec since the epoch.
	// iface indexes the interfaces given to the writer; comments are kept
	// only by formats that can hold them.
	WritePacket(iface int, sec int64, nsec int32, origLen int, data []byte, comments []string) error
	Flush() error
}

// ErrMixedLinkTypes is returned when packets of several link types must go to
// a pcap file, which has room for one.
var ErrMixedLinkTypes = errors.New("a pcap file holds one link type; save as pcapng to keep packets of several link types")

// PcapWriter writes the classic pcap format (little-endian).
type PcapWriter struct {
	w        *bufio.Writer
	nano     bool
	linkType uint16
	hdr      [16]byte
	// Dropped counts the comments that could not be kept.
	Dropped int
}

// NewPcapWriter writes a pcap file header. nano selects the nanosecond magic
// (0xa1b23c4d), which keeps nanosecond timestamps exact.
func NewPcapWriter(w io.Writer, linkType uint16, snapLen uint32, nano bool) (*PcapWriter, error) {
	pw := &PcapWriter{w: bufio.NewWriterSize(w, 1<<16), nano: nano, linkType: linkType}
	var h [24]byte
	magic := uint32(pcapMagicMicro)
	if nano {
		magic = pcapMagicNano
	}
	if snapLen == 0 {
		snapLen = 262144
	}
	binary.LittleEndian.PutUint32(h[0:], magic)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], snapLen)
	binary.LittleEndian.PutUint32(h[20:], uint32(linkType))
	if _, err := pw.w.Write(h[:]); err != nil {
		return nil, err
	}
	return pw, nil
}

// WritePacket implements PacketWriter; iface must be 0.
func (pw *PcapWriter) WritePacket(iface int, sec int64, nsec int32, origLen int, data []byte, comments []string) error {
	if iface != 0 {
		return ErrMixedLinkTypes
	}
	pw.Dropped += len(comments)
	if sec < 0 {
		sec, nsec = 0, 0 // pcap has no timestamps before 1970
	}
	frac := int64(nsec)
	if !pw.nano {
		frac /= 1000
	}
	binary.LittleEndian.PutUint32(pw.hdr[0:], uint32(sec))
	binary.LittleEndian.PutUint32(pw.hdr[4:], uint32(frac))
	binary.LittleEndian.PutUint32(pw.hdr[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(pw.hdr[12:], uint32(max(origLen, len(data))))
	if _, err := pw.w.Write(pw.hdr[:]); err != nil {
		return err
	}
	_, err := pw.w.Write(data)
	return err
}

// Flush implements PacketWriter.
func (pw *PcapWriter) Flush() error { return pw.w.Flush() }

// NGWriter writes pcapng (little-endian, one section). Unlike gopacket's
// NgWriter it keeps each interface's timestamp resolution, so a saved file
// says what the source said.
type NGWriter struct {
	w      *bufio.Writer
	ifaces []Interface
	buf    []byte
}

// NewNGWriter writes a Section Header Block and one Interface Description
// Block per interface.
func NewNGWriter(w io.Writer, app string, ifaces []Interface) (*NGWriter, error) {
	nw := &NGWriter{w: bufio.NewWriterSize(w, 1<<16), ifaces: ifaces}
	// Section header: byte-order magic, version 1.0, unknown section length.
	body := make([]byte, 16)
	binary.LittleEndian.PutUint32(body[0:], ngByteOrder)
	binary.LittleEndian.PutUint16(body[4:], 1)
	binary.LittleEndian.PutUint16(body[6:], 0)
	binary.LittleEndian.PutUint64(body[8:], ^uint64(0))
	body = appendOption(body, 3, []byte(runtime.GOOS)) // shb_os
	body = appendOption(body, 4, []byte(app))          // shb_userappl
	body = appendOption(body, 0, nil)                  // opt_endofopt
	if err := nw.block(ngSHB, body); err != nil {
		return nil, err
	}
	for _, in := range ifaces {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint16(b[0:], in.LinkType)
		binary.LittleEndian.PutUint32(b[4:], in.SnapLen)
		if in.Name != "" {
			b = appendOption(b, 2, []byte(in.Name))
		}
		if in.Description != "" {
			b = appendOption(b, 3, []byte(in.Description))
		}
		if res := tsresolByte(in); res != 6 {
			b = appendOption(b, 9, []byte{res})
		}
		if in.FCSLen >= 0 {
			b = appendOption(b, 13, []byte{byte(in.FCSLen)})
		}
		b = appendOption(b, 0, nil)
		if err := nw.block(ngIDB, b); err != nil {
			return nil, err
		}
	}
	return nw, nil
}

// tsresolByte returns the if_tsresol value that reproduces an interface's
// timestamp units.
func tsresolByte(in Interface) byte {
	if in.TSMul == 1e9 && in.TSDiv > 1 && in.TSDiv&(in.TSDiv-1) == 0 {
		n := byte(0)
		for d := in.TSDiv; d > 1; d >>= 1 {
			n++
		}
		return 0x80 | n
	}
	if in.TSResolution >= 0 && in.TSResolution <= 19 {
		return byte(in.TSResolution)
	}
	return 9
}

func appendOption(b []byte, code uint16, v []byte) []byte {
	var h [4]byte
	binary.LittleEndian.PutUint16(h[0:], code)
	binary.LittleEndian.PutUint16(h[2:], uint16(len(v)))
	b = append(b, h[:]...)
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func (nw *NGWriter) block(typ uint32, body []byte) error {
	var h [8]byte
	total := uint32(12 + len(body))
	binary.LittleEndian.PutUint32(h[0:], typ)
	binary.LittleEndian.PutUint32(h[4:], total)
	if _, err := nw.w.Write(h[:]); err != nil {
		return err
	}
	if _, err := nw.w.Write(body); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(h[0:], total)
	_, err := nw.w.Write(h[:4])
	return err
}

// WritePacket implements PacketWriter with an Enhanced Packet Block.
func (nw *NGWriter) WritePacket(iface int, sec int64, nsec int32, origLen int, data []byte, comments []string) error {
	if iface < 0 || iface >= len(nw.ifaces) {
		return fmt.Errorf("packet on interface %d: only %d interfaces", iface, len(nw.ifaces))
	}
	in := &nw.ifaces[iface]
	ups := in.UnitsPerSec()
	units := uint64(sec-in.TSOffset)*ups + mulDiv(uint64(nsec), ups, 1e9)
	return nw.WritePacketUnits(iface, units, origLen, data, comments)
}

// WritePacketUnits writes a packet whose timestamp is already in the
// interface's units, as a Store keeps it: copying a capture keeps every
// timestamp bit for bit.
func (nw *NGWriter) WritePacketUnits(iface int, units uint64, origLen int, data []byte, comments []string) error {
	if iface < 0 || iface >= len(nw.ifaces) {
		return fmt.Errorf("packet on interface %d: only %d interfaces", iface, len(nw.ifaces))
	}
	b := nw.buf[:0]
	var h [20]byte
	binary.LittleEndian.PutUint32(h[0:], uint32(iface))
	binary.LittleEndian.PutUint32(h[4:], uint32(units>>32))
	binary.LittleEndian.PutUint32(h[8:], uint32(units))
	binary.LittleEndian.PutUint32(h[12:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[16:], uint32(max(origLen, len(data))))
	b = append(b, h[:]...)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	if len(comments) > 0 {
		for _, c := range comments {
			b = appendOption(b, 1, []byte(c))
		}
		b = appendOption(b, 0, nil)
	}
	nw.buf = b
	return nw.block(ngEPB, b)
}

// WriteSimple writes a Simple Packet Block: a packet of interface 0 with
// no timestamp, as the source had it (an Enhanced Packet Block would have
// to invent a time). It holds no comments.
func (nw *NGWriter) WriteSimple(origLen int, data []byte) error {
	if len(nw.ifaces) == 0 {
		return errors.New("simple packet block: no interface")
	}
	b := nw.buf[:0]
	var h [4]byte
	binary.LittleEndian.PutUint32(h[:], uint32(max(origLen, len(data))))
	b = append(b, h[:]...)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	nw.buf = b
	return nw.block(ngSPB, b)
}

// WriteStats writes an Interface Statistics Block (packets received and
// dropped as counted by the capture source) stamped ts ns since the epoch.
func (nw *NGWriter) WriteStats(iface int, ts int64, received, dropped uint64) error {
	if iface < 0 || iface >= len(nw.ifaces) {
		return fmt.Errorf("statistics for interface %d: only %d interfaces", iface, len(nw.ifaces))
	}
	in := &nw.ifaces[iface]
	units := uint64(ts/1e9-in.TSOffset)*in.UnitsPerSec() + mulDiv(uint64(ts%1e9), in.UnitsPerSec(), 1e9)
	b := make([]byte, 12)
	binary.LittleEndian.PutUint32(b[0:], uint32(iface))
	binary.LittleEndian.PutUint32(b[4:], uint32(units>>32))
	binary.LittleEndian.PutUint32(b[8:], uint32(units))
	var v [8]byte
	binary.LittleEndian.PutUint64(v[:], received)
	b = appendOption(b, 4, v[:]) // isb_ifrecv
	binary.LittleEndian.PutUint64(v[:], dropped)
	b = appendOption(b, 5, v[:]) // isb_ifdrop
	b = appendOption(b, 0, nil)
	return nw.block(ngISB, b)
}

// Flush implements PacketWriter.
func (nw *NGWriter) Flush() error { return nw.w.Flush() }
