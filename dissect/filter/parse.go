package filter

import (
	"fmt"
	"strconv"
	"strings"
)

// Node is a node of a parsed filter. String returns the filter text in a
// canonical form that parses back to the same tree.
type Node interface {
	// Pos returns the byte offset of the node in the filter.
	Pos() int
	String() string
	write(b *strings.Builder)
}

// LogicalNode is `L and R`, `L or R` or `L xor R`.
type LogicalNode struct {
	pos  int
	Op   string // "and", "or", "xor"
	L, R Node
}

// NotNode is `not X`.
type NotNode struct {
	pos int
	X   Node
}

// TestNode is a test: a field's existence (Op ""), a comparison, a set
// membership or a search.
type TestNode struct {
	pos   int
	Quant string // "", "any" or "all"
	Op    string // "", "==", "!=", "===", "!==", ">", "<", ">=", "<=", "contains", "matches", "in", "not in"
	L, R  Node   // R is nil for existence and set tests
	Set   []SetElem
}

// SetElem is one member of a set: a value or an inclusive range Lo..Hi.
type SetElem struct {
	Lo, Hi Node // Hi is nil for a single value
}

// WordNode is an unquoted word: a field name or a literal, which the
// checker tells apart with the field registry as Wireshark does.
type WordNode struct {
	pos  int
	Text string
}

// StringNode is a quoted string literal.
type StringNode struct {
	pos   int
	Value string // decoded
}

// CharNode is a character constant, an integer literal.
type CharNode struct {
	pos   int
	Src   string // source text, 'a'
	Value uint64
}

// SliceNode is X[ranges].
type SliceNode struct {
	pos    int
	X      Node
	Ranges []Range
}

// Range is one range of a slice.
type Range struct {
	Start int
	// Kind is ':' (Start:N, N bytes), '-' (Start-N, N the last offset
	// included), '1' (one byte) or 'e' (Start to the end).
	Kind byte
	N    int
}

// FuncNode is a function call such as len(http.host).
type FuncNode struct {
	pos  int
	Name string
	Args []Node
}

// BitAndNode is L & R.
type BitAndNode struct {
	pos  int
	L, R Node
}

// Pos implementations.

func (n *LogicalNode) Pos() int { return n.pos }
func (n *NotNode) Pos() int     { return n.pos }
func (n *TestNode) Pos() int    { return n.pos }
func (n *WordNode) Pos() int    { return n.pos }
func (n *StringNode) Pos() int  { return n.pos }
func (n *CharNode) Pos() int    { return n.pos }
func (n *SliceNode) Pos() int   { return n.pos }
func (n *FuncNode) Pos() int    { return n.pos }
func (n *BitAndNode) Pos() int  { return n.pos }

func str(n Node) string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *LogicalNode) String() string { return str(n) }
func (n *NotNode) String() string     { return str(n) }
func (n *TestNode) String() string    { return str(n) }
func (n *WordNode) String() string    { return str(n) }
func (n *StringNode) String() string  { return str(n) }
func (n *CharNode) String() string    { return str(n) }
func (n *SliceNode) String() string   { return str(n) }
func (n *FuncNode) String() string    { return str(n) }
func (n *BitAndNode) String() string  { return str(n) }

// precedence of logical operators: not binds tighter than and, and than
// xor, xor than or.
func prec(n Node) int {
	if l, ok := n.(*LogicalNode); ok {
		switch l.Op {
		case "or":
			return 1
		case "xor":
			return 2
		}
		return 3
	}
	return 4
}

func (n *LogicalNode) write(b *strings.Builder) {
	p := prec(n)
	// The left child needs parentheses only when it binds more loosely;
	// the right one also when equal, since the operators are
	// left-associative and the tree must survive the round trip.
	writeParen(b, n.L, prec(n.L) < p)
	b.WriteString(" " + n.Op + " ")
	writeParen(b, n.R, prec(n.R) <= p)
}

func writeParen(b *strings.Builder, n Node, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	n.write(b)
	if paren {
		b.WriteByte(')')
	}
}

func (n *NotNode) write(b *strings.Builder) {
	b.WriteString("not ")
	writeParen(b, n.X, prec(n.X) < 4)
}

func (n *TestNode) write(b *strings.Builder) {
	if n.Quant != "" {
		b.WriteString(n.Quant + " ")
	}
	n.L.write(b)
	switch {
	case n.Op == "":
	case n.Set != nil:
		b.WriteString(" " + n.Op + " {")
		for i, e := range n.Set {
			if i > 0 {
				b.WriteString(", ")
			}
			e.Lo.write(b)
			if e.Hi != nil {
				b.WriteString(" .. ")
				e.Hi.write(b)
			}
		}
		b.WriteByte('}')
	default:
		b.WriteString(" " + n.Op + " ")
		n.R.write(b)
	}
}

func (n *WordNode) write(b *strings.Builder) { b.WriteString(n.Text) }

func (n *StringNode) write(b *strings.Builder) { b.WriteString(quote(n.Value)) }

// quote writes s as a filter string literal that unquote decodes back to s.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (n *CharNode) write(b *strings.Builder) { b.WriteString(n.Src) }

func (n *SliceNode) write(b *strings.Builder) {
	n.X.write(b)
	b.WriteByte('[')
	for i, r := range n.Ranges {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(r.Start))
		switch r.Kind {
		case ':':
			b.WriteString(":" + strconv.Itoa(r.N))
		case '-':
			b.WriteString("-" + strconv.Itoa(r.N))
		case 'e':
			b.WriteString(":")
		}
	}
	b.WriteByte(']')
}

func (n *FuncNode) write(b *strings.Builder) {
	b.WriteString(n.Name + "(")
	for i, a := range n.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		a.write(b)
	}
	b.WriteByte(')')
}

func (n *BitAndNode) write(b *strings.Builder) {
	n.L.write(b)
	b.WriteString(" & ")
	n.R.write(b)
}

// cmpWords maps the English comparison operators to the C-like ones.
var cmpWords = map[string]string{
	"eq": "==", "any_eq": "==", "ne": "!=", "all_ne": "!=", "all_eq": "===", "any_ne": "!==",
	"gt": ">", "lt": "<", "ge": ">=", "le": "<=",
}

// keywords cannot be field names or unquoted literals.
var keywords = map[string]bool{
	"and": true, "or": true, "xor": true, "not": true, "in": true, "contains": true, "matches": true,
	"any": true, "all": true, "bitwise_and": true,
}

func isKeyword(s string) bool { return keywords[s] || cmpWords[s] != "" }

// parser is a recursive-descent parser over the lexed items.
type parser struct {
	src   string
	items []item
	i     int
}

// Parse parses a filter without checking its fields (the filter bar uses
// it for syntax errors; Compile also type-checks). An empty filter (only
// spaces) parses to a nil Node, which matches every packet.
func Parse(src string) (Node, error) {
	p := &parser{src: src, items: lex(src)}
	if last := p.items[len(p.items)-1]; last.typ == itemError {
		// Report a lexical error only if the tokens before it parse; that
		// keeps the first error first.
		return nil, &Error{Pos: last.pos, Len: errLen(src, last.pos), Msg: last.val}
	}
	if p.peek().typ == itemEOF {
		return nil, nil
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.typ != itemEOF {
		return nil, p.unexpected(t)
	}
	return n, nil
}

// errLen is the length to underline at pos for a lexical error: up to the
// next space.
func errLen(src string, pos int) int {
	n := 0
	for pos+n < len(src) && !isSpace(src[pos+n]) {
		n++
	}
	return max(n, 1)
}

func (p *parser) peek() item { return p.items[p.i] }

func (p *parser) next() item {
	t := p.items[p.i]
	if t.typ != itemEOF {
		p.i++
	}
	return t
}

func (p *parser) unexpected(t item) error {
	if t.typ == itemEOF {
		return &Error{Pos: len(p.src), Len: 0, Msg: "unexpected end of filter"}
	}
	return &Error{Pos: t.pos, Len: len(t.val), Msg: fmt.Sprintf("unexpected %q", t.val)}
}

func (p *parser) isWord(s string) bool {
	t := p.peek()
	return t.typ == itemWord && t.val == s
}

func (p *parser) parseOr() (Node, error) {
	l, err := p.parseXor()
	for err == nil && (p.peek().typ == itemOrOr || p.isWord("or")) {
		t := p.next()
		var r Node
		if r, err = p.parseXor(); err == nil {
			l = &LogicalNode{pos: t.pos, Op: "or", L: l, R: r}
		}
	}
	return l, err
}

func (p *parser) parseXor() (Node, error) {
	l, err := p.parseAnd()
	for err == nil && (p.peek().typ == itemXorXor || p.isWord("xor")) {
		t := p.next()
		var r Node
		if r, err = p.parseAnd(); err == nil {
			l = &LogicalNode{pos: t.pos, Op: "xor", L: l, R: r}
		}
	}
	return l, err
}

func (p *parser) parseAnd() (Node, error) {
	l, err := p.parseNot()
	for err == nil && (p.peek().typ == itemAndAnd || p.isWord("and")) {
		t := p.next()
		var r Node
		if r, err = p.parseNot(); err == nil {
			l = &LogicalNode{pos: t.pos, Op: "and", L: l, R: r}
		}
	}
	return l, err
}

func (p *parser) parseNot() (Node, error) {
	if t := p.peek(); t.typ == itemNot || p.isWord("not") {
		p.next()
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &NotNode{pos: t.pos, X: x}, nil
	}
	if t := p.peek(); t.typ == itemLParen {
		p.next()
		x, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.typ != itemRParen {
			if c.typ == itemEOF {
				return nil, &Error{Pos: t.pos, Len: 1, Msg: `unexpected end of filter: missing ")" for this "("`}
			}
			return nil, p.unexpected(c)
		}
		return x, nil
	}
	return p.parseTest()
}

// parseTest parses [any|all] value [op value | in {set} | not in {set}].
func (p *parser) parseTest() (Node, error) {
	start := p.peek()
	quant := ""
	if p.isWord("any") || p.isWord("all") {
		quant = p.next().val
	}
	l, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	tn := &TestNode{pos: start.pos, Quant: quant, L: l}
	t := p.peek()
	switch {
	case t.typ == itemCmp:
		tn.Op = t.val
		if tn.Op == "~=" {
			tn.Op = "!=="
		}
	case t.typ == itemTilde:
		tn.Op = "matches"
	case t.typ == itemWord && cmpWords[t.val] != "":
		tn.Op = cmpWords[t.val]
	case t.typ == itemWord && (t.val == "contains" || t.val == "matches"):
		tn.Op = t.val
	case t.typ == itemWord && t.val == "in":
		p.next()
		tn.Op = "in"
		tn.Set, err = p.parseSet()
		return tn, err
	case t.typ == itemWord && t.val == "not" && p.items[p.i+1].typ == itemWord && p.items[p.i+1].val == "in":
		p.next()
		p.next()
		tn.Op = "not in"
		tn.Set, err = p.parseSet()
		return tn, err
	default:
		if quant != "" {
			return nil, &Error{Pos: start.pos, Len: len(start.val), Msg: fmt.Sprintf("%q must be followed by a comparison", quant)}
		}
		return tn, nil
	}
	p.next()
	tn.R, err = p.parseValue()
	return tn, err
}

// parseSet parses {a, b, c..d}; the "in" is consumed.
func (p *parser) parseSet() ([]SetElem, error) {
	if t := p.next(); t.typ != itemLBrace {
		return nil, p.unexpected(t)
	}
	var set []SetElem
	for {
		lo, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		e := SetElem{Lo: lo}
		if p.peek().typ == itemDotDot {
			p.next()
			if e.Hi, err = p.parseValue(); err != nil {
				return nil, err
			}
		}
		set = append(set, e)
		switch t := p.next(); t.typ {
		case itemComma:
		case itemRBrace:
			return set, nil
		default:
			return nil, p.unexpected(t)
		}
	}
}

// parseValue parses an operand: a word, string, char, function call or
// slice, optionally followed by & operand.
func (p *parser) parseValue() (Node, error) {
	t := p.next()
	var n Node
	switch t.typ {
	case itemWord:
		if isKeyword(t.val) {
			return nil, p.unexpected(t)
		}
		if p.peek().typ == itemLParen {
			p.next()
			fn := &FuncNode{pos: t.pos, Name: t.val}
			if p.peek().typ == itemRParen {
				p.next()
			} else {
				for {
					a, err := p.parseValue()
					if err != nil {
						return nil, err
					}
					fn.Args = append(fn.Args, a)
					c := p.next()
					if c.typ == itemRParen {
						break
					}
					if c.typ != itemComma {
						return nil, p.unexpected(c)
					}
				}
			}
			n = fn
		} else {
			n = &WordNode{pos: t.pos, Text: t.val}
		}
	case itemString:
		s, err := unquote(t.val)
		if err != nil {
			return nil, &Error{Pos: t.pos, Len: len(t.val), Msg: err.Error()}
		}
		n = &StringNode{pos: t.pos, Value: s}
	case itemChar:
		v, err := charValue(t.val)
		if err != nil {
			return nil, &Error{Pos: t.pos, Len: len(t.val), Msg: err.Error()}
		}
		n = &CharNode{pos: t.pos, Src: t.val, Value: v}
	default:
		return nil, p.unexpected(t)
	}
	for p.peek().typ == itemLBracket {
		p.next()
		rs, err := p.parseRanges()
		if err != nil {
			return nil, err
		}
		n = &SliceNode{pos: n.Pos(), X: n, Ranges: rs}
	}
	if t := p.peek(); t.typ == itemBitAnd || p.isWord("bitwise_and") {
		p.next()
		r, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		n = &BitAndNode{pos: n.Pos(), L: n, R: r}
	}
	return n, nil
}

// parseRanges parses the inside of a slice; "[" is consumed.
func (p *parser) parseRanges() ([]Range, error) {
	var rs []Range
	for {
		var r Range
		if p.peek().typ == itemColon { // [:j]
			p.next()
			n, err := p.parseInt(false)
			if err != nil {
				return nil, err
			}
			r = Range{Start: 0, Kind: ':', N: n}
		} else {
			s, err := p.parseInt(true)
			if err != nil {
				return nil, err
			}
			r = Range{Start: s, Kind: '1'}
			switch p.peek().typ {
			case itemColon:
				p.next()
				if t := p.peek().typ; t == itemRBracket || t == itemComma {
					r.Kind = 'e'
				} else {
					if r.N, err = p.parseInt(false); err != nil {
						return nil, err
					}
					r.Kind = ':'
				}
			case itemMinus:
				p.next()
				if r.N, err = p.parseInt(true); err != nil {
					return nil, err
				}
				r.Kind = '-'
			}
		}
		rs = append(rs, r)
		switch t := p.next(); t.typ {
		case itemComma:
		case itemRBracket:
			return rs, nil
		default:
			return nil, p.unexpected(t)
		}
	}
}

func (p *parser) parseInt(signed bool) (int, error) {
	neg := false
	if signed && p.peek().typ == itemMinus {
		p.next()
		neg = true
	}
	t := p.next()
	if t.typ != itemNumber {
		return 0, p.unexpected(t)
	}
	v, err := strconv.Atoi(t.val)
	if err != nil || v > 1<<30 {
		return 0, &Error{Pos: t.pos, Len: len(t.val), Msg: fmt.Sprintf("slice offset %s is too large", t.val)}
	}
	if neg {
		v = -v
	}
	return v, nil
}
