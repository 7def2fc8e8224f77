//go:build !cgo

package main

import (
	"fmt"
	"os"
)

// runGUI reports that this build has no window: Fyne's OpenGL driver needs
// cgo. The command line (-r) works in every build.
func runGUI(string) int {
	fmt.Fprintln(os.Stderr, "kaiseki: this build has no window (built without cgo); use -r FILE")
	return 1
}
