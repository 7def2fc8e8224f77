package capture

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
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

	f   *os.File
	src *fileSource // regular, uncompressed files
	mem []byte      // pipes and gzip files: the whole (inflated) stream
	rd  *Reader
	// mapped: rd parses the mapping of src (Map).
	mapped bool
	tail   error        // a problem found after the last packet (cut gzip stream)
	off    atomic.Int64 // stream offset reached by Load, for Offset
}

// Open opens a capture file and reads its header. It fails with a wrapped
// ErrNotCapture for files that are not captures, and with the OS error
// (fs.ErrNotExist, fs.ErrPermission, ...) for missing or unreadable ones; the
// messages are one line and name the path once.
//
// The path "-" is standard input, as with tshark's -r -.
func Open(path string) (*File, error) {
	if path == "-" {
		return openStdin()
	}
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("open %s: is a directory, not a capture file", path)
	}
	cf := &File{Path: path, Size: st.Size(), f: f}
	if !st.Mode().IsRegular() {
		// A pipe or device (/dev/stdin, a FIFO) cannot be mapped or read
		// at an offset: keep its bytes in memory.
		b, err := io.ReadAll(f)
		if err != nil {
			cf.Close()
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		cf.mem, cf.Size = b, int64(len(b))
	}
	return cf.open()
}

// openStdin reads all of standard input into memory (it cannot be read at
// offsets) and opens that; closing the File leaves standard input open.
func openStdin() (*File, error) {
	b, err := io.ReadAll(os.Stdin)
	if err != nil {
		return nil, fmt.Errorf("read standard input: %w", err)
	}
	cf := &File{Path: "-", Size: int64(len(b)), mem: b}
	return cf.open()
}

// open reads the header of cf, whose f or mem is set.
func (cf *File) open() (*File, error) {
	path := cf.Path
	if err := cf.inflate(); err != nil {
		cf.Close()
		return nil, err
	}
	var (
		rd  *Reader
		err error
	)
	if cf.mem != nil {
		cf.Store = NewStore(MemSource(cf.mem))
		rd, err = newMemReader(cf.mem, path)
	} else {
		// Load streams the file with read(2): on the machines measured,
		// faulting in a mapping costs twice as much as copying the same
		// bytes, and Load touches every page once. The Store maps the
		// file only when packet bytes are first asked for by index (the
		// window's random access), and then faults in just those pages.
		cf.src = &fileSource{f: cf.f, size: cf.Size}
		cf.Store = NewStore(cf.src)
		rd, err = NewReader(io.NewSectionReader(cf.f, 0, cf.Size), path)
	}
	if err != nil {
		cf.Close()
		return nil, err
	}
	cf.rd, cf.Format = rd, rd.Format()
	cf.Store.format = rd.Format()
	cf.Store.SetInterfaces(rd.Interfaces())
	return cf, nil
}

// inflate replaces a gzip-compressed file by its content in memory: packet
// bytes must be addressable by offset. A cut or damaged gzip stream keeps
// what could be inflated and is reported by Load after the last packet.
func (cf *File) inflate() error {
	var head [2]byte
	var src io.Reader
	if cf.mem != nil {
		copy(head[:], cf.mem)
		src = bytes.NewReader(cf.mem)
	} else {
		_, _ = cf.f.ReadAt(head[:], 0) // a short file fails the magic test
		src = io.NewSectionReader(cf.f, 0, cf.Size)
	}
	if head[0] != 0x1f || head[1] != 0x8b {
		return nil
	}
	// Packet bytes must be addressable by offset: inflate into memory.
	zr, err := gzip.NewReader(src)
	if err != nil {
		if isEOF(err) {
			return fmt.Errorf("%s: gzip header: %w", cf.Path, ErrTruncated)
		}
		return fmt.Errorf("%s: gzip: %w", cf.Path, err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		if isEOF(err) {
			cf.tail = fmt.Errorf("%w: the gzip stream is cut short", ErrTruncated)
		} else {
			cf.tail = fmt.Errorf("gzip: %w", err)
		}
	}
	cf.mem, cf.Gzipped = buf.Bytes(), true
	return nil
}

// fileSource serves packet bytes of a regular file: from a read-only
// mapping made on first use, or with ReadAt where mapping fails.
type fileSource struct {
	f    *os.File
	size int64

	once  sync.Once
	mem   []byte
	unmap func() error
}

// mapping maps the file on first use and returns the mapping (nil where
// the file cannot be mapped).
func (s *fileSource) mapping() []byte {
	s.once.Do(func() {
		if m, unmap, err := mapFile(s.f, s.size); err == nil {
			s.mem, s.unmap = m, unmap
		}
	})
	return s.mem
}

// Bytes implements DataSource; it is safe for concurrent use.
func (s *fileSource) Bytes(off int64, n int, buf []byte) ([]byte, error) {
	if s.mapping() != nil {
		return MemSource(s.mem).Bytes(off, n, buf)
	}
	return ReaderAtSource{R: s.f}.Bytes(off, n, buf)
}

// close unmaps the file if it was mapped.
func (s *fileSource) close() error {
	if s.unmap == nil {
		return nil
	}
	err := s.unmap()
	s.unmap, s.mem = nil, nil
	return err
}

// Map makes Load parse the file in place from a read-only mapping rather
// than stream it, for callers that get packet bytes from the Store on
// other goroutines anyway (the command line's shards): no packet is
// copied, and a packet's data passed to visit stays valid until Close. It
// must be called before Load; where the file cannot be mapped it does
// nothing and returns false.
func (cf *File) Map() bool {
	if cf.src == nil || cf.mapped {
		return cf.mapped
	}
	mem := cf.src.mapping()
	if mem == nil {
		return false
	}
	rd, err := newMemReader(mem, cf.Path)
	if err != nil {
		return false // Open read the same header: cannot happen
	}
	cf.rd, cf.mapped = rd, true
	return true
}

// Visit is called by Load for each packet after it was added to the Store;
// i is its 0-based index and data its bytes (valid only during the call).
// Returning an error stops the load.
type Visit func(i int, rec Record, data []byte) error

// Load indexes every packet of the file into Store, calling visit (which
// may be nil) for each one, in order, on the calling goroutine. A file that
// ends inside a packet sets Warning and returns nil; a cancelled ctx returns
// ctx.Err() with the packets read so far kept. Load may be called once.
//
// With more than one CPU the file is parsed by a second goroutine a few
// batches ahead of visit, so reading overlaps with dissection.
func (cf *File) Load(ctx context.Context, visit Visit) error {
	if cf.mapped {
		// Parsing a mapped file copies nothing: a reading goroutine
		// would only add hand-overs. One maps the pages in ahead.
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			populate(cf.src.mapping(), stop)
		}()
		defer func() {
			close(stop)
			<-done
		}()
		return cf.loadSeq(ctx, visit)
	}
	if runtime.GOMAXPROCS(0) < 2 {
		return cf.loadSeq(ctx, visit)
	}
	return cf.loadPipe(ctx, visit)
}

// loadSeq reads and visits on one goroutine.
func (cf *File) loadSeq(ctx context.Context, visit Visit) error {
	nIfs := len(cf.rd.Interfaces())
	for i := 0; ; i++ {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, data, err := cf.rd.Next()
		if err != nil {
			cf.finish(err)
			return nil
		}
		cf.off.Store(cf.rd.Offset())
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

// finish records how reading ended.
func (cf *File) finish(err error) {
	if errors.Is(err, io.EOF) {
		err = cf.tail
	}
	if err != nil {
		// Cut (ErrTruncated) or corrupt: either way the packets before
		// the problem are kept and shown, as tshark does.
		cf.Warning = err.Error()
	}
}

// loadBatch carries records from the reading goroutine to Load's.
type loadBatch struct {
	recs   []Record
	ends   []int   // end of each record's bytes in data
	offs   []int64 // stream offset after each record, for Offset
	data   []byte
	ifaces []Interface // the interface table, when it grew
	err    error       // how reading ended (after the records)
}

const (
	// Large enough that handing batches over (a goroutine wake-up each)
	// costs little. The first batches are smaller (firstBatchRecords,
	// doubling) so that the first rows appear within a few milliseconds.
	batchRecords      = 2048
	firstBatchRecords = 64
	batchBytes        = 2 << 20
	batchesAhead      = 4
)

// loadPipe parses on a second goroutine into a few recycled batches (their
// packet bytes copied out of the reader's buffer) and visits on this one.
func (cf *File) loadPipe(ctx context.Context, visit Visit) error {
	full := make(chan *loadBatch, batchesAhead)
	free := make(chan *loadBatch, batchesAhead)
	for range batchesAhead {
		free <- &loadBatch{}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(full)
		nIfs := len(cf.rd.Interfaces())
		limit := firstBatchRecords
		for {
			var b *loadBatch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			b.recs, b.ends, b.offs, b.data, b.ifaces = b.recs[:0], b.ends[:0], b.offs[:0], b.data[:0], nil
			for len(b.recs) < limit && len(b.data) < batchBytes {
				rec, data, err := cf.rd.Next()
				if err != nil {
					b.err = err
					break
				}
				if ifs := cf.rd.Interfaces(); len(ifs) != nIfs {
					b.ifaces = append([]Interface(nil), ifs...)
					nIfs = len(ifs)
					b.recs = append(b.recs, rec) // the new table applies from here
					b.data = append(b.data, data...)
					b.ends = append(b.ends, len(b.data))
					b.offs = append(b.offs, cf.rd.Offset())
					break
				}
				b.recs = append(b.recs, rec)
				b.data = append(b.data, data...)
				b.ends = append(b.ends, len(b.data))
				b.offs = append(b.offs, cf.rd.Offset())
			}
			limit = min(2*limit, batchRecords)
			select {
			case full <- b:
			case <-stop:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	defer func() {
		close(stop)
		wg.Wait()
	}()
	for b := range full {
		if err := ctx.Err(); err != nil {
			return err
		}
		if b.ifaces != nil {
			cf.Store.SetInterfaces(b.ifaces)
		}
		start := 0
		for j := range b.recs {
			cf.off.Store(b.offs[j])
			idx := cf.Store.Len()
			cf.Store.Append(b.recs[j])
			if visit != nil {
				if err := visit(idx, b.recs[j], b.data[start:b.ends[j]:b.ends[j]]); err != nil {
					return err
				}
			}
			start = b.ends[j]
		}
		if b.err != nil {
			cf.finish(b.err)
			return nil
		}
		free <- b
	}
	return nil
}

// Offset reports how many bytes of the (decompressed) stream Load has
// consumed, for progress bars; compare with DataSize. It is safe to call
// from any goroutine.
func (cf *File) Offset() int64 { return cf.off.Load() }

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
	if cf.src != nil {
		err = cf.src.close()
		cf.src = nil
	}
	if cf.f != nil {
		if cerr := cf.f.Close(); err == nil {
			err = cerr
		}
		cf.f = nil
	}
	return err
}
