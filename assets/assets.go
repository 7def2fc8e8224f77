// Package assets holds Kaiseki's own artwork. icon.png is rendered from
// icon.svg by `go run ./assets/render.go`.
package assets

import _ "embed"

// IconPNG is the application icon, 512×512.
//
//go:embed icon.png
var IconPNG []byte
