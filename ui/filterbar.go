package ui

import (
	"errors"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiseki-app/kaiseki/dissect"
	"github.com/kaiseki-app/kaiseki/dissect/filter"
)

const (
	prefFilterHistory = "displayFilterHistory"
	maxFilterHistory  = 30
	maxCompletions    = 200
	completionRows    = 10
)

// filterValidity is the filter bar's colour: Wireshark paints the entry
// green for a filter that compiles and red for one that does not.
type filterValidity uint8

const (
	filterEmpty filterValidity = iota
	filterValid
	filterInvalid
)

// filterBar is the display-filter toolbar above the packet list: an entry
// checked as you type (debounced) with the error shown under it,
// completion of field and protocol names in a list floating over the
// window, the history of applied filters (kept in Preferences), and Apply
// and Clear buttons. Applying runs in the Session in the background.
type filterBar struct {
	w       *MainWindow
	box     *fyne.Container
	entry   *filterEntry
	tint    *container.ThemeOverride
	msg     *widget.Label
	msgRow  *fyne.Container // the error, floating under the entry's right end
	msgBG   *canvas.Rectangle
	apply   *widget.Button
	clear   *widget.Button
	history *widget.Button

	validity filterValidity
	err      error  // the compile error of the text, if any
	applied  string // the filter last applied (re-applied to the next capture)

	// Completion: a list in a layer above the window content, so that the
	// entry keeps the keyboard focus while it is shown.
	layer   *fyne.Container
	popup   *fyne.Container
	list    *widget.List
	cands   []string
	hilite  int // highlighted candidate (-1 for none)
	setting bool

	debounce time.Duration // 0 checks synchronously (tests)
	timer    *time.Timer
	seq      int
}

func newFilterBar(w *MainWindow) *filterBar {
	b := &filterBar{w: w, hilite: -1, debounce: 150 * time.Millisecond}
	b.entry = newFilterEntry(b)
	b.entry.SetPlaceHolder("Apply a display filter … <Ctrl-/>   e.g. tcp.port == 443 && ip.addr == 10.0.0.0/8")
	b.entry.OnChanged = b.changed
	b.entry.OnSubmitted = func(string) { b.Apply() }
	b.tint = container.NewThemeOverride(b.entry, &tintTheme{})
	b.apply = widget.NewButtonWithIcon("Apply", theme.NavigateNextIcon(), b.Apply)
	b.clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), b.Clear)
	b.history = widget.NewButtonWithIcon("", theme.HistoryIcon(), b.showHistory)
	b.msg = widget.NewLabel("")
	b.msg.Importance = widget.DangerImportance
	b.msgBG = canvas.NewRectangle(color.Transparent)
	b.msgBG.CornerRadius = 4
	b.msgRow = container.NewStack(b.msgBG, b.msg)
	b.msgRow.Hide()
	icon := widget.NewIcon(theme.SearchIcon())
	bar := container.NewBorder(nil, nil, icon, container.NewHBox(b.history, b.clear, b.apply), b.tint)
	b.box = container.NewVBox(bar)

	b.list = widget.NewList(
		func() int { return len(b.cands) },
		func() fyne.CanvasObject { return newTextCell() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(b.cands) {
				return
			}
			th := b.list.Theme()
			v := fyne.CurrentApp().Settings().ThemeVariant()
			fg, bg := th.Color(theme.ColorNameForeground, v), color.Color(color.Transparent)
			if id == b.hilite {
				fg, bg = color.White, th.Color(theme.ColorNamePrimary, v)
			}
			o.(*textCell).set(b.cands[id], fg, bg, fyne.TextAlignLeading)
		})
	b.list.OnSelected = func(id widget.ListItemID) {
		b.list.Unselect(id)
		if id >= 0 && id < len(b.cands) {
			b.complete(b.cands[id])
		}
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	b.popup = container.NewStack(bg, b.list)
	b.popup.Hide()
	b.layer = container.NewWithoutLayout(b.msgRow, b.popup)
	return b
}

// overlay returns content with the completion layer above it.
func (b *filterBar) overlay(content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(content, b.layer)
}

// Text returns the text in the entry.
func (b *filterBar) Text() string { return b.entry.Text }

// setText replaces the entry's text without opening the completion list.
func (b *filterBar) setText(s string) {
	b.setting = true
	b.entry.SetText(s)
	b.entry.CursorColumn = len([]rune(s))
	b.entry.Refresh()
	b.setting = false
	b.hideCompletion()
	b.validate()
}

// changed runs on every edit: validation and completion wait until typing
// pauses for the debounce time.
func (b *filterBar) changed(string) {
	if b.setting {
		return
	}
	if b.debounce <= 0 {
		b.validate()
		b.updateCompletion()
		return
	}
	b.seq++
	seq := b.seq
	if b.timer != nil {
		b.timer.Stop()
	}
	b.timer = time.AfterFunc(b.debounce, func() {
		b.w.post(func() {
			if seq == b.seq {
				b.validate()
				b.updateCompletion()
			}
		})
	})
}

// validate compiles the text and paints the entry green or red, with the
// error and its column under it.
func (b *filterBar) validate() {
	text := strings.TrimSpace(b.entry.Text)
	b.err = nil
	switch {
	case text == "":
		b.validity = filterEmpty
	default:
		if _, err := filter.Compile(text, dissect.Fields()); err != nil {
			b.validity, b.err = filterInvalid, err
		} else {
			b.validity = filterValid
		}
	}
	if b.err != nil {
		b.msg.SetText(filterErrorText(b.err))
		b.placeMessage()
		b.msgRow.Show()
	} else {
		b.msg.SetText("")
		b.msgRow.Hide()
	}
	b.layer.Refresh()
	b.tint.Theme = &tintTheme{bg: validityColor(b.validity)}
	b.tint.Refresh()
}

// placeMessage puts the error under the right end of the entry, like a
// tooltip, so that the packet list does not move while typing.
func (b *filterBar) placeMessage() {
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(b.entry).Subtract(d.AbsolutePositionForObject(b.layer))
	th := b.msg.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	b.msgBG.FillColor = th.Color(theme.ColorNameOverlayBackground, v)
	b.msgBG.StrokeColor = th.Color(theme.ColorNameError, v)
	b.msgBG.StrokeWidth = 1
	size := b.msg.MinSize()
	size.Width = min(size.Width, b.entry.Size().Width)
	x := at.X + b.entry.Size().Width - size.Width
	b.msgRow.Move(fyne.NewPos(max(x, at.X), at.Y+b.entry.Size().Height+2))
	b.msgRow.Resize(size)
}

// filterErrorText is a compile error as the bar shows it: the column and
// the message.
func filterErrorText(err error) string {
	var fe *filter.Error
	if errors.As(err, &fe) {
		return fe.Error()
	}
	return err.Error()
}

// validityColor returns the entry background for v (nil: the theme's).
func validityColor(v filterValidity) color.Color {
	dark := fyne.CurrentApp().Settings().ThemeVariant() == theme.VariantDark
	switch v {
	case filterValid:
		if dark {
			return color.NRGBA{0x1f, 0x55, 0x2a, 0xff}
		}
		return color.NRGBA{0xaf, 0xff, 0xaf, 0xff} // Wireshark's
	case filterInvalid:
		if dark {
			return color.NRGBA{0x6e, 0x23, 0x23, 0xff}
		}
		return color.NRGBA{0xff, 0xaf, 0xaf, 0xff}
	}
	return nil
}

// Validity reports the bar's colour state and the compile error (tests).
func (b *filterBar) Validity() (filterValidity, error) { return b.validity, b.err }

// Apply applies the text in the bar: a filter that does not compile is
// shown red and not applied; an empty one shows every packet.
func (b *filterBar) Apply() {
	b.hideCompletion()
	text := strings.TrimSpace(b.entry.Text)
	f, err := filter.Compile(text, dissect.Fields())
	b.validate()
	if err != nil {
		return
	}
	b.applied = text
	if text != "" {
		b.addHistory(text)
	}
	b.w.sess.SetFilter(text, f)
}

// Clear empties the bar and shows every packet.
func (b *filterBar) Clear() {
	b.setText("")
	b.Apply()
}

// reapply applies the last applied filter to a newly opened file or a new
// capture, as Wireshark keeps the display filter across files.
func (b *filterBar) reapply() {
	if b.applied == "" {
		return
	}
	if f, err := filter.Compile(b.applied, dissect.Fields()); err == nil {
		b.w.sess.SetFilter(b.applied, f)
	}
}

// History returns the applied filters, most recent first.
func (b *filterBar) History() []string {
	return b.w.app.Preferences().StringList(prefFilterHistory)
}

func (b *filterBar) addHistory(text string) {
	list := []string{text}
	for _, h := range b.History() {
		if h != text && len(list) < maxFilterHistory {
			list = append(list, h)
		}
	}
	b.w.app.Preferences().SetStringList(prefFilterHistory, list)
}

// historyMenu lists the applied filters; choosing one applies it.
func (b *filterBar) historyMenu() *fyne.Menu {
	m := fyne.NewMenu("")
	for _, h := range b.History() {
		m.Items = append(m.Items, fyne.NewMenuItem(h, func() {
			b.setText(h)
			b.Apply()
		}))
	}
	if len(m.Items) == 0 {
		it := fyne.NewMenuItem("No filters applied yet", nil)
		it.Disabled = true
		m.Items = append(m.Items, it)
	} else {
		m.Items = append(m.Items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Clear History", func() {
			b.w.app.Preferences().SetStringList(prefFilterHistory, nil)
		}))
	}
	return m
}

func (b *filterBar) showHistory() {
	c := b.w.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.history)
	pos.Y += b.history.Size().Height
	widget.ShowPopUpMenuAtPosition(b.historyMenu(), c, pos)
}

// wordStart returns where the field name being typed before the cursor
// starts, as filter.Complete sees it.
func wordStart(s string) int {
	i := len(s)
	for i > 0 {
		c := s[i-1]
		if c == '.' || c == '-' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			i--
			continue
		}
		break
	}
	return i
}

// beforeCursor returns the entry's text up to the cursor (one line).
func (b *filterBar) beforeCursor() string {
	r := []rune(b.entry.Text)
	col := min(max(b.entry.CursorColumn, 0), len(r))
	return string(r[:col])
}

// updateCompletion shows the names that complete the word before the
// cursor, or hides the list when there is none.
func (b *filterBar) updateCompletion() {
	before := b.beforeCursor()
	word := before[wordStart(before):]
	if word == "" || word[0] >= '0' && word[0] <= '9' || !b.focused() {
		b.hideCompletion()
		return
	}
	cands := filter.Complete(before)
	if len(cands) > maxCompletions {
		cands = cands[:maxCompletions]
	}
	if len(cands) == 0 {
		b.hideCompletion()
		return
	}
	b.cands, b.hilite = cands, -1
	b.list.Refresh()
	b.list.ScrollToTop()
	b.placePopup()
	b.popup.Show()
	b.layer.Refresh()
}

// focused reports whether the entry has the keyboard focus (completion is
// for typing, not for text set by a menu).
func (b *filterBar) focused() bool {
	return b.w.win.Canvas().Focused() == b.entry
}

// placePopup puts the completion list under the entry, as wide as the
// longest name needs.
func (b *filterBar) placePopup() {
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(b.entry).Subtract(d.AbsolutePositionForObject(b.layer))
	rowH := newTextCell().MinSize().Height + b.list.Theme().Size(theme.SizeNamePadding)
	n := min(len(b.cands), completionRows)
	width := float32(260)
	for _, c := range b.cands[:n] {
		width = max(width, fyne.MeasureText(c, theme.TextSize(), fyne.TextStyle{}).Width+40)
	}
	v := fyne.CurrentApp().Settings().ThemeVariant()
	bg := b.popup.Objects[0].(*canvas.Rectangle)
	bg.FillColor = b.list.Theme().Color(theme.ColorNameOverlayBackground, v)
	bg.StrokeColor = b.list.Theme().Color(theme.ColorNameInputBorder, v)
	b.popup.Move(fyne.NewPos(at.X+8, at.Y+b.entry.Size().Height))
	b.popup.Resize(fyne.NewSize(min(width, 600), float32(n)*rowH+4))
}

func (b *filterBar) hideCompletion() {
	if b.popup.Visible() {
		b.popup.Hide()
		b.layer.Refresh()
	}
	b.cands, b.hilite = nil, -1
}

// Completions returns the names the list offers (tests).
func (b *filterBar) Completions() []string {
	if !b.popup.Visible() {
		return nil
	}
	return b.cands
}

// complete replaces the word before the cursor with name.
func (b *filterBar) complete(name string) {
	r := []rune(b.entry.Text)
	col := min(max(b.entry.CursorColumn, 0), len(r))
	before, after := string(r[:col]), string(r[col:])
	before = before[:wordStart(before)] + name
	b.setting = true
	b.entry.SetText(before + after)
	b.entry.CursorColumn = len([]rune(before))
	b.entry.Refresh()
	b.setting = false
	b.hideCompletion()
	b.validate()
	b.w.win.Canvas().Focus(b.entry)
}

// moveHighlight moves the completion highlight by delta.
func (b *filterBar) moveHighlight(delta int) {
	if len(b.cands) == 0 {
		return
	}
	b.hilite = (b.hilite + delta + len(b.cands)) % len(b.cands)
	if b.hilite < 0 {
		b.hilite = 0
	}
	b.list.Refresh()
	b.list.ScrollTo(b.hilite)
}

// filterEntry is the bar's entry: with the completion list open, Up/Down
// move through it, Tab or Return take the highlighted name and Escape
// closes it.
type filterEntry struct {
	widget.Entry
	bar *filterBar
}

func newFilterEntry(b *filterBar) *filterEntry {
	e := &filterEntry{bar: b}
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab implements fyne.Tabbable: Tab completes while the list is open.
func (e *filterEntry) AcceptsTab() bool { return e.bar.popup.Visible() }

// TypedKey implements fyne.Focusable.
func (e *filterEntry) TypedKey(ev *fyne.KeyEvent) {
	b := e.bar
	if b.popup.Visible() {
		switch ev.Name {
		case fyne.KeyDown:
			b.moveHighlight(1)
			return
		case fyne.KeyUp:
			b.moveHighlight(-1)
			return
		case fyne.KeyEscape:
			b.hideCompletion()
			return
		case fyne.KeyTab:
			h := max(b.hilite, 0)
			b.complete(b.cands[h])
			return
		case fyne.KeyReturn, fyne.KeyEnter:
			if b.hilite >= 0 {
				b.complete(b.cands[b.hilite])
				return
			}
		}
	}
	e.Entry.TypedKey(ev)
}

// FocusLost implements fyne.Focusable: the list closes with the focus,
// a moment later so that a click in the list still picks its name.
func (e *filterEntry) FocusLost() {
	e.Entry.FocusLost()
	b := e.bar
	if !b.popup.Visible() {
		return
	}
	time.AfterFunc(300*time.Millisecond, func() {
		b.w.post(func() {
			if !b.focused() {
				b.hideCompletion()
			}
		})
	})
}

// tintTheme is the current theme with the entry background replaced.
type tintTheme struct{ bg color.Color }

func (t *tintTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t *tintTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameInputBackground && t.bg != nil {
		return t.bg
	}
	if n == theme.ColorNameForeground && t.bg != nil && v != theme.VariantDark {
		return color.Black
	}
	return t.base().Color(n, v)
}

func (t *tintTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base().Font(s) }
func (t *tintTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }
func (t *tintTheme) Size(n fyne.ThemeSizeName) float32       { return t.base().Size(n) }

// SetDisplayFilter puts text in the filter bar and applies it; a filter
// that does not compile is shown red and its error returned.
func (w *MainWindow) SetDisplayFilter(text string) error {
	w.filter.setText(text)
	w.filter.Apply()
	_, err := w.filter.Validity()
	return err
}
