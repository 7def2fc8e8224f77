//go:build cgo

package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/kaiseki-app/kaiseki/assets"
	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/ui"
)

// appID is the application's unique ID; preferences (recent files) are
// stored under it.
const appID = "app.kaiseki.kaiseki"

// runGUI opens the main window, loading file when one is given. Four
// environment variables drive it for scripted screenshots:
// KAISEKI_SELECT=N selects packet N once loaded, KAISEKI_FIELD=abbrev then
// selects that field in the details pane, KAISEKI_FILTER applies a display
// filter, and KAISEKI_CAPTURE=IFACE starts a live capture on IFACE
// (stopping after KAISEKI_CAPTURE_SECONDS when set).
func runGUI(file string) int {
	// The same metadata as FyneApp.toml, so a plain `go build` binary gets
	// the fyneDo migration (faster tables, no thread-check overhead) too.
	app.SetMetadata(fyne.AppMetadata{
		ID: appID, Name: "Kaiseki", Version: version, Build: 1,
		Icon:       fyne.NewStaticResource("icon.png", assets.IconPNG),
		Migrations: map[string]bool{"fyneDo": true},
	})
	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := ui.NewMainWindow(a)
	if flt := os.Getenv("KAISEKI_FILTER"); flt != "" {
		if err := w.SetDisplayFilter(flt); err != nil {
			fmt.Fprintf(os.Stderr, "kaiseki: KAISEKI_FILTER: %v\n", err)
		}
	}
	iface := strings.TrimSpace(os.Getenv("KAISEKI_CAPTURE"))
	switch {
	case file != "":
		w.Open(file)
	case iface != "":
		secs, _ := strconv.Atoi(os.Getenv("KAISEKI_CAPTURE_SECONDS"))
		w.CaptureOn(iface, time.Duration(secs)*time.Second)
	default:
		// Captures that did not end cleanly left their packets behind.
		if spools, err := capture.OrphanSpools(""); err == nil && len(spools) > 0 {
			w.OfferRecovery(spools)
		}
	}
	if n, err := strconv.Atoi(os.Getenv("KAISEKI_SELECT")); err == nil {
		field := strings.TrimSpace(os.Getenv("KAISEKI_FIELD"))
		w.WhenLoaded(func() {
			w.SelectPacket(n)
			if field != "" {
				w.SelectField(field)
			}
		})
	}
	if file == "" && iface == "" {
		w.Start.StartSampling(fyne.Do)
	}
	w.Window().ShowAndRun()
	return 0
}
