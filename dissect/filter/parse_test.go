package filter

import (
	"errors"
	"testing"
)

func TestParseString(t *testing.T) {
	tests := []struct{ input, want string }{
		{"tcp", "tcp"},
		{"  ", ""},
		{"tcp.port==80", "tcp.port == 80"},
		{"tcp.port eq 80", "tcp.port == 80"},
		{"tcp.port any_eq 80", "tcp.port == 80"},
		{"ip.addr ne 1.2.3.4", "ip.addr != 1.2.3.4"},
		{"ip.addr all_ne 1.2.3.4", "ip.addr != 1.2.3.4"},
		{"ip.addr all_eq 1.2.3.4", "ip.addr === 1.2.3.4"},
		{"ip.addr any_ne 1.2.3.4", "ip.addr !== 1.2.3.4"},
		{"ip.addr ~= 1.2.3.4", "ip.addr !== 1.2.3.4"},
		{"a gt 1 and a lt 2 and a ge 3 and a le 4", "a > 1 and a < 2 and a >= 3 and a <= 4"},
		{"a>1&&b<2||!c", "a > 1 and b < 2 or not c"},
		{"a and (b or c)", "a and (b or c)"},
		{"(a and b) or c", "a and b or c"},
		{"a or b and c", "a or b and c"},
		{"(a or b) and c", "(a or b) and c"},
		{"a and (b and c)", "a and (b and c)"},
		{"a xor b ^^ c", "a xor b xor c"},
		{"a or b xor c and d", "a or b xor c and d"},
		{"not not a", "not not a"},
		{"!(a or b)", "not (a or b)"},
		{"not a == 1", "not a == 1"},
		{"tcp.port in {80,443, 8000..8080}", "tcp.port in {80, 443, 8000 .. 8080}"},
		{"tcp.port not in {80}", "tcp.port not in {80}"},
		{`http.request.method in {"HEAD", "GET"}`, `http.request.method in {"HEAD", "GET"}`},
		{"all tcp.port > 1024", "all tcp.port > 1024"},
		{"any ip.addr != 1.1.1.1", "any ip.addr != 1.1.1.1"},
		{"eth.src[0:3] == 00:11:22", "eth.src[0:3] == 00:11:22"},
		{"frame[1-3] == 1.2.3", "frame[1-3] == 1.2.3"},
		{"frame[:4] == 1.2.3.4", "frame[0:4] == 1.2.3.4"},
		{"frame[-1] == 0xff", "frame[-1] == 0xff"},
		{"frame[-4:] == 0.1.2.3", "frame[-4:] == 0.1.2.3"},
		{"ftp[1,3-5,9:] == 01:03", "ftp[1,3-5,9:] == 01:03"},
		{"frame[-4--1] == 1.2.3.4", "frame[-4--1] == 1.2.3.4"},
		{`http contains "a\x01\"b\\"`, `http contains "a\x01\"b\\"`},
		{`a matches r"\d+"`, `a matches "\\d+"`},
		{`a ~ "x"`, `a matches "x"`},
		{"frame.len > '\\n'", "frame.len > '\\n'"},
		{"tcp.flags & 0x12 == 0x12", "tcp.flags & 0x12 == 0x12"},
		{"tcp.flags bitwise_and 2", "tcp.flags & 2"},
		{"len(http.host) > 16", "len(http.host) > 16"},
		{"count(ip.addr)==2", "count(ip.addr) == 2"},
		{"upper(a, b)", "upper(a, b)"},
		{"f()", "f()"},
		{"ip.src == 10.0.0.0/8", "ip.src == 10.0.0.0/8"},
		{"ipv6.src == ::", "ipv6.src == ::"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.input)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.input, err)
			continue
		}
		got := ""
		if n != nil {
			got = n.String()
		}
		if got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.input, got, tt.want)
			continue
		}
		if n == nil {
			continue
		}
		n2, err := Parse(got)
		if err != nil || n2.String() != got {
			t.Errorf("round trip of %q: %v, %v", got, n2, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		input    string
		pos, len int
		msg      string
	}{
		{"tcp && && udp", 7, 2, `unexpected "&&"`},
		{"(tcp", 0, 1, `unexpected end of filter: missing ")" for this "("`},
		{"tcp)", 3, 1, `unexpected ")"`},
		{"tcp ==", 6, 0, "unexpected end of filter"},
		{"not", 3, 0, "unexpected end of filter"},
		{"tcp AND udp", 4, 3, `unexpected "AND"`},
		{"tcp.port in {80 443}", 16, 3, `unexpected "443"`},
		{"tcp.port in {}", 13, 1, `unexpected "}"`},
		{"tcp.port in {80..}", 17, 1, `unexpected "}"`},
		{"tcp.port in 80", 12, 2, `unexpected "80"`},
		{"tcp.port == 80 == 1", 15, 2, `unexpected "=="`},
		{"and", 0, 3, `unexpected "and"`},
		{"all tcp", 0, 3, `"all" must be followed by a comparison`},
		{"frame[1:]]", 9, 1, `unexpected "]"`},
		{"frame[]", 6, 1, `unexpected "]"`},
		{"frame[1::2]", 8, 1, `unexpected ":"`},
		{"frame[99999999999]", 6, 11, "slice offset 99999999999 is too large"},
		{"tcp $", 4, 1, "unexpected character '$'"},
		{`a == "abc`, 5, 4, `unterminated string: missing closing "`},
		{`a == 'ab'`, 5, 4, `'ab' is not a valid character constant`},
		{"len(a b)", 6, 1, `unexpected "b"`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.input)
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("Parse(%q): error %v, want *Error", tt.input, err)
			continue
		}
		if fe.Pos != tt.pos || fe.Len != tt.len || fe.Msg != tt.msg {
			t.Errorf("Parse(%q) = {%d %d %q}, want {%d %d %q}", tt.input, fe.Pos, fe.Len, fe.Msg, tt.pos, tt.len, tt.msg)
		}
	}
}

func TestErrorText(t *testing.T) {
	_, err := Parse("tcp && && udp")
	if got, want := err.Error(), `column 8: unexpected "&&"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var fe *Error
	errors.As(err, &fe)
	want := "    tcp && && udp\n           ^~"
	if got := fe.Caret("tcp && && udp"); got != want {
		t.Errorf("Caret =\n%s\nwant\n%s", got, want)
	}
}
