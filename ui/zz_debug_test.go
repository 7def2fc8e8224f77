package ui

import (
	"image/png"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

func TestZZDebugStart(t *testing.T) {
	w := newTestWindow(t)
	w.Window().Resize(fyne.NewSize(1280, 820))
	start := time.Now()
	img := w.Window().Canvas().Capture()
	t.Log(time.Since(start), w.Start.content.MinSize())
	f, _ := os.Create("/tmp/shots/start-test.png")
	png.Encode(f, img)
	f.Close()
}
