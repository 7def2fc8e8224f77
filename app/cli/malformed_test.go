package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiseki-app/kaiseki/capture"
)

// malformedDeadline is how long one damaged capture may take, CLI included.
const malformedDeadline = 5 * time.Second

// tsharkRows counts the packet rows of a refs/F.fields.tsv (minus the
// header); -1 when tshark could not read F and there is no reference.
func tsharkRows(t *testing.T, dir, name string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "refs", name+".fields.tsv"))
	if errors.Is(err, os.ErrNotExist) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	return max(0, bytes.Count(b, []byte("\n"))-1)
}

// packetsIn counts the records capture reads from path, for files without
// references.
func packetsIn(t *testing.T, path string) int {
	t.Helper()
	cf, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	if err := cf.Load(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return cf.Store.Len()
}

func malformedFiles(t *testing.T) (string, []string) {
	dir := needShared(t)
	ents, err := os.ReadDir(filepath.Join(dir, "malformed"))
	if err != nil {
		t.Skipf("no malformed captures: %v", err)
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() {
			names = append(names, filepath.Join("malformed", e.Name()))
		}
	}
	return dir, names
}

// TestMalformedInProcess runs the CLI in-process on every damaged capture:
// no panic, done within the deadline, as many packet lines as tshark.
func TestMalformedInProcess(t *testing.T) {
	dir, names := malformedFiles(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			want := tsharkRows(t, dir, name)
			path := filepath.Join(dir, name)
			if want < 0 {
				// dsa.pcap: tshark cannot read link type 284; we show
				// every packet (as data of an unknown link type).
				want = packetsIn(t, path)
			}
			for _, args := range [][]string{{"-r", path}, {"-r", path, "-V"}, {"-r", path, "-x"}, {"-r", path, "-T", "fields", "-e", "frame.number", "-e", "ip.src"}} {
				o, err := Parse(args, os.Stderr)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), malformedDeadline)
				var out, errb bytes.Buffer
				type result struct {
					code  int
					panic any
				}
				done := make(chan result, 1)
				start := time.Now()
				go func() {
					defer func() {
						if r := recover(); r != nil {
							done <- result{-1, r}
						}
					}()
					done <- result{Run(ctx, o, "test", &out, &errb), nil}
				}()
				var r result
				select {
				case r = <-done:
				case <-time.After(malformedDeadline + time.Second):
					cancel()
					t.Fatalf("%v: still running after %v", args, malformedDeadline)
				}
				cancel()
				if r.panic != nil {
					t.Fatalf("%v: panic: %v", args, r.panic)
				}
				if el := time.Since(start); el > malformedDeadline {
					t.Errorf("%v: took %v", args, el)
				}
				if r.code != 0 {
					t.Errorf("%v: exit code %d, stderr %q", args, r.code, errb.String())
				}
				if len(args) == 2 || args[2] == "-T" {
					// One line per packet for the summary and fields.
					if n := len(lines(out.String())); n != want {
						t.Errorf("%v: %d lines, tshark prints %d", args, n, want)
					}
				}
			}
		})
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// kaisekiBinary builds the kaiseki command once per test run (or uses
// $KAISEKI_BIN).
func kaisekiBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("KAISEKI_BIN"); p != "" {
		return p
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kaiseki-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "kaiseki")
		out, err := exec.Command("go", "build", "-o", builtBin, "github.com/kaiseki-app/kaiseki/app").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// TestMalformedBinary runs the built kaiseki binary on every damaged
// capture with a 5 s timeout: it must exit by itself, with code 0, without
// a Go panic trace, and print as many lines as tshark.
func TestMalformedBinary(t *testing.T) {
	dir, names := malformedFiles(t)
	if testing.Short() {
		t.Skip("-short: not building the binary")
	}
	bin := kaisekiBinary(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			want := tsharkRows(t, dir, name)
			if want < 0 {
				want = packetsIn(t, path)
			}
			ctx, cancel := context.WithTimeout(context.Background(), malformedDeadline)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "-r", path)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("killed after %v", malformedDeadline)
			}
			if err != nil {
				t.Errorf("%v; stderr %q", err, errb.String())
			}
			if strings.Contains(errb.String(), "panic:") || strings.Contains(errb.String(), "goroutine ") {
				t.Errorf("panic trace on stderr:\n%s", errb.String())
			}
			if n := countLines(&out); n != want {
				t.Errorf("%d lines, tshark prints %d", n, want)
			}
			cut := strings.Contains(name, "-cut")
			if cut != strings.Contains(errb.String(), "warning") {
				t.Errorf("stderr %q; a warning is expected only for the cut file", errb.String())
			}
		})
	}
}

func countLines(b *bytes.Buffer) int {
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(b.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		n++
	}
	return n
}

// TestBinaryQuietInCLocale runs the built binary under the locales CI
// machines, containers and ssh sessions have: nothing may be printed to
// stderr (Fyne used to log "Error parsing user locale C" on every start
// under C.UTF-8, see app/clocale).
func TestBinaryQuietInCLocale(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not building the binary")
	}
	bin := kaisekiBinary(t)
	for _, lang := range []string{"C.UTF-8", "C", "POSIX", "en_US.UTF-8", ""} {
		cmd := exec.Command(bin, "--version")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LANG=" + lang}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Errorf("LANG=%q: %v", lang, err)
		}
		if errb.Len() > 0 {
			t.Errorf("LANG=%q: stderr %q", lang, errb.String())
		}
		if !strings.HasPrefix(out.String(), "Kaiseki ") {
			t.Errorf("LANG=%q: stdout %q", lang, out.String())
		}
	}
}
