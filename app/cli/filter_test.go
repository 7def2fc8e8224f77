package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kaiseki-app/kaiseki/dissect"
	"github.com/kaiseki-app/kaiseki/dissect/filter"
)

// runCLI runs the command line with args and returns stdout, stderr and
// the exit code.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	o, err := Parse(args, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), o, "test", &out, &errb)
	return out.String(), errb.String(), code
}

// notDissected returns the first field of a filter that no dissector
// registers yet ("" if all are), or the error if the filter is wrong for
// another reason.
func notDissected(src string) (string, error) {
	_, err := filter.Compile(src, dissect.Fields())
	var fe *filter.Error
	if err == nil || !errors.As(err, &fe) {
		return "", err
	}
	// The unknown-field message names the field first: "x" is not ...
	if strings.Contains(fe.Msg, "is not a valid protocol or protocol field") ||
		strings.Contains(fe.Msg, "must be a field or function") {
		word := src[fe.Pos : fe.Pos+fe.Len]
		if dissect.Fields().Lookup(word) == nil {
			return word, nil
		}
	}
	return "", err
}

// TestFilterRefs runs every display filter of refs/filters.tsv over its
// capture and compares the number of matching packets with tshark's.
// Filters naming fields that no dissector registers yet are skipped (they
// cannot match until that protocol is dissected); every other row must
// agree.
func TestFilterRefs(t *testing.T) {
	dir := needShared(t)
	data, err := os.ReadFile(filepath.Join(dir, "refs", "filters.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")[1:]
	agree, skipped := 0, 0
	for _, row := range rows {
		cols := strings.Split(row, "\t")
		if len(cols) != 3 {
			t.Fatalf("bad row %q", row)
		}
		file, src := cols[0], cols[1]
		want, err := strconv.Atoi(cols[2])
		if err != nil {
			t.Fatalf("bad count in %q", row)
		}
		missing, err := notDissected(src)
		if err != nil {
			t.Errorf("%s: %q: %v", file, src, err)
			continue
		}
		if missing != "" {
			skipped++
			t.Logf("skip %s: %q: %s is not dissected yet", file, src, missing)
			continue
		}
		out, errs, code := runCLI(t, "-r", filepath.Join(dir, file), "-Y", src, "-T", "fields", "-e", "frame.number")
		if code != 0 {
			t.Errorf("%s: -Y %q: exit %d: %s", file, src, code, errs)
			continue
		}
		got := strings.Count(out, "\n")
		if got != want {
			t.Errorf("%s: -Y %q: %d packets, tshark %d", file, src, got, want)
			continue
		}
		agree++
	}
	t.Logf("filters.tsv: %d of %d rows agree with tshark, %d skipped (fields not dissected yet), %d differ",
		agree, len(rows), skipped, len(rows)-agree-skipped)
}

// TestFilterCLI checks -Y with the output modes and its error output.
func TestFilterCLI(t *testing.T) {
	dir := needShared(t)
	file := filepath.Join(dir, "http_google.pcapng")
	tests := []struct {
		name  string
		args  []string
		lines int    // lines expected on stdout
		code  int    // exit code
		err   string // substring of stderr
	}{
		{"summary", []string{"-Y", "ip.src == 74.125.95.104"}, 7, 0, ""},
		{"fields", []string{"-Y", "ip.src == 74.125.95.104", "-T", "fields", "-e", "frame.number", "-e", "ip.dst"}, 7, 0, ""},
		{"count limits matches", []string{"-Y", "ip.src == 74.125.95.104", "-c", "2"}, 2, 0, ""},
		{"slice", []string{"-Y", "eth.src[0:3] == 00:21:6a"}, 5, 0, ""},
		{"frame bytes", []string{"-Y", `frame contains "GET"`}, 1, 0, ""},
		{"not", []string{"-Y", "!(ip.src == 74.125.95.104)"}, 5, 0, ""},
		{"empty", []string{"-Y", ""}, 12, 0, ""},
		{"syntax error", []string{"-Y", "ip && && tcp"}, 0, 2, "kaiseki: -Y: unexpected \"&&\"\n    ip && && tcp\n          ^~\n"},
		{"unknown field", []string{"-Y", "ip.srcc == 1.2.3.4"}, 0, 2, `"ip.srcc" is not a valid protocol or protocol field; did you mean "ip.src"?`},
		{"too big", []string{"-Y", "ip.ttl == 300"}, 0, 2, `"300" is too big for an 8-bit field, maximum 255`},
		{"column", []string{"-Y", `_ws.col.Info contains "GET"`}, 0, 2, "columns cannot be filtered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := runCLI(t, append([]string{"-r", file}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if got := strings.Count(out, "\n"); got != tt.lines {
				t.Errorf("%d lines, want %d:\n%s", got, tt.lines, out)
			}
			if !strings.Contains(errs, tt.err) {
				t.Errorf("stderr %q does not contain %q", errs, tt.err)
			}
		})
	}
	// -V prints the tree of matching packets only: one "Frame N:" each.
	out, _, _ := runCLI(t, "-r", file, "-V", "-Y", "ip.src == 74.125.95.104")
	if got := strings.Count(out, "\nFrame ") + strings.Count(out[:min(len(out), 6)], "Frame "); got != 7 {
		t.Errorf("-V -Y printed %d frames, want 7", got)
	}
}
