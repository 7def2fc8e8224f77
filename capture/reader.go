// Package capture reads and writes capture files (pcap, pcapng, either one
// gzip-compressed) and keeps an index of their packets whose bytes stay in the
// file. It never imports Fyne and never decodes protocols.
package capture

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrNotCapture is wrapped by Open and NewReader when the input is neither
// pcap nor pcapng; the wrapping error says what the input looks like.
var ErrNotCapture = errors.New("not a pcap or pcapng file")

// ErrTruncated is wrapped by Reader.Next when the input ends in the middle of a
// record: every packet before it was complete and is kept.
var ErrTruncated = errors.New("file ends in the middle of a packet")

// maxRecord caps what one record may claim, so a corrupt length cannot make
// us allocate gigabytes; Wireshark's limit for pcapng blocks is 16 MiB.
const maxRecord = 16 << 20

// RecordKind says what a record is: a packet, or a pcapng block that tshark
// lists as a frame of its own (custom blocks).
type RecordKind uint8

// Record kinds.
const (
	KindPacket RecordKind = iota
	KindCustom            // pcapng Custom Block (CB/DCB); tshark shows it as a PCAPNG frame
)

// Record describes one packet read from a capture. Off is where its bytes start
// in the (decompressed) stream, so a Store can find them again without a copy.
type Record struct {
	Kind     RecordKind
	HasTime  bool // false for pcapng Simple Packet Blocks
	Iface    int  // index into Reader.Interfaces()
	Off      int64
	TS       int64 // nanoseconds since the Unix epoch
	CapLen   uint32
	OrigLen  uint32
	Comments []string // pcapng opt_comment values; nil for almost every packet
}

// Interface is one capture interface: the single link of a pcap file, or one
// pcapng Interface Description Block (numbered across sections).
type Interface struct {
	LinkType    uint16
	Name        string
	Description string
	SnapLen     uint32
	// TSDivisor converts the file's timestamp units to nanoseconds: ns =
	// units*TSMul/TSDiv. Kept as a fraction so 2^-n resolutions stay exact.
	TSMul, TSDiv uint64
	// TSResolution is the number of decimal digits of the original
	// timestamps (6 for microseconds, 9 for nanoseconds), for writers that
	// must keep the source's resolution.
	TSResolution int
	Section      int
	FCSLen       int // bytes of FCS at the end of each frame, -1 when unknown
}

// Format names the container of a capture file.
type Format uint8

// Container formats.
const (
	FormatPcap Format = iota + 1
	FormatPcapNG
)

func (f Format) String() string {
	switch f {
	case FormatPcap:
		return "pcap"
	case FormatPcapNG:
		return "pcapng"
	}
	return "unknown"
}

// Reader reads records one at a time from a pcap or pcapng byte stream. It
// works on files, pipes and live helper output alike; it never seeks.
// The data slice returned by Next is owned by the Reader and valid only until
// the next call.
type Reader struct {
	r      *bufio.Reader
	pos    int64 // stream offset of the next unread byte
	format Format
	gz     bool

	// pcap
	bo   binary.ByteOrder
	nano bool

	// pcapng
	ifaces     []Interface
	sectionIfs int // index in ifaces of the current section's first interface
	section    int

	scratch []byte
	packets int
}

const (
	pcapMagicMicro = 0xa1b2c3d4
	pcapMagicNano  = 0xa1b23c4d
	ngSHB          = 0x0A0D0D0A
	ngIDB          = 0x00000001
	ngOPB          = 0x00000002
	ngSPB          = 0x00000003
	ngNRB          = 0x00000004
	ngISB          = 0x00000005
	ngEPB          = 0x00000006
	ngCB           = 0x00000BAD
	ngDCB          = 0x40000BAD
	ngByteOrder    = 0x1A2B3C4D
)

// NewReader sniffs the stream's format (transparently un-gzipping it) and
// reads the file header. name is used only in error messages.
func NewReader(r io.Reader, name string) (*Reader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, err := br.Peek(4)
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, zerr := gzip.NewReader(br)
		if zerr != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, zerr)
		}
		zr.Multistream(true)
		rd, err := NewReader(zr, name)
		if rd != nil {
			rd.gz = true
		}
		return rd, err
	}
	if len(head) < 4 {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w (%d bytes, too short for a file header)", name, ErrNotCapture, len(head))
		}
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	rd := &Reader{r: br}
	le := binary.LittleEndian.Uint32(head)
	be := binary.BigEndian.Uint32(head)
	switch {
	case le == pcapMagicMicro || le == pcapMagicNano:
		rd.bo, rd.nano, rd.format = binary.LittleEndian, le == pcapMagicNano, FormatPcap
	case be == pcapMagicMicro || be == pcapMagicNano:
		rd.bo, rd.nano, rd.format = binary.BigEndian, be == pcapMagicNano, FormatPcap
	case le == ngSHB:
		rd.format = FormatPcapNG
	default:
		return nil, fmt.Errorf("%s: %w (%s)", name, ErrNotCapture, sniffKind(br))
	}
	if rd.format == FormatPcap {
		if err := rd.readPcapHeader(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	} else {
		// Read the first Section Header Block eagerly so header errors
		// surface from NewReader, as for pcap.
		if err := rd.readNGSection(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return rd, nil
}

// Format reports the container format.
func (rd *Reader) Format() Format { return rd.format }

// Gzipped reports whether the stream was gzip-compressed.
func (rd *Reader) Gzipped() bool { return rd.gz }

// Interfaces returns the interfaces seen so far. New pcapng interfaces may
// appear as reading goes on; an Iface index never changes meaning.
func (rd *Reader) Interfaces() []Interface { return rd.ifaces }

// Offset returns how many bytes of the (decompressed) stream were consumed.
func (rd *Reader) Offset() int64 { return rd.pos }

// read returns the next n bytes without copying when they fit the buffer.
func (rd *Reader) read(n int) ([]byte, error) {
	if n <= rd.r.Size() {
		b, err := rd.r.Peek(n)
		if err != nil {
			if len(b) > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		rd.r.Discard(n)
		rd.pos += int64(n)
		return b, nil
	}
	if cap(rd.scratch) < n {
		rd.scratch = make([]byte, n)
	}
	b := rd.scratch[:n]
	m, err := io.ReadFull(rd.r, b)
	rd.pos += int64(m)
	return b, err
}

func (rd *Reader) readPcapHeader() error {
	h, err := rd.read(24)
	if err != nil {
		return fmt.Errorf("pcap file header: %w", ErrTruncated)
	}
	snap := rd.bo.Uint32(h[16:])
	lt := rd.bo.Uint32(h[20:])
	in := Interface{
		LinkType: uint16(lt & 0xffff), SnapLen: snap, TSMul: 1000, TSDiv: 1, TSResolution: 6, FCSLen: -1,
	}
	// The upper bits may carry the FCS length (pcap spec, "LinkType and
	// additional information"); the F bit says they are valid.
	if lt&0x04000000 != 0 {
		in.FCSLen = int(lt>>28) * 2
	}
	if rd.nano {
		in.TSMul, in.TSResolution = 1, 9
	}
	rd.ifaces = append(rd.ifaces, in)
	return nil
}

// Next returns the next record and its captured bytes. At the end of the
// stream it returns io.EOF; when the stream ends inside a record it returns an
// error wrapping ErrTruncated, after every complete record was returned.
func (rd *Reader) Next() (Record, []byte, error) {
	if rd.format == FormatPcap {
		return rd.nextPcap()
	}
	return rd.nextNG()
}

func (rd *Reader) truncated(what string) error {
	return fmt.Errorf("%w: after packet %d, in %s at offset %d", ErrTruncated, rd.packets, what, rd.pos)
}

func (rd *Reader) nextPcap() (Record, []byte, error) {
	h, err := rd.read(16)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Record{}, nil, io.EOF
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, nil, rd.truncated("record header")
		}
		return Record{}, nil, err
	}
	sec := uint64(rd.bo.Uint32(h[0:]))
	frac := uint64(rd.bo.Uint32(h[4:]))
	capLen := rd.bo.Uint32(h[8:])
	origLen := rd.bo.Uint32(h[12:])
	if capLen > maxRecord {
		return Record{}, nil, fmt.Errorf("packet %d: captured length %d is larger than %d: file is corrupt", rd.packets+1, capLen, maxRecord)
	}
	in := &rd.ifaces[0]
	rec := Record{
		Kind: KindPacket, HasTime: true, Off: rd.pos,
		TS:     int64(sec)*1e9 + int64(frac*in.TSMul/in.TSDiv),
		CapLen: capLen, OrigLen: origLen,
	}
	data, err := rd.read(int(capLen))
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, nil, rd.truncated("packet data")
		}
		return Record{}, nil, err
	}
	rd.packets++
	return rec, data, nil
}

// ngOrder returns the byte order of the current pcapng section.
func (rd *Reader) ngOrder() binary.ByteOrder {
	if rd.bo == nil {
		return binary.LittleEndian
	}
	return rd.bo
}

// readNGSection reads a Section Header Block; the first 4 bytes (block type)
// have not been consumed yet.
func (rd *Reader) readNGSection() error {
	h, err := rd.read(12)
	if err != nil {
		return rd.truncated("section header")
	}
	magic := h[8:12]
	switch binary.LittleEndian.Uint32(magic) {
	case ngByteOrder:
		rd.bo = binary.LittleEndian
	case 0x4D3C2B1A:
		rd.bo = binary.BigEndian
	default:
		return fmt.Errorf("pcapng section header: bad byte-order magic %x", magic)
	}
	total := rd.bo.Uint32(h[4:])
	if total < 28 || total%4 != 0 || total > maxRecord {
		return fmt.Errorf("pcapng section header: bad block length %d", total)
	}
	if _, err := rd.read(int(total) - 12); err != nil {
		return rd.truncated("section header")
	}
	rd.section++
	rd.sectionIfs = len(rd.ifaces)
	return nil
}

func (rd *Reader) nextNG() (Record, []byte, error) {
	for {
		h, err := rd.r.Peek(8)
		if err != nil {
			if len(h) == 0 && errors.Is(err, io.EOF) {
				return Record{}, nil, io.EOF
			}
			if errors.Is(err, io.EOF) {
				return Record{}, nil, rd.truncated("block header")
			}
			return Record{}, nil, err
		}
		if binary.LittleEndian.Uint32(h) == ngSHB {
			if err := rd.readNGSection(); err != nil {
				return Record{}, nil, err
			}
			continue
		}
		bo := rd.ngOrder()
		typ := bo.Uint32(h[0:])
		total := bo.Uint32(h[4:])
		if total < 12 || total%4 != 0 || total > maxRecord {
			return Record{}, nil, fmt.Errorf("pcapng block at offset %d: bad block length %d: file is corrupt", rd.pos, total)
		}
		start := rd.pos
		blk, err := rd.read(int(total))
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return Record{}, nil, rd.truncated("block")
			}
			return Record{}, nil, err
		}
		body := blk[8 : total-4]
		bodyOff := start + 8
		switch typ {
		case ngIDB:
			if len(body) < 8 {
				return Record{}, nil, fmt.Errorf("pcapng interface block at offset %d: too short", start)
			}
			in := Interface{
				LinkType: bo.Uint16(body[0:]), SnapLen: bo.Uint32(body[4:]),
				TSMul: 1000, TSDiv: 1, TSResolution: 6, Section: rd.section - 1, FCSLen: -1,
			}
			walkOptions(bo, body[8:], func(code uint16, v []byte) {
				switch code {
				case 2:
					in.Name = string(v)
				case 3:
					in.Description = string(v)
				case 9:
					if len(v) >= 1 {
						setResolution(&in, v[0])
					}
				case 13:
					if len(v) >= 1 {
						in.FCSLen = int(v[0])
					}
				}
			})
			rd.ifaces = append(rd.ifaces, in)
		case ngEPB, ngOPB:
			var id int
			var hi, lo, capLen, origLen uint32
			var dataOff int
			if typ == ngEPB {
				if len(body) < 20 {
					return Record{}, nil, fmt.Errorf("pcapng packet block at offset %d: too short", start)
				}
				id = int(bo.Uint32(body[0:]))
				hi, lo = bo.Uint32(body[4:]), bo.Uint32(body[8:])
				capLen, origLen = bo.Uint32(body[12:]), bo.Uint32(body[16:])
				dataOff = 20
			} else {
				if len(body) < 20 {
					return Record{}, nil, fmt.Errorf("pcapng packet block at offset %d: too short", start)
				}
				id = int(bo.Uint16(body[0:]))
				hi, lo = bo.Uint32(body[4:]), bo.Uint32(body[8:])
				capLen, origLen = bo.Uint32(body[12:]), bo.Uint32(body[16:])
				dataOff = 20
			}
			if int(capLen) > len(body)-dataOff {
				return Record{}, nil, fmt.Errorf("pcapng packet block at offset %d: captured length %d exceeds block: file is corrupt", start, capLen)
			}
			gid := rd.sectionIfs + id
			if id < 0 || gid >= len(rd.ifaces) {
				return Record{}, nil, fmt.Errorf("pcapng packet block at offset %d: unknown interface %d", start, id)
			}
			in := &rd.ifaces[gid]
			units := uint64(hi)<<32 | uint64(lo)
			rec := Record{
				Kind: KindPacket, HasTime: true, Iface: gid, Off: bodyOff + int64(dataOff),
				TS: unitsToNS(units, in), CapLen: capLen, OrigLen: origLen,
			}
			optStart := dataOff + int(pad4(capLen))
			if optStart < len(body) {
				walkOptions(bo, body[optStart:], func(code uint16, v []byte) {
					if code == 1 {
						rec.Comments = append(rec.Comments, string(v))
					}
				})
			}
			rd.packets++
			return rec, body[dataOff : dataOff+int(capLen)], nil
		case ngSPB:
			if len(body) < 4 {
				return Record{}, nil, fmt.Errorf("pcapng simple packet block at offset %d: too short", start)
			}
			if rd.sectionIfs >= len(rd.ifaces) {
				return Record{}, nil, fmt.Errorf("pcapng simple packet block at offset %d: no interface", start)
			}
			origLen := bo.Uint32(body[0:])
			capLen := min(origLen, uint32(len(body)-4))
			if snap := rd.ifaces[rd.sectionIfs].SnapLen; snap > 0 {
				capLen = min(capLen, snap)
			}
			rd.packets++
			return Record{
				Kind: KindPacket, Iface: rd.sectionIfs, Off: bodyOff + 4, CapLen: capLen, OrigLen: origLen,
			}, body[4 : 4+capLen], nil
		case ngCB, ngDCB:
			rd.packets++
			return Record{Kind: KindCustom, Iface: -1, Off: bodyOff, CapLen: uint32(len(body)), OrigLen: uint32(len(body))}, body, nil
		default:
			// NRB, ISB, DSB and unknown blocks carry no packets.
		}
	}
}

func pad4(n uint32) uint32 { return (n + 3) &^ 3 }

func walkOptions(bo binary.ByteOrder, b []byte, fn func(code uint16, v []byte)) {
	for len(b) >= 4 {
		code, n := bo.Uint16(b[0:]), int(bo.Uint16(b[2:]))
		if code == 0 || 4+n > len(b) {
			return
		}
		fn(code, b[4:4+n])
		adv := 4 + int(pad4(uint32(n)))
		if adv > len(b) {
			return
		}
		b = b[adv:]
	}
}

// setResolution applies an if_tsresol option: high bit clear means 10^-n
// seconds, set means 2^-n seconds.
func setResolution(in *Interface, v byte) {
	n := uint64(v & 0x7f)
	if v&0x80 == 0 {
		in.TSResolution = int(n)
		switch {
		case n <= 9:
			in.TSMul, in.TSDiv = pow10(9-n), 1
		case n <= 19:
			in.TSMul, in.TSDiv = 1, pow10(n-9)
		}
		return
	}
	if n < 64 {
		in.TSMul, in.TSDiv = 1e9, 1<<n
		in.TSResolution = 9
	}
}

func pow10(n uint64) uint64 {
	p := uint64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

func unitsToNS(u uint64, in *Interface) int64 {
	if in.TSDiv == 1 {
		return int64(u * in.TSMul)
	}
	if in.TSMul == 1 {
		return int64(u / in.TSDiv)
	}
	// 2^-n resolution: split to avoid overflow of u*1e9.
	sec := u / in.TSDiv
	rem := u % in.TSDiv
	return int64(sec)*1e9 + int64(rem*in.TSMul/in.TSDiv)
}

// sniffKind names what a non-capture file looks like, for the error message.
func sniffKind(br *bufio.Reader) string {
	b, _ := br.Peek(512)
	switch {
	case len(b) == 0:
		return "empty file"
	case len(b) >= 4 && string(b[:4]) == "%PDF":
		return "looks like a PDF document"
	case len(b) >= 4 && string(b[:4]) == "PK\x03\x04":
		return "looks like a zip archive"
	case len(b) >= 4 && string(b[:4]) == "\x7fELF":
		return "looks like an executable"
	case len(b) >= 3 && b[0] == 0x42 && b[1] == 0x5a && b[2] == 0x68:
		return "looks like bzip2 data"
	case len(b) >= 6 && string(b[:6]) == "\xfd7zXZ\x00":
		return "looks like xz data"
	case len(b) >= 4 && string(b[:4]) == "\x28\xb5\x2f\xfd":
		return "looks like zstd data"
	}
	text := true
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			text = false
			break
		}
	}
	if text {
		return "looks like text"
	}
	return "unknown binary data"
}
