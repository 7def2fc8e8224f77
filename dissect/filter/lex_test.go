package filter

import (
	"reflect"
	"testing"
)

func TestLex(t *testing.T) {
	eof := func(pos int) item { return item{itemEOF, pos, ""} }
	tests := []struct {
		name  string
		input string
		want  []item
	}{
		{"empty", "", []item{eof(0)}},
		{"field", "tcp", []item{{itemWord, 0, "tcp"}, eof(3)}},
		{"comparison", "ip.src==10.0.0.0/8", []item{{itemWord, 0, "ip.src"}, {itemCmp, 6, "=="}, {itemWord, 8, "10.0.0.0/8"}, eof(18)}},
		{"ops", "=== !== ~= != >= <= > < ! && || ^^ & ~", []item{
			{itemCmp, 0, "==="}, {itemCmp, 4, "!=="}, {itemCmp, 8, "~="}, {itemCmp, 11, "!="}, {itemCmp, 14, ">="},
			{itemCmp, 17, "<="}, {itemCmp, 20, ">"}, {itemCmp, 22, "<"}, {itemNot, 24, "!"}, {itemAndAnd, 26, "&&"},
			{itemOrOr, 29, "||"}, {itemXorXor, 32, "^^"}, {itemBitAnd, 35, "&"}, {itemTilde, 37, "~"}, eof(38)}},
		{"mac and ipv6", "eth.src == 00:11:22:33:44:55 or ipv6.addr == ::1", []item{
			{itemWord, 0, "eth.src"}, {itemCmp, 8, "=="}, {itemWord, 11, "00:11:22:33:44:55"}, {itemWord, 29, "or"},
			{itemWord, 32, "ipv6.addr"}, {itemCmp, 42, "=="}, {itemWord, 45, "::1"}, eof(48)}},
		{"set with range", "tcp.port in {80, 8000..8080}", []item{
			{itemWord, 0, "tcp.port"}, {itemWord, 9, "in"}, {itemLBrace, 12, "{"}, {itemWord, 13, "80"}, {itemComma, 15, ","},
			{itemWord, 17, "8000"}, {itemDotDot, 21, ".."}, {itemWord, 23, "8080"}, {itemRBrace, 27, "}"}, eof(28)}},
		{"address range", "ip.addr in {10.0.0.5 .. 10.0.0.9}", []item{
			{itemWord, 0, "ip.addr"}, {itemWord, 8, "in"}, {itemLBrace, 11, "{"}, {itemWord, 12, "10.0.0.5"}, {itemDotDot, 21, ".."},
			{itemWord, 24, "10.0.0.9"}, {itemRBrace, 32, "}"}, eof(33)}},
		{"slice", "eth.src[0:3]", []item{{itemWord, 0, "eth.src"}, {itemLBracket, 7, "["}, {itemNumber, 8, "0"}, {itemColon, 9, ":"},
			{itemNumber, 10, "3"}, {itemRBracket, 11, "]"}, eof(12)}},
		{"slice ranges", "frame[-4:,1-3]", []item{{itemWord, 0, "frame"}, {itemLBracket, 5, "["}, {itemMinus, 6, "-"}, {itemNumber, 7, "4"},
			{itemColon, 8, ":"}, {itemComma, 9, ","}, {itemNumber, 10, "1"}, {itemMinus, 11, "-"}, {itemNumber, 12, "3"},
			{itemRBracket, 13, "]"}, eof(14)}},
		{"strings", `a == "x\"y" or b == r"\d"`, []item{{itemWord, 0, "a"}, {itemCmp, 2, "=="}, {itemString, 5, `"x\"y"`}, {itemWord, 12, "or"},
			{itemWord, 15, "b"}, {itemCmp, 17, "=="}, {itemString, 20, `r"\d"`}, eof(25)}},
		{"char", `frame.len > '\n'`, []item{{itemWord, 0, "frame.len"}, {itemCmp, 10, ">"}, {itemChar, 12, `'\n'`}, eof(16)}},
		{"negative", "x == -1", []item{{itemWord, 0, "x"}, {itemCmp, 2, "=="}, {itemWord, 5, "-1"}, eof(7)}},
		{"function", "len(http.host)", []item{{itemWord, 0, "len"}, {itemLParen, 3, "("}, {itemWord, 4, "http.host"}, {itemRParen, 13, ")"}, eof(14)}},
		{"bad char", "tcp $", []item{{itemWord, 0, "tcp"}, {itemError, 4, "unexpected character '$'"}}},
		{"unterminated", `a == "abc`, []item{{itemWord, 0, "a"}, {itemCmp, 2, "=="}, {itemError, 5, `unterminated string: missing closing "`}}},
		{"bad escape", `a == "\q"`, []item{{itemWord, 0, "a"}, {itemCmp, 2, "=="}, {itemError, 5, `unknown escape sequence \q`}}},
		{"open slice", "frame[1", []item{{itemWord, 0, "frame"}, {itemLBracket, 5, "["}, {itemNumber, 6, "1"}, {itemError, 7, `unexpected end of filter: missing "]"`}}},
		{"bad slice", "frame[a]", []item{{itemWord, 0, "frame"}, {itemLBracket, 5, "["}, {itemError, 6, `unexpected 'a' in a slice: use [i:j], [i-j], [i], [:j] or [i:]`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lex(tt.input)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lex(%q)\n got  %v\n want %v", tt.input, got, tt.want)
			}
		})
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"plain"`, "plain"},
		{`"\x48EAD"`, "HEAD"},
		{`"\110EAD"`, "HEAD"},
		{`"a\\b\"c"`, `a\b"c`},
		{`"\t\n\r\a\b\f\v\'"`, "\t\n\r\a\b\f\v'"},
		{`"\u00e9\U0001F600"`, "é😀"},
		{`r"\\SERVER\SHARE"`, `\\SERVER\SHARE`},
	}
	for _, tt := range tests {
		got, err := unquote(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("unquote(%s) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`"\x"`, `"\u12"`, `"\777"`, `"\z"`} {
		if _, err := unquote(bad); err == nil {
			t.Errorf("unquote(%s): no error", bad)
		}
	}
}
