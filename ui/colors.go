package ui

import (
	"image/color"
	"strings"

	"github.com/kaiseki-app/kaiseki/capture"
)

// ColorRule is one packet-list colouring rule, after Wireshark's default
// colorfilters (same colours, same order of precedence).
type ColorRule struct {
	Name   string
	BG, FG color.NRGBA
	match  func(r *capture.Row, protos string) bool
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

var (
	wsDark = rgb(0x12272e) // Wireshark's dark text colour
)

// colorRules returns the rules in precedence order; the first match wins.
func colorRules() []ColorRule {
	return []ColorRule{
		{"Malformed", rgb(0x12272e), rgb(0xf78787), func(r *capture.Row, _ string) bool { return r.Malformed }},
		{"Bad TCP", rgb(0x12272e), rgb(0xf78787), func(r *capture.Row, p string) bool { return hasProto(p, "tcp") && badTCP(r.Info) }},
		{"ICMP errors", rgb(0x12272e), rgb(0xb7f774), func(r *capture.Row, p string) bool { return isICMP(p) && icmpError(r.Info) }},
		{"ARP", rgb(0xfaf0d7), wsDark, func(_ *capture.Row, p string) bool { return hasProto(p, "arp") }},
		{"ICMP", rgb(0xfce0ff), wsDark, func(_ *capture.Row, p string) bool { return isICMP(p) }},
		{"TCP RST", rgb(0xa40000), rgb(0xfffc9c), func(r *capture.Row, p string) bool { return hasProto(p, "tcp") && tcpFlag(r.Info, "RST") }},
		{"HTTP", rgb(0xe4ffc7), wsDark, func(r *capture.Row, p string) bool {
			return hasProto(p, "http") || hasProto(p, "tcp") && (strings.HasPrefix(r.Info, "80 ") || strings.Contains(r.Info, "→ 80 "))
		}},
		{"TCP SYN/FIN", rgb(0xa0a0a0), wsDark, func(r *capture.Row, p string) bool {
			return hasProto(p, "tcp") && (tcpFlag(r.Info, "SYN") || tcpFlag(r.Info, "FIN"))
		}},
		{"TCP", rgb(0xe7e6ff), wsDark, func(_ *capture.Row, p string) bool { return hasProto(p, "tcp") }},
		// Wireshark colours DNS as UDP; a shade of its own makes name
		// lookups easy to spot, as the issue asks.
		{"DNS", rgb(0xd2f4f0), wsDark, func(_ *capture.Row, p string) bool { return hasProto(p, "dns") || hasProto(p, "mdns") }},
		{"UDP", rgb(0xdaeeff), wsDark, func(_ *capture.Row, p string) bool { return hasProto(p, "udp") }},
		{"Broadcast", rgb(0xffffff), rgb(0xbabdb6), func(r *capture.Row, _ string) bool {
			return r.Dest == "Broadcast" || r.Dest == "ff:ff:ff:ff:ff:ff"
		}},
	}
}

// ColorRuleFor returns the rule colouring r, or nil for the default colours.
func ColorRuleFor(rules []ColorRule, r *capture.Row) *ColorRule {
	protos := ":" + r.Protocols + ":"
	for i := range rules {
		if rules[i].match(r, protos) {
			return &rules[i]
		}
	}
	return nil
}

// hasProto reports whether name is one of the colon-separated protocols;
// protos has colons added at both ends.
func hasProto(protos, name string) bool {
	i := strings.Index(protos, name)
	return i > 0 && protos[i-1] == ':' && i+len(name) < len(protos) && protos[i+len(name)] == ':'
}

func isICMP(p string) bool { return hasProto(p, "icmp") || hasProto(p, "icmpv6") }

// badTCP matches Wireshark's tcp.analysis.flags except window updates and
// keep-alives, through the markers the analysis puts in front of Info.
func badTCP(info string) bool {
	if !strings.HasPrefix(info, "[TCP ") {
		return false
	}
	for _, ok := range []string{"[TCP Window Update]", "[TCP Keep-Alive", "[TCP segment of"} {
		if strings.HasPrefix(info, ok) {
			return false
		}
	}
	return true
}

func icmpError(info string) bool {
	for _, s := range []string{"unreachable", "Time-to-live exceeded", "Time exceeded", "Redirect", "Source quench", "Packet too big", "Parameter problem"} {
		if strings.Contains(info, s) {
			return true
		}
	}
	return false
}

// tcpFlag reports whether the bracketed flag list of a TCP Info ("[SYN,
// ACK]") holds flag.
func tcpFlag(info, flag string) bool {
	for {
		i := strings.IndexByte(info, '[')
		if i < 0 {
			return false
		}
		j := strings.IndexByte(info[i:], ']')
		if j < 0 {
			return false
		}
		list := info[i+1 : i+j]
		if isFlagList(list) {
			for f := range strings.SplitSeq(list, ", ") {
				if f == flag {
					return true
				}
			}
			return false
		}
		info = info[i+j+1:]
	}
}

func isFlagList(s string) bool {
	for f := range strings.SplitSeq(s, ", ") {
		switch f {
		case "SYN", "ACK", "FIN", "RST", "PSH", "URG", "ECE", "CWR", "AE", "NS", "Reserved":
		default:
			return false
		}
	}
	return s != ""
}

// mix blends b into a by t (0: a, 1: b).
func mix(a, b color.Color, t float32) color.NRGBA {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	f := func(x, y uint32) uint8 { return uint8((float32(x>>8)*(1-t) + float32(y>>8)*t) + 0.5) }
	return color.NRGBA{R: f(ar, br), G: f(ag, bg), B: f(ab, bb), A: 0xff}
}

// luminance is a quick perceived brightness in 0..1.
func luminance(c color.Color) float32 {
	r, g, b, _ := c.RGBA()
	return (0.299*float32(r) + 0.587*float32(g) + 0.114*float32(b)) / 65535
}
