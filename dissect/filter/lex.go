package filter

import (
	"fmt"
	"strings"
)

// itemType identifies the kind of a lexical item.
type itemType uint8

const (
	itemError    itemType = iota // a lexical error; val is the message
	itemEOF                      // end of the filter
	itemWord                     // unquoted run: field name, keyword or literal (ip.src, and, 10.0.0.0/8, 00:11:22)
	itemString                   // "quoted" or r"raw" string, val is the source text
	itemChar                     // 'c' character constant, val is the source text
	itemCmp                      // == != === !== ~= > < >= <=
	itemAndAnd                   // &&
	itemOrOr                     // ||
	itemXorXor                   // ^^
	itemNot                      // !
	itemBitAnd                   // &
	itemTilde                    // ~ (matches)
	itemLParen                   // (
	itemRParen                   // )
	itemLBrace                   // {
	itemRBrace                   // }
	itemLBracket                 // [
	itemRBracket                 // ]
	itemComma                    // ,
	itemDotDot                   // ..
	itemColon                    // : inside a slice
	itemMinus                    // - inside a slice
	itemNumber                   // decimal integer inside a slice
)

// item is one token: its type, byte offset in the filter and source text.
type item struct {
	typ itemType
	pos int
	val string
}

func (i item) String() string {
	switch i.typ {
	case itemEOF:
		return "end of filter"
	case itemError:
		return i.val
	}
	return fmt.Sprintf("%q", i.val)
}

// lexer turns a filter into items. It is a state machine in the style of
// text/template/parse: each state function scans one construct and returns
// the next state. The whole input is lexed up front; filters are short.
type lexer struct {
	input    string
	start    int // start of the current item
	pos      int // current position
	brackets int // depth of [ ]: slices have their own tokens
	items    []item
}

type stateFn func(*lexer) stateFn

// lex returns every item of input, ending with itemEOF or itemError.
func lex(input string) []item {
	l := &lexer{input: input}
	for st := lexAny; st != nil; {
		st = st(l)
	}
	return l.items
}

func (l *lexer) emit(t itemType) {
	l.items = append(l.items, item{t, l.start, l.input[l.start:l.pos]})
	l.start = l.pos
}

func (l *lexer) errorf(format string, args ...any) stateFn {
	l.items = append(l.items, item{itemError, l.start, fmt.Sprintf(format, args...)})
	return nil
}

func (l *lexer) peek(off int) byte {
	if l.pos+off < len(l.input) {
		return l.input[l.pos+off]
	}
	return 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte reports whether c may continue an unquoted word. Words hold
// field names and every unquoted literal (addresses, byte strings, CIDR), so
// they take '.', ':', '-' and '/' too, as Wireshark's scanner does.
func isWordByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == ':' || c == '-' || c == '/'
}

// ops are the multi-character operators, longest first.
var ops = []struct {
	s string
	t itemType
}{
	{"===", itemCmp}, {"!==", itemCmp}, {"==", itemCmp}, {"!=", itemCmp}, {"~=", itemCmp},
	{">=", itemCmp}, {"<=", itemCmp}, {"&&", itemAndAnd}, {"||", itemOrOr}, {"^^", itemXorXor},
	{">", itemCmp}, {"<", itemCmp}, {"!", itemNot}, {"&", itemBitAnd}, {"~", itemTilde},
	{"(", itemLParen}, {")", itemRParen}, {"{", itemLBrace}, {"}", itemRBrace},
	{"[", itemLBracket}, {"]", itemRBracket}, {",", itemComma}, {"..", itemDotDot},
}

// lexAny scans outside slices.
func lexAny(l *lexer) stateFn {
	for l.pos < len(l.input) && isSpace(l.input[l.pos]) {
		l.pos++
	}
	l.start = l.pos
	if l.pos >= len(l.input) {
		if l.brackets > 0 {
			return l.errorf("unexpected end of filter: missing \"]\"")
		}
		l.emit(itemEOF)
		return nil
	}
	if l.brackets > 0 {
		return lexSlice
	}
	c := l.input[l.pos]
	switch {
	case c == '"':
		return lexString
	case c == 'r' && l.peek(1) == '"':
		l.pos++
		return lexString
	case c == '\'':
		return lexChar
	case c == '.' && l.peek(1) == '.':
		l.pos += 2
		l.emit(itemDotDot)
		return lexAny
	case isAlnum(c) || c == ':' || c == '.' || c == '-' && isDigit(l.peek(1)):
		return lexWord
	}
	for _, op := range ops {
		if strings.HasPrefix(l.input[l.pos:], op.s) {
			l.pos += len(op.s)
			if op.t == itemLBracket {
				l.brackets++
			}
			l.emit(op.t)
			return lexAny
		}
	}
	return l.errorf("unexpected character %q", rune(c))
}

// lexWord scans an unquoted word. It stops before "..", the range
// operator of sets ({80..90}), which cannot occur inside a literal.
func lexWord(l *lexer) stateFn {
	l.pos++
	for l.pos < len(l.input) && isWordByte(l.input[l.pos]) {
		if l.input[l.pos] == '.' && l.peek(1) == '.' {
			break
		}
		l.pos++
	}
	l.emit(itemWord)
	return lexAny
}

// lexSlice scans the inside of [ ]: numbers, ':', '-', ','.
func lexSlice(l *lexer) stateFn {
	c := l.input[l.pos]
	switch {
	case isDigit(c):
		for l.pos < len(l.input) && isDigit(l.input[l.pos]) {
			l.pos++
		}
		l.emit(itemNumber)
	case c == ':':
		l.pos++
		l.emit(itemColon)
	case c == '-':
		l.pos++
		l.emit(itemMinus)
	case c == ',':
		l.pos++
		l.emit(itemComma)
	case c == ']':
		l.pos++
		l.brackets--
		l.emit(itemRBracket)
	default:
		return l.errorf("unexpected %q in a slice: use [i:j], [i-j], [i], [:j] or [i:]", rune(c))
	}
	return lexAny
}

// lexString scans a double-quoted string; the opening quote (and the r of a
// raw string) is at or before l.pos.
func lexString(l *lexer) stateFn {
	l.pos++ // the opening quote
	for {
		if l.pos >= len(l.input) {
			return l.errorf("unterminated string: missing closing \"")
		}
		switch l.input[l.pos] {
		case '\\':
			l.pos += 2
			continue
		case '"':
			l.pos++
			if _, err := unquote(l.input[l.start:l.pos]); err != nil {
				return l.errorf("%v", err)
			}
			l.emit(itemString)
			return lexAny
		}
		l.pos++
	}
}

// lexChar scans a character constant such as 'a' or '\x0a'.
func lexChar(l *lexer) stateFn {
	l.pos++
	for {
		if l.pos >= len(l.input) {
			return l.errorf("unterminated character constant: missing closing '")
		}
		switch l.input[l.pos] {
		case '\\':
			l.pos += 2
			continue
		case '\'':
			l.pos++
			if _, err := charValue(l.input[l.start:l.pos]); err != nil {
				return l.errorf("%v", err)
			}
			l.emit(itemChar)
			return lexAny
		}
		l.pos++
	}
}

// unquote decodes a quoted string's source text: "..." with the escapes of
// wireshark-filter(4), or r"..." where backslashes are kept.
func unquote(src string) (string, error) {
	if strings.HasPrefix(src, "r\"") {
		return src[2 : len(src)-1], nil
	}
	return unescape(src[1 : len(src)-1])
}

// charValue decodes a character constant's source text to its byte value.
func charValue(src string) (uint64, error) {
	s, err := unescape(src[1 : len(src)-1])
	if err != nil {
		return 0, err
	}
	if len(s) != 1 {
		return 0, fmt.Errorf("%s is not a valid character constant", src)
	}
	return uint64(s[0]), nil
}

func unescape(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", fmt.Errorf("trailing backslash in a string")
		}
		switch c = s[i]; c {
		case '\'', '"', '\\', '?':
			b.WriteByte(c)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case 'x':
			v, n := 0, 0
			for n < 2 && i+1 < len(s) && hexVal(s[i+1]) >= 0 {
				v = v*16 + hexVal(s[i+1])
				i++
				n++
			}
			if n == 0 {
				return "", fmt.Errorf(`\x must be followed by hex digits`)
			}
			b.WriteByte(byte(v))
		case 'u', 'U':
			digits := 4
			if c == 'U' {
				digits = 8
			}
			v := 0
			for n := 0; n < digits; n++ {
				if i+1 >= len(s) || hexVal(s[i+1]) < 0 {
					return "", fmt.Errorf(`\%c must be followed by %d hex digits`, c, digits)
				}
				v = v*16 + hexVal(s[i+1])
				i++
			}
			if v > 0x10ffff {
				return "", fmt.Errorf(`\%c%0*x is not a valid Unicode code point`, c, digits, v)
			}
			b.WriteRune(rune(v))
		default:
			if c >= '0' && c <= '7' {
				v, n := 0, 0
				for n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
					v = v*8 + int(s[i]-'0')
					i++
					n++
				}
				i--
				if v > 0xff {
					return "", fmt.Errorf(`octal escape \%o is bigger than a byte`, v)
				}
				b.WriteByte(byte(v))
				continue
			}
			return "", fmt.Errorf(`unknown escape sequence \%c`, c)
		}
	}
	return b.String(), nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
