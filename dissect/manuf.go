package dissect

import (
	"strconv"
	"strings"
)

//go:generate go run ./internal/manufgen -in /usr/share/wireshark/manuf -out manuf_table.go
//go:generate go run ./internal/manufgen -wka -in /usr/share/wireshark/wka -out manuf_wka.go

const upperHex = "0123456789ABCDEF"

// manufFind binary-searches manufTable for the line whose key is key.
func manufFind(key string) (string, bool) {
	lo, hi := 0, len(manufTable) // search line starts in [lo, hi)
	for lo < hi {
		mid := lo + (hi-lo)/2
		// Back up to the start of the line holding mid.
		start := strings.LastIndexByte(manufTable[:mid], '\n') + 1
		if start < lo {
			start = lo
		}
		end := start + strings.IndexByte(manufTable[start:], '\n')
		line := manufTable[start:end]
		tab := strings.IndexByte(line, '\t')
		k := line[:tab]
		switch {
		case k == key:
			return line[tab+1:], true
		case k < key:
			lo = end + 1
		default:
			hi = start
		}
	}
	return "", false
}

// appendEtherResolved appends a MAC address followed by its resolved name,
// "00:0b:82:01:fc:42 (Grandstr_01:fc:42)", as Wireshark shows addresses
// in Info with MAC name resolution on; with no name only the address.
func appendEtherResolved(dst, mac []byte) []byte {
	dst = appendMAC(dst, mac)
	n := len(dst)
	dst = append(dst, " ("...)
	if d, ok := appendEtherName(dst, mac); ok {
		return append(d, ')')
	}
	return dst[:n]
}

// appendEtherDisplay appends a MAC address as Wireshark's tree shows an
// Ethernet address field: "Apple_cb:b2:56 (78:31:c1:cb:b2:56)", the
// address standing in for the name when it has none.
func appendEtherDisplay(dst, mac []byte) []byte {
	d, ok := appendEtherName(dst, mac)
	if !ok {
		d = appendMAC(dst, mac)
	}
	d = append(d, " ("...)
	d = appendMAC(d, mac)
	return append(d, ')')
}

// appendEtherName appends the name Wireshark's MAC name resolution gives
// mac: a well-known address ("Broadcast"), or the name of the longest
// well-known or vendor prefix followed by the rest of the address
// ("Apple_cb:b2:56", "IPv6mcast_16", "IPv4mcast_7f:ff:fa"). It reports
// false, appending nothing, when no list knows the address.
func appendEtherName(dst, mac []byte) ([]byte, bool) {
	if len(mac) != 6 {
		return dst, false
	}
	name, bits := wkaLookup(mac)
	oui := false
	if mn, mb := manufMatch(mac); mb > bits {
		name, bits, oui = mn, mb, mb == 24
	}
	if bits == 0 {
		return dst, false
	}
	dst = append(dst, name...)
	if bits == 48 {
		return dst, true
	}
	dst = append(dst, '_')
	if oui {
		// A /24 vendor prefix: always the last three bytes.
		return appendMAC(dst, mac[3:]), true
	}
	// Other ranges: the bytes not wholly covered by the prefix, without
	// leading zero bytes (Wireshark's "IPv6mcast_01" for 33:33:00:00:00:01).
	var rest [6]byte
	i := bits / 8
	n := copy(rest[:], mac[i:])
	rest[0] &= 0xff >> uint(bits%8)
	j := 0
	for j < n-1 && rest[j] == 0 {
		j++
	}
	return appendMAC(dst, rest[j:n]), true
}

// manufMatch returns the vendor name of the block mac is in and the
// block's prefix length (36, 28 or 24; 0 for none).
func manufMatch(mac []byte) (string, int) {
	var hex [12]byte
	for i, b := range mac {
		hex[2*i], hex[2*i+1] = upperHex[b>>4], upperHex[b&15]
	}
	for _, p := range [...]struct{ digits, bits int }{{9, 36}, {7, 28}, {6, 24}} {
		if n, found := manufFind(string(hex[:p.digits])); found {
			return n, p.bits
		}
	}
	return "", 0
}

// wkaLookup finds the longest entry of Wireshark's well-known address list
// that matches mac: its name and prefix length (48 for a single address),
// 0 when none does. The list is short and this runs for tree labels only,
// so it is scanned rather than indexed.
func wkaLookup(mac []byte) (name string, bits int) {
	var a uint64
	for _, b := range mac {
		a = a<<8 | uint64(b)
	}
	tab := wkaTable
	for len(tab) > 0 {
		nl := strings.IndexByte(tab, '\n')
		if nl < 0 {
			nl = len(tab)
		}
		line := tab[:nl]
		tab = tab[min(nl+1, len(tab)):]
		// "HEX12/BB\tName"
		if len(line) < 16 || line[12] != '/' || line[15] != '\t' {
			continue
		}
		p, err := strconv.ParseUint(line[:12], 16, 64)
		if err != nil {
			continue
		}
		b, err := strconv.Atoi(line[13:15])
		if err != nil || b <= bits {
			continue
		}
		mask := (uint64(1)<<48 - 1) &^ (uint64(1)<<uint(48-b) - 1)
		if a&mask == p&mask {
			name, bits = line[16:], b
		}
	}
	return name, bits
}
