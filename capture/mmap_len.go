//go:build unix

package capture

import "errors"

// mapLen checks that a file of size bytes can be mapped and returns the
// mapping's length.
func mapLen(size int64) (int, error) {
	if size == 0 {
		return 0, errors.New("empty file")
	}
	if int64(int(size)) != size {
		return 0, errors.New("file too large to map")
	}
	return int(size), nil
}
