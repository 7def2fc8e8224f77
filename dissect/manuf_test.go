package dissect

import (
	"net"
	"testing"
)

// TestEtherDisplay: Ethernet address fields are labelled as tshark 4.0
// shows them with its default MAC name resolution (each expectation was
// read from `tshark -V`).
func TestEtherDisplay(t *testing.T) {
	tests := []struct {
		mac, want string
	}{
		{"78:31:c1:cb:b2:56", "Apple_cb:b2:56 (78:31:c1:cb:b2:56)"},          // /24 vendor
		{"00:21:6a:00:00:01", "IntelCor_00:00:01 (00:21:6a:00:00:01)"},       // /24 keeps zeros
		{"00:00:00:00:00:00", "00:00:00_00:00:00 (00:00:00:00:00:00)"},       // vendor "00:00:00"
		{"00:1b:c5:00:00:01", "Convergi_01 (00:1b:c5:00:00:01)"},             // /36 block
		{"00:1b:c5:00:01:23", "Convergi_01:23 (00:1b:c5:00:01:23)"},          // /36 block
		{"00:55:da:11:02:03", "KoolPOS_01:02:03 (00:55:da:11:02:03)"},        // /28 block
		{"00:55:da:00:00:03", "ShinkoTe_03 (00:55:da:00:00:03)"},             // /28, zeros dropped
		{"ff:ff:ff:ff:ff:ff", "Broadcast (ff:ff:ff:ff:ff:ff)"},               // well-known
		{"01:80:c2:00:00:0e", "LLDP_Multicast (01:80:c2:00:00:0e)"},          // well-known
		{"01:00:0c:cc:cc:cc", "CDP/VTP/DTP/PAgP/UDLD (01:00:0c:cc:cc:cc)"},   // beats the vendor
		{"33:33:00:00:00:00", "IPv6-Neighbor-Discovery (33:33:00:00:00:00)"}, // exact beats range
		{"33:33:00:00:00:16", "IPv6mcast_16 (33:33:00:00:00:16)"},            // /16 range
		{"33:33:ff:00:10:00", "IPv6mcast_ff:00:10:00 (33:33:ff:00:10:00)"},   // /16 range
		{"33:33:00:00:01:00", "IPv6mcast_01:00 (33:33:00:00:01:00)"},         // /16 range
		{"01:00:5e:7f:ff:fa", "IPv4mcast_7f:ff:fa (01:00:5e:7f:ff:fa)"},      // /25 range
		{"01:00:5e:00:00:00", "IPv4mcast_00 (01:00:5e:00:00:00)"},            // /25, all zero
		{"01:10:18:01:00:05", "FCoE-group_01:00:05 (01:10:18:01:00:05)"},     // well-known /24
		{"00:00:5e:00:01:05", "IETF-VRRP-VRID_05 (00:00:5e:00:01:05)"},       // /40 range
		{"02:00:00:00:00:01", "02:00:00:00:00:01 (02:00:00:00:00:01)"},       // unknown
	}
	for _, tt := range tests {
		mac, err := net.ParseMAC(tt.mac)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(appendEtherDisplay(nil, mac)); got != tt.want {
			t.Errorf("appendEtherDisplay(%s) = %q, want %q", tt.mac, got, tt.want)
		}
	}
}
