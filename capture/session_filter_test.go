package capture_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
	"github.com/kaiseki-app/kaiseki/dissect/filter"
)

// viewNums returns the frame numbers of the displayed packets, in view order.
func viewNums(s *capture.Session) []int {
	out := make([]int, s.Len())
	for pos := range out {
		out[pos] = s.IndexAt(pos) + 1
	}
	return out
}

// referenceMatches filters path sequentially in one pass, as the CLI's -Y
// does, and returns the matching frame numbers.
func referenceMatches(t *testing.T, path, src string) []int {
	t.Helper()
	f, err := filter.Compile(src, dissect.Fields())
	if err != nil {
		t.Fatal(err)
	}
	cf, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	d := dissect.NewDissector(nil)
	var out []int
	err = cf.Load(t.Context(), func(i int, _ capture.Record, data []byte) error {
		p := cf.Store.Packet(i, data)
		items, _ := d.Fields(&p, f.Want())
		if f.MatchFrame(items, p.Data) {
			out = append(out, i+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func applyWait(t *testing.T, s *capture.Session, src string) {
	t.Helper()
	if err := s.ApplyFilter(src); err != nil {
		t.Fatalf("ApplyFilter(%q): %v", src, err)
	}
	s.Wait()
}

// TestSessionFilterCounts applies filters of ../shared/captures/refs/filters.tsv
// through the session (parallel re-dissection over the shared state) and
// checks tshark's counts and the CLI's one-pass result.
func TestSessionFilterCounts(t *testing.T) {
	tests := []struct {
		file, filter string
		count        int // tshark 4.0's count (refs/filters.tsv)
	}{
		{"http_google.pcapng", `http.request.method == "GET"`, 1},
		{"http_google.pcapng", `ip.src == 74.125.95.104`, 7},
		{"http_google.pcapng", `eth.src[0:3] == 00:21:6a`, 5},
		{"http_google.pcapng", `tcp.flags & 0x12 == 0x12`, 1},
		{"many-protocols.pcap", `tcp.analysis.retransmission`, 32},
		{"many-protocols.pcap", `ip.addr in {10.0.0.1, 54.192.94.30}`, 4662},
		{"many-protocols.pcap", `len(http.host) > 16`, 85},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.filter, func(t *testing.T) {
			path := sharedCapture(t, tc.file)
			s := openWait(t, path)
			all := s.Len()
			applyWait(t, s, tc.filter)
			st := s.Status()
			if st.Displayed != tc.count || s.Len() != tc.count {
				t.Errorf("displayed %d (Len %d), want %d", st.Displayed, s.Len(), tc.count)
			}
			if st.Filter != tc.filter || st.Filtering || st.Packets != all {
				t.Errorf("status %+v: want filter %q applied over %d packets", st, tc.filter, all)
			}
			if got, want := viewNums(s), referenceMatches(t, path, tc.filter); !slices.Equal(got, want) {
				t.Errorf("view %v, want the one-pass matches %v", got, want)
			}
			applyWait(t, s, "")
			if s.Len() != all || s.Status().Filter != "" {
				t.Errorf("after clearing: Len %d, filter %q; want %d, none", s.Len(), s.Status().Filter, all)
			}
		})
	}
}

func TestSessionFilterErrorKeepsView(t *testing.T) {
	s := openWait(t, sharedCapture(t, "http_google.pcapng"))
	applyWait(t, s, "tcp.len > 0")
	before := viewNums(s)
	err := s.ApplyFilter("ip.srcc == 1.2.3.4")
	var fe *filter.Error
	if !errors.As(err, &fe) || fe.Pos != 0 || fe.Len != len("ip.srcc") {
		t.Fatalf("error = %#v, want a *filter.Error on ip.srcc", err)
	}
	s.Wait()
	if got := viewNums(s); !slices.Equal(got, before) || s.Filter() != "tcp.len > 0" {
		t.Errorf("a bad filter changed the view: %v (was %v), filter %q", got, before, s.Filter())
	}
}

// TestSessionFilterSortSelection checks that sorting composes with
// filtering in either order, and that the selected packet stays selected
// while it is displayed.
func TestSessionFilterSortSelection(t *testing.T) {
	s := openWait(t, sharedCapture(t, "http_google.pcapng"))
	src := "ip.src == 74.125.95.104"
	matches := []int{2, 5, 6, 7, 9, 10, 12} // tshark -Y
	length := func(num int) int { r, _ := s.Row(s.PosOf(num - 1)); return r.Length }

	s.Select(5) // frame 6 matches
	applyWait(t, s, src)
	if got := viewNums(s); !slices.Equal(got, matches) {
		t.Fatalf("filtered view %v, want %v", got, matches)
	}
	if idx, pos := s.Selected(); idx != 5 || pos != 2 {
		t.Errorf("selection after filtering = (%d, %d), want frame 6 at position 2", idx, pos)
	}

	// Sort the filtered view by length, longest first: only matches, ordered.
	s.Sort(capture.ColLength, true)
	s.Wait()
	got := viewNums(s)
	if !sameSet(got, matches) {
		t.Fatalf("sorted filtered view %v, want a permutation of %v", got, matches)
	}
	for i := 1; i < len(got); i++ {
		if length(got[i-1]) < length(got[i]) {
			t.Errorf("not sorted by length desc: %v", got)
		}
	}
	if idx, pos := s.Selected(); idx != 5 || s.IndexAt(pos) != 5 {
		t.Errorf("selection after sorting = (%d, %d)", idx, pos)
	}

	// Clearing the filter keeps the sort: every packet, longest first.
	applyWait(t, s, "")
	got = viewNums(s)
	if len(got) != 12 {
		t.Fatalf("unfiltered sorted view %v", got)
	}
	for i := 1; i < len(got); i++ {
		if length(got[i-1]) < length(got[i]) {
			t.Errorf("cleared filter lost the sort: %v", got)
		}
	}

	// Filtering a sorted view keeps it sorted.
	applyWait(t, s, src)
	got2 := viewNums(s)
	if !sameSet(got2, matches) {
		t.Fatalf("filter on sorted view: %v", got2)
	}
	for i := 1; i < len(got2); i++ {
		if length(got2[i-1]) < length(got2[i]) {
			t.Errorf("filtering lost the sort: %v", got2)
		}
	}
	// Back to capture order: the matches in frame order.
	s.Sort(capture.ColNo, false)
	s.Wait()
	if got := viewNums(s); !slices.Equal(got, matches) {
		t.Errorf("No. ascending with filter: %v, want %v", got, matches)
	}
	if _, pos := s.Selected(); s.IndexAt(pos) != 5 {
		t.Errorf("selection lost after re-sorting: pos %d", pos)
	}

	// A filter that hides the selected packet clears the selection.
	applyWait(t, s, "ip.dst == 74.125.95.104")
	if idx, pos := s.Selected(); idx != -1 || pos != -1 {
		t.Errorf("selection of a hidden packet = (%d, %d), want none", idx, pos)
	}
}

func sameSet(a, b []int) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestSessionFilterWhileLoading applies a filter as soon as loading starts:
// the first pass covers the packets read so far and the follower the rest.
func TestSessionFilterWhileLoading(t *testing.T) {
	const total = 150000
	path := writeUDPCapture(t, total)
	s := capture.NewSession(nil)
	defer s.Close()
	if err := s.Open(path); err != nil {
		t.Fatal(err)
	}
	// Packets whose UDP payload is 3 bytes: every 7th, from frame 4.
	if err := s.ApplyFilter("udp.length == 11"); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	got := viewNums(s)
	if len(got) != (total+3)/7 {
		t.Fatalf("displayed %d, want %d", len(got), (total+3)/7)
	}
	for k, num := range got {
		if num != 4+7*k {
			t.Fatalf("view[%d] = frame %d, want %d", k, num, 4+7*k)
		}
	}
	if st := s.Status(); st.Displayed != len(got) || st.Packets != total || st.Filtering {
		t.Errorf("status %+v", st)
	}
}

// TestSessionFilterCancel cancels a filter pass: either it had finished or
// the previous (unfiltered) view stays, never a mix.
func TestSessionFilterCancel(t *testing.T) {
	const total = 200000
	s := capture.NewSession(nil)
	defer s.Close()
	if err := s.Open(writeUDPCapture(t, total)); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	if err := s.ApplyFilter(`udp contains "abcdef"`); err != nil {
		t.Fatal(err)
	}
	s.Cancel()
	s.Wait()
	st := s.Status()
	switch {
	case st.Filter == "" && st.Displayed == total:
	case st.Filter != "" && st.Displayed == total/7:
	default:
		t.Errorf("after cancel: %+v", st)
	}
	if st.Filtering {
		t.Error("still filtering after Wait")
	}
}
