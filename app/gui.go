//go:build cgo

package main

import (
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/kaiseki-app/kaiseki/assets"
	"github.com/kaiseki-app/kaiseki/ui"
)

// appID is the application's unique ID; preferences (recent files) are
// stored under it.
const appID = "app.kaiseki.kaiseki"

// runGUI opens the main window, loading file when one is given. Two
// environment variables drive it for scripted screenshots:
// KAISEKI_SELECT=N selects packet N once loaded, KAISEKI_FIELD=abbrev then
// selects that field in the details pane.
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
	if file != "" {
		w.Open(file)
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
	if file == "" {
		w.Start.StartSampling(fyne.Do)
	}
	w.Window().ShowAndRun()
	return 0
}
