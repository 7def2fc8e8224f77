//go:build !cgo

package pcapdev

import "errors"

// List reports ErrNoLibpcap in builds without cgo.
func List() ([]Device, error) { return nil, ErrNoLibpcap }

// CheckFilter reports ErrNoLibpcap in builds without cgo.
func CheckFilter(uint16, int, string) error { return ErrNoLibpcap }

// Handle is an open interface (never returned by this build).
type Handle struct{}

// Open reports ErrNoLibpcap in builds without cgo.
func Open(Config) (*Handle, error) { return nil, ErrNoLibpcap }

// LinkType is never called in this build.
func (h *Handle) LinkType() uint16 { return 0 }

// ErrTimeout is returned by Read when no packet arrived in time.
var ErrTimeout = errors.New("read timeout")

// Read is never called in this build.
func (h *Handle) Read() ([]byte, int64, int, error) { return nil, 0, 0, ErrNoLibpcap }

// Stats is never called in this build.
func (h *Handle) Stats() (recv, drop, ifDrop uint64, err error) { return 0, 0, 0, ErrNoLibpcap }

// Close is never called in this build.
func (h *Handle) Close() {}
