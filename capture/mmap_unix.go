//go:build unix && !linux

package capture

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only so packet bytes can be sliced without
// copies or per-packet system calls.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	n, err := mapLen(size)
	if err != nil {
		return nil, nil, err
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, n, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
