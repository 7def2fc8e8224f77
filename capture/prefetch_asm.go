//go:build amd64 || arm64

package capture

// prefetch hints that the n bytes at p (n > 0) will be read soon; it never
// faults, whatever p points to.
//
//go:noescape
func prefetch(p *byte, n uintptr)
