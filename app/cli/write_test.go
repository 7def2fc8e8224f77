package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
)

func runArgs(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	o, err := Parse(args, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), o, "test", &out, &errb)
	return out.String(), errb.String(), code
}

// TestWrite checks `-r IN [-Y F] -w OUT [-F fmt]`: what is written is
// exactly what the same filter prints, in the chosen format.
func TestWrite(t *testing.T) {
	in := filepath.Join("..", "..", "testdata", "sample.pcapng")
	dir := t.TempDir()
	tests := []struct {
		name, filter, out, format string
		wantFormat                capture.Format
	}{
		{"all as pcapng", "", "all.pcapng", "", capture.FormatPcapNG},
		{"all as pcap by extension", "", "all.pcap", "", capture.FormatPcap},
		{"dns only, -F pcap", "dns", "dns.out", "pcap", capture.FormatPcap},
		{"tcp syn, pcapng", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "syn.pcapng", "", capture.FormatPcapNG},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"-r", in}
			if tc.filter != "" {
				args = append(args, "-Y", tc.filter)
			}
			listing, _, code := runArgs(t, args...)
			if code != 0 {
				t.Fatalf("listing exit %d", code)
			}
			want := strings.Count(listing, "\n")
			out := filepath.Join(dir, tc.out)
			args = append(args, "-w", out)
			if tc.format != "" {
				args = append(args, "-F", tc.format)
			}
			stdout, stderr, code := runArgs(t, args...)
			if code != 0 || stdout != "" {
				t.Fatalf("-w: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			cf, err := capture.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer cf.Close()
			if err := cf.Load(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			if cf.Format != tc.wantFormat || cf.Store.Len() != want || want == 0 {
				t.Fatalf("wrote %d packets as %v, want %d as %v", cf.Store.Len(), cf.Format, want, tc.wantFormat)
			}
			// Reading the written file back lists the same packets.
			back, _, _ := runArgs(t, "-r", out)
			if strings.Count(back, "\n") != want {
				t.Fatalf("read back %d lines, want %d", strings.Count(back, "\n"), want)
			}
		})
	}
	if _, stderr, code := runArgs(t, "-r", in, "-w", filepath.Join(dir, "x"), "-F", "erf"); code == 0 || !strings.Contains(stderr, "unknown file format") {
		t.Fatalf("-F erf: exit %d, %q", code, stderr)
	}
}
