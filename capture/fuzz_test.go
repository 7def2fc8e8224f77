package capture_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
)

// fuzzRec is what FuzzRead compares between reads of the same input.
type fuzzRec struct {
	rec  capture.Record
	data []byte
}

// fuzzLimit caps how much one input may make the reader produce (a small
// gzip input can inflate to gigabytes).
const fuzzLimit = 8 << 20

// readForFuzz reads records until an error or the limit, checking what
// must hold for every record of any input.
func readForFuzz(t *testing.T, rd *capture.Reader, input []byte, mem bool) ([]fuzzRec, error) {
	var out []fuzzRec
	total := 0
	for {
		prev := rd.Offset()
		rec, data, err := rd.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return out, err
		}
		if len(data) != int(rec.CapLen) {
			t.Fatalf("record %d: %d bytes, CapLen %d", len(out)+1, len(data), rec.CapLen)
		}
		if rec.Off < prev || rec.Off+int64(rec.CapLen) > rd.Offset() {
			t.Fatalf("record %d: bytes [%d,+%d) outside the consumed range [%d,%d)", len(out)+1, rec.Off, rec.CapLen, prev, rd.Offset())
		}
		if mem && !bytes.Equal(input[rec.Off:rec.Off+int64(rec.CapLen)], data) {
			t.Fatalf("record %d: Off %d does not address its bytes", len(out)+1, rec.Off)
		}
		if rec.Kind == capture.KindPacket && (rec.Iface < 0 || rec.Iface >= len(rd.Interfaces())) {
			t.Fatalf("record %d: interface %d of %d", len(out)+1, rec.Iface, len(rd.Interfaces()))
		}
		out = append(out, fuzzRec{rec, append([]byte{}, data...)})
		if total += len(data) + 64; total > fuzzLimit {
			return out, nil
		}
	}
}

// FuzzRead feeds arbitrary bytes to the stream and memory readers: they must
// not panic, must keep every record inside the input, and must agree with
// each other and with a second read.
func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(testdataDir, "fx-*"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("\xd4\xc3\xb2\xa1"))
	f.Add([]byte("\x0a\x0d\x0d\x0a"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		read := func() ([]fuzzRec, error, error) {
			rd, err := capture.NewReader(bytes.NewReader(b), "fuzz")
			if err != nil {
				return nil, nil, err
			}
			recs, rerr := readForFuzz(t, rd, b, false)
			// Errors are sticky: reading after one repeats it.
			if rerr != nil {
				if _, _, again := rd.Next(); again == nil || again.Error() != rerr.Error() {
					t.Fatalf("Next after %v gave %v", rerr, again)
				}
			}
			return recs, rerr, nil
		}
		recs, rerr, oerr := read()
		recs2, rerr2, oerr2 := read()
		if !reflect.DeepEqual(recs, recs2) || errString(rerr) != errString(rerr2) || errString(oerr) != errString(oerr2) {
			t.Fatalf("second read differs: %d records (%v, %v) then %d (%v, %v)", len(recs), oerr, rerr, len(recs2), oerr2, rerr2)
		}
		if oerr != nil && !errors.Is(oerr, capture.ErrNotCapture) && !errors.Is(oerr, capture.ErrTruncated) && !isCorrupt(oerr) && !isGzipErr(b) {
			t.Fatalf("NewReader: unexpected kind of error %v", oerr)
		}
		if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
			return // the memory reader refuses gzip (Open inflates first)
		}
		mrd, merr := capture.NewMemReader(b, "fuzz")
		if errString(merr) != errString(oerr) {
			t.Fatalf("memory reader: %v, stream reader: %v", merr, oerr)
		}
		if merr != nil {
			return
		}
		mrecs, mrerr := readForFuzz(t, mrd, b, true)
		if !reflect.DeepEqual(recs, mrecs) || errString(rerr) != errString(mrerr) {
			t.Fatalf("memory reader: %d records (%v), stream reader: %d (%v)", len(mrecs), mrerr, len(recs), rerr)
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func isCorrupt(err error) bool {
	return bytes.Contains([]byte(err.Error()), []byte("corrupt"))
}

func isGzipErr(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }
