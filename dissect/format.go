package dissect

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"time"
)

// Allocation-free formatting helpers for the fast path: each appends to dst.

const hexDigits = "0123456789abcdef"

// appendIPv4 appends a dotted-quad address held in the low 32 bits of a.
func appendIPv4(dst []byte, a uint32) []byte {
	dst = appendByteDec(dst, byte(a>>24))
	dst = append(dst, '.')
	dst = appendByteDec(dst, byte(a>>16))
	dst = append(dst, '.')
	dst = appendByteDec(dst, byte(a>>8))
	dst = append(dst, '.')
	return appendByteDec(dst, byte(a))
}

// appendByteDec appends b in decimal (appendIPv4 runs twice per packet:
// this is much cheaper than strconv's general case).
func appendByteDec(dst []byte, b byte) []byte {
	switch {
	case b >= 100:
		return append(dst, '0'+b/100, '0'+b/10%10, '0'+b%10)
	case b >= 10:
		return append(dst, '0'+b/10, '0'+b%10)
	}
	return append(dst, '0'+b)
}

// appendIPv6 appends an IPv6 address in RFC 5952 form (as Wireshark and
// net/netip print it), including the ::ffff:1.2.3.4 form for mapped
// addresses.
func appendIPv6(dst []byte, a []byte) []byte {
	if len(a) != 16 {
		return append(dst, "<bad IPv6>"...)
	}
	// Longest run of zero groups (length ≥ 2), first one on ties.
	bestS, bestL := -1, 0
	for i := 0; i < 8; {
		if a[2*i] == 0 && a[2*i+1] == 0 {
			j := i
			for j < 8 && a[2*j] == 0 && a[2*j+1] == 0 {
				j++
			}
			if j-i > bestL && j-i >= 2 {
				bestS, bestL = i, j-i
			}
			i = j
		} else {
			i++
		}
	}
	// IPv4-mapped ::ffff:a.b.c.d
	if bestS == 0 && bestL == 5 && a[10] == 0xff && a[11] == 0xff {
		dst = append(dst, "::ffff:"...)
		return appendIPv4(dst, uint32(a[12])<<24|uint32(a[13])<<16|uint32(a[14])<<8|uint32(a[15]))
	}
	for i := 0; i < 8; i++ {
		if i == bestS {
			dst = append(dst, ':', ':')
			i += bestL - 1
			continue
		}
		if i > 0 && i != bestS+bestL {
			dst = append(dst, ':')
		}
		dst = strconv.AppendUint(dst, uint64(a[2*i])<<8|uint64(a[2*i+1]), 16)
	}
	return dst
}

// appendMAC appends a colon-separated hardware address.
func appendMAC(dst []byte, a []byte) []byte {
	for i, b := range a {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hexDigits[b>>4], hexDigits[b&15])
	}
	return dst
}

// appendHex appends b as lowercase hex digits with no separator.
func appendHex(dst []byte, b []byte) []byte {
	for _, x := range b {
		dst = append(dst, hexDigits[x>>4], hexDigits[x&15])
	}
	return dst
}

// appendHexSep appends b as hex digits separated by sep.
func appendHexSep(dst []byte, b []byte, sep byte) []byte {
	for i, x := range b {
		if i > 0 {
			dst = append(dst, sep)
		}
		dst = append(dst, hexDigits[x>>4], hexDigits[x&15])
	}
	return dst
}

// appendHexN appends u as "0x" and exactly digits hex digits.
func appendHexN(dst []byte, u uint64, digits int) []byte {
	dst = append(dst, '0', 'x')
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[(u>>(4*uint(i)))&15])
	}
	return dst
}

// appendUint appends u in decimal.
func appendUint(dst []byte, u uint64) []byte {
	if u < 10 {
		return append(dst, byte('0'+u))
	}
	// Info columns hold several numbers per packet: formatting them here
	// avoids strconv's more general (and slower) path.
	var buf [20]byte
	i := len(buf)
	for u >= 100 {
		q := u / 100
		r := u - q*100
		i -= 2
		buf[i], buf[i+1] = digitPairs[2*r], digitPairs[2*r+1]
		u = q
	}
	if u >= 10 {
		i -= 2
		buf[i], buf[i+1] = digitPairs[2*u], digitPairs[2*u+1]
	} else {
		i--
		buf[i] = byte('0' + u)
	}
	return append(dst, buf[i:]...)
}

const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// appendInt appends i in decimal.
func appendInt(dst []byte, i int64) []byte { return strconv.AppendInt(dst, i, 10) }

// appendEpoch appends ns since the epoch as seconds with nine decimals, as
// tshark prints frame.time_epoch.
func appendEpoch(dst []byte, ns int64) []byte {
	if ns < 0 {
		dst = append(dst, '-')
		ns = -ns
	}
	dst = strconv.AppendInt(dst, ns/1e9, 10)
	dst = append(dst, '.')
	frac := ns % 1e9
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(dst, buf[:]...)
}

// absTime returns the Value of an absolute time. Times that fit in int64
// nanoseconds (years 1678 to 2262) are Value.U; others, which pcapng can
// express, keep exact seconds and nanoseconds as 12 bytes in Value.B.
func (c *Ctx) absTime(sec int64, nsec int32) Value {
	const maxSec = int64(1<<63-1) / 1e9
	if sec > -maxSec && sec < maxSec {
		return Value{U: uint64(sec*1e9 + int64(nsec))}
	}
	var b [12]byte
	binary.BigEndian.PutUint64(b[:], uint64(sec))
	binary.BigEndian.PutUint32(b[8:], uint32(nsec))
	return Value{B: c.stash(b[:])}
}

// AbsTime returns the seconds and nanoseconds of an FTAbsTime value.
func AbsTime(v Value) (sec int64, nsec int32) {
	if len(v.B) == 12 {
		return int64(binary.BigEndian.Uint64(v.B)), int32(binary.BigEndian.Uint32(v.B[8:]))
	}
	ns := int64(v.U)
	sec, rem := ns/1e9, ns%1e9
	if rem < 0 {
		sec, rem = sec-1, rem+1e9
	}
	return sec, int32(rem)
}

// appendAbsTime appends an FTAbsTime value as seconds with nine decimals.
func appendAbsTime(dst []byte, v Value) []byte {
	sec, nsec := AbsTime(v)
	if len(v.B) != 12 {
		return appendEpoch(dst, int64(v.U))
	}
	dst = strconv.AppendInt(dst, sec, 10)
	dst = append(dst, '.')
	var buf [9]byte
	n := nsec
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, buf[:]...)
}

// appendSeconds appends a (possibly negative) duration in seconds with nine
// decimals, as Wireshark shows relative times.
func appendSeconds(dst []byte, ns int64) []byte { return appendEpoch(dst, ns) }

// hexWidth returns the number of hex digits Wireshark uses for a field of
// the given bit width.
func hexWidth(bitsN int) int { return (bitsN + 3) / 4 }

// maskShift returns how far a masked value must be shifted right.
func maskShift(mask uint64) uint {
	if mask == 0 {
		return 0
	}
	return uint(bits.TrailingZeros64(mask))
}

// appendFieldValue appends the value of it as tshark's `-T fields` prints
// it (no value names, raw numbers).
func appendFieldValue(dst []byte, it *Item) []byte {
	f, v := it.Field, it.Val
	switch f.Type {
	case FTUint, FTFrameNum:
		if f.Base == BaseHex || f.Base == BaseHexDec {
			w := f.Bits
			if f.Mask != 0 {
				w = bits.Len64(f.Mask >> maskShift(f.Mask))
			}
			return appendHexN(dst, v.U, hexWidth(w))
		}
		return appendUint(dst, v.U)
	case FTInt:
		return appendInt(dst, signExtend(v.U, f.Bits))
	case FTBool:
		if v.U != 0 {
			return append(dst, '1')
		}
		return append(dst, '0')
	case FTIPv4:
		return appendIPv4(dst, uint32(v.U))
	case FTIPv6:
		return appendIPv6(dst, v.B)
	case FTEther:
		return appendMAC(dst, v.B)
	case FTString:
		return append(dst, v.B...)
	case FTBytes:
		return appendHexSep(dst, v.B, ':')
	case FTProtocol:
		// tshark prints a protocol's tree label here, which only the
		// tree has; its value (the layer's bytes) is for filters.
		return dst
	case FTAbsTime:
		return appendAbsTime(dst, v)
	case FTRelTime:
		return appendSeconds(dst, int64(v.U))
	case FTFloat:
		return strconv.AppendFloat(dst, math.Float64frombits(v.U), 'g', -1, 64)
	}
	return dst
}

func signExtend(u uint64, bitsN int) int64 {
	if bitsN <= 0 || bitsN >= 64 {
		return int64(u)
	}
	s := 64 - uint(bitsN)
	return int64(u<<s) >> s
}

// maxLabelBytes is how many bytes of a byte field Wireshark's tree shows.
const maxLabelBytes = 36

// appendDisplayValue appends a value as the protocol tree shows it: value
// names, bases, and Wireshark's "Name (n)" convention.
func appendDisplayValue(dst []byte, it *Item) []byte {
	f, v := it.Field, it.Val
	switch f.Type {
	case FTUint, FTInt:
		name, named := f.Values[v.U]
		num := func(dst []byte) []byte {
			w := f.Bits
			if f.Mask != 0 {
				w = bits.Len64(f.Mask >> maskShift(f.Mask))
			}
			switch f.Base {
			case BaseHex:
				return appendHexN(dst, v.U, hexWidth(w))
			case BaseDecHex:
				dst = appendUint(dst, v.U)
				dst = append(dst, " ("...)
				dst = appendHexN(dst, v.U, hexWidth(w))
				return append(dst, ')')
			case BaseHexDec:
				dst = appendHexN(dst, v.U, hexWidth(w))
				dst = append(dst, " ("...)
				dst = appendUint(dst, v.U)
				return append(dst, ')')
			case BaseOct:
				dst = append(dst, '0')
				return strconv.AppendUint(dst, v.U, 8)
			}
			if f.Type == FTInt {
				return appendInt(dst, signExtend(v.U, f.Bits))
			}
			return appendUint(dst, v.U)
		}
		if named && f.Base == BaseNone {
			return append(dst, name...)
		}
		if named {
			dst = append(dst, name...)
			dst = append(dst, " ("...)
			dst = num(dst)
			return append(dst, ')')
		}
		return num(dst)
	case FTBool:
		tf := [2]string{"Set", "Not set"}
		if f.TrueFalse != nil {
			tf = *f.TrueFalse
		}
		if v.U != 0 {
			return append(dst, tf[0]...)
		}
		return append(dst, tf[1]...)
	case FTAbsTime:
		sec, nsec := AbsTime(v)
		t := time.Unix(sec, int64(nsec)).UTC()
		return t.AppendFormat(dst, "Jan _2, 2006 15:04:05.000000000 UTC")
	case FTRelTime:
		dst = appendSeconds(dst, int64(v.U))
		return append(dst, " seconds"...)
	case FTString:
		// tshark -V shows strings bare ("Name: espn.go.com"), control
		// characters escaped.
		return appendFormatText(dst, v.B)
	case FTEther:
		// With MAC name resolution (tshark's default): "Apple_cb:b2:56
		// (78:31:c1:cb:b2:56)", the address twice when it has no name.
		return appendEtherDisplay(dst, v.B)
	case FTBytes:
		// At most 36 bytes, then an ellipsis; "<MISSING>" for none.
		if len(v.B) == 0 {
			return append(dst, "<MISSING>"...)
		}
		dst = appendHex(dst, v.B[:min(len(v.B), maxLabelBytes)])
		if len(v.B) > maxLabelBytes {
			dst = append(dst, "…"...)
		}
		return dst
	}
	return appendFieldValue(dst, it)
}

// appendBitPattern appends Wireshark's ".... ..1. " rendering of value u
// under mask in a container of bitsN bits.
func appendBitPattern(dst []byte, mask, u uint64, bitsN int) []byte {
	shifted := u << maskShift(mask)
	for i := bitsN - 1; i >= 0; i-- {
		bit := uint64(1) << uint(i)
		switch {
		case mask&bit == 0:
			dst = append(dst, '.')
		case shifted&bit != 0:
			dst = append(dst, '1')
		default:
			dst = append(dst, '0')
		}
		if i > 0 && i%4 == 0 {
			dst = append(dst, ' ')
		}
	}
	return append(dst, " = "...)
}
