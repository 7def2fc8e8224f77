package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
)

// TestExportTextEqualsVerbose checks that the window's "Export Packet
// Dissections as plain text" (capture.ExportDissections) prints exactly
// what `kaiseki -r F -2 -V` prints (the window has dissected every packet
// once before it exports, as tshark -2 does), for the sample, a fixture with
// packet comments and a few shared captures where present.
func TestExportTextEqualsVerbose(t *testing.T) {
	files := []string{filepath.Join("..", "..", "testdata", "sample.pcapng"), filepath.Join("..", "..", "testdata", "fx-sample.pcapng")}
	for _, name := range []string{"http_google.pcapng", "dns.pcap", "pcapng-example.pcapng"} {
		files = append(files, filepath.Join("..", "..", "..", "shared", "captures", name))
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			cf, err := capture.Open(in)
			if err != nil {
				if strings.Contains(in, "shared") {
					t.Skipf("shared capture not available: %v", err)
				}
				t.Fatal(err)
			}
			defer cf.Close()
			if err := cf.Load(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			var exp bytes.Buffer
			if _, err := capture.ExportDissections(context.Background(), &exp, cf.Store, nil, capture.ExportOptions{Format: capture.ExportText}); err != nil {
				t.Fatal(err)
			}
			out, errs, code := runArgs(t, "-r", in, "-2", "-V")
			if code != 0 {
				t.Fatalf("kaiseki -V: exit %d: %s", code, errs)
			}
			if exp.String() != out {
				a, b := strings.Split(exp.String(), "\n"), strings.Split(out, "\n")
				for i := range min(len(a), len(b)) {
					if a[i] != b[i] {
						t.Fatalf("line %d differs:\nexport: %q\n-V:     %q", i+1, a[i], b[i])
					}
				}
				t.Fatalf("export has %d lines, -V %d", len(a), len(b))
			}
		})
	}
}
