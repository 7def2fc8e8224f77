package capture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// saveState is the saving part of a Session, guarded by Session.mu.
type saveState struct {
	// dirty says the packets or their comments differ from the file on
	// disk; it belongs to generation gen (a new Open or Close clears it by
	// moving on). Marks are not saved, so they do not make a capture dirty.
	dirty bool
	gen   uint64
}

// PacketSet says which packets a save or export takes, as in Wireshark's
// Export Specified Packets dialog.
type PacketSet uint8

// Packet sets.
const (
	PacketsAll       PacketSet = iota // every packet read or captured
	PacketsDisplayed                  // the packets the display filter shows
	PacketsMarked                     // the marked packets
	PacketsRange                      // frame numbers such as "1-100,250"
)

func (p PacketSet) String() string {
	switch p {
	case PacketsAll:
		return "all packets"
	case PacketsDisplayed:
		return "displayed packets"
	case PacketsMarked:
		return "marked packets"
	case PacketsRange:
		return "range"
	}
	return fmt.Sprintf("PacketSet(%d)", p)
}

// Selection picks packets for a save or an export.
type Selection struct {
	Set   PacketSet
	Range string // for PacketsRange: "1-100,250", "-10", "500-"
	// DisplayedOnly keeps, of the marked packets or the range, only those
	// displayed (Wireshark's "Displayed" column rather than "Captured").
	DisplayedOnly bool
}

// ParseRange parses a packet range like Wireshark's: comma-separated frame
// numbers and ranges ("1-100,250"), open ranges ("-10" from the first,
// "500-" to the last). n is the number of packets; numbers must be in
// 1..n. It returns the 0-based indices in capture order, each once.
func ParseRange(s string, n int) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty packet range")
	}
	set := make([]uint64, (n+63)/64)
	num := func(part, txt string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(txt))
		if err != nil || v < 1 {
			return 0, fmt.Errorf("packet range %q: %q is not a packet number", part, strings.TrimSpace(txt))
		}
		if v > n {
			return 0, fmt.Errorf("packet range %q: there is no packet %d (the capture has %d)", part, v, n)
		}
		return v, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("packet range %q: empty item", s)
		}
		lo, hi := 0, 0
		var err error
		if a, b, ok := strings.Cut(part, "-"); ok {
			lo, hi = 1, n
			if strings.TrimSpace(a) == "" && strings.TrimSpace(b) == "" {
				return nil, fmt.Errorf("packet range %q: a range needs a start or an end", part)
			}
			if strings.TrimSpace(a) != "" {
				if lo, err = num(part, a); err != nil {
					return nil, err
				}
			}
			if strings.TrimSpace(b) != "" {
				if hi, err = num(part, b); err != nil {
					return nil, err
				}
			}
			if lo > hi {
				return nil, fmt.Errorf("packet range %q: the start is after the end", part)
			}
		} else {
			if lo, err = num(part, part); err != nil {
				return nil, err
			}
			hi = lo
		}
		for v := lo; v <= hi; v++ {
			set[(v-1)/64] |= 1 << ((v - 1) % 64)
		}
	}
	return bitsetIndices(set, n), nil
}

// bitsetIndices lists the set bits below n in ascending order.
func bitsetIndices(set []uint64, n int) []int {
	out := []int{}
	for w, word := range set {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			if i := w*64 + b; i < n {
				out = append(out, i)
			}
		}
	}
	return out
}

// Packets returns the store indices sel picks, in capture order.
func (s *Session) Packets(sel Selection) ([]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.count
	var displayed []uint64
	if sel.Set == PacketsDisplayed || sel.DisplayedOnly {
		displayed = make([]uint64, (n+63)/64)
		for pos := range s.displayedLocked() {
			if i := s.indexAtLocked(pos); i >= 0 && i < n {
				displayed[i/64] |= 1 << (i % 64)
			}
		}
	}
	var set []uint64
	switch sel.Set {
	case PacketsAll:
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out, nil
	case PacketsDisplayed:
		return bitsetIndices(displayed, n), nil
	case PacketsMarked:
		set = make([]uint64, (n+63)/64)
		copy(set, s.marks)
	case PacketsRange:
		idx, err := ParseRange(sel.Range, n)
		if err != nil {
			return nil, err
		}
		set = make([]uint64, (n+63)/64)
		for _, i := range idx {
			set[i/64] |= 1 << (i % 64)
		}
	default:
		return nil, fmt.Errorf("unknown packet set %v", sel.Set)
	}
	if sel.DisplayedOnly {
		for w := range set {
			set[w] &= displayed[w]
		}
	}
	return bitsetIndices(set, n), nil
}

// SaveRequest is what Session.Save writes.
type SaveRequest struct {
	Path     string
	Format   Format // FormatPcapNG keeps everything; FormatPcap may refuse or drop comments
	Packets  Selection
	Progress func(done, total int) // called now and then from the saving goroutine

	// wrap lets tests put a failing writer between the encoder and the file.
	wrap func(io.Writer) io.Writer
}

// ErrBusy is returned by Save and Export while a file loads: the packets
// to write are not all there yet. (During a live capture the packets so
// far are written.)
var ErrBusy = errors.New("the file is still loading: wait for it to finish or cancel it first")

// ErrNoPackets is returned when a selection picks no packet.
var ErrNoPackets = errors.New("no packets to write: the selection is empty")

// Save writes the packets req selects to req.Path atomically (see the
// package function Save: a failure leaves an existing file untouched,
// saving onto the open file works). It runs on the caller's goroutine;
// cancelling ctx stops it and leaves the old file as it was. Saving every
// packet makes the session's file req.Path and clears its unsaved
// changes; saving a subset (Export Specified Packets) changes neither.
func (s *Session) Save(ctx context.Context, req SaveRequest) (SaveResult, error) {
	s.mu.Lock()
	st, gen, state := s.store, s.gen, s.state
	s.mu.Unlock()
	if st == nil {
		return SaveResult{}, errors.New("no capture is open")
	}
	if state == StateLoading {
		return SaveResult{}, ErrBusy
	}
	idx, err := s.Packets(req.Packets)
	if err != nil {
		return SaveResult{}, err
	}
	if len(idx) == 0 && req.Packets.Set != PacketsAll {
		return SaveResult{}, ErrNoPackets
	}
	res, err := Save(ctx, req.Path, st, SaveOptions{Format: req.Format, Packets: idx, App: "Kaiseki", Progress: req.Progress, wrap: req.wrap})
	if err != nil {
		return res, err
	}
	if req.Packets.Set == PacketsAll && !req.Packets.DisplayedOnly {
		s.mu.Lock()
		if s.gen == gen {
			if s.file != nil {
				// The store keeps reading the bytes it has (the old file
				// stays readable while mapped or open): they are the
				// same packets.
				s.file.Path = req.Path
				s.file.Format = req.Format
			}
			// Comments a pcap file cannot hold were not saved.
			s.saved.dirty = res.DroppedComments > 0
			s.saved.gen = gen
		}
		s.mu.Unlock()
		s.emit(ChangeState)
	}
	return res, nil
}

// Export writes the dissections of the packets sel picks to path
// atomically, in the format and with the columns of opt (opt.Packets is
// replaced by sel's packets).
func (s *Session) Export(ctx context.Context, path string, sel Selection, opt ExportOptions) (int, error) {
	s.mu.Lock()
	st, ds, state := s.store, s.dstate, s.state
	s.mu.Unlock()
	if st == nil {
		return 0, errors.New("no capture is open")
	}
	if state == StateLoading {
		return 0, ErrBusy
	}
	idx, err := s.Packets(sel)
	if err != nil {
		return 0, err
	}
	opt.Packets = idx
	n := 0
	err = writeFileAtomic("export", path, func(w io.Writer) error {
		var err error
		n, err = ExportDissections(ctx, w, st, ds, opt)
		return err
	})
	return n, err
}

// Dirty reports whether the session has changes that are not in a file:
// packet comments edited since the last save, or packets captured live
// and not saved yet. Marks do not count (they are not saved).
func (s *Session) Dirty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dirtyLocked()
}

func (s *Session) dirtyLocked() bool {
	if s.store == nil {
		return false
	}
	if s.state == StateCapturing {
		// Packets keep arriving that no file has.
		return true
	}
	return s.saved.dirty && s.saved.gen == s.gen
}

// MarkUnsaved records that the session holds changes no file has (a live
// capture calls it for its packets; comment edits do it themselves).
func (s *Session) MarkUnsaved() {
	s.mu.Lock()
	was := s.dirtyLocked()
	s.saved.dirty, s.saved.gen = true, s.gen
	s.mu.Unlock()
	if !was {
		s.emit(ChangeState)
	}
}

// Comments returns the pcapng comments of packet i (store index).
func (s *Session) Comments(i int) []string {
	s.mu.Lock()
	st, ok := s.store, i >= 0 && i < s.count
	s.mu.Unlock()
	if !ok || st == nil {
		return nil
	}
	return st.Comments(i)
}

// SetComments replaces the comments of packet i (none removes them). Empty
// comments are dropped. The session then has unsaved changes; the details
// pane shows them on the next Tree.
func (s *Session) SetComments(i int, comments []string) error {
	s.mu.Lock()
	st, ok := s.store, i >= 0 && i < s.count
	s.mu.Unlock()
	if !ok || st == nil {
		return fmt.Errorf("packet %d: not loaded", i+1)
	}
	var keep []string
	for _, c := range comments {
		if strings.TrimSpace(c) != "" {
			keep = append(keep, c)
		}
	}
	if slices.Equal(keep, st.Comments(i)) {
		return nil
	}
	st.SetComments(i, keep)
	s.MarkUnsaved()
	s.emit(ChangeSelection)
	return nil
}

// SetMarked marks or unmarks packet i (store index).
func (s *Session) SetMarked(i int, on bool) {
	if s.Marked(i) != on {
		s.ToggleMark(i)
	}
}

// MarkDisplayed marks (on) or unmarks every displayed packet, as
// Wireshark's Mark All Displayed / Unmark All Displayed.
func (s *Session) MarkDisplayed(on bool) {
	s.mu.Lock()
	n := s.displayedLocked()
	if on && len(s.marks) < (s.count+63)/64 {
		s.marks = append(s.marks, make([]uint64, (s.count+63)/64-len(s.marks))...)
	}
	for pos := range n {
		i := s.indexAtLocked(pos)
		w := i / 64
		if i < 0 || w >= len(s.marks) {
			continue
		}
		bit := uint64(1) << (i % 64)
		if on {
			s.marks[w] |= bit
		} else {
			s.marks[w] &^= bit
		}
	}
	s.nMarks = 0
	for _, w := range s.marks {
		s.nMarks += bits.OnesCount64(w)
	}
	s.mu.Unlock()
	s.emit(ChangeMarks)
}

// UnmarkAll clears every mark, displayed or not.
func (s *Session) UnmarkAll() {
	s.mu.Lock()
	s.marks, s.nMarks = nil, 0
	s.mu.Unlock()
	s.emit(ChangeMarks)
}

// NextMarked returns the view position of the next marked packet after
// view position from (before it when backward), wrapping around, or -1
// when no displayed packet is marked. from may be -1 (no selection).
func (s *Session) NextMarked(from int, backward bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.displayedLocked()
	if s.nMarks == 0 || n == 0 {
		return -1
	}
	step := 1
	if backward {
		step = -1
		if from < 0 {
			from = n
		}
	}
	for k := 1; k <= n; k++ {
		pos := ((from+step*k)%n + n) % n
		i := s.indexAtLocked(pos)
		if w := i / 64; i >= 0 && w < len(s.marks) && s.marks[w]&(1<<(i%64)) != 0 {
			return pos
		}
	}
	return -1
}

// SaveInfo is what a save dialog needs to know about the open capture.
type SaveInfo struct {
	Path      string // the file the packets came from ("" for a live capture)
	Format    Format // its format (0 when there is no file)
	Temporary bool   // the file is a capture's spool: saving it means Save As
	Packets   int
	Displayed int
	Marked    int
	LinkTypes int // distinct link types among the interfaces
	Comments  int // packets with comments
}

// SaveInfo describes the open capture for save and export dialogs.
func (s *Session) SaveInfo() SaveInfo {
	s.mu.Lock()
	in := SaveInfo{Packets: s.count, Displayed: s.displayedLocked(), Marked: s.nMarks}
	st := s.store
	if s.file != nil {
		in.Path, in.Format = s.file.Path, s.file.Format
	}
	in.Temporary = s.live.temp != "" && s.live.temp == in.Path || s.file == nil
	s.mu.Unlock()
	if st == nil {
		return in
	}
	seen := map[uint16]bool{}
	for _, f := range st.Interfaces() {
		seen[f.LinkType] = true
	}
	in.LinkTypes = len(seen)
	st.comments.Range(func(k, _ any) bool {
		if k.(int) < in.Packets {
			in.Comments++
		}
		return true
	})
	return in
}
