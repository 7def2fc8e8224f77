package dissect

// ipFragment is the IPv4 reassembly hook (see ipv4.go); placeholder: shows
// the fragment as data.
func ipFragment(c *Ctx, t tvb, ip *ipInfo, id uint16, off int, mf bool) bool {
	c.setInfo("Fragmented IP protocol")
	dissectData(c, t)
	return true
}
