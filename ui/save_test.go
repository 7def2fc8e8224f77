package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kaiseki-app/kaiseki/capture"
)

// copySample copies testdata/sample.pcapng into a temporary folder, so a
// test may save onto it.
func copySample(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "sample.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "work.pcapng")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSaveMarked marks two packets with Ctrl+M, saves the marked packets
// through SaveFile (what Export Specified Packets' Save button calls),
// reopens the file and finds those two packets.
func TestSaveMarked(t *testing.T) {
	w := newTestWindow(t)
	src := copySample(t)
	openTest(t, w, src)
	for _, num := range []int{3, 10} {
		if !w.SelectPacket(num) {
			t.Fatalf("cannot select packet %d", num)
		}
		w.toggleMark() // Ctrl+M
	}
	if _, right := w.Status.Text(); !strings.Contains(right, "Marked: 2") {
		t.Errorf("status bar %q lacks Marked: 2", right)
	}
	// The marks move the selection with Next/Previous Mark.
	w.SelectPacket(1)
	w.GoToMark(false)
	if i, _ := w.Session().Selected(); i != 2 {
		t.Errorf("next mark selected packet %d, want 3", i+1)
	}
	w.GoToMark(true)
	if i, _ := w.Session().Selected(); i != 9 {
		t.Errorf("previous mark (wrapping) selected packet %d, want 10", i+1)
	}
	if w.Session().Dirty() {
		t.Error("marks made the capture dirty")
	}
	out := filepath.Join(t.TempDir(), "marked.pcapng")
	w.SaveFile(out, capture.FormatPcapNG, capture.Selection{Set: capture.PacketsMarked})
	w.Wait()
	if left, _ := w.Status.Text(); !strings.Contains(left, "Saved 2 packets") {
		t.Errorf("status after saving: %q", left)
	}
	if st := w.Session().Status(); st.Path != src {
		t.Errorf("exporting marked packets switched the window to %q", st.Path)
	}
	openTest(t, w, out)
	if n := w.Session().Len(); n != 2 {
		t.Fatalf("the saved file has %d packets, want 2", n)
	}
	if got := w.Table.CellText(0, capture.ColInfo); !strings.Contains(got, "Standard query 0x3e9d") {
		t.Errorf("first saved packet is %q, want packet 3 (DNS query)", got)
	}
	if got := w.Table.CellText(1, capture.ColNo); got != "2" {
		t.Errorf("second row No. = %q", got)
	}
}

// TestSaveComment adds a comment the way the comment dialog's OK does,
// checks the tree and the title, saves onto the open file, reopens it and
// finds the comment in the details pane.
func TestSaveComment(t *testing.T) {
	w := newTestWindow(t)
	src := copySample(t)
	openTest(t, w, src)
	w.SelectPacket(5)
	w.SetPacketComment("suspicious SYN")
	if n := w.Tree.Packet().Nodes[0]; n.Text != "Packet comments" || len(n.Kids) != 1 || n.Kids[0].Text != "suspicious SYN" {
		t.Fatalf("the tree starts with %q, want the packet comments", n.Text)
	}
	if title := w.Window().Title(); !strings.HasPrefix(title, "*work.pcapng") {
		t.Errorf("title %q does not show unsaved changes", title)
	}
	w.Save() // Ctrl+S: onto the open file, as pcapng
	w.Wait()
	if w.Session().Dirty() {
		t.Error("still dirty after Save")
	}
	if title := w.Window().Title(); strings.HasPrefix(title, "*") {
		t.Errorf("title %q after saving", title)
	}
	openTest(t, w, src)
	if !w.SelectPacket(5) {
		t.Fatal("cannot select packet 5 after reopening")
	}
	tree := w.Tree.Packet()
	if tree == nil || tree.Nodes[0].Text != "Packet comments" || tree.Nodes[0].Kids[0].Text != "suspicious SYN" {
		t.Fatalf("reopened: the comment is not in the tree")
	}
	if !w.SelectField("frame.comment") {
		t.Error("frame.comment cannot be selected in the tree")
	}
	// Saved as pcap, the comment is dropped with a warning.
	pc := filepath.Join(t.TempDir(), "nocomment.pcap")
	w.SaveFile(pc, capture.FormatPcap, capture.Selection{Set: capture.PacketsAll})
	w.Wait()
	if left, _ := w.Status.Text(); !strings.Contains(left, "1 comments dropped") {
		t.Errorf("status after a pcap save with a comment: %q", left)
	}
}

// TestSaveFailureKeepsFile saves into a folder that is gone and onto a
// file whose folder cannot take the temporary file: the reason is shown
// and the previous file stays byte-identical.
func TestSaveFailureKeepsFile(t *testing.T) {
	w := newTestWindow(t)
	src := copySample(t)
	before, _ := os.ReadFile(src)
	openTest(t, w, src)
	w.SelectPacket(1)
	w.SetPacketComment("keep me")
	gone := filepath.Join(t.TempDir(), "no", "such", "folder", "x.pcapng")
	w.SaveFile(gone, capture.FormatPcapNG, capture.Selection{Set: capture.PacketsAll})
	w.Wait()
	if left, _ := w.Status.Text(); !strings.Contains(left, "failed") || !strings.Contains(left, "no such file or directory") {
		t.Errorf("status after saving into a missing folder: %q", left)
	}
	if !w.Session().Dirty() {
		t.Error("a failed save cleared the unsaved changes")
	}
	// A bad range is refused before anything is written.
	w.SaveFile(src, capture.FormatPcapNG, capture.Selection{Set: capture.PacketsRange, Range: "5-2"})
	w.Wait()
	if left, _ := w.Status.Text(); !strings.Contains(left, "the start is after the end") {
		t.Errorf("status after a bad range: %q", left)
	}
	after, _ := os.ReadFile(src)
	if !bytes.Equal(before, after) {
		t.Error("the open file changed after failed saves")
	}
}

// TestExportDissectionsCSV exports the displayed packets as CSV through
// ExportFile (the export dialog's button) and reads the Time column in the
// table's format.
func TestExportDissectionsCSV(t *testing.T) {
	w := newTestWindow(t)
	openTest(t, w, filepath.Join("..", "testdata", "sample.pcapng"))
	out := filepath.Join(t.TempDir(), "list.csv")
	w.ExportFile(out, capture.ExportCSV, capture.Selection{Set: capture.PacketsRange, Range: "1-2"})
	w.Wait()
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], `"2","0.000008","10.1.0.149"`) {
		t.Errorf("CSV export:\n%s", b)
	}
}

// TestPacketSelector checks the export dialog's packet choice: the range
// field selects "Range", and bad ranges or no marks are reported.
func TestPacketSelector(t *testing.T) {
	in := capture.SaveInfo{Packets: 10, Displayed: 10, Marked: 0}
	tests := []struct {
		choice, rng string
		want        capture.Selection
		err         string
	}{
		{optAll, "", capture.Selection{Set: capture.PacketsAll}, ""},
		{optDisplayed, "", capture.Selection{Set: capture.PacketsDisplayed}, ""},
		{optMarked, "", capture.Selection{}, "no packet is marked"},
		{"", "1-3,7", capture.Selection{Set: capture.PacketsRange, Range: "1-3,7"}, ""},
		{"", "1-30", capture.Selection{}, "there is no packet 30"},
		{"", "x", capture.Selection{}, `"x" is not a packet number`},
	}
	for _, tc := range tests {
		ps := newPacketSelector(in, nil)
		if tc.rng != "" {
			test.Type(ps.rng, tc.rng)
		} else {
			for _, o := range ps.radio.Options {
				if strings.HasPrefix(o, tc.choice) {
					ps.radio.SetSelected(o)
				}
			}
		}
		got, err := ps.selection()
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %q: error %v, want %q", tc.choice, tc.rng, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s %q: %+v, %v; want %+v", tc.choice, tc.rng, got, err, tc.want)
		}
	}
}

func TestSuggestPath(t *testing.T) {
	home, _ := os.UserHomeDir()
	tests := []struct {
		open   string
		recent []string
		ext    string
		export bool
		want   string
	}{
		{"/data/x/trace.pcapng", nil, ".pcap", false, "/data/x/trace.pcap"},
		{"/data/x/trace.pcap.gz", nil, ".pcapng", true, "/data/x/trace-export.pcapng"},
		{"", []string{"/srv/caps/a.pcap"}, ".csv", true, "/srv/caps/capture-export.csv"},
		{"", nil, ".pcapng", false, filepath.Join(home, "capture.pcapng")},
	}
	for _, tc := range tests {
		if got := suggestPath(tc.open, tc.recent, tc.ext, tc.export); got != tc.want {
			t.Errorf("suggestPath(%q, %q) = %q, want %q", tc.open, tc.recent, got, tc.want)
		}
	}
}

// TestDialogsOpen opens each save, export and comment dialog headless (they
// build their widgets from the session) and the row context menu.
func TestDialogsOpen(t *testing.T) {
	w := newTestWindow(t)
	openTest(t, w, filepath.Join("..", "testdata", "sample.pcapng"))
	w.SelectPacket(2)
	w.ShowSaveAs()
	w.ShowExportSpecified()
	for _, f := range exportFormats {
		w.ShowExportDissections(f)
	}
	w.ShowCommentDialog()
	w.showRowMenu(4, &fyne.PointEvent{})
	if i, _ := w.Session().Selected(); i != 4 {
		t.Errorf("the context menu did not select its row: %d", i)
	}
	overlays := w.Window().Canvas().Overlays().List()
	if len(overlays) < 7 {
		t.Errorf("%d overlays shown, want the 6 dialogs and the menu", len(overlays))
	}
	// Ctrl+S with nothing changed says so rather than writing.
	w.Save()
	if left, _ := w.Status.Text(); !strings.Contains(left, "No unsaved changes") {
		t.Errorf("status after Save with no changes: %q", left)
	}
}
