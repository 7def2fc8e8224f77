//go:build !amd64 && !arm64

package capture

// prefetch does nothing where we have no prefetch instruction to issue.
func prefetch(p *byte, n uintptr) {}
