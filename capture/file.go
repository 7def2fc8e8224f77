package capture

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// File is a capture file opened for indexing. Its Store grows while Load
// runs and can be read concurrently.
type File struct {
	Path    string
	Format  Format
	Gzipped bool
	Size    int64 // bytes on disk
	Store   *Store

	// Warning is set by Load when the file could be read only in part
	// (e.g. "truncated after packet 6: ..."). The packets before it are kept.
	Warning string

	f     *os.File
	unmap func() error
	mem   []byte
	rd    *Reader
}

// Open opens a capture file and reads its header. It fails with a wrapped
// ErrNotCapture for files that are not captures, and with the OS error for
// missing or unreadable ones.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("open %s: is a directory", path)
	}
	cf := &File{Path: path, Size: st.Size(), f: f}
	var head [2]byte
	n, _ := f.ReadAt(head[:], 0)
	if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
		// Packet bytes must be addressable by offset, so a compressed file
		// is inflated into memory once.
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("open %s: gzip: %w", path, err)
		}
		var buf bytes.Buffer
		_, cerr := io.Copy(&buf, zr)
		if cerr != nil && !errors.Is(cerr, io.ErrUnexpectedEOF) {
			f.Close()
			return nil, fmt.Errorf("open %s: gzip: %w", path, cerr)
		}
		cf.mem = buf.Bytes()
		cf.Gzipped = true
	} else if m, unmap, err := mapFile(f, st.Size()); err == nil {
		cf.mem, cf.unmap = m, unmap
	}
	var src io.Reader
	if cf.mem != nil {
		cf.Store = NewStore(MemSource(cf.mem))
		src = bytes.NewReader(cf.mem)
	} else {
		cf.Store = NewStore(ReaderAtSource{R: f})
		src = io.NewSectionReader(f, 0, st.Size())
	}
	rd, err := NewReader(src, path)
	if err != nil {
		cf.Close()
		return nil, err
	}
	cf.rd, cf.Format = rd, rd.Format()
	cf.Store.SetInterfaces(rd.Interfaces())
	return cf, nil
}

// Visit is called by Load for each packet after it was added to the Store;
// i is its 0-based index and data its bytes (valid only during the call).
// Returning an error stops the load.
type Visit func(i int, rec Record, data []byte) error

// Load indexes every packet of the file into Store, calling visit (which
// may be nil) for each one. A file that ends inside a packet sets Warning
// and returns nil; a cancelled ctx returns ctx.Err() with the packets read
// so far kept.
func (cf *File) Load(ctx context.Context, visit Visit) error {
	nIfs := len(cf.rd.Interfaces())
	for i := 0; ; i++ {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, data, err := cf.rd.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			cf.Warning = err.Error()
			if errors.Is(err, ErrTruncated) {
				return nil
			}
			return nil
		}
		if ifs := cf.rd.Interfaces(); len(ifs) != nIfs {
			cf.Store.SetInterfaces(ifs)
			nIfs = len(ifs)
		}
		idx := cf.Store.Len()
		cf.Store.Append(rec)
		if visit != nil {
			if err := visit(idx, rec, data); err != nil {
				return err
			}
		}
	}
}

// Offset reports how many bytes of the (decompressed) stream Load has
// consumed, for progress bars; compare with DataSize.
func (cf *File) Offset() int64 { return cf.rd.Offset() }

// DataSize is the size of the stream Load walks (the decompressed size for
// gzip files).
func (cf *File) DataSize() int64 {
	if cf.mem != nil {
		return int64(len(cf.mem))
	}
	return cf.Size
}

// Close releases the file; the Store must not be used afterwards.
func (cf *File) Close() error {
	var err error
	if cf.unmap != nil {
		err = cf.unmap()
		cf.unmap = nil
	}
	if cf.f != nil {
		if cerr := cf.f.Close(); err == nil {
			err = cerr
		}
		cf.f = nil
	}
	return err
}
