package filter

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// checker type-checks a parsed filter against the field registry and
// compiles it into predicates.
type checker struct {
	reg    *dissect.Registry
	src    string
	want   []bool
	fields []*dissect.Field
}

// typ is the static type of an operand: a field type, and the field when
// the operand is a field's value (for value names and range checks).
type typ struct {
	ft    dissect.FieldType
	bits  int
	field *dissect.Field
}

func (t typ) kind() kind {
	switch t.ft {
	case dissect.FTUint, dissect.FTIPv4, dissect.FTFrameNum:
		return kUint
	case dissect.FTInt, dissect.FTRelTime:
		return kInt
	case dissect.FTBool:
		return kBool
	case dissect.FTFloat:
		return kFloat
	case dissect.FTAbsTime:
		return kTime
	}
	return kBytes
}

// bytesLike types are sequences of bytes: contains, matches and slices
// apply to them.
func (t typ) bytesLike() bool {
	switch t.ft {
	case dissect.FTProtocol, dissect.FTBytes, dissect.FTString, dissect.FTEther, dissect.FTIPv6:
		return true
	}
	return false
}

// typeName describes a type as Wireshark does ("Unsigned integer (1 byte)").
func (t typ) name() string {
	switch t.ft {
	case dissect.FTUint, dissect.FTInt:
		n := "Unsigned integer"
		if t.ft == dissect.FTInt {
			n = "Signed integer"
		}
		b := max(t.bits, 8) / 8
		if b == 1 {
			return n + " (1 byte)"
		}
		return fmt.Sprintf("%s (%d bytes)", n, b)
	case dissect.FTBool:
		return "Boolean"
	case dissect.FTIPv4:
		return "IPv4 address"
	case dissect.FTIPv6:
		return "IPv6 address"
	case dissect.FTEther:
		return "Ethernet or other MAC address"
	case dissect.FTString:
		return "Character string"
	case dissect.FTBytes:
		return "Byte sequence"
	case dissect.FTProtocol:
		return "Protocol"
	case dissect.FTAbsTime:
		return "Date and time"
	case dissect.FTRelTime:
		return "Time offset"
	case dissect.FTFrameNum:
		return "Frame number"
	case dissect.FTFloat:
		return "Floating point"
	}
	return "Label"
}

var bytesType = typ{ft: dissect.FTBytes}

func (c *checker) errorf(n Node, length int, format string, args ...any) *Error {
	return &Error{Pos: n.Pos(), Len: max(length, 1), Msg: fmt.Sprintf(format, args...)}
}

// span returns the source length of a node, for error underlines.
func (c *checker) span(n Node) int { return len(n.String()) }

func (c *checker) use(f *dissect.Field) {
	if !c.want[f.ID()] {
		c.want[f.ID()] = true
		c.fields = append(c.fields, f)
	}
}

// lookup resolves a word naming a field; nil when it does not.
func (c *checker) lookup(w *WordNode) *dissect.Field {
	return c.reg.Lookup(w.Text)
}

// unknownField is the error for a word that should name a field.
func (c *checker) unknownField(w *WordNode) *Error {
	msg := fmt.Sprintf("%q is not a valid protocol or protocol field", w.Text)
	if s := c.reg.Suggest(w.Text); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return c.errorf(w, len(w.Text), "%s", msg)
}

func (c *checker) columnErr(w *WordNode) *Error {
	return c.errorf(w, len(w.Text), "%q is a column, not a field: columns cannot be filtered (tshark cannot either)", w.Text)
}

func (c *checker) check(n Node) (node, error) {
	switch n := n.(type) {
	case *LogicalNode:
		l, err := c.check(n.L)
		if err != nil {
			return nil, err
		}
		r, err := c.check(n.R)
		if err != nil {
			return nil, err
		}
		switch n.Op {
		case "and":
			return &andNode{l, r}, nil
		case "or":
			return &orNode{l, r}, nil
		}
		return &xorNode{l, r}, nil
	case *NotNode:
		x, err := c.check(n.X)
		if err != nil {
			return nil, err
		}
		return &notNode{x}, nil
	case *TestNode:
		return c.checkTest(n)
	}
	return nil, c.errorf(n, c.span(n), "%s is not a test", n)
}

func (c *checker) checkTest(n *TestNode) (node, error) {
	if n.Op == "" {
		return c.checkExists(n.L)
	}
	l, lt, err := c.entity(n.L, n.Op)
	if err != nil {
		return nil, err
	}
	k := lt.kind()
	switch n.Op {
	case "in", "not in":
		if n.Op == "not in" && n.Quant != "" {
			return nil, c.errorf(n, len(n.Quant), "%q cannot be used with \"not in\"", n.Quant)
		}
		in := &inNode{l: l, k: k, all: n.Quant == "all", neg: n.Op == "not in"}
		for _, e := range n.Set {
			lo, err := c.operand(e.Lo, lt)
			if err != nil {
				return nil, err
			}
			se := setElem{lo: lo}
			if e.Hi != nil {
				if se.hi, err = c.operand(e.Hi, lt); err != nil {
					return nil, err
				}
			}
			in.set = append(in.set, se)
		}
		return in, nil
	case "contains":
		if !lt.bytesLike() {
			return nil, c.errorf(n.L, c.span(n.L), "%s (type=%s) cannot participate in contains comparison", n.L, lt.name())
		}
		rt := lt
		if lt.ft != dissect.FTString {
			rt = bytesType
		}
		r, err := c.operand(n.R, rt)
		if err != nil {
			return nil, err
		}
		return &containsNode{l: l, r: r}, nil
	case "matches":
		if !lt.bytesLike() {
			return nil, c.errorf(n.L, c.span(n.L), "%s (type=%s) cannot participate in matches comparison", n.L, lt.name())
		}
		s, ok := n.R.(*StringNode)
		if !ok {
			return nil, c.errorf(n.R, c.span(n.R), "the right side of \"matches\" must be a quoted regular expression, not %s", n.R)
		}
		re, err := regexp.Compile("(?i)" + s.Value)
		if err != nil {
			return nil, c.errorf(n.R, c.span(n.R), "invalid regular expression: %v", err)
		}
		return &matchesNode{l: l, re: re}, nil
	}
	r, err := c.operand(n.R, lt)
	if err != nil {
		return nil, err
	}
	cn := &cmpNode{l: l, r: r, k: k}
	switch n.Op {
	case "==":
		cn.p, cn.all = pEq, n.Quant == "all"
	case "===":
		cn.p, cn.all = pEq, n.Quant != "any"
	case "!=":
		cn.p, cn.all = pNe, n.Quant != "any"
	case "!==":
		cn.p, cn.all = pNe, n.Quant == "all"
	case ">", ">=", "<", "<=":
		cn.p = map[string]pred{">": pGt, ">=": pGe, "<": pLt, "<=": pLe}[n.Op]
		cn.all = n.Quant == "all"
	}
	return cn, nil
}

// checkExists compiles a test without an operator: a field's existence, or
// a bitwise test such as tcp.flags & 0x02.
func (c *checker) checkExists(n Node) (node, error) {
	switch x := n.(type) {
	case *WordNode:
		f := c.lookup(x)
		if f == nil {
			return nil, c.unknownField(x)
		}
		if dissect.ColumnField(f) {
			return nil, c.columnErr(x)
		}
		c.use(f)
		return &existsNode{f}, nil
	case *BitAndNode:
		op, t, err := c.entity(x, "&")
		if err != nil {
			return nil, err
		}
		return &truthyNode{x: op, bytes: t.kind() == kBytes}, nil
	}
	return nil, c.errorf(n, c.span(n), "%s is not a field: a test needs a comparison such as \"%s == value\"", n, n)
}

// entity compiles the left side of a comparison: a field, slice, function
// call or bitwise and. op names the operator for messages.
func (c *checker) entity(n Node, op string) (operand, typ, error) {
	switch x := n.(type) {
	case *WordNode:
		f := c.lookup(x)
		if f == nil {
			if looksLikeField(x.Text) {
				return nil, typ{}, c.unknownField(x)
			}
			return nil, typ{}, c.errorf(x, len(x.Text), "left side of %q must be a field or function, not %s", op, x.Text)
		}
		if dissect.ColumnField(f) {
			return nil, typ{}, c.columnErr(x)
		}
		if f.Type == dissect.FTNone {
			return nil, typ{}, c.errorf(x, len(x.Text), "%s is a text label: it can only be tested for presence", x.Text)
		}
		c.use(f)
		fo := &fieldOp{f: f}
		if f.Type == dissect.FTInt {
			fo.signBits = f.Bits
		}
		return fo, typ{ft: f.Type, bits: f.Bits, field: f}, nil
	case *SliceNode:
		inner, t, err := c.entity(x.X, op)
		if err != nil {
			return nil, typ{}, err
		}
		if !t.bytesLike() {
			return nil, typ{}, c.errorf(x.X, c.span(x.X), "%q is a %s and cannot be sliced into a sequence of bytes", x.X.String(), t.name())
		}
		return &sliceOp{x: inner, ranges: x.Ranges}, bytesType, nil
	case *FuncNode:
		return c.function(x, op)
	case *BitAndNode:
		inner, t, err := c.entity(x.L, op)
		if err != nil {
			return nil, typ{}, err
		}
		switch k := t.kind(); {
		case k == kUint || k == kInt:
			if t.ft != dissect.FTUint && t.ft != dissect.FTInt {
				return nil, typ{}, c.errorf(x.L, c.span(x.L), "bitwise and needs an integer field or a slice, not %s (%s)", x.L, t.name())
			}
			m, err := c.literal(x.R, t)
			if err != nil {
				return nil, typ{}, err
			}
			return &bitAndOp{x: inner, mask: m}, t, nil
		case t.bytesLike() && t.ft != dissect.FTString:
			m, err := c.literal(x.R, bytesType)
			if err != nil {
				return nil, typ{}, err
			}
			return &bitAndOp{x: inner, mask: m, bytes: true}, bytesType, nil
		}
		return nil, typ{}, c.errorf(x.L, c.span(x.L), "bitwise and needs an integer field or a slice, not %s (%s)", x.L, t.name())
	}
	return nil, typ{}, c.errorf(n, c.span(n), "left side of %q must be a field or function, not %s", op, n)
}

// looksLikeField tells a misspelt field name from a literal on the left.
func looksLikeField(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z' || s[0] == '_') {
		return false
	}
	_, err := netip.ParseAddr(s)
	return err != nil
}

func (c *checker) function(x *FuncNode, op string) (operand, typ, error) {
	one := func() (operand, typ, error) {
		if len(x.Args) != 1 {
			return nil, typ{}, c.errorf(x, c.span(x), "%s() takes exactly one argument", x.Name)
		}
		return c.entity(x.Args[0], op)
	}
	switch x.Name {
	case "len":
		inner, t, err := one()
		if err != nil {
			return nil, typ{}, err
		}
		lo := &lenOp{x: inner}
		if fo, ok := inner.(*fieldOp); ok {
			lo.f = fo
		} else if !t.bytesLike() {
			return nil, typ{}, c.errorf(x, c.span(x), "len() needs a field or a slice")
		}
		return lo, typ{ft: dissect.FTUint, bits: 32}, nil
	case "count":
		if len(x.Args) != 1 {
			return nil, typ{}, c.errorf(x, c.span(x), "count() takes exactly one argument")
		}
		w, ok := x.Args[0].(*WordNode)
		if !ok {
			return nil, typ{}, c.errorf(x.Args[0], c.span(x.Args[0]), "count() needs a field, not %s", x.Args[0])
		}
		if _, _, err := c.entity(w, op); err != nil {
			return nil, typ{}, err
		}
		return &countOp{f: c.lookup(w)}, typ{ft: dissect.FTUint, bits: 32}, nil
	case "upper", "lower":
		inner, t, err := one()
		if err != nil {
			return nil, typ{}, err
		}
		if t.ft != dissect.FTString {
			return nil, typ{}, c.errorf(x, c.span(x), "%s() needs a character string field, not a %s", x.Name, t.name())
		}
		return &caseOp{x: inner, upper: x.Name == "upper"}, typ{ft: dissect.FTString}, nil
	case "string", "max", "min", "abs":
		return nil, typ{}, c.errorf(x, len(x.Name), "function %s() is not supported yet", x.Name)
	}
	return nil, typ{}, c.errorf(x, len(x.Name), "unknown function %q: use len, count, upper or lower", x.Name)
}

// operand compiles a right-hand side: another field (of a compatible
// type) or a literal converted to type t.
func (c *checker) operand(n Node, t typ) (operand, error) {
	switch x := n.(type) {
	case *WordNode:
		if f := c.lookup(x); f != nil {
			op, ft, err := c.entity(x, "==")
			if err != nil {
				return nil, err
			}
			if !compatible(t, ft) {
				return nil, c.errorf(x, len(x.Text), "%s (%s) and %s (%s) are not of compatible types", nameOf(t), t.name(), x.Text, ft.name())
			}
			return op, nil
		}
	case *SliceNode, *FuncNode, *BitAndNode:
		op, ft, err := c.entity(x, "==")
		if err != nil {
			return nil, err
		}
		if !compatible(t, ft) {
			return nil, c.errorf(x, c.span(x), "%s and %s are not of compatible types", t.name(), ft.name())
		}
		return op, nil
	}
	v, err := c.literal(n, t)
	if err != nil {
		return nil, err
	}
	return &litOp{v}, nil
}

func nameOf(t typ) string {
	if t.field != nil {
		return t.field.Abbrev
	}
	return "the left side"
}

func compatible(a, b typ) bool {
	ka, kb := a.kind(), b.kind()
	if ka == kBytes || kb == kBytes {
		return ka == kb && (a.bytesLike() || a.ft == b.ft) && (b.bytesLike() || a.ft == b.ft) &&
			(a.ft == b.ft || a.ft == dissect.FTBytes || b.ft == dissect.FTBytes || a.ft == dissect.FTProtocol || b.ft == dissect.FTProtocol)
	}
	if ka == kUint && kb == kUint {
		ipa, ipb := a.ft == dissect.FTIPv4, b.ft == dissect.FTIPv4
		return ipa == ipb
	}
	return ka == kb
}

// literal converts a literal node to a value of type t.
func (c *checker) literal(n Node, t typ) (value, error) {
	var (
		text   string
		quoted bool
	)
	switch x := n.(type) {
	case *WordNode:
		text = x.Text
	case *StringNode:
		text, quoted = x.Value, true
	case *CharNode:
		switch t.kind() {
		case kUint, kInt:
			if t.ft == dissect.FTIPv4 {
				break
			}
			return c.checkRange(n, x.Src, x.Value, false, t)
		case kBytes:
			if t.ft == dissect.FTBytes || t.ft == dissect.FTProtocol {
				return value{b: []byte{byte(x.Value)}}, nil
			}
		}
		return value{}, c.errorf(n, len(x.Src), "%s cannot be converted from a character constant (%s)", t.name(), x.Src)
	default:
		return value{}, c.errorf(n, c.span(n), "%s is not a value", n)
	}
	bad := func(format string, args ...any) (value, error) {
		msg := fmt.Sprintf(format, args...)
		if w, ok := n.(*WordNode); ok && looksLikeField(w.Text) && strings.Contains(w.Text, ".") {
			if s := c.reg.Suggest(w.Text); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
		}
		return value{}, c.errorf(n, c.span(n), "%s", msg)
	}
	fromString := func() (value, error) {
		return bad("%s cannot be converted from a string (%s)", t.name(), quote(text))
	}
	switch t.ft {
	case dissect.FTUint, dissect.FTInt, dissect.FTFrameNum:
		if !quoted {
			if u, neg, ok := parseInt(text); ok {
				return c.checkRange(n, text, u, neg, t)
			}
		}
		if t.field != nil && t.field.Values != nil {
			for k, name := range t.field.Values {
				if strings.EqualFold(name, text) {
					return value{u: k}, nil
				}
			}
			return bad("%q cannot be found among the possible values for %s", text, t.field.Abbrev)
		}
		if quoted {
			return fromString()
		}
		return bad("%q is not a valid number", text)
	case dissect.FTBool:
		if !quoted {
			switch text {
			case "True", "TRUE":
				return value{u: 1}, nil
			case "False", "FALSE":
				return value{u: 0}, nil
			}
			if u, _, ok := parseInt(text); ok {
				return value{u: b2u(u != 0)}, nil
			}
		}
		tf := [2]string{"Set", "Not set"}
		if t.field != nil && t.field.TrueFalse != nil {
			tf = *t.field.TrueFalse
		}
		switch {
		case strings.EqualFold(text, tf[0]):
			return value{u: 1}, nil
		case strings.EqualFold(text, tf[1]):
			return value{u: 0}, nil
		}
		where := "a Boolean"
		if t.field != nil {
			where = t.field.Abbrev
		}
		return bad("%q cannot be found among the possible values for %s", text, where)
	case dissect.FTIPv4:
		if quoted {
			return fromString()
		}
		return c.ipv4(n, text, bad)
	case dissect.FTIPv6:
		if quoted {
			return fromString()
		}
		return c.ipv6(n, text, bad)
	case dissect.FTEther:
		if quoted {
			return fromString()
		}
		b, ok := parseBytes(text)
		switch {
		case !ok:
			return bad("%q is not a valid Ethernet address", text)
		case len(b) < 6:
			return bad("%q contains too few bytes to be a valid Ethernet address", text)
		case len(b) > 6:
			return bad("%q contains too many bytes to be a valid Ethernet address", text)
		}
		return value{b: b}, nil
	case dissect.FTString:
		return value{b: []byte(text)}, nil
	case dissect.FTBytes, dissect.FTProtocol:
		if quoted {
			return value{b: []byte(text)}, nil
		}
		if b, ok := parseBytes(text); ok {
			return value{b: b}, nil
		}
		if u, neg, ok := parseInt(text); ok && !neg && u <= 0xff && strings.HasPrefix(strings.ToLower(text), "0x") {
			return value{b: []byte{byte(u)}}, nil
		}
		return bad("%q is not a valid byte string", text)
	case dissect.FTAbsTime:
		ns, ok := parseAbsTime(text)
		if !ok && !quoted {
			// Seconds since the epoch: frame.time_epoch is a time offset
			// in Wireshark, so `frame.time_epoch > 1265678319` is usual.
			ns, ok = parseRelTime(text)
		}
		if !ok {
			return bad("%q is not a valid absolute time: use \"2006-01-02 15:04:05\" or \"Jan  2, 2006 15:04:05\"", text)
		}
		return value{u: uint64(ns)}, nil
	case dissect.FTRelTime:
		ns, ok := parseRelTime(text)
		if quoted || !ok {
			return bad("%q is not a valid time offset in seconds", text)
		}
		return value{u: uint64(ns)}, nil
	case dissect.FTFloat:
		f, err := strconv.ParseFloat(text, 64)
		if quoted || err != nil {
			return bad("%q is not a valid floating point number", text)
		}
		return value{u: math.Float64bits(f)}, nil
	}
	return bad("%s cannot be compared with %s", t.name(), text)
}

// checkRange checks that an integer literal fits the field's width.
func (c *checker) checkRange(n Node, text string, u uint64, neg bool, t typ) (value, error) {
	b := t.bits
	if b <= 0 || b > 64 {
		b = 64
	}
	if t.ft == dissect.FTInt {
		v := int64(u)
		lo, hi := int64(-1)<<(b-1), int64(uint64(1)<<(b-1)-1)
		if b == 64 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		switch {
		case !neg && u > uint64(hi):
			return value{}, c.errorf(n, len(text), "%q is too big for a%s %d-bit field, maximum %d", text, an(b), b, hi)
		case v < lo:
			return value{}, c.errorf(n, len(text), "%q is too small for a%s %d-bit field, minimum %d", text, an(b), b, lo)
		}
		return value{u: u}, nil
	}
	// A negative literal for an unsigned field wraps around and so never
	// equals a field value, as in tshark 4.0.
	if !neg && b < 64 && u > 1<<b-1 {
		return value{}, c.errorf(n, len(text), "%q is too big for a%s %d-bit field, maximum %d", text, an(b), b, uint64(1)<<b-1)
	}
	return value{u: u}, nil
}

// an returns "n" when "a(n) <bits>-bit" needs it: an 8-bit field.
func an(b int) string {
	if b == 8 || b == 11 || b == 18 {
		return "n"
	}
	return ""
}

// parseInt parses a C-style integer: decimal, 0x hex, 0 octal, 0b binary,
// with an optional minus sign (returned as two's complement).
func parseInt(s string) (u uint64, neg bool, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	base := 10
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, s = 16, s[2:]
	case len(s) > 2 && (s[:2] == "0b" || s[:2] == "0B"):
		base, s = 2, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	u, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, false, false
	}
	if neg {
		if u > 1<<63 {
			return 0, false, false
		}
		u = -u
	}
	return u, neg, true
}

// parseBytes parses a byte string: hex digits in groups separated by ':',
// '-' or '.' (one or an even number of digits per group: 0:1:2, aa-bb,
// 0021.6ac7.1a3e), or an even-length run of hex digits (00216a).
func parseBytes(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	var out []byte
	sep := byte(0)
	for len(s) > 0 {
		i := 0
		for i < len(s) && hexVal(s[i]) >= 0 {
			i++
		}
		g := s[:i]
		switch {
		case len(g) == 1:
			out = append(out, byte(hexVal(g[0])))
		case len(g) > 0 && len(g)%2 == 0:
			for k := 0; k < len(g); k += 2 {
				out = append(out, byte(hexVal(g[k])<<4|hexVal(g[k+1])))
			}
		default:
			return nil, false
		}
		s = s[i:]
		if s == "" {
			break
		}
		if s[0] != ':' && s[0] != '-' && s[0] != '.' || sep != 0 && s[0] != sep || len(s) == 1 {
			return nil, false
		}
		sep, s = s[0], s[1:]
	}
	return out, true
}

func (c *checker) ipv4(n Node, text string, bad func(string, ...any) (value, error)) (value, error) {
	addr, bitsText, hasBits := strings.Cut(text, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is4() {
		return bad("%q is not a valid IPv4 address", text)
	}
	b4 := a.As4()
	v := value{u: uint64(b4[0])<<24 | uint64(b4[1])<<16 | uint64(b4[2])<<8 | uint64(b4[3])}
	if hasBits {
		nb, err := strconv.Atoi(bitsText)
		if err != nil || nb < 0 {
			return bad("%q is not a valid CIDR IPv4 address", text)
		}
		if nb > 32 {
			return bad("netmask bits in a CIDR IPv4 address should be <= 32, not %d", nb)
		}
		v.plen = nb + 1
	}
	return v, nil
}

func (c *checker) ipv6(n Node, text string, bad func(string, ...any) (value, error)) (value, error) {
	addr, bitsText, hasBits := strings.Cut(text, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return bad("%q is not a valid IPv6 address", text)
	}
	b16 := a.As16()
	v := value{b: b16[:]}
	if hasBits {
		nb, err := strconv.Atoi(bitsText)
		if err != nil || nb < 0 {
			return bad("%q is not a valid CIDR IPv6 address", text)
		}
		if nb > 128 {
			return bad("prefix length in a CIDR IPv6 address should be <= 128, not %d", nb)
		}
		v.plen = nb + 1
	}
	return v, nil
}

// absTimeLayouts are the accepted absolute-time forms: ISO 8601 (with or
// without the T) and Wireshark's legacy "Sep 26, 2004 23:18:04.954975".
var absTimeLayouts = []string{
	"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04",
	"2006-01-02", "Jan _2, 2006 15:04:05.999999999", "Jan _2, 2006 15:04", "Jan _2, 2006",
}

// parseAbsTime parses a time in local time unless it ends in Z, UTC or an
// offset from UTC.
func parseAbsTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	loc := time.Local
	switch {
	case strings.HasSuffix(s, " UTC"):
		s, loc = strings.TrimSuffix(s, " UTC"), time.UTC
	case strings.HasSuffix(s, "Z"):
		s, loc = strings.TrimSuffix(s, "Z"), time.UTC
	}
	for _, l := range absTimeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UnixNano(), true
		}
		if t, err := time.Parse(l+"Z07:00", s); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

// parseRelTime parses seconds with up to nine decimals into nanoseconds,
// exactly (no floating point rounding).
func parseRelTime(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 9 {
		return 0, false
	}
	var sec uint64
	if whole != "" {
		var err error
		if sec, err = strconv.ParseUint(whole, 10, 63); err != nil || sec > math.MaxInt64/1_000_000_000-1 {
			return 0, false
		}
	}
	var ns uint64
	if frac != "" {
		f, err := strconv.ParseUint(frac, 10, 32)
		if err != nil {
			return 0, false
		}
		ns = f
		for i := len(frac); i < 9; i++ {
			ns *= 10
		}
	}
	v := int64(sec*1e9 + ns)
	if neg {
		v = -v
	}
	return v, true
}
