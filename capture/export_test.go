package capture

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// NewMemReader exposes the memory-mode reader that Open uses, so black-box
// tests and the fuzz target exercise both read paths.
var NewMemReader = newMemReader

// The tests below check Export (export.go) and the Session's save, marks
// and comments (session_save.go).

func TestAppendCSVField(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"80", `"80"`},
		{`say "hi"`, `"say ""hi"""`},
		{"a,b", `"a,b"`},
		{"two\r\nlines", "\"two\r\nlines\""},
		{`"`, `""""`},
	}
	for _, tc := range tests {
		if got := string(AppendCSVField(nil, tc.in)); got != tc.want {
			t.Errorf("AppendCSVField(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// loadSample opens testdata/sample.pcapng (built by gencap) and indexes it.
func loadSample(t *testing.T) *File {
	t.Helper()
	return loadAll(t, filepath.Join("..", "testdata", "sample.pcapng"))
}

func TestExportCSV(t *testing.T) {
	cf := loadSample(t)
	// A cell function with every character CSV must quote, to prove a CSV
	// reader gets the text back.
	tricky := "Info, with \"quotes\"\nand a newline"
	cell := func(r *Row, c Column) string {
		if c == ColInfo && r.Num == 2 {
			return tricky
		}
		return DefaultCell(r, c)
	}
	var b bytes.Buffer
	n, err := ExportDissections(context.Background(), &b, cf.Store, nil, ExportOptions{
		Format: ExportCSV, Packets: []int{0, 1, 2}, Cell: cell,
		Columns: []Column{ColNo, ColTime, ColSource, ColDestination, ColProtocol, ColLength, ColInfo},
	})
	if err != nil || n != 3 {
		t.Fatalf("export: %d packets, %v", n, err)
	}
	if !strings.HasPrefix(b.String(), "\"No.\",\"Time\",\"Source\",\"Destination\",\"Protocol\",\"Length\",\"Info\"\r\n") {
		t.Errorf("header: %q", strings.SplitN(b.String(), "\n", 2)[0])
	}
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("the output is not valid CSV: %v\n%s", err, b.String())
	}
	// Values from `tshark -r testdata/sample.pcapng` (packets 1 and 3).
	want := [][]string{
		{"No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"},
		{"1", "0.000000", "10.1.0.101", "173.90.188.105", "TCP", "66", "60807 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM WS=128"},
		{"2", "0.000008", "10.1.0.149", "185.183.210.233", "TCP", "66", tricky},
		{"3", "0.000040", "10.100.0.33", "10.100.0.1", "DNS", "77", "Standard query 0x3e9d A wpad.corp.lan"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
	// Every field is quoted, as Wireshark writes them.
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n") {
		if !strings.HasPrefix(line, `"`) || !strings.HasSuffix(line, `"`) {
			t.Errorf("line not quoted: %q", line)
		}
	}
}

// jsonPair is one member of a tshark-style JSON packet: the path of keys
// from "layers" down, and its value ("{}" for objects).
type jsonPair struct{ path, value string }

// flattenJSON reads a `tshark -T json` array, keeping duplicate keys (which
// encoding/json maps would merge), and returns each packet's members and
// its _index.
func flattenJSON(t *testing.T, data []byte) (packets [][]jsonPair, index []string) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(path string) []jsonPair
	walk = func(path string) []jsonPair {
		var out []jsonPair
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			key := k.(string)
			v, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			p := path + "/" + key
			if d, ok := v.(json.Delim); ok && d == '{' {
				out = append(out, jsonPair{p, "{}"})
				out = append(out, walk(p)...)
				if _, err := dec.Token(); err != nil { // '}'
					t.Fatal(err)
				}
				continue
			}
			out = append(out, jsonPair{p, fmt.Sprint(v)})
		}
		return out
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		t.Fatalf("not a JSON array: %v %v", tok, err)
	}
	for dec.More() {
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Fatalf("packet is not an object: %v %v", tok, err)
		}
		all := walk("")
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		var layers []jsonPair
		idx := ""
		keys := map[string]bool{}
		for _, p := range all {
			keys[p.path] = true
			if p.path == "/_index" {
				idx = p.value
			}
			if rest, ok := strings.CutPrefix(p.path, "/_source/layers/"); ok {
				layers = append(layers, jsonPair{rest, p.value})
			}
		}
		for _, k := range []string{"/_index", "/_type", "/_score", "/_source", "/_source/layers"} {
			if !keys[k] {
				t.Errorf("packet %d has no %s", len(packets)+1, k)
			}
		}
		packets = append(packets, layers)
		index = append(index, idx)
	}
	return packets, index
}

// TestExportJSON compares the JSON export with `tshark -T json` output for
// ten packets of testdata/sample.pcapng (testdata/sample-tshark.json, made
// with TZ=UTC tshark -r testdata/sample.pcapng -T json
// -Y 'frame.number in {1,3,8,10,15,27,52,177,599,604}').
func TestExportJSON(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "testdata", "sample-tshark.json"))
	if err != nil {
		t.Fatal(err)
	}
	cf := loadSample(t)
	frames := []int{1, 3, 8, 10, 15, 27, 52, 177, 599, 604}
	idx := make([]int, len(frames))
	for k, f := range frames {
		idx[k] = f - 1
	}
	var b bytes.Buffer
	if _, err := ExportDissections(context.Background(), &b, cf.Store, nil, ExportOptions{Format: ExportJSON, Packets: idx}); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b.Bytes()) {
		t.Fatalf("export is not valid JSON:\n%s", b.String())
	}
	got, gotIdx := flattenJSON(t, b.Bytes())
	exp, expIdx := flattenJSON(t, want)
	if len(got) != len(exp) {
		t.Fatalf("%d packets, tshark has %d", len(got), len(exp))
	}
	// The _index names the packet's local date: compare where the local
	// zone agrees with the expectations' (UTC).
	if _, off := time.Unix(1709294400, 0).Zone(); off == 0 {
		for k := range gotIdx {
			if gotIdx[k] != expIdx[k] {
				t.Errorf("packet %d: _index %q, tshark %q", frames[k], gotIdx[k], expIdx[k])
			}
		}
	}
	// Values that must be exactly tshark's.
	exact := []string{"frame/frame.number", "frame/frame.time_epoch", "frame/frame.len", "frame/frame.protocols",
		"eth/eth.src", "eth/eth.dst", "eth/eth.dst_tree/eth.addr", "ip/ip.src", "ip/ip.dst", "ip/ip.addr", "ip/ip.ttl", "ip/ip.flags_tree/ip.flags.df",
		"ipv6/ipv6.src", "tcp/tcp.srcport", "tcp/tcp.port", "tcp/tcp.flags_tree/tcp.flags.syn", "tcp/tcp.seq",
		"udp/udp.srcport", "udp/udp.dstport", "icmp/icmp.type", "arp/arp.opcode", "http/http.host"}
	matched, total := 0, 0
	for k := range got {
		have := map[string][]string{}
		multiset := map[jsonPair]int{}
		for _, p := range exp[k] {
			have[p.path] = append(have[p.path], p.value)
			multiset[p]++
		}
		mine := map[string][]string{}
		for _, p := range got[k] {
			mine[p.path] = append(mine[p.path], p.value)
			total++
			if multiset[p] > 0 {
				multiset[p]--
				matched++
			} else if testing.Verbose() {
				t.Logf("packet %d: %s = %q not in tshark's output", frames[k], p.path, p.value)
			}
		}
		for _, path := range exact {
			if len(have[path]) == 0 {
				continue
			}
			if strings.Join(mine[path], ",") != strings.Join(have[path], ",") {
				t.Errorf("packet %d: %s = %q, tshark %q", frames[k], path, mine[path], have[path])
			}
		}
	}
	t.Logf("%d of %d members of the export are in tshark's output (%.1f%%)", matched, total, 100*float64(matched)/float64(total))
	if matched < total*85/100 {
		t.Errorf("only %d of %d members agree with tshark", matched, total)
	}
}

// TestExportTextEqualsTree checks the plain-text export prints each tree
// with dissect.Tree.WriteText and an empty line; app/cli checks it equals
// `kaiseki -V` byte for byte.
func TestExportTextEqualsTree(t *testing.T) {
	cf := loadSample(t)
	var b bytes.Buffer
	if _, err := ExportDissections(context.Background(), &b, cf.Store, nil, ExportOptions{Format: ExportText, Packets: []int{0, 2}}); err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(b.String(), "\n\n")
	if len(blocks) != 3 || blocks[2] != "" {
		t.Fatalf("want two blocks separated by empty lines, got %d:\n%s", len(blocks), b.String())
	}
	if !strings.HasPrefix(blocks[0], "Frame 1: 66 bytes on wire") || !strings.HasPrefix(blocks[1], "Frame 3: 77 bytes on wire") {
		t.Errorf("blocks start %q and %q", firstLine(blocks[0]), firstLine(blocks[1]))
	}
	if !strings.Contains(blocks[1], "\n    Source Port: ") {
		t.Errorf("packet 3 lacks an indented UDP source port:\n%s", blocks[1])
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func TestExportCancel(t *testing.T) {
	cf := loadSample(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range []ExportFormat{ExportText, ExportCSV, ExportJSON} {
		if _, err := ExportDissections(ctx, io.Discard, cf.Store, nil, ExportOptions{Format: f}); !errors.Is(err, context.Canceled) {
			t.Errorf("%v: cancelled export returned %v", f, err)
		}
	}
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want []int
		err  string
	}{
		{"1-3,5", 10, []int{0, 1, 2, 4}, ""},
		{" 5 , 1-2 ", 10, []int{0, 1, 4}, ""},
		{"3,3,2-4", 10, []int{1, 2, 3}, ""},
		{"-3", 10, []int{0, 1, 2}, ""},
		{"8-", 10, []int{7, 8, 9}, ""},
		{"10", 10, []int{9}, ""},
		{"1-100,250", 300, append(seq(0, 100), 249), ""},
		{"", 10, nil, "empty packet range"},
		{"0", 10, nil, `"0" is not a packet number`},
		{"11", 10, nil, "there is no packet 11 (the capture has 10)"},
		{"5-3", 10, nil, "the start is after the end"},
		{"1,,2", 10, nil, "empty item"},
		{"a-3", 10, nil, `"a" is not a packet number`},
		{"-", 10, nil, "needs a start or an end"},
		{"1-2-3", 10, nil, `"2-3" is not a packet number`},
	}
	for _, tc := range tests {
		got, err := ParseRange(tc.in, tc.n)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseRange(%q) error %v, want one containing %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("ParseRange(%q, %d) = %v, %v; want %v", tc.in, tc.n, got, err, tc.want)
		}
	}
}

func seq(lo, hi int) []int {
	var out []int
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

// openSession opens path in a new Session and waits for the load.
func openSession(t *testing.T, path string) *Session {
	t.Helper()
	s := NewSession(nil)
	t.Cleanup(func() { s.Close() })
	if err := s.Open(path); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	return s
}

func TestSessionSaveSelections(t *testing.T) {
	src := filepath.Join("..", "testdata", "sample.pcapng")
	s := openSession(t, src)
	s.SetMarked(4, true)
	s.SetMarked(9, true)
	if s.Dirty() {
		t.Error("marks made the session dirty")
	}
	dir := t.TempDir()
	tests := []struct {
		sel  Selection
		want []int // frame numbers
	}{
		{Selection{Set: PacketsMarked}, []int{5, 10}},
		{Selection{Set: PacketsRange, Range: "3-5,9"}, []int{3, 4, 5, 9}},
		{Selection{Set: PacketsRange, Range: "1-10", DisplayedOnly: true}, seq(1, 11)},
	}
	for k, tc := range tests {
		out := filepath.Join(dir, fmt.Sprintf("out%d.pcapng", k))
		res, err := s.Save(context.Background(), SaveRequest{Path: out, Format: FormatPcapNG, Packets: tc.sel})
		if err != nil {
			t.Fatalf("%+v: %v", tc.sel, err)
		}
		if res.Written != len(tc.want) {
			t.Errorf("%+v: wrote %d, want %d", tc.sel, res.Written, len(tc.want))
		}
		cf := loadAll(t, out)
		orig := loadSample(t)
		for j, num := range tc.want {
			a, _ := cf.Store.Data(j, nil)
			b, _ := orig.Store.Data(num-1, nil)
			if !bytes.Equal(a, b) || cf.Store.Info(j).TS != orig.Store.Info(num-1).TS {
				t.Errorf("%+v: packet %d of the file is not frame %d", tc.sel, j+1, num)
			}
		}
	}
	// An export of a subset leaves the session on its file.
	if st := s.Status(); st.Path != src {
		t.Errorf("after exporting, the session's file is %q", st.Path)
	}
	s.UnmarkAll()
	if _, err := s.Save(context.Background(), SaveRequest{Path: filepath.Join(dir, "none.pcapng"), Format: FormatPcapNG, Packets: Selection{Set: PacketsMarked}}); !errors.Is(err, ErrNoPackets) {
		t.Errorf("saving no marked packets: %v", err)
	}
	if _, err := s.Save(context.Background(), SaveRequest{Path: filepath.Join(dir, "bad.pcapng"), Format: FormatPcapNG, Packets: Selection{Set: PacketsRange, Range: "2000"}}); err == nil {
		t.Error("a range past the last packet was accepted")
	}
}

func TestSessionCommentsDirtyAndSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "work.pcapng")
	data, err := os.ReadFile(filepath.Join("..", "testdata", "sample.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s := openSession(t, path)
	if err := s.SetComments(1, []string{"first line\nsecond line", "  "}); err != nil {
		t.Fatal(err)
	}
	if !s.Dirty() {
		t.Fatal("a comment did not make the session dirty")
	}
	tree, err := s.Tree(1)
	if err != nil {
		t.Fatal(err)
	}
	if n := tree.Nodes[0]; n.Text != "Packet comments" || len(n.Kids) != 1 || n.Kids[0].Text != "first line\nsecond line" {
		t.Errorf("tree starts with %q (%d kids), want the packet comments", n.Text, len(n.Kids))
	}
	// A pcap cannot keep the comment: saved, but still dirty.
	pc := filepath.Join(dir, "work.pcap")
	res, err := s.Save(context.Background(), SaveRequest{Path: pc, Format: FormatPcap})
	if err != nil || res.DroppedComments != 1 {
		t.Fatalf("pcap save: %+v, %v", res, err)
	}
	if !s.Dirty() {
		t.Error("dropping the comment in a pcap cleared the unsaved changes")
	}
	// Saving onto the open file keeps it readable and clears the flag.
	res, err = s.Save(context.Background(), SaveRequest{Path: path, Format: FormatPcapNG})
	if err != nil || res.Written != 1000 {
		t.Fatalf("save onto the open file: %+v, %v", res, err)
	}
	if s.Dirty() {
		t.Error("still dirty after saving")
	}
	if st := s.Status(); st.Path != path {
		t.Errorf("session path %q, want %q", st.Path, path)
	}
	if _, err := s.Tree(999); err != nil {
		t.Errorf("the open capture is unreadable after saving onto it: %v", err)
	}
	s2 := openSession(t, path)
	if c := s2.Comments(1); len(c) != 1 || c[0] != "first line\nsecond line" {
		t.Errorf("reopened comments %q", c)
	}
	if s2.Status().Packets != 1000 {
		t.Errorf("reopened: %d packets", s2.Status().Packets)
	}
	// Removing it makes the session dirty again.
	if err := s2.SetComments(1, nil); err != nil || !s2.Dirty() || s2.Comments(1) != nil {
		t.Errorf("removing the comment: %v, dirty %v, %q", err, s2.Dirty(), s2.Comments(1))
	}
}

// A save through the session that fails midway leaves the previous file
// byte-identical and the session dirty.
func TestSessionSaveFailureKeepsFile(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root ignores folder permissions")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "work.pcapng")
	data, err := os.ReadFile(filepath.Join("..", "testdata", "sample.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s := openSession(t, path)
	if err := s.SetComments(0, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	if _, err := s.Save(context.Background(), SaveRequest{Path: path, Format: FormatPcapNG}); !errors.Is(err, os.ErrPermission) {
		t.Errorf("save into a read-only folder: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, data) || !s.Dirty() {
		t.Errorf("file changed (%v) or session clean (%v)", !bytes.Equal(after, data), !s.Dirty())
	}
}

// A save through the session that fails midway (a disk that fills up
// after 70000 bytes) leaves the previous file byte-identical, no temporary
// file behind, and the session with its unsaved changes.
func TestSessionSaveFailsMidway(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "work.pcapng")
	data, err := os.ReadFile(filepath.Join("..", "testdata", "sample.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s := openSession(t, path)
	if err := s.SetComments(0, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatPcapNG, FormatPcap} {
		req := SaveRequest{Path: path, Format: f, wrap: func(w io.Writer) io.Writer { return &failingWriter{w: w, n: 70000} }}
		_, err := s.Save(context.Background(), req)
		if err == nil || !strings.Contains(err.Error(), "no space left on device") {
			t.Errorf("%v: save onto a full disk: %v", f, err)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, data) {
			t.Errorf("%v: the previous file changed", f)
		}
		if !s.Dirty() || s.Status().Path != path {
			t.Errorf("%v: dirty %v, path %q after a failed save", f, s.Dirty(), s.Status().Path)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%v: %d files in the folder, want 1 (no temporary left)", f, len(ents))
		}
	}
	// The capture still reads.
	if _, err := s.Tree(999); err != nil {
		t.Error(err)
	}
}

func TestSessionMarks(t *testing.T) {
	s := openSession(t, filepath.Join("..", "testdata", "sample.pcapng"))
	if s.NextMarked(-1, false) != -1 {
		t.Error("a marked packet was found with none marked")
	}
	s.SetMarked(3, true)
	s.SetMarked(7, true)
	s.SetMarked(7, true) // idempotent
	tests := []struct {
		from     int
		backward bool
		want     int
	}{
		{-1, false, 3}, {3, false, 7}, {7, false, 3}, {-1, true, 7}, {7, true, 3}, {3, true, 7}, {5, true, 3},
	}
	for _, tc := range tests {
		if got := s.NextMarked(tc.from, tc.backward); got != tc.want {
			t.Errorf("NextMarked(%d, %v) = %d, want %d", tc.from, tc.backward, got, tc.want)
		}
	}
	if st := s.Status(); st.Marked != 2 {
		t.Errorf("Marked = %d, want 2", st.Marked)
	}
	s.MarkDisplayed(true)
	if st := s.Status(); st.Marked != 1000 {
		t.Errorf("after marking all displayed: %d", st.Marked)
	}
	s.MarkDisplayed(false)
	if st := s.Status(); st.Marked != 0 || s.Marked(3) {
		t.Errorf("after unmarking all displayed: %d", st.Marked)
	}
	s.SetMarked(999, true)
	s.UnmarkAll()
	if st := s.Status(); st.Marked != 0 || s.Marked(999) {
		t.Errorf("after UnmarkAll: %d", st.Marked)
	}
	if s.Dirty() {
		t.Error("marks made the session dirty")
	}
}
