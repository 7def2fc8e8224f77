package dissect

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
	c.addB(fDataDat, t.off, n)
	c.addGen(fDataLen, Value{U: uint64(n)})
	c.pop(d)
	return n
}
