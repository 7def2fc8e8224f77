package ui

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
)

// sharedCapture returns a shared capture's path, read in place, or skips.
func sharedCapture(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "captures", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared capture %s not available (%v): UI tests read ../shared/captures in place", name, err)
	}
	return p
}

// newTestWindow builds the main window on Fyne's headless test driver.
// Session events run synchronously on the goroutine that emits them;
// tests call Wait before looking, which orders them after those events.
func newTestWindow(t *testing.T) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	w := NewMainWindow(a)
	w.Window().Resize(fyne.NewSize(1200, 800))
	t.Cleanup(func() { w.Session().Close() })
	return w
}

func openTest(t *testing.T, w *MainWindow, path string) {
	t.Helper()
	w.Open(path)
	w.Wait()
	if st := w.Session().Status(); st.State != capture.StateStopped {
		t.Fatalf("after loading %s: %+v", path, st)
	}
}

// visibleCells returns the packet-list cells laid out on screen by row,
// as the table rendered them, keyed "row/col" by their screen order.
func renderedCells(w *MainWindow) []*textCell {
	var out []*textCell
	w.Table.Refresh()
	for _, o := range onScreen(w.Window().Content()) {
		if c, ok := o.(*textCell); ok {
			out = append(out, c)
		}
	}
	return out
}

// onScreen returns the visible objects under o through the renderers the
// canvas really uses (test.LaidOutObjects would build fresh ones).
func onScreen(o fyne.CanvasObject) []fyne.CanvasObject {
	if !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	switch c := o.(type) {
	case fyne.Widget:
		for _, k := range test.WidgetRenderer(c).Objects() {
			out = append(out, onScreen(k)...)
		}
	case *fyne.Container:
		for _, k := range c.Objects {
			out = append(out, onScreen(k)...)
		}
	}
	return out
}

func findHeader(t *testing.T, w *MainWindow, prefix string) *headerCell {
	t.Helper()
	for _, o := range onScreen(w.Window().Content()) {
		if h, ok := o.(*headerCell); ok && strings.HasPrefix(h.Text(), prefix) {
			return h
		}
	}
	t.Fatalf("no header %q on screen", prefix)
	return nil
}

func TestWindowTable(t *testing.T) {
	w := newTestWindow(t)
	if w.body.Objects[0] != w.Start.content {
		t.Error("the start page is not shown before a file is opened")
	}
	openTest(t, w, sharedCapture(t, "http_google.pcapng"))
	if w.body.Objects[0] != w.panes {
		t.Error("the packet panes are not shown after opening")
	}
	if rows, cols := w.Table.Length(); rows != 12 || cols != 7 {
		t.Fatalf("table is %d×%d, want 12×7", rows, cols)
	}
	tests := []struct {
		row  int
		col  capture.Column
		want string
	}{
		{0, capture.ColNo, "1"},
		{0, capture.ColTime, "0.000000"},
		{1, capture.ColTime, "0.030107"},
		{0, capture.ColSource, "172.16.16.128"},
		{1, capture.ColDestination, "172.16.16.128"},
		{3, capture.ColLength, "681"},
		{11, capture.ColNo, "12"},
		{11, capture.ColTime, "0.134395"},
	}
	for _, tc := range tests {
		if got := w.Table.CellText(tc.row, tc.col); got != tc.want {
			t.Errorf("cell (%d, %v) = %q, want %q", tc.row, tc.col, got, tc.want)
		}
	}
	// What is on screen comes from the same rows: all 12 fit, so every
	// No. cell 1..12 is rendered once, and nothing beyond.
	cells := renderedCells(w)
	seen := map[string]bool{}
	for _, c := range cells {
		seen[c.Text()] = true
	}
	for i := 1; i <= 12; i++ {
		if !seen[strconv.Itoa(i)] {
			t.Errorf("no rendered cell shows frame number %d", i)
		}
	}
	if !seen["172.16.16.128"] || !seen["681"] {
		t.Errorf("rendered cells lack source/length texts: %d cells", len(cells))
	}
	if len(cells) > 12*7 {
		t.Errorf("%d cells rendered for 12 rows", len(cells))
	}
	right := w.Status.right.Text
	if !strings.Contains(right, "Packets: 12") || !strings.Contains(right, "Displayed: 12") {
		t.Errorf("status bar = %q", right)
	}
	if w.Window().Title() != "http_google.pcapng — Kaiseki" {
		t.Errorf("title = %q", w.Window().Title())
	}
	if r := w.Recent(); len(r) != 1 || filepath.Base(r[0]) != "http_google.pcapng" {
		t.Errorf("recent files = %v", r)
	}

	w.SetTimeFormat(TimeDelta)
	if got := w.Table.CellText(2, capture.ColTime); got != "0.000075" {
		t.Errorf("delta time of frame 3 = %q, want 0.000075", got)
	}
	w.SetTimeFormat(TimeAbsolute)
	if got := w.Table.CellText(0, capture.ColTime); !strings.HasPrefix(got, "2010-02-0") || !strings.HasSuffix(got, ".618072") {
		t.Errorf("absolute time of frame 1 = %q", got)
	}
}

// nodeTexts returns the texts of the tree's top-level nodes.
func nodeTexts(p *ProtoTree) []string {
	var out []string
	for _, id := range p.childIDs("") {
		out = append(out, p.Node(id).Text)
	}
	return out
}

// bytePos returns where byte off is drawn in the hex (or ASCII) column.
func bytePos(h *HexView, off int, ascii bool) fyne.Position {
	cw, lh := h.cellSize()
	lay := hexLayout(len(h.Data()))
	line, b := off/16, off%16
	col := lay.hexStart + b*3
	if b >= 8 {
		col++
	}
	if ascii {
		col = lay.asciiStart + b
	}
	return fyne.NewPos(hexPad+float32(col)*cw+cw/2, hexPad+float32(line)*lh+lh/2)
}

func TestWindowDetailsAndBytes(t *testing.T) {
	w := newTestWindow(t)
	openTest(t, w, sharedCapture(t, "http_google.pcapng"))

	// Clicking a row selects its packet.
	w.Table.Select(widget.TableCellID{Row: 0, Col: 2})
	if idx, _ := w.Session().Selected(); idx != 0 {
		t.Fatalf("selected index %d after clicking row 0", idx)
	}
	top := nodeTexts(w.Tree)
	wantTop := []string{"Frame 1: 66 bytes on wire (528 bits), 66 bytes captured (528 bits)", "Ethernet II, Src: ", "Internet Protocol Version 4, Src: 172.16.16.128, Dst: 74.125.95.104"}
	if len(top) < len(wantTop) {
		t.Fatalf("top nodes %q", top)
	}
	for i, want := range wantTop {
		if !strings.HasPrefix(top[i], want) {
			t.Errorf("top node %d = %q, want prefix %q", i, top[i], want)
		}
	}
	if len(w.Hex.Data()) != 66 {
		t.Errorf("hex view shows %d bytes, want 66", len(w.Hex.Data()))
	}
	if off, n := w.Hex.Highlight(); off != 0 || n != 0 {
		t.Errorf("highlight before selecting a field = %d+%d", off, n)
	}

	steps := []struct {
		name     string
		do       func()
		wantOff  int
		wantLen  int
		wantNode string // abbrev of the selected node
	}{
		{"select IPv4", func() { w.Tree.Select("2") }, 14, 20, "ip"},
		{"select Ethernet", func() { w.Tree.Select("1") }, 0, 14, "eth"},
		{"select ip.dst", func() { w.SelectField("ip.dst") }, 30, 4, "ip.dst"},
		// The next packet re-selects the same field, as Wireshark does.
		{"next packet", func() { w.step(1) }, 30, 4, "ip.dst"},
		{"tap TTL byte", func() { test.TapAt(w.Hex, bytePos(w.Hex, 22, false)) }, 22, 1, "ip.ttl"},
		{"tap ASCII of src", func() { test.TapAt(w.Hex, bytePos(w.Hex, 27, true)) }, 26, 4, "ip.src"},
		{"tap Ethernet type", func() { test.TapAt(w.Hex, bytePos(w.Hex, 12, false)) }, 12, 2, "eth.type"},
	}
	for _, s := range steps {
		s.do()
		off, n := w.Hex.Highlight()
		node := w.Tree.Node(w.Tree.SelectedID())
		if off != s.wantOff || n != s.wantLen || node == nil || node.Abbrev() != s.wantNode {
			abbrev := "<none>"
			if node != nil {
				abbrev = node.Abbrev()
			}
			t.Errorf("%s: highlight %d+%d on %s, want %d+%d on %s", s.name, off, n, abbrev, s.wantOff, s.wantLen, s.wantNode)
		}
	}
	if idx, _ := w.Session().Selected(); idx != 1 {
		t.Errorf("selected index %d, want 1", idx)
	}
	// Opened subtrees stay open on the next packet.
	if !w.Tree.IsBranchOpen("2") || !w.Tree.IsBranchOpen("1") {
		t.Error("IPv4 and Ethernet subtrees were not kept open")
	}
	w.Tree.CloseBranch("2")
	w.step(1)
	if w.Tree.IsBranchOpen("2") || !w.Tree.IsBranchOpen("1") {
		t.Error("closing IPv4 was not remembered")
	}
	// Tapping outside the bytes changes nothing.
	before := w.Tree.SelectedID()
	test.TapAt(w.Hex, fyne.NewPos(1, 1))
	if w.Tree.SelectedID() != before {
		t.Error("tap on the margin changed the selection")
	}
}

func lengthsShown(w *MainWindow) []int {
	rows, _ := w.Table.Length()
	out := make([]int, rows)
	for i := range out {
		out[i], _ = strconv.Atoi(w.Table.CellText(i, capture.ColLength))
	}
	return out
}

func TestWindowSortByLength(t *testing.T) {
	w := newTestWindow(t)
	openTest(t, w, sharedCapture(t, "http_google.pcapng"))
	w.Table.Select(widget.TableCellID{Row: 3, Col: 0}) // frame 4, 681 bytes

	test.Tap(findHeader(t, w, "Length"))
	w.Wait()
	ls := lengthsShown(w)
	for i := 1; i < len(ls); i++ {
		if ls[i-1] > ls[i] {
			t.Fatalf("ascending by length: %v", ls)
		}
	}
	// Equal lengths keep capture order (stable): the three 54-byte
	// packets are frames 3, 8, 11.
	var nums []string
	for i, l := range ls {
		if l == 54 {
			nums = append(nums, w.Table.CellText(i, capture.ColNo))
		}
	}
	if strings.Join(nums, ",") != "3,8,11" {
		t.Errorf("54-byte frames in order %v, want 3,8,11", nums)
	}
	findHeader(t, w, "Length ▲")
	if idx, pos := w.Session().Selected(); idx != 3 || w.Table.CellText(pos, capture.ColNo) != "4" {
		t.Errorf("selection after sort: index %d at row %d", idx, pos)
	}

	test.Tap(findHeader(t, w, "Length"))
	w.Wait()
	ls = lengthsShown(w)
	for i := 1; i < len(ls); i++ {
		if ls[i-1] < ls[i] {
			t.Fatalf("descending by length: %v", ls)
		}
	}
	findHeader(t, w, "Length ▼")

	// Keyboard navigation follows the displayed order.
	_, pos := w.Session().Selected()
	w.Table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if _, p := w.Session().Selected(); p != pos+1 {
		t.Errorf("Down moved from row %d to %d", pos, p)
	}
	w.Table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	if _, p := w.Session().Selected(); p != 0 || w.Table.CellText(0, capture.ColLength) != "1460" {
		t.Errorf("Home selected row %d", p)
	}

	test.Tap(findHeader(t, w, "No."))
	w.Wait()
	if w.Table.CellText(0, capture.ColNo) != "1" || w.Table.CellText(11, capture.ColNo) != "12" {
		t.Error("sorting by No. did not restore capture order")
	}
}

// writeUDPCapture writes a pcap of n small Ethernet/IPv4/UDP packets.
func writeUDPCapture(t testing.TB, n int) string {
	t.Helper()
	le := binary.LittleEndian
	buf := make([]byte, 0, 24+n*58)
	buf = le.AppendUint32(buf, 0xa1b2c3d4)
	buf = le.AppendUint16(buf, 2)
	buf = le.AppendUint16(buf, 4)
	buf = append(buf, make([]byte, 8)...)
	buf = le.AppendUint32(buf, 65535)
	buf = le.AppendUint32(buf, 1)
	for i := range n {
		buf = le.AppendUint32(buf, uint32(1700000000+i/1000))
		buf = le.AppendUint32(buf, uint32(i%1000)*1000)
		buf = le.AppendUint32(buf, 42)
		buf = le.AppendUint32(buf, 42)
		buf = append(buf, 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00)
		buf = append(buf, 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, byte(i>>8), byte(i))
		buf = append(buf, 0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0)
	}
	p := filepath.Join(t.TempDir(), "udp.pcap")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWindowCancelLoad(t *testing.T) {
	const total = 400000
	path := writeUDPCapture(t, total)
	w := newTestWindow(t)
	// Queue UI updates and run them on this goroutine, as the real event
	// loop does, so the test sees the window mid-load.
	queue := make(chan func(), 1024)
	w.post = func(f func()) { queue <- f }
	pump := func() {
		for {
			select {
			case f := <-queue:
				f()
			default:
				return
			}
		}
	}
	w.Open(path)
	for w.Session().Len() == 0 {
		f := <-queue
		f()
	}
	pump()
	if !w.Status.cancel.Visible() || !w.Status.progress.Visible() {
		t.Error("no progress bar and Cancel button while loading")
	}
	if rows, _ := w.Table.Length(); rows == 0 || w.Table.CellText(0, capture.ColSource) != "10.0.0.1" {
		t.Errorf("no first rows while loading: %d rows", rows)
	}
	test.Tap(w.Status.cancel)
	w.Wait()
	pump()
	st := w.Session().Status()
	if st.State != capture.StateStopped || st.Packets == 0 || st.Packets >= total {
		t.Fatalf("after cancel: %+v", st)
	}
	if rows, _ := w.Table.Length(); rows != st.Packets {
		t.Errorf("table has %d rows, session %d packets", rows, st.Packets)
	}
	last := w.Table.CellText(st.Packets-1, capture.ColNo)
	if last != strconv.Itoa(st.Packets) {
		t.Errorf("last row shows frame %q, want %d", last, st.Packets)
	}
	left, right := w.Status.Text()
	if !strings.Contains(left, "cancelled") || !strings.Contains(right, "Packets: "+strconv.Itoa(st.Packets)) {
		t.Errorf("status bar %q / %q", left, right)
	}
	if w.Status.cancel.Visible() || w.Status.progress.Visible() {
		t.Error("progress still shown after cancel")
	}
	// The loaded part is usable: select the last packet and see its bytes.
	w.SelectPacket(st.Packets)
	pump()
	if len(w.Hex.Data()) != 42 || len(nodeTexts(w.Tree)) == 0 {
		t.Errorf("last packet: %d bytes, tree %q", len(w.Hex.Data()), nodeTexts(w.Tree))
	}
}

func TestWindowFind(t *testing.T) {
	w := newTestWindow(t)
	openTest(t, w, sharedCapture(t, "http_google.pcapng"))
	tests := []struct {
		q    capture.FindQuery
		want int // selected frame number after the search
		msg  string
	}{
		{capture.FindQuery{Kind: capture.FindHex, Text: "47 45 54"}, 4, ""},
		{capture.FindQuery{Kind: capture.FindField, Text: "frame.len == 591"}, 12, ""},
		{capture.FindQuery{Kind: capture.FindString, Text: "nothing like this"}, 12, "No packet matches"},
		{capture.FindQuery{Kind: capture.FindField, Text: "nosuch.field"}, 12, "unknown field"},
	}
	for _, tc := range tests {
		w.Find(tc.q)
		w.Wait()
		idx, _ := w.Session().Selected()
		left, _ := w.Status.Text()
		if idx+1 != tc.want || !strings.Contains(left, tc.msg) {
			t.Errorf("find %q: frame %d, status %q; want frame %d, %q", tc.q.Text, idx+1, left, tc.want, tc.msg)
		}
	}
	if !w.SelectPacket(7) || w.SelectPacket(13) {
		t.Error("go to packet 7 failed or 13 succeeded")
	}
}

func TestVirtualTable(t *testing.T) {
	path := writeUDPCapture(t, 200000)
	w := newTestWindow(t)
	openTest(t, w, path)
	w.Table.updates = 0
	w.Table.Refresh()
	test.LaidOutObjects(w.Window().Content())
	if rows, _ := w.Table.Length(); rows != 200000 {
		t.Fatalf("%d rows", rows)
	}
	// Only rows on screen are built: a few dozen rows × 7 columns.
	if w.Table.updates == 0 || w.Table.updates > 100*7 {
		t.Errorf("%d cell updates for a refresh of a 200000-row table", w.Table.updates)
	}
}
