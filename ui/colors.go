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

// TCP flag bits of tcp.flags.
const (
	tcpFIN = 0x001
	tcpSYN = 0x002
	tcpRST = 0x004
)

// colorRules returns the rules in precedence order; the first match wins.
func colorRules() []ColorRule {
	return []ColorRule{
		{"Malformed", rgb(0x12272e), rgb(0xf78787), func(r *capture.Row, _ string) bool { return r.Malformed }},
		{"Bad TCP", rgb(0x12272e), rgb(0xf78787), func(r *capture.Row, p string) bool {
			return hasProto(p, "tcp") && r.TCPAnalysis && !benignAnalysis(r.Info)
		}},
		{"ICMP errors", rgb(0x12272e), rgb(0xb7f774), func(r *capture.Row, p string) bool { return icmpError(r) }},
		{"ARP", rgb(0xfaf0d7), wsDark, func(_ *capture.Row, p string) bool { return hasProto(p, "arp") }},
		{"ICMP", rgb(0xfce0ff), wsDark, func(_ *capture.Row, p string) bool { return isICMP(p) }},
		{"TCP RST", rgb(0xa40000), rgb(0xfffc9c), func(r *capture.Row, p string) bool { return hasProto(p, "tcp") && r.TCPFlags&tcpRST != 0 }},
		{"HTTP", rgb(0xe4ffc7), wsDark, func(r *capture.Row, p string) bool {
			return hasProto(p, "http") || hasProto(p, "http2") || hasProto(p, "tcp") && (r.SrcPort == 80 || r.DstPort == 80)
		}},
		{"TCP SYN/FIN", rgb(0xa0a0a0), wsDark, func(r *capture.Row, p string) bool {
			return hasProto(p, "tcp") && r.TCPFlags&(tcpSYN|tcpFIN) != 0
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

// benignAnalysis reports TCP analysis results Wireshark's "Bad TCP" rule
// leaves out (window updates and keep-alives), from the marker the
// analysis puts in front of Info.
func benignAnalysis(info string) bool {
	for _, ok := range []string{"[TCP Window Update]", "[TCP Keep-Alive"} {
		if strings.HasPrefix(info, ok) {
			return true
		}
	}
	return false
}

// icmpError matches icmp.type in {3..5, 11} || icmpv6.type in {1..4}.
func icmpError(r *capture.Row) bool {
	t := r.ICMPType
	if r.ICMPv6 {
		return t >= 1 && t <= 4
	}
	return t >= 3 && t <= 5 || t == 11
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
