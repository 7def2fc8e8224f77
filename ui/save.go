package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
)

// Saving: Save (Ctrl+S), Save As (Ctrl+Shift+S) and the machinery that
// Export Specified Packets and Export Packet Dissections share (export.go):
// a path field with a folder browser, a format choice, and a background job
// with a progress dialog and Cancel.
//
// Fyne's own save dialog is not used: it opens the chosen file for writing
// (truncating it) before handing it over, which would destroy the old file
// before anything is written — and the open capture when saving onto it.
// capture.Save writes a temporary file and renames it instead.

// saveFormats are the formats offered, pcapng first (it keeps everything).
var saveFormats = []capture.Format{capture.FormatPcapNG, capture.FormatPcap}

var saveFormatNames = []string{"pcapng (keeps interfaces, comments, nanoseconds)", "pcap (one link type, no comments)"}

func formatExt(f capture.Format) string {
	if f == capture.FormatPcap {
		return ".pcap"
	}
	return ".pcapng"
}

// saveCommands are the File and Edit menu commands of saving, marks and
// comments, merged into MainWindow.commands.
func (w *MainWindow) saveCommands() map[string]command {
	return map[string]command{
		"save":         {"Save", shortcut(fyne.KeyS), w.Save},
		"saveAs":       {"Save As…", shortcut(fyne.KeyS, fyne.KeyModifierShift), w.ShowSaveAs},
		"exportPkts":   {"Export Specified Packets…", nil, w.ShowExportSpecified},
		"exportText":   {"As Plain Text…", nil, func() { w.ShowExportDissections(capture.ExportText) }},
		"exportCSV":    {"As CSV…", nil, func() { w.ShowExportDissections(capture.ExportCSV) }},
		"exportJSON":   {"As JSON…", nil, func() { w.ShowExportDissections(capture.ExportJSON) }},
		"markAll":      {"Mark All Displayed", shortcut(fyne.KeyM, fyne.KeyModifierShift), func() { w.sess.MarkDisplayed(true) }},
		"unmarkAll":    {"Unmark All Displayed", shortcut(fyne.KeyM, fyne.KeyModifierAlt), func() { w.sess.MarkDisplayed(false) }},
		"nextMark":     {"Next Mark", shortcut(fyne.KeyN, fyne.KeyModifierShift), func() { w.GoToMark(false) }},
		"prevMark":     {"Previous Mark", shortcut(fyne.KeyB, fyne.KeyModifierShift), func() { w.GoToMark(true) }},
		"comment":      {"Packet Comment…", shortcut(fyne.KeyC, fyne.KeyModifierAlt), w.ShowCommentDialog},
		"deleteCommts": {"Delete Packet Comments", nil, func() { w.SetPacketComment("") }},
	}
}

// fileMenuItems returns the File menu's saving items (item builds an item
// from a command name).
func (w *MainWindow) fileMenuItems(item func(string) *fyne.MenuItem) []*fyne.MenuItem {
	dissections := fyne.NewMenuItem("Export Packet Dissections", nil)
	dissections.ChildMenu = fyne.NewMenu("", item("exportText"), item("exportCSV"), item("exportJSON"))
	return []*fyne.MenuItem{item("save"), item("saveAs"), fyne.NewMenuItemSeparator(), item("exportPkts"), dissections}
}

// editMenuItems returns the Edit menu's mark and comment items.
func (w *MainWindow) editMenuItems(item func(string) *fyne.MenuItem) []*fyne.MenuItem {
	return []*fyne.MenuItem{item("markAll"), item("unmarkAll"), item("nextMark"), item("prevMark"),
		fyne.NewMenuItemSeparator(), item("comment"), item("deleteCommts")}
}

// windowTitle is the title for the open file: "*name — Kaiseki" with
// unsaved changes, as Wireshark marks them.
func (w *MainWindow) windowTitle() string {
	name := w.sess.FileName()
	if name == "" {
		return "Kaiseki"
	}
	if w.sess.Dirty() {
		name = "*" + name
	}
	return name + " — Kaiseki"
}

// Save writes unsaved changes (packet comments, captured packets) to the
// open file, in its format; a live capture, or a pcap file whose comments
// it could not keep, goes to Save As.
func (w *MainWindow) Save() {
	in := w.sess.SaveInfo()
	switch {
	case in.Packets == 0 && in.Path == "":
		w.setMessage("Nothing to save")
	case in.Temporary || in.Path == "":
		w.ShowSaveAs()
	case !w.sess.Dirty():
		w.setMessage("No unsaved changes")
	case in.Format == capture.FormatPcap && in.Comments > 0:
		w.showSaveDialog("Save As", "The capture is a pcap file, which cannot hold packet comments: save it as pcapng to keep them.", false)
	default:
		w.SaveFile(in.Path, in.Format, capture.Selection{Set: capture.PacketsAll})
	}
}

// ShowSaveAs asks where and in which format to save every packet.
func (w *MainWindow) ShowSaveAs() { w.showSaveDialog("Save As", "", false) }

// ShowExportSpecified is Wireshark's Export Specified Packets: which
// packets (all, displayed, marked, a range), where and in which format.
func (w *MainWindow) ShowExportSpecified() { w.showSaveDialog("Export Specified Packets", "", true) }

// showSaveDialog is Save As (every packet) or, with choose, Export
// Specified Packets.
func (w *MainWindow) showSaveDialog(title, note string, choose bool) {
	in := w.sess.SaveInfo()
	if in.Packets == 0 {
		w.setMessage("Nothing to save")
		return
	}
	format := capture.FormatPcapNG
	if in.Format == capture.FormatPcap && in.Comments == 0 && in.LinkTypes <= 1 && !choose && note == "" {
		format = capture.FormatPcap
	}
	pp := newPathPicker(w, suggestPath(in.Path, w.Recent(), formatExt(format), choose))
	formatSel := widget.NewSelect(saveFormatNames, nil)
	warn := widget.NewLabel(note)
	warn.Wrapping = fyne.TextWrapWord
	var ps *packetSelector
	update := func() {
		f := saveFormats[max(0, formatSel.SelectedIndex())]
		pp.setExt(formatExt(f), ".pcap", ".pcapng")
		msg := note
		if f == capture.FormatPcap {
			switch {
			case in.LinkTypes > 1:
				msg = capture.ErrMixedLinkTypes.Error() + "."
			case in.Comments > 0:
				msg = fmt.Sprintf("pcap cannot hold packet comments: the comments of %d packets will be dropped (pcapng keeps them).", in.Comments)
			}
		}
		if ps != nil {
			if _, err := ps.selection(); err != nil {
				msg = err.Error()
			}
		}
		warn.SetText(msg)
	}
	formatSel.OnChanged = func(string) { update() }
	items := []*widget.FormItem{widget.NewFormItem("File", pp.box), widget.NewFormItem("Format", formatSel)}
	if choose {
		ps = newPacketSelector(in, update)
		items = append(items, widget.NewFormItem("Packets", ps.box))
	}
	items = append(items, widget.NewFormItem("", warn))
	formatSel.SetSelectedIndex(indexOf(saveFormats, format))
	d := dialog.NewForm(title, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		sel := capture.Selection{Set: capture.PacketsAll}
		if ps != nil {
			var err error
			if sel, err = ps.selection(); err != nil {
				dialog.ShowError(err, w.win)
				return
			}
		}
		f := saveFormats[max(0, formatSel.SelectedIndex())]
		if f == capture.FormatPcap && in.LinkTypes > 1 && sel.Set == capture.PacketsAll {
			// Refuse before writing anything; a subset may still fit.
			dialog.ShowError(capture.ErrMixedLinkTypes, w.win)
			return
		}
		w.confirmOverwrite(pp.path(), in.Path, func() { w.SaveFile(pp.path(), f, sel) })
	}, w.win)
	d.Resize(fyne.NewSize(720, 0))
	d.Show()
}

func indexOf[T comparable](s []T, v T) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return 0
}

// suggestPath proposes a file to save to: next to the open file (a new
// name for exports, the same for Save As), else in the folder of the most
// recent file, else the home folder.
func suggestPath(open string, recent []string, ext string, export bool) string {
	dir, base := "", "capture"
	switch {
	case open != "" && !strings.HasPrefix(filepath.Base(open), "."):
		dir = filepath.Dir(open)
		base = strings.TrimSuffix(filepath.Base(open), filepath.Ext(open))
		base = strings.TrimSuffix(base, ".pcapng")
		base = strings.TrimSuffix(base, ".pcap")
	case len(recent) > 0:
		dir = filepath.Dir(recent[0])
	}
	if dir == "" || strings.HasPrefix(dir, os.TempDir()) && open == "" {
		if h, err := os.UserHomeDir(); err == nil {
			dir = h
		}
	}
	if export {
		base += "-export"
	}
	return filepath.Join(dir, base+ext)
}

// confirmOverwrite runs do, first asking when path exists and is not the
// open file (saving onto the open file is what Save does).
func (w *MainWindow) confirmOverwrite(path, open string, do func()) {
	st, err := os.Stat(path)
	if err != nil || sameFile(path, open) {
		do()
		return
	}
	if st.IsDir() {
		dialog.ShowError(fmt.Errorf("%s is a folder: choose a file name", path), w.win)
		return
	}
	dialog.ShowConfirm("Replace file?", fmt.Sprintf("%s already exists. Replace it?", filepath.Base(path)), func(ok bool) {
		if ok {
			do()
		}
	}, w.win)
}

func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// SaveFile saves the packets sel picks to path in format f, in the
// background with a progress dialog and Cancel; the dialogs call it, and
// so do tests. Problems are shown in a dialog and the status bar: a
// failure leaves an existing file as it was.
func (w *MainWindow) SaveFile(path string, f capture.Format, sel capture.Selection) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	req := capture.SaveRequest{Path: path, Format: f, Packets: sel}
	w.runJob("Saving "+filepath.Base(path), func(ctx context.Context, progress func(int, int)) (string, error) {
		req.Progress = progress
		res, err := w.sess.Save(ctx, req)
		if err != nil {
			return "", err
		}
		msg := fmt.Sprintf("Saved %d packets to %s", res.Written, filepath.Base(path))
		if res.DroppedComments > 0 {
			msg += fmt.Sprintf(" · %d comments dropped (pcap cannot hold them)", res.DroppedComments)
		}
		return msg, nil
	}, func(msg string, err error) {
		if err != nil {
			return
		}
		if sel.Set == capture.PacketsAll && !sel.DisplayedOnly {
			w.addRecent(path)
		}
		if strings.Contains(msg, "comments dropped") {
			dialog.ShowInformation("Comments dropped", msg+".\nSave as pcapng to keep packet comments.", w.win)
		}
	})
}

// job is a background save or export: a progress dialog with Cancel while
// it runs, the outcome in the status bar, and errors in a dialog.
type job struct {
	mu     sync.Mutex
	done   int
	total  int
	posted bool
}

// runJob runs work on a goroutine (never the UI's). progress may be called
// from it at any rate: updates reach the dialog through w.post, at most
// one pending at a time. finish runs on the UI goroutine after the outcome
// was shown.
func (w *MainWindow) runJob(title string, work func(ctx context.Context, progress func(done, total int)) (string, error), finish func(msg string, err error)) {
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	label := widget.NewLabel(title + "…")
	cancelBtn := widget.NewButton("Cancel", cancel)
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(label, bar, cancelBtn), w.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
	j := &job{}
	update := func() {
		j.mu.Lock()
		done, total := j.done, j.total
		j.posted = false
		j.mu.Unlock()
		if total > 0 {
			bar.SetValue(float64(done) / float64(total))
			label.SetText(fmt.Sprintf("%s… %d of %d packets", title, done, total))
		}
	}
	progress := func(done, total int) {
		j.mu.Lock()
		j.done, j.total = done, total
		post := !j.posted
		j.posted = true
		j.mu.Unlock()
		if post {
			w.post(update)
		}
	}
	w.work.Add(1)
	go func() {
		defer w.work.Done()
		msg, err := work(ctx, progress)
		cancelled := ctx.Err() != nil && err != nil
		cancel()
		w.post(func() {
			d.Hide()
			switch {
			case cancelled:
				w.setMessage(title + ": cancelled, nothing was changed")
			case err != nil:
				w.setMessage(title + " failed: " + err.Error())
				dialog.ShowError(saveError(err), w.win)
			default:
				w.setMessage(msg)
			}
			w.win.SetTitle(w.windowTitle())
			if finish != nil {
				finish(msg, err)
			}
		})
	}()
}

// saveError phrases a failed save for a dialog: the reason, and that the
// previous file was kept.
func saveError(err error) error {
	switch {
	case errors.Is(err, capture.ErrMixedLinkTypes), errors.Is(err, capture.ErrNoPackets), errors.Is(err, capture.ErrBusy):
		return err
	}
	return fmt.Errorf("%w\n\nAny existing file was left as it was", err)
}

// pathPicker is a file path entry with a Browse button that picks the
// folder (Fyne's folder dialog does not touch any file).
type pathPicker struct {
	entry *widget.Entry
	box   *fyne.Container
}

func newPathPicker(w *MainWindow, initial string) *pathPicker {
	p := &pathPicker{entry: widget.NewEntry()}
	p.entry.SetText(initial)
	browse := widget.NewButton("Folder…", func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				return
			}
			p.entry.SetText(filepath.Join(l.Path(), filepath.Base(p.path())))
		}, w.win)
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(p.path()))); err == nil {
			fd.SetLocation(l)
		}
		fd.Resize(fyne.NewSize(800, 560))
		fd.Show()
	})
	p.box = container.NewBorder(nil, nil, nil, browse, p.entry)
	return p
}

func (p *pathPicker) path() string { return strings.TrimSpace(p.entry.Text) }

// setExt replaces a known extension of the file name with ext.
func (p *pathPicker) setExt(ext string, known ...string) {
	path := p.path()
	for _, k := range append(known, ".csv", ".json", ".txt") {
		if strings.HasSuffix(strings.ToLower(path), k) {
			p.entry.SetText(path[:len(path)-len(k)] + ext)
			return
		}
	}
}

// ConfirmUnsaved runs do at once when nothing is unsaved; otherwise it asks
// first (Save, Discard or Cancel), as Wireshark does before closing a file
// with comments or captured packets no file has. what says what is about to
// happen ("closing", "opening another file").
func (w *MainWindow) ConfirmUnsaved(what string, do func()) {
	if !w.sess.Dirty() {
		do()
		return
	}
	var d dialog.Dialog
	save := widget.NewButton("Save…", func() { d.Hide(); w.Save() })
	discard := widget.NewButton("Discard changes", func() { d.Hide(); do() })
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	msg := widget.NewLabel(fmt.Sprintf("The capture has unsaved changes (packet comments or captured packets).\nSave them before %s?", what))
	d = dialog.NewCustomWithoutButtons("Unsaved changes", container.NewVBox(msg, container.NewHBox(save, discard, cancel)), w.win)
	d.Show()
}
