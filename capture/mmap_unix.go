//go:build unix && !linux

package capture

import (
	"errors"
	"os"
	"syscall"
)

// mapFile maps a file read-only so packet bytes can be sliced without
// copies or per-packet system calls.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size == 0 {
		return nil, nil, errors.New("empty file")
	}
	if int64(int(size)) != size {
		return nil, nil, errors.New("file too large to map")
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}
