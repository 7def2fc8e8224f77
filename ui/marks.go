package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Marks and packet comments: next/previous mark, the comment dialog, and
// the packet list's context menu.

// GoToMark selects the next marked packet after the selection (the
// previous one with backward), wrapping around, as Wireshark's Next Mark.
func (w *MainWindow) GoToMark(backward bool) {
	_, from := w.sess.Selected()
	pos := w.sess.NextMarked(from, backward)
	if pos < 0 {
		w.setMessage("No displayed packet is marked")
		return
	}
	w.sess.SelectPos(pos)
	w.Table.ScrollToSelected()
}

// ShowCommentDialog edits the selected packet's comment in a multi-line
// entry (an empty text deletes it).
func (w *MainWindow) ShowCommentDialog() {
	idx, _ := w.sess.Selected()
	if idx < 0 {
		w.setMessage("Select a packet to comment on")
		return
	}
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(6)
	if c := w.sess.Comments(idx); len(c) > 0 {
		e.SetText(c[0])
	}
	e.SetPlaceHolder("Comment saved with the packet in pcapng files")
	d := dialog.NewForm(fmt.Sprintf("Packet %d comment", idx+1), "OK", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("", e)}, func(ok bool) {
			if ok {
				w.SetPacketComment(e.Text)
			}
		}, w.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	w.win.Canvas().Focus(e)
}

// SetPacketComment sets the selected packet's comment to text (the first
// one, when it has several; "" deletes them all), as the comment dialog's
// OK does, and shows the new tree.
func (w *MainWindow) SetPacketComment(text string) {
	idx, _ := w.sess.Selected()
	if idx < 0 {
		w.setMessage("Select a packet to comment on")
		return
	}
	var cs []string
	if strings.TrimSpace(text) != "" {
		cs = append([]string{text}, tail(w.sess.Comments(idx))...)
	}
	if err := w.sess.SetComments(idx, cs); err != nil {
		w.setMessage(err.Error())
		return
	}
	w.shown = -1 // same packet, new tree
	w.showSelected()
	w.win.SetTitle(w.windowTitle())
}

func tail(s []string) []string {
	if len(s) < 2 {
		return nil
	}
	return s[1:]
}

// showRowMenu is the packet list's context menu for view row pos: the row
// is selected first, as in Wireshark.
func (w *MainWindow) showRowMenu(pos int, ev *fyne.PointEvent) {
	i := w.sess.IndexAt(pos)
	if i < 0 {
		return
	}
	w.sess.Select(i)
	markLabel := "Mark Packet"
	if w.sess.Marked(i) {
		markLabel = "Unmark Packet"
	}
	commentLabel := "Packet Comment…"
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(markLabel, func() { w.sess.ToggleMark(i) }),
		fyne.NewMenuItem("Mark All Displayed", func() { w.sess.MarkDisplayed(true) }),
		fyne.NewMenuItem("Unmark All Displayed", func() { w.sess.MarkDisplayed(false) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(commentLabel, w.ShowCommentDialog),
	}
	if len(w.sess.Comments(i)) > 0 {
		items = append(items, fyne.NewMenuItem("Delete Packet Comments", func() { w.SetPacketComment("") }))
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), w.win.Canvas(), ev.AbsolutePosition)
}
