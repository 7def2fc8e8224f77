package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testdata is the repository's fixture folder; fx-sample.pcap holds 16
// packets made by capture/fixtures_test.go.
const testdata = "../../testdata"

// execCLI parses args and runs the command line in-process with a deadline,
// returning stdout, stderr and the exit code (2 for a parse error, as
// main does with flag errors).
func execCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	o, err := Parse(args, &errb)
	if err != nil {
		return out.String(), errb.String(), 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := Run(ctx, o, "test", &out, &errb)
	return out.String(), errb.String(), code
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// sampleFieldsOut is `tshark -r fx-sample.pcap -T fields -e frame.number
// -e ip.src` as tshark prints it (frame 15, an ICMP error, holds two IPv4
// headers; the ARP and ICMPv6 frames have none).
var sampleIPSrc = []string{
	"", "", "192.168.1.10", "192.168.1.1", "192.168.1.10", "93.184.216.34", "192.168.1.10", "192.168.1.10",
	"93.184.216.34", "192.168.1.10", "8.8.8.8", "", "192.168.1.10", "192.168.1.10", "192.168.1.1,192.168.1.10", "93.184.216.34",
}

func fieldsOut(header, sep, quote string, ipsrc func(all string) string) string {
	var b strings.Builder
	if header != "" {
		b.WriteString(header + "\n")
	}
	for i, ip := range sampleIPSrc {
		b.WriteString(quote + itoa(i+1) + quote + sep + quote + ipsrc(ip) + quote + "\n")
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// hexPacket1 is `tshark -r fx-sample.pcap -x -c 1`: the hex dump of the
// padded ARP request, then an empty line.
const hexPacket1 = `0000  ff ff ff ff ff ff 00 11 22 33 44 55 08 06 00 01   ........"3DU....
0010  08 00 06 04 00 01 00 11 22 33 44 55 c0 a8 01 0a   ........"3DU....
0020  00 00 00 00 00 00 c0 a8 01 01 00 00 00 00 00 00   ................
0030  00 00 00 00 00 00 00 00 00 00 00 00               ............

`

func TestCLI(t *testing.T) {
	sample := filepath.Join(testdata, "fx-sample.pcap")
	cut := filepath.Join(testdata, "fx-sample-cut.pcap")
	dir := t.TempDir()
	text := filepath.Join(dir, "x.txt")
	if err := os.WriteFile(text, []byte("not a capture\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secret.pcap")
	if err := os.WriteFile(secret, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	first := func(all string) string { f, _, _ := strings.Cut(all, ","); return f }
	last := func(all string) string { return all[strings.LastIndex(all, ",")+1:] }
	same := func(all string) string { return all }

	tests := []struct {
		name     string
		args     []string
		ok       bool   // exit code 0
		nLines   int    // stdout lines, -1: not checked
		stdout   string // exact stdout when not ""
		prefix   string // stdout starts with this
		errMatch string // regexp the single stderr line must match ("" : no stderr)
		usage    bool   // a flag error: the flag package adds the usage after the first line
		notRoot  bool
	}{
		{name: "summary", args: []string{"-r", sample}, ok: true, nLines: 16},
		{name: "count", args: []string{"-r", sample, "-c", "3"}, ok: true, nLines: 3},
		{name: "count beyond the file", args: []string{"-r", sample, "-c", "100"}, ok: true, nLines: 16},
		{name: "version", args: []string{"-v"}, ok: true, nLines: 1, prefix: "Kaiseki "},
		{name: "missing file", args: []string{"-r", filepath.Join(dir, "nope.pcap")}, nLines: 0, errMatch: `nope\.pcap.*no such file or directory`},
		{name: "directory", args: []string{"-r", dir}, nLines: 0, errMatch: `is a directory`},
		{name: "not a capture", args: []string{"-r", text}, nLines: 0, errMatch: `x\.txt: not a pcap or pcapng file \(looks like text\)$`},
		{name: "unreadable", args: []string{"-r", secret}, nLines: 0, errMatch: `secret\.pcap.*permission denied`, notRoot: true},
		{name: "unknown field", args: []string{"-r", sample, "-T", "fields", "-e", "ip.srcc"}, nLines: 0, errMatch: `ip\.srcc.*did you mean ip\.src\?`},
		{name: "unknown output format", args: []string{"-r", sample, "-T", "pdml2"}, nLines: 0, errMatch: `pdml2`},
		{name: "-e without -T fields", args: []string{"-r", sample, "-e", "ip.src"}, nLines: 0, errMatch: `-T fields`},
		{name: "-T fields without -e", args: []string{"-r", sample, "-T", "fields"}, nLines: 0, errMatch: `-e`},
		{name: "bad -E", args: []string{"-r", sample, "-T", "fields", "-e", "ip.src", "-E", "quote=x"}, nLines: 0, errMatch: `quote`},
		{name: "bad -c", args: []string{"-r", sample, "-c", "many"}, nLines: 0, errMatch: `invalid value "many"`, usage: true},
		{
			name: "fields default (all occurrences, tab)", args: []string{"-r", sample, "-T", "fields", "-e", "frame.number", "-e", "ip.src"},
			ok: true, stdout: fieldsOut("", "\t", "", same),
		},
		{
			name: "fields header, comma, first occurrence",
			args: []string{"-r", sample, "-T", "fields", "-E", "header=y", "-E", "separator=,", "-E", "occurrence=f", "-e", "frame.number", "-e", "ip.src"},
			ok:   true, stdout: fieldsOut("frame.number,ip.src", ",", "", first),
		},
		{
			name: "fields last occurrence, quoted, /s separator",
			args: []string{"-r", sample, "-T", "fields", "-E", "occurrence=l", "-E", "quote=d", "-E", "separator=/s", "-e", "frame.number", "-e", "ip.src"},
			ok:   true, stdout: fieldsOut("", " ", `"`, last),
		},
		{
			name: "fields aggregator",
			args: []string{"-r", sample, "-T", "fields", "-E", "aggregator=;", "-e", "frame.number", "-e", "ip.src"},
			ok:   true, stdout: fieldsOut("", "\t", "", func(all string) string { return strings.ReplaceAll(all, ",", ";") }),
		},
		{name: "hex dump", args: []string{"-r", sample, "-x", "-c", "1"}, ok: true, stdout: hexPacket1},
		{name: "tree", args: []string{"-r", sample, "-V", "-c", "1"}, ok: true, nLines: -1, prefix: "Frame 1: 60 bytes on wire (480 bits), 60 bytes captured (480 bits)"},
		{name: "truncated file", args: []string{"-r", cut}, ok: true, nLines: 15, errMatch: `warning: .*fx-sample-cut\.pcap.*(cut|truncated|ends in the middle)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.notRoot && os.Geteuid() == 0 {
				t.Skip("running as root: a mode-000 file is readable (the directory and text cases cover unreadable input)")
			}
			out, errOut, code := execCLI(t, tt.args...)
			if (code == 0) != tt.ok {
				t.Errorf("exit code %d, want ok=%v (stderr %q)", code, tt.ok, errOut)
			}
			if tt.stdout != "" && out != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.stdout)
			}
			if tt.prefix != "" && !strings.HasPrefix(out, tt.prefix) {
				t.Errorf("stdout starts %q, want %q", out[:min(len(out), 80)], tt.prefix)
			}
			if n := len(lines(out)); tt.stdout == "" && tt.nLines >= 0 && n != tt.nLines {
				t.Errorf("%d lines on stdout, want %d:\n%s", n, tt.nLines, out)
			}
			switch {
			case tt.errMatch == "" && errOut != "":
				t.Errorf("unexpected stderr %q", errOut)
			case tt.errMatch != "":
				if ls := lines(errOut); len(ls) == 0 || (len(ls) > 1 && !tt.usage) || !regexp.MustCompile(tt.errMatch).MatchString(ls[0]) {
					t.Errorf("stderr %q: want one line matching %s", errOut, tt.errMatch)
				}
			}
		})
	}
}

// TestCLIPipe reads a capture from a pipe, as `kaiseki -r /dev/stdin` or a
// FIFO does.
func TestCLIPipe(t *testing.T) {
	pr := pipeOf(t, filepath.Join(testdata, "fx-sample.pcapng"))
	// /dev/fd/N names the pipe's read end on Linux and the BSDs.
	path := "/dev/fd/" + itoa(int(pr.Fd()))
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no /dev/fd here: %v", err)
	}
	out, errOut, code := execCLI(t, "-r", path)
	if code != 0 || len(lines(out)) != 18 || errOut != "" {
		t.Errorf("exit %d, %d lines, stderr %q; want 0, 18 lines, nothing", code, len(lines(out)), errOut)
	}
}

// TestCLIStdin reads a capture from standard input with -r -, as tshark
// does (tcpdump -w - | kaiseki -r -).
func TestCLIStdin(t *testing.T) {
	stdin := os.Stdin
	os.Stdin = pipeOf(t, filepath.Join(testdata, "fx-sample.pcapng"))
	defer func() { os.Stdin = stdin }()
	out, errOut, code := execCLI(t, "-r", "-", "-Y", "ip", "-T", "fields", "-e", "frame.number")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want, _, _ := execCLI(t, "-r", filepath.Join(testdata, "fx-sample.pcapng"), "-Y", "ip", "-T", "fields", "-e", "frame.number")
	if out != want || len(lines(out)) < 5 {
		t.Errorf("-r - printed %q, the file %q", out, want)
	}
}

// pipeOf returns the read end of a pipe that carries the bytes of file,
// closed when the test ends.
func pipeOf(t *testing.T, file string) *os.File {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		pw.Write(data)
		pw.Close()
	}()
	t.Cleanup(func() { pr.Close() })
	return pr
}
