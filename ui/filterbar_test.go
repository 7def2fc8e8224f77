package ui

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
	"github.com/kaiseki-app/kaiseki/dissect/filter"
)

// typeFilter replaces the filter bar's text by typing it, as a user does.
func typeFilter(w *MainWindow, text string) {
	w.filter.debounce = 0 // check on each keystroke, synchronously
	w.filter.setText("")
	w.win.Canvas().Focus(w.filter.entry)
	test.Type(w.filter.entry, text)
}

func entryBackground(w *MainWindow) any {
	return w.filter.tint.Theme.Color(theme.ColorNameInputBackground, fyne.CurrentApp().Settings().ThemeVariant())
}

// shownFrames returns the frame numbers of the table's rows.
func shownFrames(w *MainWindow) []int {
	rows, _ := w.Table.Length()
	out := make([]int, rows)
	for i := range out {
		out[i], _ = strconv.Atoi(w.Table.CellText(i, capture.ColNo))
	}
	return out
}

// oracle filters path in one sequential pass, as `kaiseki -r -Y` does.
func oracle(t *testing.T, path, src string) []int {
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
	if err := cf.Load(t.Context(), func(i int, _ capture.Record, data []byte) error {
		p := cf.Store.Packet(i, data)
		items, _ := d.Fields(&p, f.Want())
		if f.MatchFrame(items, p.Data) {
			out = append(out, i+1)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFilterBarTypeApply(t *testing.T) {
	w := newTestWindow(t)
	openTest(t, w, sharedCapture(t, "http_google.pcapng"))
	w.SelectPacket(6) // from 74.125.95.104: stays displayed

	typeFilter(w, "ip.srcc == 1.2.3.4")
	v, err := w.filter.Validity()
	if v != filterInvalid || err == nil {
		t.Fatalf("bad filter: validity %v, err %v", v, err)
	}
	if got := entryBackground(w); got != validityColor(filterInvalid) {
		t.Errorf("bad filter background %v, want red %v", got, validityColor(filterInvalid))
	}
	msg := w.filter.msg.Text
	if !w.filter.msgRow.Visible() || !strings.Contains(msg, "column 1") || !strings.Contains(msg, `"ip.srcc" is not a valid`) {
		t.Errorf("error shown %q (visible %v), want the column and the reason", msg, w.filter.msgRow.Visible())
	}
	// Return on a bad filter applies nothing.
	w.filter.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Wait()
	if rows, _ := w.Table.Length(); rows != 12 || w.Session().Filter() != "" {
		t.Errorf("a bad filter was applied: %d rows, filter %q", rows, w.Session().Filter())
	}

	src := "ip.src == 74.125.95.104"
	typeFilter(w, src)
	if v, err := w.filter.Validity(); v != filterValid || err != nil || w.filter.msgRow.Visible() {
		t.Fatalf("good filter: validity %v, err %v", v, err)
	}
	if got := entryBackground(w); got != validityColor(filterValid) {
		t.Errorf("good filter background %v, want green", got)
	}
	w.filter.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Wait()
	want := []int{2, 5, 6, 7, 9, 10, 12} // tshark -Y
	if got := shownFrames(w); !slices.Equal(got, want) {
		t.Fatalf("table shows frames %v, want %v", got, want)
	}
	if idx, pos := w.Session().Selected(); idx != 5 || w.Table.CellText(pos, capture.ColNo) != "6" || w.shown != 5 {
		t.Errorf("selection after filtering: index %d at row %d, details of %d", idx, pos, w.shown)
	}
	if _, right := w.Status.Text(); !strings.Contains(right, "Packets: 12 · Displayed: 7") {
		t.Errorf("status bar %q", right)
	}
	if h := w.filter.History(); len(h) == 0 || h[0] != src {
		t.Errorf("history %v, want %q first", h, src)
	}

	// Sorting composes with the filter; Clear shows everything, still sorted.
	test.Tap(findHeader(t, w, "Length"))
	w.Wait()
	got := shownFrames(w)
	if !sameFrames(got, want) {
		t.Errorf("sorted filtered table %v", got)
	}
	test.Tap(w.filter.clear)
	w.Wait()
	if rows, _ := w.Table.Length(); rows != 12 || w.filter.entry.Text != "" {
		t.Errorf("after Clear: %d rows, text %q", rows, w.filter.entry.Text)
	}
	ls := lengthsShown(w)
	for i := 1; i < len(ls); i++ {
		if ls[i-1] > ls[i] {
			t.Fatalf("Clear lost the sort: %v", ls)
		}
	}

	// The history menu applies a filter again.
	m := w.filter.historyMenu()
	if len(m.Items) < 1 || m.Items[0].Label != src {
		t.Fatalf("history menu %v", m.Items)
	}
	m.Items[0].Action()
	w.Wait()
	if rows, _ := w.Table.Length(); rows != 7 {
		t.Errorf("history item applied: %d rows", rows)
	}
}

func sameFrames(a, b []int) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestFilterBarSample applies filters to the bundled sample and checks the
// table against a sequential one-pass evaluation.
func TestFilterBarSample(t *testing.T) {
	path := "../testdata/sample.pcapng"
	w := newTestWindow(t)
	openTest(t, w, path)
	all, _ := w.Table.Length()
	for _, src := range []string{"dns", "tcp.port == 80 || udp.port == 53", "ip.len > 100 && !icmp", "frame.len < 0"} {
		typeFilter(w, src)
		w.filter.Apply()
		w.Wait()
		want := oracle(t, path, src)
		if got := shownFrames(w); !slices.Equal(got, want) {
			t.Errorf("%s: table %d rows, want %d (%v…)", src, len(got), len(want), want[:min(5, len(want))])
		}
		if len(want) == all && src != "frame.len < 0" {
			t.Errorf("%s matches every packet: not a useful check", src)
		}
	}
}

func TestFilterBarCompletion(t *testing.T) {
	w := newTestWindow(t)
	typeFilter(w, "ip.sr")
	c := w.filter.Completions()
	if !slices.Contains(c, "ip.src") || slices.ContainsFunc(c, func(s string) bool { return !strings.HasPrefix(s, "ip.sr") }) {
		t.Fatalf("completions for ip.sr: %v", c)
	}
	w.filter.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if w.filter.entry.Text != c[0] || w.filter.Completions() != nil {
		t.Errorf("Tab gave %q (list %v), want %q and the list closed", w.filter.entry.Text, w.filter.Completions(), c[0])
	}
	// In the middle of an expression, with arrows and Return.
	typeFilter(w, "tcp.port == 80 && ud")
	c = w.filter.Completions()
	if len(c) == 0 || c[0] != "udp" {
		t.Fatalf("completions for ud: %v (protocols first)", c)
	}
	w.filter.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	w.filter.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.filter.entry.Text != "tcp.port == 80 && udp" {
		t.Errorf("Down, Return gave %q", w.filter.entry.Text)
	}
	if w.Session().Filter() != "" {
		t.Error("Return in the completion list applied the filter")
	}
	// Escape closes the list; Return then applies.
	typeFilter(w, "dn")
	if len(w.filter.Completions()) == 0 {
		t.Fatal("no completions for dn")
	}
	w.filter.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.filter.Completions() != nil {
		t.Error("Escape left the list open")
	}
	// Numbers are not completed.
	typeFilter(w, "tcp.port == 8")
	if c := w.filter.Completions(); c != nil {
		t.Errorf("completions after a number: %v", c)
	}
}

// nodeID returns the details-pane ID of the first node with field abbrev.
func nodeID(t *testing.T, w *MainWindow, abbrev string) string {
	t.Helper()
	if !w.SelectField(abbrev) {
		t.Fatalf("no %s node in packet %d", abbrev, w.shown+1)
	}
	return w.Tree.SelectedID()
}

func TestApplyPrepareAsFilter(t *testing.T) {
	w := newTestWindow(t)
	openTest(t, w, sharedCapture(t, "http_google.pcapng"))
	w.SelectPacket(4) // GET / from 172.16.16.128

	ipSrc := nodeID(t, w, "ip.src")
	if !w.FilterFromNode(ipSrc, FilterSelected, false) {
		t.Fatal("ip.src cannot be a filter")
	}
	if got := w.filter.entry.Text; got != "ip.src == 172.16.16.128" {
		t.Errorf("Prepare as Filter: %q", got)
	}
	if w.Session().Filter() != "" {
		t.Error("Prepare as Filter applied the filter")
	}
	method := nodeID(t, w, "http.request.method")
	w.FilterFromNode(method, FilterAndSelected, true)
	w.Wait()
	if got, want := w.filter.entry.Text, `(ip.src == 172.16.16.128) && (http.request.method == "GET")`; got != want {
		t.Errorf("…and Selected: %q, want %q", got, want)
	}
	if got := shownFrames(w); !slices.Equal(got, []int{4}) || w.Session().Filter() == "" {
		t.Errorf("Apply as Filter shows %v", got)
	}
	tcp := nodeID(t, w, "tcp")
	w.FilterFromNode(tcp, FilterNotSelected, true)
	w.Wait()
	if got := w.filter.entry.Text; got != "!(tcp)" {
		t.Errorf("Not Selected: %q", got)
	}
	if rows, _ := w.Table.Length(); rows != 0 {
		t.Errorf("!(tcp) shows %d rows", rows)
	}
	w.filter.Clear()
	w.Wait()

	// The context menu: a right click on a details line opens it, with
	// Apply and Prepare submenus in Wireshark's order.
	w.SelectPacket(4)
	id := nodeID(t, w, "tcp.dstport")
	var cell *treeCell
	for _, o := range onScreen(w.Window().Content()) {
		if c, ok := o.(*treeCell); ok && c.id == id {
			cell = c
		}
	}
	if cell == nil {
		t.Fatal("the tcp.dstport line is not on screen")
	}
	test.TapSecondary(cell)
	top := w.win.Canvas().Overlays().Top()
	// Fyne wraps pop-ups in an (internal) overlay container whose
	// Content is the pop-up.
	var content any = top
	if v := reflect.ValueOf(top); v.Kind() == reflect.Pointer && v.Elem().FieldByName("Content").IsValid() {
		content = v.Elem().FieldByName("Content").Interface()
	}
	if _, ok := content.(*widget.PopUpMenu); !ok {
		t.Fatalf("right click opened %T (%T), want a pop-up menu", top, content)
	}
	w.win.Canvas().Overlays().Remove(top)
	if w.Tree.SelectedID() != id {
		t.Errorf("right click did not select the line: %q", w.Tree.SelectedID())
	}
	m := w.treeMenu(id)
	if m.Items[0].Label != "Apply as Filter" || m.Items[1].Label != "Prepare as Filter" {
		t.Fatalf("menu %v", m.Items)
	}
	var labels []string
	for _, it := range m.Items[1].ChildMenu.Items {
		labels = append(labels, it.Label)
	}
	if strings.Join(labels, "|") != "Selected|Not Selected|…and Selected|…or Selected|…and not Selected|…or not Selected" {
		t.Errorf("submenu %v", labels)
	}
	m.Items[1].ChildMenu.Items[0].Action() // Prepare: Selected
	if got := w.filter.entry.Text; got != "tcp.dstport == 80" {
		t.Errorf("menu Prepare as Filter: %q", got)
	}
	m.Items[0].ChildMenu.Items[3].Action() // Apply: …or Selected
	w.Wait()
	if got := w.filter.entry.Text; got != "(tcp.dstport == 80) || (tcp.dstport == 80)" {
		t.Errorf("menu …or Selected: %q", got)
	}
	if rows, _ := w.Table.Length(); rows != 5 {
		t.Errorf("tcp.dstport == 80: %d rows, want 5", rows)
	}
}

// TestNodeFilterRoundTrip checks every line of every packet: the filter
// built from it compiles and matches its own packet.
func TestNodeFilterRoundTrip(t *testing.T) {
	for _, path := range []string{"../testdata/sample.pcapng", sharedCapture(t, "http_google.pcapng")} {
		cf, err := capture.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		d := dissect.NewDissector(nil)
		var trees []*dissect.Tree
		var pkts []dissect.Packet
		if err := cf.Load(t.Context(), func(i int, _ capture.Record, data []byte) error {
			p := cf.Store.Packet(i, data)
			tr, _ := d.Tree(&p)
			trees = append(trees, tr)
			p.Data = append([]byte(nil), p.Data...)
			pkts = append(pkts, p)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		checked, failed := 0, 0
		unmatched := map[string]int{}
		for i, tr := range trees {
			tr.Walk(func(n *dissect.Node, _ int) {
				src, ok := NodeFilter(n)
				if !ok {
					return
				}
				checked++
				f, err := filter.Compile(src, dissect.Fields())
				if err != nil {
					failed++
					if failed < 10 {
						t.Errorf("%s frame %d: %q does not compile: %v", path, i+1, src, err)
					}
					return
				}
				items, _ := d.Fields(&pkts[i], f.Want())
				if !f.MatchFrame(items, pkts[i].Data) {
					// The dissector did not record the field on the
					// filter path (a dissector matter, listed below).
					unmatched[n.Abbrev()]++
				}
			})
		}
		cf.Close()
		if checked < 500 {
			t.Errorf("%s: only %d lines checked", path, checked)
		}
		t.Logf("%s: %d lines, %d filters that do not compile; fields not matched on the filter path: %v", path, checked, failed, unmatched)
	}
}

func TestQuoteFilterString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GET", `"GET"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"line\r\n", `"line\x0d\x0a"`},
		{"héllo", `"héllo"`},
	}
	for _, tc := range tests {
		got := quoteFilterString(tc.in)
		if got != tc.want {
			t.Errorf("quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
		f, err := filter.Compile("http.request.method == "+got, dissect.Fields())
		if err != nil || f.Empty() {
			t.Errorf("%s does not compile: %v", got, err)
		}
	}
}

func TestCombineFilter(t *testing.T) {
	tests := []struct {
		old  string
		how  FilterCombine
		want string
	}{
		{"", FilterSelected, "a == 1"},
		{"", FilterAndNotSelected, "!(a == 1)"},
		{"b", FilterSelected, "a == 1"},
		{"b", FilterNotSelected, "!(a == 1)"},
		{"b", FilterAndSelected, "(b) && (a == 1)"},
		{"b", FilterOrSelected, "(b) || (a == 1)"},
		{"b", FilterAndNotSelected, "(b) && !(a == 1)"},
		{"b", FilterOrNotSelected, "(b) || !(a == 1)"},
	}
	for _, tc := range tests {
		if got := CombineFilter(tc.old, "a == 1", tc.how); got != tc.want {
			t.Errorf("%q %v: %q, want %q", tc.old, tc.how, got, tc.want)
		}
	}
}
