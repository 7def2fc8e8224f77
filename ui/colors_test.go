package ui

import (
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
)

func TestColorRules(t *testing.T) {
	rules := colorRules()
	tests := []struct {
		name string
		row  capture.Row
		want string // "" for no rule
	}{
		{"malformed wins", capture.Row{Malformed: true, Protocols: "eth:ethertype:ip:tcp", TCPFlags: tcpRST}, "Malformed"},
		{"retransmission", capture.Row{Protocols: "eth:ethertype:ip:tcp", TCPAnalysis: true, Info: "[TCP Retransmission] 80 → 1606"}, "Bad TCP"},
		{"window update is not bad", capture.Row{Protocols: "eth:ethertype:ip:tcp", TCPAnalysis: true, Info: "[TCP Window Update] 1 → 2", SrcPort: 1, DstPort: 2}, "TCP"},
		{"icmp unreachable", capture.Row{Protocols: "eth:ethertype:ip:icmp:ip:udp", ICMPType: 3}, "ICMP errors"},
		{"icmpv6 too big", capture.Row{Protocols: "eth:ethertype:ipv6:icmpv6", ICMPType: 2, ICMPv6: true}, "ICMP errors"},
		{"icmp echo", capture.Row{Protocols: "eth:ethertype:ip:icmp:data", ICMPType: 8}, "ICMP"},
		{"arp", capture.Row{Protocols: "eth:ethertype:arp", ICMPType: -1, Dest: "Broadcast"}, "ARP"},
		{"rst", capture.Row{Protocols: "eth:ethertype:ip:tcp", TCPFlags: tcpRST | 0x10, SrcPort: 80}, "TCP RST"},
		{"http by port", capture.Row{Protocols: "eth:ethertype:ip:tcp", DstPort: 80, TCPFlags: tcpSYN}, "HTTP"},
		{"http by protocol", capture.Row{Protocols: "eth:ethertype:ip:tcp:http", SrcPort: 8080}, "HTTP"},
		{"syn", capture.Row{Protocols: "eth:ethertype:ip:tcp", TCPFlags: tcpSYN, SrcPort: 22}, "TCP SYN/FIN"},
		{"plain tcp", capture.Row{Protocols: "eth:ethertype:ip:tcp", TCPFlags: 0x18, SrcPort: 22}, "TCP"},
		{"dns", capture.Row{Protocols: "eth:ethertype:ip:udp:dns", ICMPType: -1}, "DNS"},
		{"udp", capture.Row{Protocols: "eth:ethertype:ip:udp:data", ICMPType: -1}, "UDP"},
		{"not tcp by substring", capture.Row{Protocols: "eth:ethertype:ip:tcpx", ICMPType: -1}, ""},
		{"broadcast", capture.Row{Protocols: "eth:llc", Dest: "ff:ff:ff:ff:ff:ff", ICMPType: -1}, "Broadcast"},
		{"other", capture.Row{Protocols: "eth:ethertype:ipv6", ICMPType: -1}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if r := ColorRuleFor(rules, &tc.row); r != nil {
				got = r.Name
			}
			if got != tc.want {
				t.Errorf("rule %q, want %q", got, tc.want)
			}
		})
	}
}
