package capture

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// SessionState is what a Session is doing.
type SessionState uint8

// Session states.
const (
	StateIdle      SessionState = iota // nothing open
	StateLoading                       // a file is being read and first-pass dissected
	StateCapturing                     // a live capture is running (not yet implemented)
	StateStopped                       // packets are present and nothing is reading more
)

func (s SessionState) String() string {
	switch s {
	case StateIdle:
		return "idle"
	case StateLoading:
		return "loading"
	case StateCapturing:
		return "capturing"
	case StateStopped:
		return "stopped"
	}
	return fmt.Sprintf("SessionState(%d)", s)
}

// Change is a set of bits telling a listener what changed in a Session.
type Change uint16

// Change bits. A listener receives several at once when they coincide.
const (
	ChangeState     Change = 1 << iota // State, file name, load time or warning
	ChangePackets                      // packets were appended to the view
	ChangeView                         // the view was replaced or reordered: reload every row
	ChangeSelection                    // the selected packet changed
	ChangeMarks                        // marks changed
	ChangeProgress                     // load or sort progress moved
)

// Listener receives change notifications. It is called from the Session's
// own goroutines as well as from the goroutine calling a command, never with
// a Session lock held; it must not block (a GUI hands the work to its event
// loop).
type Listener func(Change)

// Column identifies a packet-list column, for sorting and display.
type Column uint8

// Packet-list columns, in Wireshark's default order.
const (
	ColNo Column = iota
	ColTime
	ColSource
	ColDestination
	ColProtocol
	ColLength
	ColInfo
	NumColumns
)

var columnNames = [NumColumns]string{"No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"}

func (c Column) String() string {
	if c < NumColumns {
		return columnNames[c]
	}
	return fmt.Sprintf("Column(%d)", c)
}

// Row is one line of the packet list: what the index knows plus the
// summary columns of a re-dissection.
type Row struct {
	Index     int // 0-based store index
	Num       int // frame number (Index+1)
	HasTime   bool
	TS        int64 // ns since the epoch
	Rel       int64 // ns since the first packet
	Delta     int64 // ns since the previous captured packet
	Length    int   // length on the wire
	Source    string
	Dest      string
	Protocol  string
	Info      string
	Protocols string // frame.protocols, for colouring
	Malformed bool
	Short     bool

	// Facts for colouring rules, from the dissection (Wireshark's default
	// rules test these fields).
	SrcPort, DstPort uint16 // TCP or UDP ports (0 when neither)
	TCPFlags         uint16 // tcp.flags
	TCPAnalysis      bool   // tcp.analysis.flags is present
	ICMPType         int    // icmp.type or icmpv6.type, -1 when neither
	ICMPv6           bool   // ICMPType is an ICMPv6 type
}

// Status is a snapshot of a Session for status bars and tests.
type Status struct {
	State     SessionState
	Path      string // the open file ("" when idle)
	Packets   int    // packets read and first-pass dissected
	Displayed int    // packets in the view
	Marked    int
	Progress  float64 // 0..1 of the file read while loading
	LoadTime  time.Duration
	FirstRows time.Duration // from Open to the first rows being available
	Warning   string
	Sorting   bool
	SortCol   Column
	SortDesc  bool

	Filter         string  // the display filter in effect ("" for none)
	Filtering      bool    // a display filter is being applied
	FilterProgress float64 // 0..1 of that pass

	Interface string    // the interface of a live capture ("" otherwise)
	Live      LiveStats // its counters
	Rate      float64   // packets per second over the last second
}

// Session is the controller between a capture and its views: it owns the
// packet store, the dissection state, the displayed view (packet indices in
// display order), the selection, the marks and the load state, and tells its
// listener what changed. All methods are safe for concurrent use; long work
// (loading, sorting, finding) runs on goroutines the Session owns or that the
// caller provides, never while holding its lock for long.
type Session struct {
	listener Listener

	mu        sync.Mutex // guards the fields below
	gen       uint64     // bumped by Open/Close so stale goroutines stop publishing
	file      *File
	store     *Store
	dstate    *dissect.State
	state     SessionState
	count     int     // packets first-pass dissected (view entries are < count)
	view      []int32 // nil: identity view over [0, count)
	sortCol   Column
	sortDesc  bool
	sorting   bool
	selected  int // store index, -1 for none
	selPos    int // view position of selected, -1 when not displayed
	marks     []uint64
	nMarks    int
	progress  float64
	warning   string
	started   time.Time
	loadTime  time.Duration
	firstRows time.Duration
	cancel    context.CancelFunc // cancels the current load and sort
	sortStop  context.CancelFunc // cancels a running sort only
	sortSeq   uint64             // identifies the latest Sort call
	wg        sync.WaitGroup     // tracks the load and sort goroutines

	flt   filterState // display filter (session_filter.go)
	live  liveState   // live capture (session_live.go)
	saved saveState   // unsaved changes (session_save.go)

	rows rowCache // guarded by its own lock: rows are built on the UI side
}

// NewSession returns an idle Session that reports changes to l (may be nil).
func NewSession(l Listener) *Session {
	if l == nil {
		l = func(Change) {}
	}
	s := &Session{listener: l, selected: -1, selPos: -1}
	s.rows.init()
	return s
}

func (s *Session) emit(c Change) {
	if c != 0 {
		s.listener(c)
	}
}

// Open closes what is open and starts loading path in the background. It
// returns once the file header was read: errors opening the file are
// returned, and the Session stays idle.
func (s *Session) Open(path string) error {
	s.Close()
	f, err := Open(path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.file, s.store, s.dstate = f, f.Store, dissect.NewState()
	s.state, s.started = StateLoading, time.Now()
	s.cancel = cancel
	st, ds := s.store, s.dstate
	s.wg.Add(1)
	s.mu.Unlock()
	s.rows.reset(st, ds)
	s.emit(ChangeState | ChangeView | ChangeSelection | ChangeMarks | ChangeProgress)
	go s.load(ctx, gen, f, st, ds)
	return nil
}

// load reads the file, first-pass dissecting each packet in order, and
// publishes packets to the view in batches so rows show up while it runs.
func (s *Session) load(ctx context.Context, gen uint64, f *File, st *Store, ds *dissect.State) {
	defer s.wg.Done()
	d := dissect.NewDissector(ds)
	done := 0
	published := 0
	last := time.Now()
	publish := func() {
		prog := 0.0
		if n := f.DataSize(); n > 0 {
			prog = float64(f.Offset()) / float64(n)
		}
		s.mu.Lock()
		if s.gen != gen {
			s.mu.Unlock()
			return
		}
		if s.count == 0 && done > 0 {
			s.firstRows = time.Since(s.started)
		}
		if s.view != nil && s.flt.applied == nil {
			// (With a display filter its follower appends the matches.)
			for i := s.count; i < done; i++ {
				s.view = append(s.view, int32(i))
			}
		}
		s.count = done
		s.progress = prog
		s.wakeLocked()
		s.mu.Unlock()
		published = done
		s.emit(ChangePackets | ChangeProgress)
	}
	err := f.Load(ctx, func(i int, _ Record, data []byte) error {
		p := st.Packet(i, data)
		d.Index(&p)
		done = i + 1
		// The first batch goes out at once so the table fills quickly;
		// later ones at most every 50 ms to keep the UI's event queue short.
		if published == 0 && done >= 64 || done&255 == 0 && time.Since(last) >= 50*time.Millisecond {
			publish()
			last = time.Now()
		}
		return nil
	})
	publish()
	s.mu.Lock()
	if s.gen != gen {
		s.mu.Unlock()
		return
	}
	s.state = StateStopped
	s.loadTime = time.Since(s.started)
	s.progress = 1
	switch {
	case errors.Is(err, context.Canceled):
		s.warning = fmt.Sprintf("loading cancelled after packet %d: showing the packets read so far", done)
	case err != nil:
		s.warning = fmt.Sprintf("read error after packet %d: %v", done, err)
	case f.Warning != "":
		s.warning = f.Warning
	}
	resort := s.view != nil && s.sortActiveLocked()
	col, desc := s.sortCol, s.sortDesc
	s.wakeLocked()
	s.mu.Unlock()
	s.emit(ChangeState | ChangeProgress)
	if resort {
		// Packets that arrived after a sort were appended unsorted.
		s.Sort(col, desc)
	}
}

// Cancel stops a running load or sort; what was loaded stays available.
func (s *Session) Cancel() {
	s.mu.Lock()
	c, sc := s.cancel, s.sortStop
	s.mu.Unlock()
	if sc != nil {
		sc()
	}
	if c != nil && s.Status().State == StateLoading {
		c()
	}
	s.cancelFilterPass()
}

// Wait blocks until the background load and sort have finished.
func (s *Session) Wait() { s.wg.Wait() }

// Close cancels any background work, waits for it and releases the file.
func (s *Session) Close() error {
	s.mu.Lock()
	c := s.cancel
	s.stopExtrasLocked() // display filter and live capture
	s.mu.Unlock()
	if c != nil {
		c()
	}
	s.wg.Wait()
	s.mu.Lock()
	f := s.file
	release := s.resetExtrasLocked()
	wasOpen := f != nil || release != nil
	s.gen++
	s.file, s.store, s.dstate, s.cancel, s.sortStop = nil, nil, nil, nil, nil
	s.state, s.count, s.view = StateIdle, 0, nil
	s.sortCol, s.sortDesc, s.sorting = ColNo, false, false
	s.selected, s.selPos = -1, -1
	s.marks, s.nMarks = nil, 0
	s.progress, s.warning, s.loadTime, s.firstRows = 0, "", 0, 0
	s.mu.Unlock()
	s.rows.reset(nil, nil)
	if !wasOpen {
		return nil
	}
	var err error
	if f != nil {
		err = f.Close()
	}
	if release != nil {
		err = errors.Join(err, release())
	}
	s.emit(ChangeState | ChangeView | ChangeSelection | ChangeMarks | ChangeProgress)
	return err
}

// Status returns a snapshot of the session's state.
func (s *Session) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{
		State: s.state, Packets: s.count, Displayed: s.displayedLocked(), Marked: s.nMarks,
		Progress: s.progress, LoadTime: s.loadTime, FirstRows: s.firstRows, Warning: s.warning,
		Sorting: s.sorting, SortCol: s.sortCol, SortDesc: s.sortDesc,
	}
	if s.file != nil {
		st.Path = s.file.Path
	}
	if s.state == StateLoading || s.state == StateCapturing {
		st.LoadTime = time.Since(s.started)
	}
	s.extraStatusLocked(&st)
	return st
}

// FileName returns the base name of the open file, or "".
func (s *Session) FileName() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return ""
	}
	return filepath.Base(s.file.Path)
}

func (s *Session) displayedLocked() int {
	if s.view == nil {
		return s.count
	}
	return len(s.view)
}

// Len returns the number of displayed packets.
func (s *Session) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.displayedLocked()
}

// IndexAt returns the store index of the packet at view position pos, or
// -1 when pos is out of range.
func (s *Session) IndexAt(pos int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.indexAtLocked(pos)
}

func (s *Session) indexAtLocked(pos int) int {
	if pos < 0 || pos >= s.displayedLocked() {
		return -1
	}
	if s.view == nil {
		return pos
	}
	return int(s.view[pos])
}

// PosOf returns the view position of store index i, or -1 when it is not
// displayed.
func (s *Session) PosOf(i int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posOfLocked(i)
}

func (s *Session) posOfLocked(i int) int {
	if i < 0 || i >= s.count {
		return -1
	}
	if s.view == nil {
		return i
	}
	if i == s.selected && s.selPos >= 0 {
		return s.selPos
	}
	return slices.Index(s.view, int32(i))
}

// Row returns the packet-list row at view position pos. Rows are dissected
// on demand and cached in a small LRU, so only rows on screen cost memory.
func (s *Session) Row(pos int) (Row, bool) {
	i := s.IndexAt(pos)
	if i < 0 {
		return Row{}, false
	}
	return s.rows.get(i)
}

// Tree fully dissects packet i (store index) for the details and bytes panes.
func (s *Session) Tree(i int) (*dissect.Tree, error) {
	s.mu.Lock()
	ok := i >= 0 && i < s.count
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("packet %d: not loaded", i+1)
	}
	return s.rows.tree(i)
}

// Select makes store index i the selected packet (-1 clears the selection).
func (s *Session) Select(i int) {
	s.mu.Lock()
	if i < -1 || i >= s.count {
		i = -1
	}
	if i == s.selected {
		s.mu.Unlock()
		return
	}
	s.selected, s.selPos = i, -1
	s.selPos = s.posOfLocked(i)
	s.mu.Unlock()
	s.emit(ChangeSelection)
}

// SelectPos selects the packet at view position pos (clamped to the view).
func (s *Session) SelectPos(pos int) {
	s.mu.Lock()
	n := s.displayedLocked()
	if n == 0 {
		s.mu.Unlock()
		return
	}
	pos = max(0, min(pos, n-1))
	i := s.indexAtLocked(pos)
	s.mu.Unlock()
	s.Select(i)
}

// Selected returns the selected packet's store index and view position
// (-1 and -1 when nothing is selected).
func (s *Session) Selected() (index, pos int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.selected, s.selPos
}

// Step moves the selection by delta view positions (next/previous packet,
// page up/down); with nothing selected it starts at the first or last row.
func (s *Session) Step(delta int) {
	s.mu.Lock()
	pos := s.selPos
	s.mu.Unlock()
	if pos < 0 {
		if delta >= 0 {
			pos = -1
		} else {
			pos = s.Len()
		}
	}
	s.SelectPos(pos + delta)
}

// GoTo selects frame number num; it reports false when that packet is not
// displayed.
func (s *Session) GoTo(num int) bool {
	if s.PosOf(num-1) < 0 {
		return false
	}
	s.Select(num - 1)
	return true
}

// ToggleMark marks or unmarks packet i (store index).
func (s *Session) ToggleMark(i int) {
	s.mu.Lock()
	if i < 0 || i >= s.count {
		s.mu.Unlock()
		return
	}
	w := i / 64
	if w >= len(s.marks) {
		s.marks = append(s.marks, make([]uint64, w+1-len(s.marks))...)
	}
	bit := uint64(1) << (i % 64)
	s.marks[w] ^= bit
	if s.marks[w]&bit != 0 {
		s.nMarks++
	} else {
		s.nMarks--
	}
	s.mu.Unlock()
	s.emit(ChangeMarks)
}

// Marked reports whether packet i is marked.
func (s *Session) Marked(i int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := i / 64
	return i >= 0 && w < len(s.marks) && s.marks[w]&(1<<(i%64)) != 0
}

// Sort orders the view by col (stable, so equal keys keep their current
// order) in the background; ChangeView is emitted when the new order is in
// place. Sorting by No. ascending restores capture order.
func (s *Session) Sort(col Column, desc bool) {
	if col >= NumColumns {
		return
	}
	s.mu.Lock()
	if s.sortStop != nil {
		s.sortStop()
	}
	prevCol, prevDesc := s.sortCol, s.sortDesc
	s.sortCol, s.sortDesc = col, desc
	s.sortSeq++
	seq := s.sortSeq
	if s.store == nil {
		s.mu.Unlock()
		return
	}
	if col == ColNo && !desc {
		s.view = s.captureOrderLocked()
		s.sorting = false
		s.sortStop = nil
		s.selPos = -1
		s.selPos = s.posOfLocked(s.selected)
		s.mu.Unlock()
		s.emit(ChangeView | ChangeSelection | ChangeProgress)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	s.sortStop = stop
	s.sorting = true
	gen := s.gen
	n := s.coveredLocked()
	base := make([]int32, 0, s.displayedLocked())
	for pos := range s.displayedLocked() {
		base = append(base, int32(s.indexAtLocked(pos)))
	}
	st := s.store
	s.wg.Add(1)
	s.mu.Unlock()
	s.emit(ChangeProgress)
	go func() {
		defer s.wg.Done()
		sorted, err := s.sortIndices(ctx, st, base, col, desc)
		s.mu.Lock()
		if s.gen != gen || s.sortSeq != seq {
			// Superseded by another sort or a new file.
			s.mu.Unlock()
			stop()
			return
		}
		s.sorting, s.sortStop = false, nil
		if err != nil {
			// Cancelled: the view keeps its previous order.
			s.sortCol, s.sortDesc = prevCol, prevDesc
		} else {
			// Packets that arrived while sorting follow in capture order.
			sorted = s.appendTailLocked(sorted, n)
			s.view = sorted
			s.selPos = slices.Index(s.view, int32(s.selected))
			if s.selected < 0 {
				s.selPos = -1
			}
		}
		s.mu.Unlock()
		stop()
		s.emit(ChangeView | ChangeSelection | ChangeProgress)
	}()
}

// sortIndices sorts idx (store indices) by col. Columns that need the
// summary re-dissect every packet, in parallel.
func (s *Session) sortIndices(ctx context.Context, st *Store, idx []int32, col Column, desc bool) ([]int32, error) {
	sign := 1
	if desc {
		sign = -1
	}
	switch col {
	case ColNo:
		slices.SortStableFunc(idx, func(a, b int32) int { return sign * cmp.Compare(a, b) })
		return idx, nil
	case ColTime:
		slices.SortStableFunc(idx, func(a, b int32) int {
			return sign * cmp.Compare(st.Info(int(a)).TS, st.Info(int(b)).TS)
		})
		return idx, nil
	case ColLength:
		slices.SortStableFunc(idx, func(a, b int32) int {
			return sign * cmp.Compare(st.Info(int(a)).OrigLen, st.Info(int(b)).OrigLen)
		})
		return idx, nil
	}
	keys, err := s.summaryKeys(ctx, st, idx, col)
	if err != nil {
		return nil, err
	}
	// Sort positions into idx so keys stay addressable by position.
	order := make([]int32, len(idx))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return sign * compareKeys(keys[a], keys[b], col) })
	out := make([]int32, len(idx))
	for i, o := range order {
		out[i] = idx[o]
	}
	return out, nil
}

// compareKeys orders addresses numerically-ish (dotted quads compare by
// value) and everything else as text.
func compareKeys(a, b string, col Column) int {
	if col == ColSource || col == ColDestination {
		if x, y, ok := ipv4Key(a), ipv4Key(b), true; ok && x >= 0 && y >= 0 {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(a, b)
}

// ipv4Key returns a dotted quad as a number, or -1.
func ipv4Key(s string) int64 {
	var v int64
	part, parts, digits := int64(0), 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || part > 255 {
				return -1
			}
			v = v<<8 | part
			part, digits = 0, 0
			parts++
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		part = part*10 + int64(s[i]-'0')
		digits++
	}
	if parts != 4 {
		return -1
	}
	return v
}

// summaryKeys re-dissects the packets in idx in parallel and returns the
// text of col for each, in the order of idx.
func (s *Session) summaryKeys(ctx context.Context, st *Store, idx []int32, col Column) ([]string, error) {
	s.mu.Lock()
	ds := s.dstate
	s.mu.Unlock()
	keys := make([]string, len(idx))
	workers := max(1, runtime.GOMAXPROCS(0))
	per := (len(idx) + workers - 1) / workers
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		lo, hi := w*per, min((w+1)*per, len(idx))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := dissect.NewDissector(ds)
			var buf []byte
			intern := map[string]string{}
			for k := lo; k < hi; k++ {
				if (k-lo)&1023 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				i := int(idx[k])
				buf = growBuf(buf, st.Info(i).CapLen)
				data, err := st.Data(i, buf)
				if err != nil {
					continue
				}
				p := st.Packet(i, data)
				sum := d.Summary(&p)
				var b []byte
				switch col {
				case ColSource:
					b = sum.Src
				case ColDestination:
					b = sum.Dst
				case ColProtocol:
					b = sum.Protocol
				case ColInfo:
					b = sum.Info
				}
				// Addresses and protocols repeat a lot: share their strings.
				if col == ColInfo {
					keys[k] = string(b)
				} else if v, ok := intern[string(b)]; ok {
					keys[k] = v
				} else {
					v := string(b)
					intern[v] = v
					keys[k] = v
				}
			}
		}()
	}
	wg.Wait()
	return keys, errors.Join(errs...)
}

// FindKind says what Find looks for.
type FindKind uint8

// Find kinds, as in Wireshark's find bar.
const (
	FindString FindKind = iota // text in the packet list (case-insensitive)
	FindHex                    // a byte sequence in the packet bytes ("de ad be ef", "de:ad", "dead")
	FindField                  // a field: "abbrev", "abbrev == value" or "abbrev contains text"
)

// FindQuery is a search over the displayed packets.
type FindQuery struct {
	Kind     FindKind
	Text     string
	Backward bool
}

// Find searches the view starting after view position from (before it when
// backward, wrapping around) and returns the view position of the first
// match, or -1. Errors report a query that cannot be understood.
func (s *Session) Find(ctx context.Context, q FindQuery, from int) (int, error) {
	match, err := s.matcher(q)
	if err != nil {
		return -1, err
	}
	s.mu.Lock()
	st, ds := s.store, s.dstate
	s.mu.Unlock()
	if st == nil {
		return -1, nil
	}
	d := dissect.NewDissector(ds)
	var buf []byte
	n := s.Len()
	step := 1
	if q.Backward {
		step = -1
	}
	for k := 1; k <= n; k++ {
		if k&1023 == 0 && ctx.Err() != nil {
			return -1, ctx.Err()
		}
		pos := ((from+step*k)%n + n) % n
		i := s.IndexAt(pos)
		if i < 0 {
			continue
		}
		buf = growBuf(buf, st.Info(i).CapLen)
		data, err := st.Data(i, buf)
		if err != nil {
			continue
		}
		p := st.Packet(i, data)
		if match(d, &p) {
			return pos, nil
		}
	}
	return -1, nil
}

// matcher compiles a query into a predicate over one packet.
func (s *Session) matcher(q FindQuery) (func(*dissect.Dissector, *dissect.Packet) bool, error) {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return nil, errors.New("find: empty search")
	}
	switch q.Kind {
	case FindString:
		needle := []byte(strings.ToLower(text))
		return func(d *dissect.Dissector, p *dissect.Packet) bool {
			sum := d.Summary(p)
			for _, col := range [][]byte{sum.Info, sum.Src, sum.Dst, sum.Protocol} {
				if containsFold(col, needle) {
					return true
				}
			}
			return false
		}, nil
	case FindHex:
		clean := strings.NewReplacer(" ", "", ":", "", "-", "", "0x", "").Replace(strings.ToLower(text))
		pat, err := hex.DecodeString(clean)
		if err != nil || len(pat) == 0 {
			return nil, fmt.Errorf("find: %q is not a hex byte sequence", text)
		}
		return func(_ *dissect.Dissector, p *dissect.Packet) bool {
			return bytes.Contains(p.Data, pat)
		}, nil
	case FindField:
		return fieldMatcher(text)
	}
	return nil, fmt.Errorf("find: unknown kind %d", q.Kind)
}

// fieldMatcher understands "abbrev", "abbrev == value", "abbrev != value"
// and "abbrev contains text"; values compare with the `-T fields` text.
func fieldMatcher(text string) (func(*dissect.Dissector, *dissect.Packet) bool, error) {
	abbrev, op, val := text, "", ""
	for _, o := range []string{"==", "!=", " contains ", "="} {
		if i := strings.Index(text, o); i > 0 {
			abbrev, op, val = strings.TrimSpace(text[:i]), strings.TrimSpace(o), strings.TrimSpace(text[i+len(o):])
			break
		}
	}
	val = strings.Trim(val, `"`)
	reg := dissect.Fields()
	f := reg.Lookup(abbrev)
	if f == nil {
		if sug := reg.Suggest(abbrev); sug != "" {
			return nil, fmt.Errorf("find: unknown field %q (did you mean %q?)", abbrev, sug)
		}
		return nil, fmt.Errorf("find: unknown field %q", abbrev)
	}
	want := make([]bool, reg.Len())
	want[f.ID()] = true
	lval := strings.ToLower(val)
	var tb []byte
	return func(d *dissect.Dissector, p *dissect.Packet) bool {
		items, _ := d.Fields(p, want)
		for k := range items {
			it := &items[k]
			if it.Field != f {
				continue
			}
			if op == "" {
				return true
			}
			tb = dissect.FieldText(tb[:0], it)
			v := strings.ToLower(string(tb))
			switch op {
			case "==", "=":
				if v == lval {
					return true
				}
			case "!=":
				if v != lval {
					return true
				}
			case "contains":
				if strings.Contains(v, lval) {
					return true
				}
			}
		}
		return false
	}, nil
}

// containsFold reports whether lower-case needle occurs in b, ignoring ASCII case.
func containsFold(b, needle []byte) bool {
	if len(needle) == 0 {
		return true
	}
outer:
	for i := 0; i+len(needle) <= len(b); i++ {
		for j, c := range needle {
			x := b[i+j]
			if 'A' <= x && x <= 'Z' {
				x += 'a' - 'A'
			}
			if x != c {
				continue outer
			}
		}
		return true
	}
	return false
}

// rowCache re-dissects packets for the packet list and the details pane
// with one Dissector, keeping recent rows in an LRU of chunks.
type rowCache struct {
	mu     sync.Mutex
	st     *Store
	d      *dissect.Dissector
	buf    []byte
	want   []bool // colorFields by field ID
	chunks map[int]*rowChunk
	tick   uint64
}

const (
	rowChunkBits = 8
	rowChunkSize = 1 << rowChunkBits
	rowChunks    = 64 // at most 16384 cached rows
)

type rowChunk struct {
	used uint64
	have [rowChunkSize]bool
	rows [rowChunkSize]Row
}

// colorFields are the fields row colouring needs besides the summary.
var colorFields = []string{"tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
	"tcp.flags", "tcp.analysis.flags", "icmp.type", "icmpv6.type"}

func (c *rowCache) init() {
	c.chunks = map[int]*rowChunk{}
	reg := dissect.Fields()
	c.want = make([]bool, reg.Len())
	for _, name := range colorFields {
		if f := reg.Lookup(name); f != nil {
			c.want[f.ID()] = true
		}
	}
}

func (c *rowCache) reset(st *Store, ds *dissect.State) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st = st
	c.d = nil
	if ds != nil {
		c.d = dissect.NewDissector(ds)
	}
	clear(c.chunks)
}

func (c *rowCache) get(i int) (Row, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st == nil {
		return Row{}, false
	}
	c.tick++
	ci := i >> rowChunkBits
	ch := c.chunks[ci]
	if ch == nil {
		if len(c.chunks) >= rowChunks {
			oldest, ot := -1, ^uint64(0)
			for k, v := range c.chunks {
				if v.used < ot {
					oldest, ot = k, v.used
				}
			}
			delete(c.chunks, oldest)
		}
		ch = new(rowChunk)
		c.chunks[ci] = ch
	}
	ch.used = c.tick
	k := i & (rowChunkSize - 1)
	if !ch.have[k] {
		ch.rows[k] = c.build(i)
		ch.have[k] = true
	}
	return ch.rows[k], true
}

func (c *rowCache) build(i int) Row {
	in := c.st.Info(i)
	r := Row{Index: i, Num: i + 1, HasTime: in.HasTime, TS: in.TS, Length: in.OrigLen}
	c.buf = growBuf(c.buf, in.CapLen)
	data, err := c.st.Data(i, c.buf)
	if err != nil {
		r.Info = err.Error()
		r.Malformed = true
		return r
	}
	p := c.st.Packet(i, data)
	if p.HasTime {
		r.Rel, r.Delta = p.TS-p.FirstTS, p.TS-p.PrevTS
	}
	items, sum := c.d.Fields(&p, c.want)
	r.ICMPType = -1
	for k := range items {
		it := &items[k]
		switch it.Field.Abbrev {
		case "tcp.srcport", "udp.srcport":
			if r.SrcPort == 0 {
				r.SrcPort = uint16(it.Val.U)
			}
		case "tcp.dstport", "udp.dstport":
			if r.DstPort == 0 {
				r.DstPort = uint16(it.Val.U)
			}
		case "tcp.flags":
			r.TCPFlags = uint16(it.Val.U)
		case "tcp.analysis.flags":
			r.TCPAnalysis = true
		case "icmp.type", "icmpv6.type":
			if r.ICMPType < 0 {
				r.ICMPType, r.ICMPv6 = int(it.Val.U), it.Field.Abbrev == "icmpv6.type"
			}
		}
	}
	r.Source, r.Dest = string(sum.Src), string(sum.Dst)
	r.Protocol, r.Info = string(sum.Protocol), string(sum.Info)
	r.Protocols = string(sum.Protocols)
	r.Malformed, r.Short = sum.Malformed, sum.Short
	return r
}

func (c *rowCache) tree(i int) (*dissect.Tree, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st == nil {
		return nil, errors.New("no capture open")
	}
	data, err := c.st.Data(i, nil)
	if err != nil {
		return nil, fmt.Errorf("packet %d: %w", i+1, err)
	}
	p := c.st.Packet(i, data)
	t, _ := c.d.Tree(&p)
	return t, nil
}

// growBuf returns buf with room for n bytes. The buffer is only ever
// written by file-backed sources; memory-backed ones return views instead.
func growBuf(buf []byte, n int) []byte {
	if cap(buf) < n {
		return make([]byte, n)
	}
	return buf[:n]
}
