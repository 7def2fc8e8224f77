package capture

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaiseki-app/kaiseki/dissect"
	"github.com/kaiseki-app/kaiseki/dissect/filter"
)

// filterState is the display-filter part of a Session, guarded by
// Session.mu. A filter is applied in two steps: a parallel pass over the
// packets present when it was set (the previous view stays on screen
// meanwhile), then, while a file loads or a capture runs, a follower that
// tests each new batch of packets and appends the matches to the view.
type filterState struct {
	applied    *filter.Filter // the filter in effect (nil: every packet is displayed)
	appliedSrc string
	done       int // packets [0, done) were tested against applied
	pending    *filter.Filter
	pendingSrc string
	progress   float64
	seq        uint64             // identifies the latest SetFilter
	stop       context.CancelFunc // stops the pass and the follower
	wake       chan struct{}      // closed when packets or the state change
}

// filterChunk is how many packets a filter worker takes at a time; chunks
// keep their order in the result, so the view stays in capture order.
const filterChunk = 1024

// ApplyFilter compiles a display filter and applies it in the background
// (see SetFilter); an empty one shows every packet. A filter that does not
// compile is returned as a *filter.Error and changes nothing.
func (s *Session) ApplyFilter(src string) error {
	f, err := filter.Compile(src, dissect.Fields())
	if err != nil {
		return err
	}
	s.SetFilter(src, f)
	return nil
}

// SetFilter applies f (compiled from src; nil or empty shows every packet)
// to the view. The packets present are tested in parallel in the
// background, with progress in Status; the view is replaced when that pass
// is done, keeping the selected packet selected when it is displayed, and
// keeping the sort order. Packets that arrive later (loading, live capture)
// are tested as they come.
func (s *Session) SetFilter(src string, f *filter.Filter) {
	if f != nil && f.Empty() {
		f = nil
	}
	s.mu.Lock()
	if s.flt.stop != nil {
		s.flt.stop()
		s.flt.stop = nil
	}
	s.flt.seq++
	seq := s.flt.seq
	s.flt.pending, s.flt.pendingSrc, s.flt.progress = nil, "", 0
	if f == nil || s.store == nil {
		had := s.flt.applied != nil
		s.flt.applied, s.flt.appliedSrc, s.flt.done = nil, "", 0
		if !had {
			s.mu.Unlock()
			s.emit(ChangeProgress)
			return
		}
		s.view = nil
		s.selPos = -1
		s.selPos = s.posOfLocked(s.selected)
		resort, col, desc := s.sortActiveLocked(), s.sortCol, s.sortDesc
		s.mu.Unlock()
		s.emit(ChangeState | ChangeView | ChangeSelection | ChangeProgress)
		if resort {
			s.Sort(col, desc)
		}
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	s.flt.stop = stop
	s.flt.pending, s.flt.pendingSrc = f, src
	gen, st, ds, n := s.gen, s.store, s.dstate, s.count
	s.wg.Add(1)
	s.mu.Unlock()
	s.emit(ChangeProgress)
	go s.runFilter(ctx, gen, seq, f, src, st, ds, n)
}

// Filter returns the text of the display filter in effect ("" for none).
func (s *Session) Filter() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flt.appliedSrc
}

func (s *Session) runFilter(ctx context.Context, gen, seq uint64, f *filter.Filter, src string, st *Store, ds *dissect.State, n int) {
	defer s.wg.Done()
	var (
		pmu  sync.Mutex
		last time.Time
	)
	progress := func(done, total int) {
		pmu.Lock()
		defer pmu.Unlock()
		if time.Since(last) < 50*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		s.mu.Lock()
		if s.gen != gen || s.flt.seq != seq {
			s.mu.Unlock()
			return
		}
		s.flt.progress = float64(done) / float64(total)
		s.mu.Unlock()
		s.emit(ChangeProgress)
	}
	matched, err := filterRange(ctx, f, st, ds, 0, n, progress)
	s.mu.Lock()
	if s.gen != gen || s.flt.seq != seq {
		s.mu.Unlock()
		return
	}
	if err != nil {
		// Cancelled: the previous view stays, and so does the previous
		// filter, whose follower SetFilter stopped: start it again.
		s.flt.pending, s.flt.pendingSrc, s.flt.progress = nil, "", 0
		s.flt.stop = nil
		prev := s.flt.applied
		var fctx context.Context
		if prev != nil {
			var stop context.CancelFunc
			fctx, stop = context.WithCancel(context.Background())
			s.flt.stop = stop
		}
		s.mu.Unlock()
		s.emit(ChangeProgress)
		if prev != nil {
			s.followFilter(fctx, gen, seq, prev, st, ds)
		}
		return
	}
	if matched == nil {
		matched = []int32{}
	}
	s.flt.applied, s.flt.appliedSrc, s.flt.done = f, src, n
	s.flt.pending, s.flt.pendingSrc, s.flt.progress = nil, "", 0
	s.view = matched
	s.selPos = -1
	s.selPos = s.posOfLocked(s.selected)
	if s.selPos < 0 {
		// The selected packet is filtered out: nothing is selected.
		s.selected = -1
	}
	resort, col, desc := s.sortActiveLocked(), s.sortCol, s.sortDesc
	s.mu.Unlock()
	s.emit(ChangeState | ChangeView | ChangeSelection | ChangeProgress)
	if resort {
		s.Sort(col, desc)
	}
	s.followFilter(ctx, gen, seq, f, st, ds)
}

// followFilter tests packets that arrive after the filter's first pass,
// until loading or capturing ends and every packet was tested.
func (s *Session) followFilter(ctx context.Context, gen, seq uint64, f *filter.Filter, st *Store, ds *dissect.State) {
	for {
		s.mu.Lock()
		if s.gen != gen || s.flt.seq != seq {
			s.mu.Unlock()
			return
		}
		from, to := s.flt.done, s.count
		var wake <-chan struct{}
		if from >= to {
			if s.state != StateLoading && s.state != StateCapturing {
				s.mu.Unlock()
				return
			}
			if s.flt.wake == nil {
				s.flt.wake = make(chan struct{})
			}
			wake = s.flt.wake
		}
		s.mu.Unlock()
		if wake != nil {
			select {
			case <-ctx.Done():
				return
			case <-wake:
			}
			continue
		}
		matched, err := filterRange(ctx, f, st, ds, from, to, nil)
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.gen != gen || s.flt.seq != seq {
			s.mu.Unlock()
			return
		}
		s.view = append(s.view, matched...)
		s.flt.done = to
		s.mu.Unlock()
		if len(matched) > 0 {
			s.emit(ChangePackets)
		}
	}
}

// filterRange tests packets [from, to) against f in parallel, one
// Dissector per worker sharing ds (every packet in range has had its first
// pass), and returns the matching indices in capture order.
func filterRange(ctx context.Context, f *filter.Filter, st *Store, ds *dissect.State, from, to int, progress func(done, total int)) ([]int32, error) {
	if to <= from {
		return nil, nil
	}
	chunks := (to - from + filterChunk - 1) / filterChunk
	results := make([][]int32, chunks)
	var next, finished atomic.Int64
	workers := min(max(1, runtime.GOMAXPROCS(0)), chunks)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := dissect.NewDissector(ds)
			want := f.Want()
			var buf []byte
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks || ctx.Err() != nil {
					return
				}
				lo := from + c*filterChunk
				hi := min(lo+filterChunk, to)
				var out []int32
				for i := lo; i < hi; i++ {
					buf = growBuf(buf, st.Info(i).CapLen)
					data, err := st.Data(i, buf)
					if err != nil {
						continue
					}
					p := st.Packet(i, data)
					items, _ := d.Fields(&p, want)
					if f.MatchFrame(items, p.Data) {
						out = append(out, int32(i))
					}
				}
				results[c] = out
				if progress != nil {
					progress(int(finished.Add(1)), chunks)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := 0
	for _, r := range results {
		n += len(r)
	}
	out := make([]int32, 0, n)
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

// sortActiveLocked reports whether the view is sorted by anything but
// capture order.
func (s *Session) sortActiveLocked() bool { return s.sortCol != ColNo || s.sortDesc }

// captureOrderLocked returns the displayed packets in capture order: nil
// (every packet) without a filter.
func (s *Session) captureOrderLocked() []int32 {
	if s.flt.applied == nil || s.view == nil {
		return nil
	}
	v := slices.Clone(s.view)
	slices.Sort(v)
	return v
}

// coveredLocked returns n such that the view holds exactly the displayed
// packets with an index below n: what a sort starting now orders.
func (s *Session) coveredLocked() int {
	if s.flt.applied != nil {
		return s.flt.done
	}
	return s.count
}

// appendTailLocked appends to dst the displayed packets with an index of n
// or more, in view order: those that arrived while a sort of the packets
// below n ran.
func (s *Session) appendTailLocked(dst []int32, n int) []int32 {
	if s.view == nil {
		for i := n; i < s.count; i++ {
			dst = append(dst, int32(i))
		}
		return dst
	}
	for _, i := range s.view {
		if int(i) >= n {
			dst = append(dst, i)
		}
	}
	return dst
}

// wakeLocked tells a waiting filter follower that packets or the state
// changed.
func (s *Session) wakeLocked() {
	if s.flt.wake != nil {
		close(s.flt.wake)
		s.flt.wake = nil
	}
}

// cancelFilterPass stops a filter's first pass (the status bar's Cancel);
// the previous view stays. A follower of an applied filter keeps running.
func (s *Session) cancelFilterPass() {
	s.mu.Lock()
	stop := s.flt.stop
	pending := s.flt.pending != nil
	s.mu.Unlock()
	if pending && stop != nil {
		stop()
	}
}
