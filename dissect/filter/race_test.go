//go:build race

package filter

// The race detector's instrumentation allocates; allocation counts are
// checked in normal builds only.
func init() { raceEnabled = true }
