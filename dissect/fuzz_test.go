package dissect_test

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
)

// FuzzDissect feeds arbitrary packets, several in a row so that stateful
// dissection (TCP streams, reassembly, request matching) runs, through the
// summary and tree paths of every link type. It checks what must hold for
// any input: no panic but the bounds errors that mark a packet malformed;
// every tree node inside the frame; the
// fast path and the tree path agree on the columns; and a second
// dissection of a packet gives the first one's columns.
//
// The input is a link type (2 bytes) and packets, each prefixed with a
// 2-byte length. Seeds are the packets of testdata/sample.pcapng.
func FuzzDissect(f *testing.F) {
	cf, err := capture.Open(filepath.Join("..", "testdata", "sample.pcapng"))
	if err != nil {
		f.Fatal(err)
	}
	defer cf.Close()
	if err := cf.Load(context.Background(), nil); err != nil {
		f.Fatal(err)
	}
	// Seeds: runs of four consecutive packets.
	for i := 0; i+4 <= cf.Store.Len() && i < 400; i += 4 {
		seed := []byte{0, 1}
		for j := i; j < i+4; j++ {
			d, _ := cf.Store.Data(j, nil)
			seed = binary.BigEndian.AppendUint16(seed, uint16(len(d)))
			seed = append(seed, d...)
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 2 || len(in) > 1<<16 {
			return
		}
		lt := binary.BigEndian.Uint16(in)
		var pkts [][]byte
		for rest := in[2:]; len(rest) >= 2 && len(pkts) < 8; {
			n := int(binary.BigEndian.Uint16(rest))
			rest = rest[2:]
			n = min(n, len(rest))
			pkts = append(pkts, rest[:n])
			rest = rest[n:]
		}
		d := dissect.NewDissector(nil)
		d.NoRecover = true
		type cols struct{ proto, info string }
		first := make([]cols, len(pkts))
		for i, data := range pkts {
			p := &dissect.Packet{Num: i + 1, Data: data, OrigLen: len(data) + i%2*10, LinkType: lt, HasTime: true, TS: int64(i) * 1e6}
			s := d.Summary(p)
			first[i] = cols{string(s.Protocol), string(s.Info)}
		}
		// Random access afterwards: trees and summaries in reverse order.
		for i := len(pkts) - 1; i >= 0; i-- {
			data := pkts[i]
			p := &dissect.Packet{Num: i + 1, Data: data, OrigLen: len(data) + i%2*10, LinkType: lt, HasTime: true, TS: int64(i) * 1e6}
			tree, s := d.Tree(p)
			if got := (cols{string(s.Protocol), string(s.Info)}); got != first[i] {
				t.Fatalf("packet %d: tree path columns %q, first pass %q", i+1, got, first[i])
			}
			var check func(ns []*dissect.Node)
			check = func(ns []*dissect.Node) {
				for _, n := range ns {
					if n.Len < 0 || n.Off < 0 || n.Off+n.Len > len(tree.Data) {
						t.Fatalf("packet %d: node %q covers %d+%d outside the %d-byte frame", i+1, n.Text, n.Off, n.Len, len(tree.Data))
					}
					check(n.Kids)
				}
			}
			check(tree.Nodes)
			s2 := d.Summary(p)
			if got := (cols{string(s2.Protocol), string(s2.Info)}); got != first[i] {
				t.Fatalf("packet %d: second summary %q, first %q", i+1, got, first[i])
			}
		}
	})
}
