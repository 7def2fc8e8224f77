package dissect

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func TestManufLookup(t *testing.T) {
	tests := []struct {
		mac, want string
	}{
		{"00:0b:82:01:fc:42", "00:0b:82:01:fc:42 (Grandstr_01:fc:42)"}, // /24 OUI
		{"00:55:da:01:23:45", "00:55:da:01:23:45 (ShinkoTe_01:23:45)"}, // /28 MA-M block
		{"00:1b:c5:00:01:23", "00:1b:c5:00:01:23 (Convergi_01:23)"},    // /36 MA-S block
		{"02:00:00:00:00:01", "02:00:00:00:00:01"},                     // unassigned
	}
	for _, tt := range tests {
		mac, err := net.ParseMAC(tt.mac)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(appendEtherResolved(nil, mac)); got != tt.want {
			t.Errorf("appendEtherResolved(%s) = %q, want %q", tt.mac, got, tt.want)
		}
	}
}

func TestDHCPInfo(t *testing.T) {
	mac := net.HardwareAddr{0, 0x0b, 0x82, 1, 0xfc, 0x42}
	tests := []struct {
		name        string
		op          layers.DHCPOp
		opts        layers.DHCPOptions
		proto, info string
	}{
		{"discover", layers.DHCPOpRequest, layers.DHCPOptions{layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{1})},
			"DHCP", "DHCP Discover - Transaction ID 0x3d1d"},
		{"ack", layers.DHCPOpReply, layers.DHCPOptions{layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{5})},
			"DHCP", "DHCP ACK      - Transaction ID 0x3d1d"},
		{"bootp request", layers.DHCPOpRequest, nil, "BOOTP", "Boot Request from 00:0b:82:01:fc:42 (Grandstr_01:fc:42)"},
		{"bootp reply", layers.DHCPOpReply, nil, "BOOTP", "Boot Reply"},
		{"unknown op", 0, nil, "BOOTP", "Unknown BOOTP message type (0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &layers.DHCPv4{Operation: tt.op, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: 0x3d1d,
				ClientHWAddr: mac, Options: tt.opts}
			s := summarize(udpFrame(t, 68, 67, d))
			if string(s.Protocol) != tt.proto || string(s.Info) != tt.info {
				t.Errorf("got %s %q, want %s %q", s.Protocol, s.Info, tt.proto, tt.info)
			}
		})
	}
}
