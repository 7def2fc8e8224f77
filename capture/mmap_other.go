//go:build !unix

package capture

import (
	"errors"
	"os"
)

// mapFile is not available here; the Store reads with ReadAt instead.
func mapFile(*os.File, int64) ([]byte, func() error, error) {
	return nil, nil, errors.New("mmap not supported")
}
