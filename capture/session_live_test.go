package capture

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSessionLiveCapture captures on a veth pair through the Session: rows
// arrive while capturing (first-pass dissected in the capture's callback),
// a display filter applied mid-capture follows new packets, Stop keeps
// everything, the capture is unsaved until closed, and Close removes the
// spool file.
func TestSessionLiveCapture(t *testing.T) {
	needCapture(t)
	helper := buildHelper(t)
	iface, hostIP, _, ns := vethPair(t)
	sink(t, hostIP, 9999)
	sink(t, hostIP, 9998)
	var (
		mu      sync.Mutex
		changes []Change
	)
	s := NewSession(func(c Change) { mu.Lock(); changes = append(changes, c); mu.Unlock() })
	defer s.Close()
	err := s.StartCapture(LiveOptions{Helper: helper, Interface: iface, SpoolDir: t.TempDir(), Filter: "udp"})
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.State != StateCapturing || st.Interface != iface || !s.Dirty() {
		t.Fatalf("after start: %+v (dirty %v)", st, s.Dirty())
	}
	spool := s.Temporary()
	if _, err := os.Stat(spool); err != nil {
		t.Fatalf("spool file: %v", err)
	}

	const n1, nOther, n2 = 30, 12, 20
	sendFromNamespace(t, ns, hostIP, n1, nOther, 0, 0)
	waitFor(t, "the first packets as rows", 20*time.Second, func() bool { return s.Len() == n1+nOther })
	if st := s.Status(); st.State != StateCapturing {
		t.Fatalf("rows arrived but state is %v", st.State)
	}
	r, ok := s.Row(0)
	if !ok || r.Protocol != "UDP" || r.Dest != hostIP {
		t.Errorf("first row while capturing: %+v", r)
	}

	// A display filter applied while capturing covers what is there and
	// what comes next.
	if err := s.ApplyFilter("udp.dstport == 9999"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the filter pass", 10*time.Second, func() bool { st := s.Status(); return !st.Filtering && st.Filter != "" })
	if s.Len() != n1 {
		t.Errorf("filtered view has %d rows, want %d", s.Len(), n1)
	}
	sendFromNamespace(t, ns, hostIP, n2, nOther, 0, 0)
	waitFor(t, "new matching packets in the filtered view", 20*time.Second, func() bool { return s.Len() == n1+n2 })
	waitFor(t, "every packet", 20*time.Second, func() bool { return s.Status().Packets == n1+n2+2*nOther })

	st := s.Status()
	if st.Live.Packets != uint64(st.Packets) || st.Live.Dropped != 0 {
		t.Errorf("live counters %+v for %d packets", st.Live, st.Packets)
	}
	s.StopCapture()
	s.Wait()
	st = s.Status()
	if st.State != StateStopped || st.Packets != n1+n2+2*nOther || st.Displayed != n1+n2 || st.Warning != "" {
		t.Fatalf("after stop: %+v", st)
	}
	if !s.Dirty() {
		t.Error("a stopped capture that was not saved is not dirty")
	}
	for pos := range s.Len() {
		if r, _ := s.Row(pos); !strings.Contains(r.Info, "9999") {
			t.Errorf("row %d does not match the filter: %q", pos, r.Info)
		}
	}
	sawPackets := false
	mu.Lock()
	for _, c := range changes {
		sawPackets = sawPackets || c&ChangePackets != 0
	}
	mu.Unlock()
	if !sawPackets {
		t.Error("no ChangePackets event while capturing")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(spool); !os.IsNotExist(err) {
		t.Errorf("spool %s still there after Close (discard): %v", spool, err)
	}
}

// TestSessionLiveHelperDies kills the helper mid-capture: the session
// stops with the error shown and every packet captured so far, and the
// spool can be recovered (Recover) as unsaved.
func TestSessionLiveHelperDies(t *testing.T) {
	needCapture(t)
	helper := buildHelper(t)
	iface, hostIP, _, ns := vethPair(t)
	sink(t, hostIP, 9999)
	s := NewSession(nil)
	defer s.Close()
	if err := s.StartCapture(LiveOptions{Helper: helper, Interface: iface, SpoolDir: t.TempDir(), Filter: "udp port 9999"}); err != nil {
		t.Fatal(err)
	}
	const n = 25
	sendFromNamespace(t, ns, hostIP, n, 0, 0, 0)
	waitFor(t, "the packets", 20*time.Second, func() bool { return s.Status().Packets == n })
	s.mu.Lock()
	l := s.live.l
	s.mu.Unlock()
	if err := l.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	st := s.Status()
	if st.State != StateStopped || st.Packets != n || !strings.Contains(st.Warning, "stopped") {
		t.Fatalf("after the helper died: %+v", st)
	}
	// Copy the spool, as if this process had crashed, and recover it.
	data, err := os.ReadFile(s.Temporary())
	if err != nil {
		t.Fatal(err)
	}
	orphan := t.TempDir() + "/live-20260101-000000-2147483000-" + iface + ".pcapng"
	if err := os.WriteFile(orphan, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Recover(orphan); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	if st := s.Status(); st.Packets != n || !s.Dirty() || s.Temporary() != orphan {
		t.Fatalf("recovered: %+v dirty %v temp %q", st, s.Dirty(), s.Temporary())
	}
	s.Close()
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("recovered spool not removed on Close: %v", err)
	}
}
