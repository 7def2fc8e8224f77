package dissect

import "fmt"

var (
	fData    = &Field{Abbrev: "data", Name: "Data", Type: FTProtocol}
	fDataDat = &Field{Abbrev: "data.data", Name: "Data", Type: FTBytes}
	fDataLen = &Field{Abbrev: "data.len", Name: "Length", Type: FTUint, Bits: 32}
)

func init() { register(fData, fDataDat, fDataLen) }

// dissectData shows bytes no dissector claimed, like Wireshark's "data".
func dissectData(c *Ctx, t tvb) int {
	n := t.len()
	if n <= 0 {
		return 0
	}
	d := c.push(fData, t.off, n)
	if c.tree { // formatting arguments allocate: keep the fast path free
		c.labelf(d, "Data (%d bytes)", n)
	}
	i := c.addB(fDataDat, t.off, n)
	if c.tree && i >= 0 {
		s := appendHex(nil, c.data[t.off:t.off+min(n, 24)])
		if n > 24 {
			s = append(s, "..."...)
		}
		c.items[i].Label = fmt.Sprintf("Data: %s", s)
	}
	c.addGen(fDataLen, Value{U: uint64(n)})
	c.pop(d)
	return n
}
