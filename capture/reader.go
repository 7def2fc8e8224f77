// Package capture reads and writes capture files (pcap, pcapng, either one
// gzip-compressed) and keeps an index of their packets whose bytes stay in the
// file. It never imports Fyne and never decodes protocols.
package capture

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
)

// ErrNotCapture is wrapped by Open and NewReader when the input is neither
// pcap nor pcapng; the wrapping error says what the input looks like.
var ErrNotCapture = errors.New("not a pcap or pcapng file")

// ErrTruncated is wrapped by Reader.Next when the input ends in the middle of a
// record: every packet before it was complete and is kept.
var ErrTruncated = errors.New("file ends in the middle of a packet")

// readBufSize is the streaming reader's buffer: records that fit are
// returned without a copy; larger ones are assembled in a scratch buffer.
const readBufSize = 256 << 10

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
	Kind    RecordKind
	HasTime bool // false for pcapng Simple Packet Blocks
	Iface   int  // index into Reader.Interfaces()
	Off     int64
	TS      int64 // nanoseconds since the Unix epoch (wraps past 2262: see Units)
	// Units is the timestamp as the file stores it, in its interface's
	// units; Interface.Exact turns it into exact seconds and nanoseconds
	// even for times an int64 of nanoseconds cannot hold.
	Units    uint64
	CapLen   uint32
	OrigLen  uint32
	Comments []string // pcapng opt_comment values; nil for almost every packet
	// PEN and NoCopy describe a custom block (KindCustom): its Private
	// Enterprise Number, and whether it is the "do not copy" kind
	// (0x40000BAD). Its bytes are the data and options after the PEN, as
	// tshark shows them.
	PEN    uint32
	NoCopy bool
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
	// TSOffset is the pcapng if_tsoffset option: seconds added to every
	// timestamp of the interface.
	TSOffset int64
	Section  int
	FCSLen   int // bytes of FCS at the end of each frame, -1 when unknown
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
	r      *bufio.Reader // nil in memory mode
	mem    []byte        // memory mode: the whole stream, read without copies
	pos    int64         // stream offset of the next unread byte
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
	packets int   // records returned so far
	err     error // sticky error of Next
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
// reads the file header. name is used only in error messages. The stream is
// read strictly in order and never sought, so pipes work.
func NewReader(r io.Reader, name string) (*Reader, error) {
	return newReader(&Reader{r: bufio.NewReaderSize(r, readBufSize)}, name, true)
}

// newMemReader reads a capture held in memory (a mapped or inflated file).
// The data slices it returns point into b, so they stay valid as long as b.
// A gzip stream is refused: the caller inflates it, because packet offsets
// must refer to b.
func newMemReader(b []byte, name string) (*Reader, error) {
	return newReader(&Reader{mem: b}, name, false)
}

func newReader(rd *Reader, name string, gz bool) (*Reader, error) {
	head, err := rd.peek(4)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		if !gz {
			return nil, fmt.Errorf("%s: %w (looks like gzip data compressed twice)", name, ErrNotCapture)
		}
		zr, zerr := gzip.NewReader(rd.r)
		if zerr != nil {
			if errors.Is(zerr, io.EOF) || errors.Is(zerr, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("%s: gzip header: %w", name, ErrTruncated)
			}
			return nil, fmt.Errorf("%s: gzip: %w", name, zerr)
		}
		zr.Multistream(true)
		// One level of compression only, as Wireshark reads.
		in, err := newReader(&Reader{r: bufio.NewReaderSize(zr, readBufSize)}, name, false)
		if in != nil {
			in.gz = true
		}
		return in, err
	}
	if len(head) < 4 {
		// An empty head with io.ErrUnexpectedEOF comes from a cut gzip
		// stream, not from an empty file.
		if (len(head) > 0 && isMagicPrefix(head)) || (len(head) == 0 && errors.Is(err, io.ErrUnexpectedEOF)) {
			return nil, fmt.Errorf("%s: file header: %w", name, ErrTruncated)
		}
		return nil, fmt.Errorf("%s: %w (%s)", name, ErrNotCapture, rd.sniffKind())
	}
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
		return nil, fmt.Errorf("%s: %w (%s)", name, ErrNotCapture, rd.sniffKind())
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

// isMagicPrefix reports whether b (shorter than 4 bytes) starts a pcap or
// pcapng magic number, so a cut file is told apart from a foreign one.
func isMagicPrefix(b []byte) bool {
	var m [4]byte
	if b[0] == 0x1f && (len(b) == 1 || b[1] == 0x8b) {
		return true // gzip
	}
	for _, v := range []uint32{pcapMagicMicro, pcapMagicNano, ngSHB} {
		binary.LittleEndian.PutUint32(m[:], v)
		if string(m[:len(b)]) == string(b) {
			return true
		}
		binary.BigEndian.PutUint32(m[:], v)
		if string(m[:len(b)]) == string(b) {
			return true
		}
	}
	return false
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

// peek returns the next n bytes without consuming them (n must fit the
// buffer). At the end of the stream it returns what is left with io.EOF when
// nothing is left and io.ErrUnexpectedEOF otherwise.
func (rd *Reader) peek(n int) ([]byte, error) {
	if rd.r == nil {
		rest := rd.mem[rd.pos:]
		if len(rest) >= n {
			return rest[:n:n], nil
		}
		if len(rest) == 0 {
			return nil, io.EOF
		}
		return rest, io.ErrUnexpectedEOF
	}
	b, err := rd.r.Peek(n)
	if err != nil && len(b) > 0 && errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return b, err
}

// read consumes and returns the next n bytes, without copying when they fit
// the buffer (always in memory mode). The errors are those of peek.
func (rd *Reader) read(n int) ([]byte, error) {
	if rd.r == nil {
		b, err := rd.peek(n)
		if err != nil {
			return nil, err
		}
		if ahead := rd.pos + prefetchAhead; n > 0 && ahead+int64(n) <= int64(len(rd.mem)) {
			prefetch(&rd.mem[ahead], uintptr(n))
		}
		rd.pos += int64(n)
		return b, nil
	}
	if n <= rd.r.Size() {
		b, err := rd.peek(n)
		if err != nil {
			return nil, err
		}
		_, _ = rd.r.Discard(n) // cannot fail: the bytes are buffered
		rd.pos += int64(n)
		return b, nil
	}
	// A record larger than the buffer: grow the scratch buffer as its
	// bytes arrive, so a corrupt length in a short file does not make us
	// allocate the 16 MiB it claims.
	b := rd.scratch[:0]
	for len(b) < n {
		m := min(n-len(b), rd.r.Size())
		b = slices.Grow(b, m)
		if _, err := io.ReadFull(rd.r, b[len(b):len(b)+m]); err != nil {
			// The stream is now out of step; errors are sticky, so pos
			// stays at the record for the message, as when buffered.
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		b = b[:len(b)+m]
	}
	rd.scratch = b
	rd.pos += int64(n)
	return b, nil
}

// isEOF reports whether err means the stream ended (cleanly or not).
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

func (rd *Reader) readPcapHeader() error {
	h, err := rd.read(24)
	if err != nil {
		if isEOF(err) {
			return fmt.Errorf("pcap file header: %w", ErrTruncated)
		}
		return err
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
// Other errors mean the file is corrupt; reading cannot go on after any error.
func (rd *Reader) Next() (Record, []byte, error) {
	if rd.err != nil {
		return Record{}, nil, rd.err
	}
	var (
		rec  Record
		data []byte
		err  error
	)
	if rd.format == FormatPcap {
		rec, data, err = rd.nextPcap()
	} else {
		rec, data, err = rd.nextNG()
	}
	if err != nil {
		// Sticky: after a corrupt or cut record the stream position is
		// meaningless, so every later call reports the same error.
		rd.err = err
		return Record{}, nil, err
	}
	rd.packets++
	return rec, data, nil
}

// truncated wraps ErrTruncated (or passes a real I/O error through).
func (rd *Reader) truncated(what string, err error) error {
	if err != nil && !isEOF(err) {
		return fmt.Errorf("after packet %d, reading %s at offset %d: %w", rd.packets, what, rd.pos, err)
	}
	return fmt.Errorf("%w: after packet %d, in %s at offset %d", ErrTruncated, rd.packets, what, rd.pos)
}

// corrupt reports a record that cannot be right.
func (rd *Reader) corrupt(off int64, format string, args ...any) error {
	return fmt.Errorf("after packet %d, at offset %d: %s: file is corrupt", rd.packets, off, fmt.Sprintf(format, args...))
}

func (rd *Reader) nextPcap() (Record, []byte, error) {
	start := rd.pos
	h, err := rd.read(16)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Record{}, nil, io.EOF
		}
		return Record{}, nil, rd.truncated("record header", err)
	}
	sec := uint64(rd.bo.Uint32(h[0:]))
	frac := uint64(rd.bo.Uint32(h[4:]))
	capLen := rd.bo.Uint32(h[8:])
	origLen := rd.bo.Uint32(h[12:])
	if capLen > maxRecord {
		return Record{}, nil, rd.corrupt(start, "captured length %d is larger than %d", capLen, maxRecord)
	}
	in := &rd.ifaces[0]
	rec := Record{
		Kind: KindPacket, HasTime: true, Off: rd.pos,
		TS:     int64(sec)*1e9 + int64(frac*in.TSMul/in.TSDiv),
		Units:  sec*in.UnitsPerSec() + frac,
		CapLen: capLen, OrigLen: origLen,
	}
	data, err := rd.read(int(capLen))
	if err != nil {
		return Record{}, nil, rd.truncated("packet data", err)
	}
	return rec, data, nil
}

// ngOrder returns the byte order of the current pcapng section.
func (rd *Reader) ngOrder() binary.ByteOrder {
	if rd.bo == nil {
		return binary.LittleEndian
	}
	return rd.bo
}

// readNGSection reads a Section Header Block; its first bytes (block type)
// have not been consumed yet.
func (rd *Reader) readNGSection() error {
	start := rd.pos
	h, err := rd.peek(16)
	if err != nil {
		return rd.truncated("section header", err)
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(h[8:12]) {
	case ngByteOrder:
		bo = binary.LittleEndian
	case 0x4D3C2B1A:
		bo = binary.BigEndian
	default:
		return rd.corrupt(start, "pcapng section header: bad byte-order magic %x", h[8:12])
	}
	total := bo.Uint32(h[4:])
	if total < 28 || total%4 != 0 || total > maxRecord {
		return rd.corrupt(start, "pcapng section header: bad block length %d", total)
	}
	if major := bo.Uint16(h[12:]); major != 1 {
		return rd.corrupt(start, "pcapng section header: unsupported version %d.%d", major, bo.Uint16(h[14:]))
	}
	blk, err := rd.read(int(total))
	if err != nil {
		return rd.truncated("section header", err)
	}
	if tail := bo.Uint32(blk[total-4:]); tail != total {
		return rd.corrupt(start, "pcapng section header: block length %d and trailer %d differ", total, tail)
	}
	rd.bo = bo
	rd.section++
	rd.sectionIfs = len(rd.ifaces)
	return nil
}

func (rd *Reader) nextNG() (Record, []byte, error) {
	for {
		h, err := rd.peek(8)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Record{}, nil, io.EOF
			}
			return Record{}, nil, rd.truncated("block header", err)
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
		start := rd.pos
		if total < 12 || total%4 != 0 || total > maxRecord {
			return Record{}, nil, rd.corrupt(start, "pcapng block: bad block length %d", total)
		}
		blk, err := rd.read(int(total))
		if err != nil {
			return Record{}, nil, rd.truncated("block", err)
		}
		if tail := bo.Uint32(blk[total-4:]); tail != total {
			return Record{}, nil, rd.corrupt(start, "pcapng block: block length %d and trailer %d differ", total, tail)
		}
		body := blk[8 : total-4]
		bodyOff := start + 8
		switch typ {
		case ngIDB:
			if len(body) < 8 {
				return Record{}, nil, rd.corrupt(start, "pcapng interface block too short")
			}
			if len(rd.ifaces) >= maxInterfaces {
				return Record{}, nil, rd.corrupt(start, "more than %d interfaces", maxInterfaces)
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
				case 14:
					if len(v) >= 8 {
						in.TSOffset = int64(bo.Uint64(v))
					}
				}
			})
			rd.ifaces = append(rd.ifaces, in)
		case ngEPB, ngOPB:
			if len(body) < 20 {
				return Record{}, nil, rd.corrupt(start, "pcapng packet block too short")
			}
			var id int
			if typ == ngEPB {
				id = int(bo.Uint32(body[0:]))
			} else {
				// Obsolete Packet Block: 16-bit interface, 16-bit drops.
				id = int(bo.Uint16(body[0:]))
			}
			hi, lo := bo.Uint32(body[4:]), bo.Uint32(body[8:])
			capLen, origLen := bo.Uint32(body[12:]), bo.Uint32(body[16:])
			const dataOff = 20
			if int64(capLen) > int64(len(body)-dataOff) {
				return Record{}, nil, rd.corrupt(start, "pcapng packet block: captured length %d exceeds the block", capLen)
			}
			gid := rd.sectionIfs + id
			if id < 0 || gid >= len(rd.ifaces) {
				return Record{}, nil, rd.corrupt(start, "pcapng packet block: unknown interface %d", id)
			}
			in := &rd.ifaces[gid]
			units := uint64(hi)<<32 | uint64(lo)
			rec := Record{
				Kind: KindPacket, HasTime: true, Iface: gid, Off: bodyOff + dataOff,
				TS: unitsToNS(units, in), Units: units, CapLen: capLen, OrigLen: origLen,
			}
			if optStart := dataOff + int(pad4(capLen)); optStart < len(body) {
				rec.Comments = packetComments(bo, body[optStart:])
			}
			return rec, body[dataOff : dataOff+int(capLen) : dataOff+int(capLen)], nil
		case ngSPB:
			if len(body) < 4 {
				return Record{}, nil, rd.corrupt(start, "pcapng simple packet block too short")
			}
			if rd.sectionIfs >= len(rd.ifaces) {
				return Record{}, nil, rd.corrupt(start, "pcapng simple packet block before any interface")
			}
			origLen := bo.Uint32(body[0:])
			capLen := min(origLen, uint32(len(body)-4))
			if snap := rd.ifaces[rd.sectionIfs].SnapLen; snap > 0 {
				capLen = min(capLen, snap)
			}
			return Record{
				Kind: KindPacket, Iface: rd.sectionIfs, Off: bodyOff + 4, CapLen: capLen, OrigLen: origLen,
			}, body[4 : 4+capLen : 4+capLen], nil
		case ngCB, ngDCB:
			if len(body) < 4 {
				return Record{}, nil, rd.corrupt(start, "pcapng custom block too short")
			}
			n := uint32(len(body) - 4)
			return Record{
				Kind: KindCustom, Iface: -1, Off: bodyOff + 4, CapLen: n, OrigLen: n,
				PEN: bo.Uint32(body), NoCopy: typ == ngDCB,
			}, body[4:], nil
		default:
			// NRB, ISB, DSB and unknown blocks carry no packets.
		}
	}
}

// maxInterfaces caps the interface table, which a corrupt file could
// otherwise grow by one entry per 20-byte block.
const maxInterfaces = 1 << 16

// packetComments returns the opt_comment values of a packet block's options
// (nil, without allocating, when there are none).
func packetComments(bo binary.ByteOrder, opts []byte) []string {
	var out []string
	for len(opts) >= 4 {
		code, n := bo.Uint16(opts[0:]), int(bo.Uint16(opts[2:]))
		if code == 0 || 4+n > len(opts) {
			break
		}
		if code == 1 {
			out = append(out, string(opts[4:4+n]))
		}
		opts = opts[min(len(opts), 4+int(pad4(uint32(n)))):]
	}
	return out
}

func pad4(n uint32) uint32 { return (n + 3) &^ 3 }

func walkOptions(bo binary.ByteOrder, b []byte, fn func(code uint16, v []byte)) {
	for len(b) >= 4 {
		code, n := bo.Uint16(b[0:]), int(bo.Uint16(b[2:]))
		if code == 0 || 4+n > len(b) {
			return
		}
		fn(code, b[4:4+n])
		b = b[min(len(b), 4+int(pad4(uint32(n)))):]
	}
}

// setResolution applies an if_tsresol option: high bit clear means 10^-n
// seconds, set means 2^-n seconds.
func setResolution(in *Interface, v byte) {
	n := uint64(v & 0x7f)
	if v&0x80 == 0 {
		switch {
		case n <= 9:
			in.TSMul, in.TSDiv, in.TSResolution = pow10(9-n), 1, int(n)
		case n <= 19:
			in.TSMul, in.TSDiv, in.TSResolution = 1, pow10(n-9), int(n)
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

// unitsToNS converts a pcapng timestamp to ns since the epoch, exactly for
// every resolution (integer arithmetic, no float rounding).
func unitsToNS(u uint64, in *Interface) int64 {
	var ns int64
	switch {
	case in.TSDiv == 1:
		ns = int64(u * in.TSMul)
	case in.TSMul == 1:
		ns = int64(u / in.TSDiv)
	default:
		// 2^-n resolution: split to avoid overflow of u*1e9. The
		// fraction is truncated as Wireshark does.
		sec := u / in.TSDiv
		rem := u % in.TSDiv
		ns = int64(sec)*1e9 + int64(mulDiv(rem, in.TSMul, in.TSDiv))
	}
	return ns + in.TSOffset*1e9
}

// UnitsPerSec returns how many timestamp units make one second.
func (in *Interface) UnitsPerSec() uint64 {
	switch {
	case in.TSDiv == 1 && in.TSMul > 0:
		return 1e9 / in.TSMul
	case in.TSMul == 1:
		return 1e9 * in.TSDiv
	}
	return in.TSDiv // 2^-n seconds
}

// Exact converts a timestamp in this interface's units to seconds and
// nanoseconds since the epoch, exactly, whatever its size.
func (in *Interface) Exact(units uint64) (sec int64, nsec int32) {
	ups := in.UnitsPerSec()
	if ups == 0 {
		return 0, 0
	}
	sec = int64(units/ups) + in.TSOffset
	nsec = int32(mulDiv(units%ups, 1e9, ups))
	return sec, nsec
}

// mulDiv returns a*b/c for a < c without overflowing 64 bits.
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, c)
	return q
}

// sniffKind names what a non-capture stream looks like, for the error message.
func (rd *Reader) sniffKind() string {
	b, _ := rd.peek(512)
	switch {
	case len(b) == 0:
		return "empty file"
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "looks like a PDF document"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "looks like a zip archive"
	case bytes.HasPrefix(b, []byte("\x7fELF")):
		return "looks like an executable"
	case bytes.HasPrefix(b, []byte("BZh")):
		return "looks like bzip2 data"
	case bytes.HasPrefix(b, []byte("\xfd7zXZ\x00")):
		return "looks like xz data"
	case bytes.HasPrefix(b, []byte("\x28\xb5\x2f\xfd")):
		return "looks like zstd data"
	}
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			return "unknown binary data"
		}
	}
	return "looks like text"
}
