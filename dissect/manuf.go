package dissect

import "strings"

//go:generate go run ./internal/manufgen -in /usr/share/wireshark/manuf -out manuf_table.go

// manufLookup returns the vendor short name of a MAC address from Wireshark's
// manuf data (longest prefix first: /36, /28, then the /24 OUI) and how many
// of the address's trailing bytes Wireshark shows after it.
func manufLookup(mac []byte) (name string, tail int, ok bool) {
	if len(mac) != 6 {
		return "", 0, false
	}
	var hex [12]byte
	for i, b := range mac {
		hex[2*i], hex[2*i+1] = upperHex[b>>4], upperHex[b&15]
	}
	for _, p := range [...]struct{ digits, tail int }{{9, 2}, {7, 3}, {6, 3}} {
		if n, found := manufFind(string(hex[:p.digits])); found {
			return n, p.tail, true
		}
	}
	return "", 0, false
}

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

// appendEtherResolved appends a MAC address followed by its vendor-resolved
// form, "00:0b:82:01:fc:42 (Grandstr_01:fc:42)", as Wireshark shows addresses
// with MAC name resolution on; with no vendor match only the address.
func appendEtherResolved(dst, mac []byte) []byte {
	dst = appendMAC(dst, mac)
	if name, tail, ok := manufLookup(mac); ok {
		dst = append(dst, " ("...)
		dst = append(dst, name...)
		dst = append(dst, '_')
		dst = appendMAC(dst, mac[6-tail:])
		dst = append(dst, ')')
	}
	return dst
}
