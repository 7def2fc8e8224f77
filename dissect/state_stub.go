package dissect

// Placeholders for per-capture tables; replaced by the TCP and ICMP files.

type tcpTable struct{}

func (t *tcpTable) init() {}

type icmpTable struct{}

func (t *icmpTable) init() {}

// ipFragment is the reassembly hook (see ipv4.go); placeholder: shows the
// fragment as data.
func ipFragment(c *Ctx, t tvb, ip *ipInfo, id uint16, off int, mf bool) bool {
	c.setInfo("Fragmented IP protocol")
	dissectData(c, t)
	return true
}
