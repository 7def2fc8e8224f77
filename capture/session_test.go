package capture_test

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiseki-app/kaiseki/capture"
)

// sharedCapture returns the path of a shared capture, read in place, or
// skips the test when the shared folder is not there.
func sharedCapture(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "captures", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared capture %s not available (%v): these tests read ../shared/captures in place", name, err)
	}
	return p
}

func openWait(t *testing.T, path string) *capture.Session {
	t.Helper()
	s := capture.NewSession(nil)
	if err := s.Open(path); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSessionLoad(t *testing.T) {
	tests := []struct {
		file        string
		packets     int
		warning     string
		row         int // view position checked below
		src, dst    string
		length      int
		relNS       int64
		wantHasTime bool
	}{
		{"http_google.pcapng", 12, "", 1, "74.125.95.104", "172.16.16.128", 66, 30107000, true},
		{"http_google.pcapng", 12, "", 3, "172.16.16.128", "74.125.95.104", 681, 30248000, true},
		{"malformed/http_google-cut.pcapng", -1, "ends in the middle", 0, "172.16.16.128", "74.125.95.104", 66, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			s := openWait(t, sharedCapture(t, tc.file))
			st := s.Status()
			if st.State != capture.StateStopped {
				t.Errorf("state = %v, want stopped", st.State)
			}
			if tc.packets >= 0 && st.Packets != tc.packets {
				t.Errorf("packets = %d, want %d", st.Packets, tc.packets)
			}
			if st.Displayed != st.Packets || s.Len() != st.Packets {
				t.Errorf("displayed %d / Len %d, want %d", st.Displayed, s.Len(), st.Packets)
			}
			if !strings.Contains(strings.ToLower(st.Warning), tc.warning) || (tc.warning == "") != (st.Warning == "") {
				t.Errorf("warning = %q, want one containing %q", st.Warning, tc.warning)
			}
			if st.Path == "" || st.Progress != 1 || st.LoadTime <= 0 {
				t.Errorf("status = %+v: want path, progress 1 and a load time", st)
			}
			r, ok := s.Row(tc.row)
			if !ok {
				t.Fatalf("Row(%d) missing", tc.row)
			}
			if r.Num != tc.row+1 || r.Source != tc.src || r.Dest != tc.dst || r.Length != tc.length || r.Rel != tc.relNS || r.HasTime != tc.wantHasTime {
				t.Errorf("Row(%d) = %+v, want num %d %s → %s len %d rel %d", tc.row, r, tc.row+1, tc.src, tc.dst, tc.length, tc.relNS)
			}
			if r.Protocol == "" || r.Protocols == "" {
				t.Errorf("Row(%d) has no protocol: %+v", tc.row, r)
			}
			if _, ok := s.Row(st.Displayed); ok {
				t.Errorf("Row(%d) past the end exists", st.Displayed)
			}
			tree, err := s.Tree(s.IndexAt(tc.row))
			if err != nil || len(tree.Nodes) == 0 || !strings.HasPrefix(tree.Nodes[0].Text, "Frame ") {
				t.Errorf("Tree = %v, %v; want a Frame node first", tree, err)
			}
		})
	}
}

func TestSessionOpenErrors(t *testing.T) {
	s := capture.NewSession(nil)
	for _, p := range []string{filepath.Join(t.TempDir(), "missing.pcap"), "session.go"} {
		if err := s.Open(p); err == nil {
			t.Errorf("Open(%s) succeeded", p)
		}
		if st := s.Status(); st.State != capture.StateIdle || st.Packets != 0 {
			t.Errorf("after failed open: %+v, want idle and empty", st)
		}
	}
}

func lengths(s *capture.Session) (ls, nums []int) {
	for pos := range s.Len() {
		r, _ := s.Row(pos)
		ls = append(ls, r.Length)
		nums = append(nums, r.Num)
	}
	return ls, nums
}

func TestSessionSort(t *testing.T) {
	s := openWait(t, sharedCapture(t, "http_google.pcapng"))
	s.Select(5) // frame 6, 1460 bytes
	tests := []struct {
		col  capture.Column
		desc bool
		less func(a, b capture.Row) int // <0, 0, >0 as a should come before b
	}{
		{capture.ColLength, false, func(a, b capture.Row) int { return a.Length - b.Length }},
		{capture.ColLength, true, func(a, b capture.Row) int { return b.Length - a.Length }},
		{capture.ColSource, false, func(a, b capture.Row) int {
			// 74.x sorts before 172.x numerically.
			return strings.Compare(pad(a.Source), pad(b.Source))
		}},
		{capture.ColNo, false, func(a, b capture.Row) int { return a.Num - b.Num }},
	}
	for _, tc := range tests {
		t.Run(tc.col.String(), func(t *testing.T) {
			// Stable: equal keys keep the order the view had before.
			before := map[int]int{}
			for pos := range s.Len() {
				before[s.IndexAt(pos)] = pos
			}
			s.Sort(tc.col, tc.desc)
			s.Wait()
			prev, _ := s.Row(0)
			for pos := 1; pos < s.Len(); pos++ {
				r, _ := s.Row(pos)
				c := tc.less(prev, r)
				if c > 0 || c == 0 && before[prev.Index] > before[r.Index] {
					ls, nums := lengths(s)
					t.Fatalf("position %d: %d before %d is out of order (stable): lengths %v frames %v", pos, prev.Num, r.Num, ls, nums)
				}
				prev = r
			}
			idx, pos := s.Selected()
			if idx != 5 || s.IndexAt(pos) != 5 {
				t.Errorf("selection after sort: index %d pos %d (holds %d), want 5", idx, pos, s.IndexAt(pos))
			}
			if st := s.Status(); st.Sorting || st.SortCol != tc.col || st.SortDesc != tc.desc {
				t.Errorf("status after sort: %+v", st)
			}
		})
	}
}

func pad(ip string) string {
	parts := strings.Split(ip, ".")
	for i, p := range parts {
		parts[i] = strings.Repeat("0", 3-len(p)) + p
	}
	return strings.Join(parts, ".")
}

func TestSessionSelectStepGoToMarks(t *testing.T) {
	s := openWait(t, sharedCapture(t, "http_google.pcapng"))
	s.Step(1)
	if i, pos := s.Selected(); i != 0 || pos != 0 {
		t.Errorf("Step(1) from nothing selected: %d/%d, want 0/0", i, pos)
	}
	s.Step(3)
	if i, _ := s.Selected(); i != 3 {
		t.Errorf("Step(3): %d, want 3", i)
	}
	s.Step(100)
	if i, _ := s.Selected(); i != 11 {
		t.Errorf("Step(100) clamps: %d, want 11", i)
	}
	if !s.GoTo(2) || !func() bool { i, _ := s.Selected(); return i == 1 }() {
		t.Error("GoTo(2) did not select index 1")
	}
	if s.GoTo(13) || s.GoTo(0) {
		t.Error("GoTo outside the capture succeeded")
	}
	s.ToggleMark(4)
	s.ToggleMark(7)
	s.ToggleMark(4)
	if st := s.Status(); st.Marked != 1 || !s.Marked(7) || s.Marked(4) {
		t.Errorf("marks: %d marked, 7:%v 4:%v; want only 7", st.Marked, s.Marked(7), s.Marked(4))
	}
}

func TestSessionEvents(t *testing.T) {
	path := sharedCapture(t, "http_google.pcapng")
	var mu sync.Mutex
	var got capture.Change
	s := capture.NewSession(func(c capture.Change) {
		mu.Lock()
		got |= c
		mu.Unlock()
	})
	defer s.Close()
	if err := s.Open(path); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	take := func() capture.Change {
		mu.Lock()
		defer mu.Unlock()
		c := got
		got = 0
		return c
	}
	if c := take(); c&(capture.ChangeState|capture.ChangePackets|capture.ChangeProgress) != capture.ChangeState|capture.ChangePackets|capture.ChangeProgress {
		t.Errorf("load events = %b", c)
	}
	tests := []struct {
		name string
		do   func()
		want capture.Change
	}{
		{"select", func() { s.Select(2) }, capture.ChangeSelection},
		{"same selection", func() { s.Select(2) }, 0},
		{"mark", func() { s.ToggleMark(2) }, capture.ChangeMarks},
		{"sort", func() { s.Sort(capture.ColLength, false); s.Wait() }, capture.ChangeView | capture.ChangeSelection | capture.ChangeProgress},
		{"close", func() { s.Close() }, capture.ChangeState | capture.ChangeView | capture.ChangeSelection | capture.ChangeMarks | capture.ChangeProgress},
	}
	for _, tc := range tests {
		tc.do()
		if c := take(); c != tc.want {
			t.Errorf("%s: events %b, want %b", tc.name, c, tc.want)
		}
	}
}

func TestSessionFind(t *testing.T) {
	s := openWait(t, sharedCapture(t, "http_google.pcapng"))
	tests := []struct {
		q       capture.FindQuery
		from    int
		want    int
		wantErr string
	}{
		{capture.FindQuery{Kind: capture.FindString, Text: "74.125.95.104"}, -1, 0, ""},
		{capture.FindQuery{Kind: capture.FindString, Text: "74.125.95.104"}, 0, 1, ""},
		{capture.FindQuery{Kind: capture.FindString, Text: "no such text"}, 0, -1, ""},
		{capture.FindQuery{Kind: capture.FindHex, Text: "47 45 54 20 2f"}, 0, 3, ""}, // "GET /"
		{capture.FindQuery{Kind: capture.FindHex, Text: "47:45:54", Backward: true}, 3, 3, ""},
		{capture.FindQuery{Kind: capture.FindHex, Text: "zz"}, 0, -1, "not a hex"},
		{capture.FindQuery{Kind: capture.FindField, Text: "ip.src == 74.125.95.104"}, 1, 4, ""},
		{capture.FindQuery{Kind: capture.FindField, Text: "frame.len == 681"}, 5, 3, ""},
		{capture.FindQuery{Kind: capture.FindField, Text: "ip.srcc == 1.2.3.4"}, 0, -1, "unknown field"},
		{capture.FindQuery{Kind: capture.FindString, Text: "  "}, 0, -1, "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.q.Text, func(t *testing.T) {
			got, err := s.Find(context.Background(), tc.q, tc.from)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Find = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

// writeUDPCapture writes a pcap of n Ethernet/IPv4/UDP packets whose
// lengths cycle, big enough that loading it takes a while.
func writeUDPCapture(t testing.TB, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "udp.pcap")
	buf := make([]byte, 0, 24+n*(16+60))
	le := binary.LittleEndian
	buf = le.AppendUint32(buf, 0xa1b2c3d4)
	buf = le.AppendUint16(buf, 2)
	buf = le.AppendUint16(buf, 4)
	buf = le.AppendUint32(buf, 0)
	buf = le.AppendUint32(buf, 0)
	buf = le.AppendUint32(buf, 65535)
	buf = le.AppendUint32(buf, 1) // Ethernet
	for i := range n {
		payload := i % 7
		plen := 14 + 20 + 8 + payload
		buf = le.AppendUint32(buf, uint32(1700000000+i/1000))
		buf = le.AppendUint32(buf, uint32(i%1000)*1000)
		buf = le.AppendUint32(buf, uint32(plen))
		buf = le.AppendUint32(buf, uint32(plen))
		buf = append(buf, 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00)
		ipLen := 20 + 8 + payload
		buf = append(buf, 0x45, 0, byte(ipLen>>8), byte(ipLen), 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, byte(i>>8), byte(i))
		udpLen := 8 + payload
		buf = append(buf, 0x30, 0x39, 0x00, 0x35, byte(udpLen>>8), byte(udpLen), 0, 0)
		for k := range payload {
			buf = append(buf, byte('a'+k))
		}
	}
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSessionCancelMidway(t *testing.T) {
	const total = 400000
	path := writeUDPCapture(t, total)
	var s *capture.Session
	var once sync.Once
	var rowsSeen []capture.Row
	s = capture.NewSession(func(c capture.Change) {
		if c&capture.ChangePackets == 0 {
			return
		}
		once.Do(func() {
			// Rows are readable while loading; then the user cancels.
			if r, ok := s.Row(0); ok {
				rowsSeen = append(rowsSeen, r)
			}
			if st := s.Status(); st.State != capture.StateLoading || st.Packets == 0 {
				t.Errorf("first packets event: status %+v, want loading with packets", st)
			}
			s.Cancel()
		})
	})
	defer s.Close()
	if err := s.Open(path); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	st := s.Status()
	if st.State != capture.StateStopped {
		t.Errorf("state = %v, want stopped", st.State)
	}
	if st.Packets == 0 || st.Packets >= total {
		t.Fatalf("packets = %d, want some but not all of %d", st.Packets, total)
	}
	if st.Displayed != st.Packets || !strings.Contains(st.Warning, "cancelled") {
		t.Errorf("status %+v: want every loaded packet displayed and a cancel warning", st)
	}
	if len(rowsSeen) != 1 || rowsSeen[0].Num != 1 {
		t.Errorf("row 0 while loading: %+v", rowsSeen)
	}
	last, ok := s.Row(st.Packets - 1)
	if !ok || last.Num != st.Packets || last.Protocol == "" {
		t.Errorf("last loaded row %+v, %v", last, ok)
	}
	if _, ok := s.Row(st.Packets); ok {
		t.Error("a row past the loaded packets exists")
	}
	if _, err := s.Tree(st.Packets - 1); err != nil {
		t.Errorf("tree of the last loaded packet: %v", err)
	}
	if _, err := s.Tree(st.Packets); err == nil {
		t.Error("tree of an unloaded packet succeeded")
	}
	// Sorting what was loaded works and covers exactly those packets.
	s.Sort(capture.ColLength, true)
	s.Wait()
	if s.Len() != st.Packets {
		t.Errorf("after sort Len = %d, want %d", s.Len(), st.Packets)
	}
	first, _ := s.Row(0)
	if first.Length != 14+20+8+6 {
		t.Errorf("longest first: %d", first.Length)
	}
}

func TestSessionRowsWhileLoading(t *testing.T) {
	path := writeUDPCapture(t, 200000)
	s := capture.NewSession(nil)
	defer s.Close()
	start := time.Now()
	if err := s.Open(path); err != nil {
		t.Fatal(err)
	}
	for s.Len() == 0 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("no rows after 5 s")
		}
		time.Sleep(time.Millisecond)
	}
	if r, ok := s.Row(0); !ok || r.Source != "10.0.0.1" {
		t.Errorf("first row while loading = %+v", r)
	}
	s.Wait()
	if st := s.Status(); st.Packets != 200000 || st.FirstRows <= 0 || st.FirstRows > st.LoadTime {
		t.Errorf("status %+v", st)
	}
}

// BenchmarkSessionLoadBig loads the capture named by KAISEKI_BIG_CAPTURE
// (e.g. 1M packets from ../shared/tools/gencap) and reports the time to
// the first rows, the time to fully loaded, and resident memory:
//
//	cd ../shared/tools/gencap && go run . -n 1000000 -o /tmp/big.pcap
//	KAISEKI_BIG_CAPTURE=/tmp/big.pcap go test ./capture -run '^$' -bench SessionLoadBig -benchtime 1x
func BenchmarkSessionLoadBig(b *testing.B) {
	path := os.Getenv("KAISEKI_BIG_CAPTURE")
	if path == "" {
		b.Skip("set KAISEKI_BIG_CAPTURE to a large capture file")
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		base := procStatusKB(b, "VmRSS")
		s := capture.NewSession(nil)
		start := time.Now()
		if err := s.Open(path); err != nil {
			b.Fatal(err)
		}
		for s.Len() == 0 && s.Status().State == capture.StateLoading {
			time.Sleep(100 * time.Microsecond)
		}
		r, _ := s.Row(0)
		first := time.Since(start)
		s.Wait()
		st := s.Status()
		// Rows on one screen, as the table asks for them.
		for pos := st.Packets / 2; pos < st.Packets/2+50; pos++ {
			s.Row(pos)
		}
		rss := procStatusKB(b, "VmRSS")
		b.ReportMetric(first.Seconds()*1000, "ms-first-rows")
		b.ReportMetric(st.LoadTime.Seconds()*1000, "ms-loaded")
		b.ReportMetric(float64(rss)/1024, "MiB-rss")
		b.ReportMetric(float64(rss-base)*1024/float64(st.Packets), "B-rss/packet")
		b.ReportMetric(float64((rss-base)*1024-fi.Size())/float64(st.Packets), "B-over-file/packet")
		b.Logf("%d packets, file %d MiB, first row %q after %v, loaded in %v, rss %d MiB (+%d MiB)",
			st.Packets, fi.Size()>>20, r.Info, first, st.LoadTime, rss>>10, (rss-base)>>10)
		s.Close()
	}
}

// procStatusKB reads a kB value from /proc/self/status (Linux only).
func procStatusKB(b *testing.B, key string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
