package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/capture"
)

// packetSelector is the "Packet Range" part of Wireshark's export dialogs:
// all, displayed, marked or a range of frame numbers, optionally only the
// displayed ones among marked or ranged packets.
type packetSelector struct {
	info      capture.SaveInfo
	radio     *widget.RadioGroup
	rng       *widget.Entry
	displayed *widget.Check
	box       *fyne.Container
}

const (
	optAll       = "All packets"
	optDisplayed = "Displayed packets"
	optMarked    = "Marked packets only"
	optRange     = "Range (e.g. 1-100,250):"
)

func newPacketSelector(in capture.SaveInfo, changed func()) *packetSelector {
	ps := &packetSelector{info: in, rng: widget.NewEntry(), displayed: widget.NewCheck("Displayed only", nil)}
	labels := []string{
		fmt.Sprintf("%s (%d)", optAll, in.Packets),
		fmt.Sprintf("%s (%d)", optDisplayed, in.Displayed),
		fmt.Sprintf("%s (%d)", optMarked, in.Marked),
		optRange,
	}
	ps.radio = widget.NewRadioGroup(labels, func(string) {
		if changed != nil {
			changed()
		}
	})
	ps.radio.Required = true
	ps.rng.SetPlaceHolder(fmt.Sprintf("1-%d", in.Packets))
	ps.rng.OnChanged = func(string) {
		if ps.radio.Selected != optRange {
			ps.radio.SetSelected(optRange)
		}
		if changed != nil {
			changed()
		}
	}
	ps.displayed.OnChanged = func(bool) {
		if changed != nil {
			changed()
		}
	}
	if in.Displayed < in.Packets {
		// A display filter is in effect: export what it shows, as
		// Wireshark preselects.
		ps.radio.SetSelected(labels[1])
	} else {
		ps.radio.SetSelected(labels[0])
	}
	ps.box = container.NewVBox(ps.radio, ps.rng, ps.displayed)
	return ps
}

// selection returns what the widgets say, or why it cannot be used (a bad
// range, no marked packets).
func (ps *packetSelector) selection() (capture.Selection, error) {
	sel := capture.Selection{DisplayedOnly: ps.displayed.Checked}
	switch {
	case strings.HasPrefix(ps.radio.Selected, optDisplayed):
		sel.Set = capture.PacketsDisplayed
	case strings.HasPrefix(ps.radio.Selected, optMarked):
		sel.Set = capture.PacketsMarked
		if ps.info.Marked == 0 {
			return sel, errors.New("no packet is marked (Ctrl+M marks the selected packet)")
		}
	case ps.radio.Selected == optRange:
		sel.Set, sel.Range = capture.PacketsRange, ps.rng.Text
		if _, err := capture.ParseRange(sel.Range, ps.info.Packets); err != nil {
			return sel, err
		}
	default:
		sel.Set = capture.PacketsAll
	}
	return sel, nil
}

// exportFormats are the dissection formats, in the menu's order.
var exportFormats = []capture.ExportFormat{capture.ExportText, capture.ExportCSV, capture.ExportJSON}

// ShowExportDissections is File → Export Packet Dissections: the packet
// list as CSV, or the trees as plain text (like tshark -V) or JSON (like
// tshark -T json), for the packets chosen.
func (w *MainWindow) ShowExportDissections(f capture.ExportFormat) {
	in := w.sess.SaveInfo()
	if in.Packets == 0 {
		w.setMessage("Nothing to export")
		return
	}
	pp := newPathPicker(w, suggestPath(in.Path, w.Recent(), f.Ext(), true))
	names := make([]string, len(exportFormats))
	for i, x := range exportFormats {
		names[i] = x.String()
	}
	formatSel := widget.NewSelect(names, nil)
	warn := widget.NewLabel("")
	warn.Wrapping = fyne.TextWrapWord
	ps := newPacketSelector(in, nil)
	update := func() {
		pp.setExt(exportFormats[max(0, formatSel.SelectedIndex())].Ext(), ".pcap", ".pcapng")
		if _, err := ps.selection(); err != nil {
			warn.SetText(err.Error())
		} else {
			warn.SetText("")
		}
	}
	formatSel.OnChanged = func(string) { update() }
	ps.radio.OnChanged = func(string) { update() }
	formatSel.SetSelectedIndex(indexOf(exportFormats, f))
	items := []*widget.FormItem{
		widget.NewFormItem("File", pp.box), widget.NewFormItem("Format", formatSel),
		widget.NewFormItem("Packets", ps.box), widget.NewFormItem("", warn),
	}
	d := dialog.NewForm("Export Packet Dissections", "Export", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		sel, err := ps.selection()
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		path := pp.path()
		format := exportFormats[max(0, formatSel.SelectedIndex())]
		w.confirmOverwrite(path, "", func() { w.ExportFile(path, format, sel) })
	}, w.win)
	d.Resize(fyne.NewSize(720, 0))
	d.Show()
}

// ExportFile exports the dissections of the packets sel picks to path in
// the background, with a progress dialog and Cancel. CSV has the packet
// list's columns and shows times as the Time column does.
func (w *MainWindow) ExportFile(path string, f capture.ExportFormat, sel capture.Selection) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	tf := w.Table.TimeFormat()
	opt := capture.ExportOptions{
		Format: f,
		Cell:   func(r *capture.Row, c capture.Column) string { return cellText(r, c, tf) },
	}
	w.runJob("Exporting "+filepath.Base(path), func(ctx context.Context, progress func(int, int)) (string, error) {
		opt.Progress = progress
		n, err := w.sess.Export(ctx, path, sel, opt)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Exported %d packets as %s to %s", n, f, filepath.Base(path)), nil
	}, nil)
}
