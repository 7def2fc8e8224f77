package dissect

// icmpTable matches ICMP echo requests and replies (placeholder until the
// ICMP dissector lands).
type icmpTable struct{}

func (t *icmpTable) init() {}
