// Package filter implements Wireshark's display filter language
// (wireshark-filter(4), with Wireshark 4.0 semantics) over the items of
// package dissect.
//
// A filter is lexed (lex.go), parsed into a syntax tree (parse.go),
// checked against the field registry and compiled into predicates
// (check.go), then evaluated per packet without allocating (eval.go):
//
//	f, err := filter.Compile(`tcp.port in {80, 443} && ip.addr == 10.0.0.0/8`, dissect.Fields())
//	items, _ := d.Fields(&pkt, f.Want())
//	if f.Match(items) { ... }
//
// Fields that appear more than once in a packet follow Wireshark 4.0: "=="
// and the orderings hold if any occurrence satisfies them, "!=" only if all
// do (it is "not =="), "===" needs all equal and "!==" (or "~=") any not
// equal; "any" and "all" prefixes choose explicitly. Every comparison
// implies the field exists.
package filter

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// Error is a filter error with the byte span it concerns, so that a filter
// bar can underline it.
type Error struct {
	Pos int    // byte offset of the problem in the filter
	Len int    // length of the span to underline (0 at the end of the filter)
	Msg string // what is wrong, possibly with a suggestion
}

// Error returns the message with its 1-based column.
func (e *Error) Error() string { return fmt.Sprintf("column %d: %s", e.Pos+1, e.Msg) }

// Caret returns two lines showing the error under the filter, as tshark
// does: the filter, then ^~~~ under the span.
func (e *Error) Caret(src string) string {
	n := max(e.Len, 1)
	return "    " + src + "\n    " + strings.Repeat(" ", e.Pos) + "^" + strings.Repeat("~", n-1)
}

// Filter is a compiled display filter. It is immutable and safe for
// concurrent use.
type Filter struct {
	src    string
	tree   Node
	root   node
	want   []bool
	fields []*dissect.Field
	envs   sync.Pool // *env, reused scratch state for Match
}

// Compile parses src and checks it against reg (nil means dissect.Fields()).
// An empty filter matches every packet. Errors are *Error.
func Compile(src string, reg *dissect.Registry) (*Filter, error) {
	if reg == nil {
		reg = dissect.Fields()
	}
	tree, err := Parse(src)
	if err != nil {
		return nil, err
	}
	c := &checker{reg: reg, src: src, want: make([]bool, reg.Len())}
	f := &Filter{src: src, tree: tree, root: trueNode{}}
	if tree != nil {
		if f.root, err = c.check(tree); err != nil {
			return nil, err
		}
	}
	f.want, f.fields = c.want, c.fields
	f.envs.New = func() any { return new(env) }
	return f, nil
}

// Want returns, indexed by field ID, the fields the filter reads: pass it
// (or a superset) to dissect.Dissector.Fields. The slice is shared; do not
// modify it.
func (f *Filter) Want() []bool { return f.want }

// Fields returns the fields the filter reads, in order of appearance.
func (f *Filter) Fields() []*dissect.Field { return f.fields }

// Empty reports whether the filter is empty (matches everything).
func (f *Filter) Empty() bool { return f.tree == nil }

// String returns the filter in canonical form ("" for the empty filter).
func (f *Filter) String() string {
	if f.tree == nil {
		return ""
	}
	return f.tree.String()
}

// Match evaluates the filter over the items of one packet, as returned by
// dissect.Dissector.Fields with Want(). Protocol values (frame[0:4],
// tcp contains "GET") need the packet bytes: use MatchFrame for those.
func (f *Filter) Match(items []dissect.Item) bool { return f.MatchFrame(items, nil) }

// MatchFrame is Match with the packet's bytes, which give protocols their
// values.
func (f *Filter) MatchFrame(items []dissect.Item, data []byte) bool {
	e := f.envs.Get().(*env)
	e.items, e.data, e.scratch = items, data, e.scratch[:0]
	ok := f.root.eval(e)
	e.items, e.data = nil, nil
	f.envs.Put(e)
	return ok
}

// Complete returns the field and protocol names of dissect.Fields() that
// complete the last word of text (what the user is typing in a filter
// bar), sorted: protocols first when the word has no dot yet.
func Complete(text string) []string { return CompleteIn(dissect.Fields(), text) }

// CompleteIn is Complete over a given registry.
func CompleteIn(reg *dissect.Registry, text string) []string {
	i := len(text)
	for i > 0 && (isAlnum(text[i-1]) || text[i-1] == '.' || text[i-1] == '-') {
		i--
	}
	word := text[i:]
	var protos, rest []string
	for _, fl := range reg.All() {
		a := fl.Abbrev
		if !strings.HasPrefix(a, word) || dissect.ColumnField(fl) || fl.Type == dissect.FTNone || a == word {
			continue
		}
		if fl.Type == dissect.FTProtocol && !strings.Contains(word, ".") {
			protos = append(protos, a)
		} else {
			rest = append(rest, a)
		}
	}
	sort.Strings(protos)
	sort.Strings(rest)
	return append(protos, rest...)
}
