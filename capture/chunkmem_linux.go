//go:build linux && !race

package capture

import (
	"syscall"
	"unsafe"
)

// A chunk is 2 MiB, the size of an x86-64 and arm64 huge page. On the Go
// heap it would be faulted in 4 KiB at a time: 512 page faults per 65 536
// packets, which on virtual machines cost ~10 µs each (over a second of
// CPU for a 10M-packet file). Mapped on its own and 2 MiB-aligned, with
// MADV_HUGEPAGE (transparent huge pages are "madvise" on most
// distributions), it takes one. (The race detector ignores memory outside
// the Go heap, so race builds keep chunks there: chunkmem_other.go.)

const hugePage = 2 << 20

// newChunk returns a zeroed chunk and the mapping to give to freeChunk, or
// a chunk on the Go heap and nil when mapping fails.
func newChunk() (*chunk, []byte) {
	size := int(unsafe.Sizeof(chunk{}))
	if size%hugePage != 0 {
		return new(chunk), nil
	}
	// Map a huge page more than needed and use its aligned part; the
	// rest is address space only, released with it by freeChunk.
	m, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return new(chunk), nil
	}
	head := int((hugePage - uintptr(unsafe.Pointer(unsafe.SliceData(m)))%hugePage) % hugePage)
	c := m[head : head+size : head+size]
	_ = syscall.Madvise(c, madvHugePage) // only a hint: 4 KiB pages otherwise
	return (*chunk)(unsafe.Pointer(unsafe.SliceData(c))), m
}

// madvHugePage is MADV_HUGEPAGE, which package syscall does not name.
const madvHugePage = 14

func freeChunk(m []byte) { _ = syscall.Munmap(m) }
