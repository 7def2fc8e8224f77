package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiseki-app/kaiseki/dissect"
	"github.com/kaiseki-app/kaiseki/dissect/filter"
)

// runShards runs the command line in-process with n shards (1: the
// sequential path) and returns stdout, stderr and the exit code.
func runShards(t *testing.T, n int, args ...string) (string, string, int) {
	t.Helper()
	o, err := Parse(args, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	o.shards = n
	var out, errb bytes.Buffer
	code := Run(context.Background(), o, "test", &out, &errb)
	return out.String(), errb.String(), code
}

// TestShardedSameAsSequential checks that reading a file with its
// conversations split among partial States prints exactly what one State
// prints: for every shared capture (the damaged ones included), the
// summary lines, every non-Global field of its tshark reference, every
// filter of refs/filters.tsv on it, -c with a filter, and -w output.
func TestShardedSameAsSequential(t *testing.T) {
	dir := needShared(t)
	filters := map[string][]string{}
	if data, err := os.ReadFile(filepath.Join(dir, "refs", "filters.tsv")); err == nil {
		for _, row := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")[1:] {
			if cols := strings.Split(row, "\t"); len(cols) == 3 {
				if missing, err := notDissected(cols[1]); err == nil && missing == "" && !wantsGlobal(t, cols[1]) {
					filters[cols[0]] = append(filters[cols[0]], cols[1])
				}
			}
		}
	}
	var files []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() && info.Name() == "refs" {
			return filepath.SkipDir
		}
		if !info.IsDir() && !strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reg := dissect.Fields()
	runs, packets := 0, 0
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		cases := [][]string{{"-r", path}}
		if ref, err := os.ReadFile(filepath.Join(dir, "refs", rel+".fields.tsv")); err == nil {
			header, _, _ := strings.Cut(string(ref), "\n")
			args := []string{"-r", path, "-T", "fields"}
			for _, f := range strings.Split(header, "\t") {
				if fl := reg.Lookup(f); fl != nil && !fl.Global {
					args = append(args, "-e", f)
				}
			}
			cases = append(cases, args)
		}
		for _, f := range filters[rel] {
			cases = append(cases, []string{"-r", path, "-Y", f}, []string{"-r", path, "-Y", f, "-c", "2"})
		}
		// Filters that let the shards skip packets (filterSkip).
		for _, f := range skipFilters {
			cases = append(cases, []string{"-r", path, "-Y", f})
		}
		for _, args := range cases {
			want, wantErr, wantCode := runShards(t, 1, args...)
			packets += strings.Count(want, "\n")
			for _, n := range []int{2, 3} {
				got, gotErr, gotCode := runShards(t, n, args...)
				runs++
				if got != want || gotErr != wantErr || gotCode != wantCode {
					t.Errorf("kaiseki %s with %d shards differs from one State:\n%s", strings.Join(args, " "), n,
						firstDiff(want+wantErr, got+gotErr))
				}
			}
		}
		// -w: the same packets saved, byte for byte.
		if fs := filters[rel]; len(fs) > 0 {
			var saved [2][]byte
			for j, n := range []int{1, 2} {
				out := filepath.Join(t.TempDir(), "out.pcapng")
				if _, errs, code := runShards(t, n, "-r", path, "-Y", fs[0], "-w", out); code != 0 {
					t.Fatalf("-w: exit %d: %s", code, errs)
				}
				if saved[j], err = os.ReadFile(out); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(saved[0], saved[1]) {
				t.Errorf("%s -Y %q -w: the sharded run saved different bytes", rel, fs[0])
			}
		}
	}
	t.Logf("%d files, %d sharded runs compared, %d lines printed by one State", len(files), runs, packets)
}

// skipFilters require TCP, UDP, DNS or some TCP ports, so a sharded read
// skips the packets that certainly lack them; the columns of the packets
// that match (TCP analysis, reassembly, DNS transactions) must not change.
var skipFilters = []string{
	"tcp", "udp", "dns", "tcp.len > 0 or tcp.analysis.flags", "udp.port == 53",
	`dns.qry.name contains "a"`, "tcp.port == 80 or udp", "dns.flags.response == 1 and udp",
	"tcp.port == 80", "tcp.port in {443, 8000..8080}", "tcp.dstport == 53 or tcp.srcport == 53",
	"tcp.port == 443 and tcp.analysis.flags",
}

// wantsGlobal reports whether a filter needs a Global field (tcp.stream),
// which keeps a read on one State.
func wantsGlobal(t *testing.T, src string) bool {
	f, err := filter.Compile(src, dissect.Fields())
	if err != nil {
		t.Fatal(err)
	}
	for id, on := range f.Want() {
		if on && dissect.Fields().ByID(id).Global {
			return true
		}
	}
	return false
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n  one State: " + x + "\n  sharded:   " + y
		}
	}
	return "(same lines)"
}

// TestShardCount checks when a read is split: not for Global fields, -V,
// -2 or a bare -w.
func TestShardCount(t *testing.T) {
	reg := dissect.Fields()
	want := func(names ...string) []bool {
		w := make([]bool, reg.Len())
		for _, n := range names {
			w[reg.Lookup(n).ID()] = true
		}
		return w
	}
	fp := func(names ...string) *fieldPrinter {
		p, err := newFieldPrinter(names, nil)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		o     Options
		want  []bool
		fp    *fieldPrinter
		split bool
	}{
		{"summary", Options{ReadFile: "f"}, nil, nil, true},
		{"filter", Options{ReadFile: "f", Filter: "tcp.port == 80"}, want("tcp.port"), nil, true},
		{"fields", Options{ReadFile: "f"}, nil, fp("ip.src", "tcp.seq"), true},
		{"tcp.stream in the filter", Options{ReadFile: "f"}, want("tcp.stream"), nil, false},
		{"udp.stream printed", Options{ReadFile: "f"}, nil, fp("ip.src", "udp.stream"), false},
		{"-V", Options{ReadFile: "f", Verbose: true}, nil, nil, false},
		{"-2", Options{ReadFile: "f", TwoPass: true}, nil, nil, false},
		{"-w without filter", Options{ReadFile: "f", WriteFile: "x"}, nil, nil, false},
		{"-w with filter", Options{ReadFile: "f", WriteFile: "x"}, want("dns.qry.name"), nil, true},
	} {
		n := tc.o.shardCount(tc.want, tc.fp)
		if got := n > 1; got != tc.split {
			t.Errorf("%s: %d shards", tc.name, n)
		}
	}
}
