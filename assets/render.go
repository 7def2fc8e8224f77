//go:build ignore

// Render renders icon.svg to icon.png (512×512) with the SVG rasteriser
// Fyne itself uses, so no external tool is needed:
//
//	go run ./assets/render.go
package main

import (
	"image"
	"image/png"
	"log"
	"os"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

func main() {
	const size = 512
	icon, err := oksvg.ReadIcon("assets/icon.svg", oksvg.StrictErrorMode)
	if err != nil {
		log.Fatal(err)
	}
	icon.SetTarget(0, 0, size, size)
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	sc := rasterx.NewScannerGV(size, size, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(size, size, sc), 1)
	f, err := os.Create("assets/icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
