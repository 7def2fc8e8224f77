package capture

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/kaiseki-app/kaiseki/dissect"
)

// liveState is the live-capture part of a Session, guarded by Session.mu.
type liveState struct {
	l     *Live
	iface string
	// temp is a file holding the only copy of the packets (a capture's
	// spool, or a spool recovered after a crash) until they are saved;
	// Close removes it, so the window asks to save first (Dirty).
	temp string

	rate  float64
	lastN uint64
	lastT time.Time
}

// livePublishEvery is how often a running capture publishes new packets
// and counters to the view.
const livePublishEvery = 100 * time.Millisecond

// StartCapture closes what is open and starts a live capture with opt
// (through the capture helper, see StartLive). Packets are first-pass
// dissected as they arrive and published in batches, as loading does;
// the packets stay in a spool file until they are saved or the session is
// closed. Errors starting the capture (no helper, invalid capture filter,
// interface not permitted) are returned and leave the session idle.
func (s *Session) StartCapture(opt LiveOptions) error {
	s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ds := dissect.NewState()
	d := dissect.NewDissector(ds)
	started := make(chan struct{})
	var (
		st   *Store
		done atomic.Int64
	)
	visit := func(i int, _ Record, data []byte) error {
		<-started // st is known once StartLive has returned
		p := st.Packet(i, data)
		d.Index(&p) // the first pass; rows are built when shown
		done.Store(int64(i + 1))
		return nil
	}
	l, err := StartLive(ctx, opt, visit)
	if err != nil {
		cancel()
		close(started)
		return err
	}
	st = l.Store
	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.store, s.dstate = st, ds
	s.state, s.started = StateCapturing, time.Now()
	s.cancel = cancel
	s.live = liveState{l: l, iface: opt.Interface, temp: l.SpoolPath, lastT: time.Now()}
	s.wg.Add(1)
	s.mu.Unlock()
	close(started)
	s.rows.reset(st, ds)
	s.MarkUnsaved() // the packets are only in the spool file
	s.emit(ChangeState | ChangeView | ChangeSelection | ChangeMarks | ChangeProgress)
	go s.runCapture(gen, l, &done)
	return nil
}

// runCapture publishes a running capture's packets and counters until it
// ends, then keeps what was captured (and says why it ended, if it failed).
func (s *Session) runCapture(gen uint64, l *Live, done *atomic.Int64) {
	defer s.wg.Done()
	tick := time.NewTicker(livePublishEvery)
	defer tick.Stop()
	for {
		select {
		case <-l.Done():
			s.publishLive(gen, l, int(done.Load()))
			err := l.Err()
			s.mu.Lock()
			if s.gen != gen {
				s.mu.Unlock()
				return
			}
			s.state = StateStopped
			s.loadTime = time.Since(s.started)
			s.live.rate = 0
			if err != nil {
				s.warning = fmt.Sprintf("capture on %s stopped: %v (the %d packets captured are kept)", s.live.iface, err, s.count)
			}
			resort := s.view != nil && s.sortActiveLocked()
			col, desc := s.sortCol, s.sortDesc
			s.wakeLocked()
			s.mu.Unlock()
			s.emit(ChangeState | ChangeProgress)
			if resort {
				s.Sort(col, desc)
			}
			return
		case <-tick.C:
			s.publishLive(gen, l, int(done.Load()))
		}
	}
}

// publishLive makes packets [0, n) part of the session and updates the
// rate; it tells the listener only when something changed.
func (s *Session) publishLive(gen uint64, l *Live, n int) {
	stats := l.Stats()
	s.mu.Lock()
	if s.gen != gen {
		s.mu.Unlock()
		return
	}
	var c Change
	if n > s.count {
		if s.count == 0 {
			s.firstRows = time.Since(s.started)
		}
		if s.view != nil && s.flt.applied == nil {
			for i := s.count; i < n; i++ {
				s.view = append(s.view, int32(i))
			}
		}
		s.count = n
		s.wakeLocked()
		c |= ChangePackets | ChangeProgress
	}
	if now := time.Now(); now.Sub(s.live.lastT) >= time.Second {
		rate := float64(stats.Packets-s.live.lastN) / now.Sub(s.live.lastT).Seconds()
		s.live.rate, s.live.lastN, s.live.lastT = rate, stats.Packets, now
		c |= ChangeProgress
	}
	s.mu.Unlock()
	s.emit(c)
}

// StopCapture asks a running capture to stop; the state becomes
// StateStopped (with ChangeState) once the helper has finished. What was
// captured stays.
func (s *Session) StopCapture() {
	s.mu.Lock()
	l := s.live.l
	capturing := s.state == StateCapturing
	s.mu.Unlock()
	if l != nil && capturing {
		l.Stop()
	}
}

// Recover opens a spool file left by a capture that did not end cleanly
// (see OrphanSpools). It is shown like any file but is unsaved (Dirty),
// and Close removes it: save it to keep it.
func (s *Session) Recover(path string) error {
	if err := s.Open(path); err != nil {
		return err
	}
	s.mu.Lock()
	s.live.temp = path
	s.mu.Unlock()
	s.MarkUnsaved()
	return nil
}

// Temporary returns the temporary file holding the packets (a live
// capture's spool or a recovered one), or "".
func (s *Session) Temporary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live.temp
}

// extraStatusLocked fills the Status fields of the filter and the capture.
func (s *Session) extraStatusLocked(st *Status) {
	st.Filter = s.flt.appliedSrc
	st.Filtering = s.flt.pending != nil
	st.FilterProgress = s.flt.progress
	st.Interface = s.live.iface
	if s.live.l != nil {
		st.Live = s.live.l.Stats()
		st.Rate = s.live.rate
	}
}

// stopExtrasLocked stops the filter passes and a running capture (Close).
func (s *Session) stopExtrasLocked() {
	if s.flt.stop != nil {
		s.flt.stop()
	}
	if s.live.l != nil {
		s.live.l.Stop()
	}
}

// resetExtrasLocked clears the filter and capture state once background
// work has ended; the function it returns (nil when there is nothing to
// release) closes a capture's spool and removes the temporary file.
func (s *Session) resetExtrasLocked() func() error {
	s.flt = filterState{}
	lv := s.live
	s.live = liveState{}
	if s.file != nil && s.file.Path == lv.temp && !s.dirtyLocked() {
		// A recovered spool saved onto itself is no longer temporary.
		lv.temp = ""
	}
	if lv.l == nil && lv.temp == "" {
		return nil
	}
	return func() error {
		var err error
		if lv.l != nil {
			err = lv.l.Close()
		}
		if lv.temp != "" {
			if rerr := os.Remove(lv.temp); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
				err = errors.Join(err, rerr)
			}
		}
		return err
	}
}
