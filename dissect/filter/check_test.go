package filter

import (
	"errors"
	"testing"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// Fields of the test registry: a small copy of the real protocols' fields,
// so that these tests do not depend on which dissectors exist yet.
var (
	tFrame      = &dissect.Field{Abbrev: "frame", Name: "Frame", Type: dissect.FTProtocol}
	tFrameNum   = &dissect.Field{Abbrev: "frame.number", Name: "Frame Number", Type: dissect.FTUint, Bits: 32}
	tFrameLen   = &dissect.Field{Abbrev: "frame.len", Name: "Frame Length", Type: dissect.FTUint, Bits: 32}
	tFrameTime  = &dissect.Field{Abbrev: "frame.time", Name: "Arrival Time", Type: dissect.FTAbsTime}
	tFrameDelta = &dissect.Field{Abbrev: "frame.time_delta", Name: "Delta", Type: dissect.FTRelTime}
	tEth        = &dissect.Field{Abbrev: "eth", Name: "Ethernet II", Type: dissect.FTProtocol}
	tEthSrc     = &dissect.Field{Abbrev: "eth.src", Name: "Source", Type: dissect.FTEther}
	tEthDst     = &dissect.Field{Abbrev: "eth.dst", Name: "Destination", Type: dissect.FTEther}
	tIP         = &dissect.Field{Abbrev: "ip", Name: "IPv4", Type: dissect.FTProtocol}
	tIPSrc      = &dissect.Field{Abbrev: "ip.src", Name: "Source Address", Type: dissect.FTIPv4}
	tIPDst      = &dissect.Field{Abbrev: "ip.dst", Name: "Destination Address", Type: dissect.FTIPv4}
	tIPAddr     = &dissect.Field{Abbrev: "ip.addr", Name: "Address", Type: dissect.FTIPv4, Hidden: true}
	tIPTTL      = &dissect.Field{Abbrev: "ip.ttl", Name: "Time to Live", Type: dissect.FTUint, Bits: 8}
	tIPProto    = &dissect.Field{Abbrev: "ip.proto", Name: "Protocol", Type: dissect.FTUint, Bits: 8, Values: map[uint64]string{6: "TCP", 17: "UDP"}}
	tIPDF       = &dissect.Field{Abbrev: "ip.flags.df", Name: "Don't fragment", Type: dissect.FTBool, Bits: 8, Mask: 0x40}
	tIPv6Addr   = &dissect.Field{Abbrev: "ipv6.addr", Name: "Address", Type: dissect.FTIPv6}
	tTCP        = &dissect.Field{Abbrev: "tcp", Name: "TCP", Type: dissect.FTProtocol}
	tTCPPort    = &dissect.Field{Abbrev: "tcp.port", Name: "Port", Type: dissect.FTUint, Bits: 16}
	tTCPSrc     = &dissect.Field{Abbrev: "tcp.srcport", Name: "Source Port", Type: dissect.FTUint, Bits: 16}
	tTCPDst     = &dissect.Field{Abbrev: "tcp.dstport", Name: "Destination Port", Type: dissect.FTUint, Bits: 16}
	tTCPFlags   = &dissect.Field{Abbrev: "tcp.flags", Name: "Flags", Type: dissect.FTUint, Bits: 16, Mask: 0x0fff, Base: dissect.BaseHex}
	tTCPSyn     = &dissect.Field{Abbrev: "tcp.flags.syn", Name: "Syn", Type: dissect.FTBool, Bits: 16, Mask: 0x002, TrueFalse: &[2]string{"Set", "Not set"}}
	tTCPPayload = &dissect.Field{Abbrev: "tcp.payload", Name: "Payload", Type: dissect.FTBytes}
	tTCPOffset  = &dissect.Field{Abbrev: "tcp.time_offset", Name: "Offset", Type: dissect.FTInt, Bits: 8}
	tDNSName    = &dissect.Field{Abbrev: "dns.qry.name", Name: "Name", Type: dissect.FTString}
	tHTTPHost   = &dissect.Field{Abbrev: "http.host", Name: "Host", Type: dissect.FTString}
	tICMPv6Type = &dissect.Field{Abbrev: "icmpv6.type", Name: "Type", Type: dissect.FTUint, Bits: 8, Values: map[uint64]string{135: "Neighbor Solicitation"}}
	tScore      = &dissect.Field{Abbrev: "test.score", Name: "Score", Type: dissect.FTFloat}
	tLabel      = &dissect.Field{Abbrev: "_ws.label", Name: "Text", Type: dissect.FTNone}
	tColInfo    = &dissect.Field{Abbrev: "_ws.col.Info", Name: "Info", Type: dissect.FTString}
)

var testReg = dissect.NewRegistry(tFrame, tFrameNum, tFrameLen, tFrameTime, tFrameDelta, tEth, tEthSrc, tEthDst,
	tIP, tIPSrc, tIPDst, tIPAddr, tIPTTL, tIPProto, tIPDF, tIPv6Addr, tTCP, tTCPPort, tTCPSrc, tTCPDst, tTCPFlags,
	tTCPSyn, tTCPPayload, tTCPOffset, tDNSName, tHTTPHost, tICMPv6Type, tScore, tLabel, tColInfo)

// TestCompileOK checks that every construct of the language compiles
// against field types, and records the fields a filter wants.
func TestCompileOK(t *testing.T) {
	tests := []struct {
		filter string
		want   []string // fields read
	}{
		{"tcp", []string{"tcp"}},
		{"", nil},
		{"tcp.port == 80 || tcp.port == 0x1bb || tcp.port == 0120 || tcp.port == 0b1010", []string{"tcp.port"}},
		{"tcp.port in {80, 443, 8000..8080}", []string{"tcp.port"}},
		{"ip.addr == 10.0.0.0/8 and ip.src != 1.2.3.4", []string{"ip.addr", "ip.src"}},
		{"ipv6.addr == 2001:db8::/32 or ipv6.addr == ::1", []string{"ipv6.addr"}},
		{"eth.src == 00:11:22:33:44:55 or eth.dst == 00-11-22-33-44-55 or eth.dst == 0011.2233.4455", []string{"eth.src", "eth.dst"}},
		{"eth.src[0:3] == 00:11:22 or eth.src[0] == 0x00 or eth.src[1-2] contains 11", []string{"eth.src"}},
		{`frame[0:2] == "ab" or frame contains "GET" or tcp.payload contains 47:45:54`, []string{"frame", "tcp.payload"}},
		{"tcp.flags.syn == 1 and tcp.flags.syn == True and tcp.flags.syn == Set and tcp.flags.syn == \"Not set\"", []string{"tcp.flags.syn"}},
		{"ip.flags.df == FALSE", []string{"ip.flags.df"}},
		{`ip.proto == TCP or ip.proto == "udp"`, []string{"ip.proto"}},
		{`icmpv6.type == 135 or icmpv6.type == "Neighbor Solicitation"`, []string{"icmpv6.type"}},
		{`dns.qry.name contains "example" or dns.qry.name matches "^www\\." or dns.qry.name == example.com`, []string{"dns.qry.name"}},
		{"tcp.flags & 0x12 == 0x12 or tcp.flags & 0x02", []string{"tcp.flags"}},
		{"len(http.host) > 16 or count(ip.addr) == 2 or upper(http.host) contains \"GOOGLE\"", []string{"http.host", "ip.addr"}},
		{"tcp.srcport > tcp.dstport or ip.src == ip.dst", []string{"tcp.srcport", "tcp.dstport", "ip.src", "ip.dst"}},
		{"frame.len > '\\n'", []string{"frame.len"}},
		{`frame.time >= "2010-01-01 00:00:00" and frame.time < "Jan  1, 2030 00:00:00 UTC"`, []string{"frame.time"}},
		{"frame.time_delta > 0.5", []string{"frame.time_delta"}},
		{"tcp.time_offset == -5", []string{"tcp.time_offset"}},
		{"test.score > 1.5e3", []string{"test.score"}},
		{"ip.ttl == -1", []string{"ip.ttl"}},
		{"_ws.label", []string{"_ws.label"}},
		{"all tcp.port > 1024 and any ip.addr != 1.1.1.1 and ip.addr === 1.2.3.4 and ip.addr ~= 1.2.3.4", []string{"tcp.port", "ip.addr"}},
		{"tcp.port not in {80, 443}", []string{"tcp.port"}},
		{"frame[-4:] == 0.1.2.3 and frame[1,3-5] == 1.2.3.4", []string{"frame"}},
	}
	for _, tt := range tests {
		f, err := Compile(tt.filter, testReg)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.filter, err)
			continue
		}
		var got []string
		for _, fl := range f.Fields() {
			got = append(got, fl.Abbrev)
			if !f.Want()[fl.ID()] {
				t.Errorf("Compile(%q): Want()[%s] is false", tt.filter, fl.Abbrev)
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("Compile(%q).Fields() = %v, want %v", tt.filter, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Compile(%q).Fields() = %v, want %v", tt.filter, got, tt.want)
				break
			}
		}
	}
}

// TestCompileErrors checks each checker message, with the span it marks.
func TestCompileErrors(t *testing.T) {
	tests := []struct {
		filter   string
		pos, len int
		msg      string
	}{
		{"ip.srcc", 0, 7, `"ip.srcc" is not a valid protocol or protocol field; did you mean "ip.src"?`},
		{"ip.srcc == 1.2.3.4", 0, 7, `"ip.srcc" is not a valid protocol or protocol field; did you mean "ip.src"?`},
		{"zzzzzz.qqq", 0, 10, `"zzzzzz.qqq" is not a valid protocol or protocol field`},
		{"80 == tcp.port", 0, 2, `left side of "==" must be a field or function, not 80`},
		{`"a" == tcp.port`, 0, 3, `left side of "==" must be a field or function, not "a"`},
		{"ip.ttl == 300", 10, 3, `"300" is too big for an 8-bit field, maximum 255`},
		{"ip.ttl > 0x1ff", 9, 5, `"0x1ff" is too big for an 8-bit field, maximum 255`},
		{"tcp.port in {80, 70000}", 17, 5, `"70000" is too big for a 16-bit field, maximum 65535`},
		{"tcp.time_offset == 128", 19, 3, `"128" is too big for an 8-bit field, maximum 127`},
		{"tcp.time_offset == -129", 19, 4, `"-129" is too small for an 8-bit field, minimum -128`},
		{"ip.ttl == 1.5", 10, 3, `"1.5" is not a valid number`},
		{`ip.ttl == "64"`, 10, 4, `Unsigned integer (1 byte) cannot be converted from a string ("64")`},
		{`ip.proto == "ICMP"`, 12, 6, `"ICMP" cannot be found among the possible values for ip.proto`},
		{"tcp.flags.syn == yes", 17, 3, `"yes" cannot be found among the possible values for tcp.flags.syn`},
		{"ip.src == 1.2.3.4.5", 10, 9, `"1.2.3.4.5" is not a valid IPv4 address`},
		{"ip.src == 1.2.3", 10, 5, `"1.2.3" is not a valid IPv4 address`},
		{"ip.src == 10.0.0.0/33", 10, 11, `netmask bits in a CIDR IPv4 address should be <= 32, not 33`},
		{`ip.src == "1.2.3.4"`, 10, 9, `IPv4 address cannot be converted from a string ("1.2.3.4")`},
		{"ip.src == ip.dsst", 10, 7, `"ip.dsst" is not a valid IPv4 address; did you mean "ip.dst"?`},
		{"ipv6.addr == 1.2.3.4", 13, 7, `"1.2.3.4" is not a valid IPv6 address`},
		{"ipv6.addr == ::/129", 13, 6, `prefix length in a CIDR IPv6 address should be <= 128, not 129`},
		{"eth.src == zz", 11, 2, `"zz" is not a valid Ethernet address`},
		{"eth.src == 00:21:6a:c7:1a", 11, 14, `"00:21:6a:c7:1a" contains too few bytes to be a valid Ethernet address`},
		{"eth.src == 00:21:6a:c7:1a:00:11", 11, 20, `"00:21:6a:c7:1a:00:11" contains too many bytes to be a valid Ethernet address`},
		{"frame[0:2] == 0x1234", 14, 6, `"0x1234" is not a valid byte string`},
		{"ip.proto == tcp", 12, 3, `ip.proto (Unsigned integer (1 byte)) and tcp (Protocol) are not of compatible types`},
		{"ip.src == tcp.port", 10, 8, `ip.src (IPv4 address) and tcp.port (Unsigned integer (2 bytes)) are not of compatible types`},
		{"ip.ttl contains 3", 0, 6, `ip.ttl (type=Unsigned integer (1 byte)) cannot participate in contains comparison`},
		{`ip.ttl matches "a"`, 0, 6, `ip.ttl (type=Unsigned integer (1 byte)) cannot participate in matches comparison`},
		{`http.host matches abc`, 18, 3, `the right side of "matches" must be a quoted regular expression, not abc`},
		{`http.host matches "("`, 18, 3, "invalid regular expression: error parsing regexp: missing closing ): `(?i)(`"},
		{"ip.ttl[0] == 1", 0, 6, `"ip.ttl" is a Unsigned integer (1 byte) and cannot be sliced into a sequence of bytes`},
		{`_ws.col.Info contains "a"`, 0, 12, `"_ws.col.Info" is a column, not a field: columns cannot be filtered (tshark cannot either)`},
		{`_ws.col.Info`, 0, 12, `"_ws.col.Info" is a column, not a field: columns cannot be filtered (tshark cannot either)`},
		{`_ws.label == "x"`, 0, 9, `_ws.label is a text label: it can only be tested for presence`},
		{"len(ip.ttl, ip.src) > 1", 0, 19, `len() takes exactly one argument`},
		{"count(frame[0]) > 1", 6, 8, `count() needs a field, not frame[0]`},
		{"upper(ip.ttl) == 1", 0, 13, `upper() needs a character string field, not a Unsigned integer (1 byte)`},
		{"string(ip.ttl) == 1", 0, 6, `function string() is not supported yet`},
		{"foo(ip.ttl) == 1", 0, 3, `unknown function "foo": use len, count, upper or lower`},
		{"frame[0]", 0, 8, `frame[0] is not a field: a test needs a comparison such as "frame[0] == value"`},
		{"ip.src & 0xff == 1", 0, 6, `bitwise and needs an integer field or a slice, not ip.src (IPv4 address)`},
		{"tcp.port not in {1} and any tcp.port not in {2}", 24, 3, `"any" cannot be used with "not in"`},
		{"frame.time > abc", 13, 3, `"abc" is not a valid absolute time: use "2006-01-02 15:04:05" or "Jan  2, 2006 15:04:05"`},
		{"frame.time_delta > 1.5.5", 19, 5, `"1.5.5" is not a valid time offset in seconds`},
		{"test.score > abc", 13, 3, `"abc" is not a valid floating point number`},
		{"frame.len > 'a", 12, 2, `unterminated character constant: missing closing '`},
		{"ip.src == 'a'", 10, 3, `IPv4 address cannot be converted from a character constant ('a')`},
	}
	for _, tt := range tests {
		_, err := Compile(tt.filter, testReg)
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("Compile(%q): error %v, want *Error", tt.filter, err)
			continue
		}
		if fe.Pos != tt.pos || fe.Len != tt.len || fe.Msg != tt.msg {
			t.Errorf("Compile(%q)\n got  {%d %d %q}\n want {%d %d %q}", tt.filter, fe.Pos, fe.Len, fe.Msg, tt.pos, tt.len, tt.msg)
		}
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"ip.s", []string{"ip.src"}},
		{"tcp.port == 80 && ip.d", []string{"ip.dst"}},
		{"tc", []string{"tcp", "tcp.dstport", "tcp.flags", "tcp.flags.syn", "tcp.payload", "tcp.port", "tcp.srcport", "tcp.time_offset"}},
		{"_ws.c", nil},
		{"ip.src", nil},
		{"eth", []string{"eth.dst", "eth.src"}},
	}
	for _, tt := range tests {
		got := CompleteIn(testReg, tt.text)
		if len(got) != len(tt.want) {
			t.Errorf("Complete(%q) = %v, want %v", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Complete(%q) = %v, want %v", tt.text, got, tt.want)
				break
			}
		}
	}
}
