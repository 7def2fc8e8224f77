// Package dissect turns packet bytes into Wireshark-style summary rows and
// protocol trees. Every field is described once in a registry (like
// Wireshark's hf arrays) shared by the tree, `-T fields`, the display filter
// and autocompletion. It never imports Fyne.
package dissect

import (
	"fmt"
	"sort"
	"strings"
)

// FieldType is the type of a field's value, as in Wireshark's ftypes.
type FieldType uint8

// Field types.
const (
	FTNone     FieldType = iota // a text-only label
	FTProtocol                  // a protocol (tcp, dns); its value is its bytes
	FTUint                      // unsigned integer up to 64 bits
	FTInt                       // signed integer (Value.U holds the two's complement)
	FTBool                      // boolean (possibly a bit in a mask)
	FTIPv4                      // IPv4 address (Value.U holds it, big-endian order)
	FTIPv6                      // IPv6 address (Value.B, 16 bytes)
	FTEther                     // MAC address (Value.B, 6 bytes)
	FTString                    // text (Value.B)
	FTBytes                     // raw bytes (Value.B)
	FTAbsTime                   // absolute time (Value.U: ns since the epoch)
	FTRelTime                   // relative time (Value.U: signed ns)
	FTFrameNum                  // a frame number reference
	FTFloat                     // float64 bits in Value.U
)

var typeNames = [...]string{"label", "protocol", "unsigned integer", "signed integer", "boolean",
	"IPv4 address", "IPv6 address", "Ethernet address", "character string", "byte sequence",
	"date and time", "time offset", "frame number", "floating point"}

func (t FieldType) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("FieldType(%d)", t)
}

// Base says how an integer field is displayed.
type Base uint8

// Display bases.
const (
	BaseDec Base = iota
	BaseHex
	BaseDecHex // "80 (0x0050)"
	BaseHexDec // "0x0050 (80)"
	BaseOct
	// BaseNone shows only the value's name ("Unverified"), as Wireshark's
	// BASE_NONE integer fields with value strings (checksum statuses) do;
	// other bases show "Name (n)".
	BaseNone
)

// Field describes one field: its filter abbreviation, display name, type and
// how its value is shown. Fields are created once, registered at package
// initialisation, and never modified afterwards.
type Field struct {
	Abbrev string    // "ip.src"
	Name   string    // "Source Address"
	Type   FieldType // value type
	Base   Base      // display base for integers
	Bits   int       // width of an integer field's container: 8, 16, 24, 32, 64
	Mask   uint64    // bit mask within the container; 0 means the whole value
	// Values names integer values ("Echo (ping) request" for ICMP type 8).
	Values map[uint64]string
	// TrueFalse names a boolean's two states; default "Set"/"Not set".
	TrueFalse *[2]string
	// Blurb is a one-line description for tooltips and completion.
	Blurb string
	// Hidden fields (ip.addr, tcp.port) exist for filters and -e but are not
	// shown in the tree, as in Wireshark.
	Hidden bool
	// Global fields number things across the whole capture in order of
	// first appearance (tcp.stream): a value depends on every conversation
	// before it, so a partial State (NewPartialState) cannot give it.
	Global bool

	id int // index in the registry
}

// ID returns the field's dense index in the registry, usable as a slice index.
func (f *Field) ID() int { return f.id }

// Protocol returns the protocol part of the abbreviation ("ip" for "ip.src").
func (f *Field) Protocol() string {
	if i := strings.IndexByte(f.Abbrev, '.'); i >= 0 {
		return f.Abbrev[:i]
	}
	return f.Abbrev
}

// Registry holds every known field, indexed by abbreviation and by ID.
// It is built once and read-only afterwards, so it is safe for concurrent use.
type Registry struct {
	list     []*Field
	byAbbrev map[string]*Field
}

func newRegistry() *Registry {
	return &Registry{byAbbrev: make(map[string]*Field)}
}

// NewRegistry returns a registry of the given fields, for tests and tools
// that need fields of their own (the dissectors' fields are in Fields()).
// It assigns the fields' IDs, so a Field belongs to one registry only.
func NewRegistry(fs ...*Field) *Registry {
	r := newRegistry()
	r.add(fs...)
	return r
}

// add registers fields; a duplicate abbreviation is a programming error.
func (r *Registry) add(fs ...*Field) {
	for _, f := range fs {
		if _, dup := r.byAbbrev[f.Abbrev]; dup {
			panic("dissect: duplicate field " + f.Abbrev)
		}
		if f.Type == FTUint || f.Type == FTInt || f.Type == FTBool {
			if f.Bits == 0 {
				f.Bits = 32
			}
		}
		f.id = len(r.list)
		r.list = append(r.list, f)
		r.byAbbrev[f.Abbrev] = f
	}
}

// Lookup returns the field with the given abbreviation, or nil.
func (r *Registry) Lookup(abbrev string) *Field { return r.byAbbrev[abbrev] }

// Len returns the number of registered fields; IDs are 0..Len()-1.
func (r *Registry) Len() int { return len(r.list) }

// ByID returns the field with the given ID.
func (r *Registry) ByID(id int) *Field { return r.list[id] }

// All returns every field sorted by abbreviation.
func (r *Registry) All() []*Field {
	out := append([]*Field(nil), r.list...)
	sort.Slice(out, func(i, j int) bool { return out[i].Abbrev < out[j].Abbrev })
	return out
}

// Suggest returns the registered abbreviation closest to a misspelt one, or
// "" when nothing is close (edit distance ≤ 2, or a unique prefix).
func (r *Registry) Suggest(abbrev string) string {
	best, bestD := "", 3
	for _, f := range r.list {
		if d := editDistance(abbrev, f.Abbrev, bestD); d < bestD {
			best, bestD = f.Abbrev, d
		}
	}
	return best
}

// editDistance is Levenshtein distance, giving up (returning max) once every
// path exceeds max.
func editDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin >= max {
			return max
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// fields is the registry of every field the dissectors know. It is filled
// by the protocol files' init functions (Go runs them in file-name order,
// after the package-level field variables exist) and never changed after
// initialisation.
var fields = newRegistry()

// Fields returns the registry of all fields. It is read-only.
func Fields() *Registry { return fields }

// register is called from each protocol file's init.
func register(fs ...*Field) { fields.add(fs...) }

// vals builds a value-name table from pairs.
func vals(pairs ...any) map[uint64]string {
	m := make(map[uint64]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		var k uint64
		switch v := pairs[i].(type) {
		case int:
			k = uint64(v)
		case uint64:
			k = v
		default:
			panic("dissect: vals key must be int")
		}
		m[k] = pairs[i+1].(string)
	}
	return m
}
