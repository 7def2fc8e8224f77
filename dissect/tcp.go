package dissect

// tcpTable holds the TCP streams of a capture (placeholder until the TCP
// dissector lands).
type tcpTable struct{}

func (t *tcpTable) init() {}
