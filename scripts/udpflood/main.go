// Command udpflood sends a known number of UDP datagrams at a steady rate,
// for the capture throughput benchmark (scripts/bench-capture.sh). It only
// sends to the address it is given; use loopback or a test namespace.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	n := flag.Int("n", 100000, "datagrams to send")
	rate := flag.Int("rate", 100000, "datagrams per second")
	to := flag.String("to", "127.0.0.1:9999", "destination (keep it on this machine)")
	size := flag.Int("size", 64, "payload bytes")
	flag.Parse()
	addr, err := net.ResolveUDPAddr("udp", *to)
	if err != nil || !(addr.IP.IsLoopback() || addr.IP.IsPrivate()) {
		fmt.Fprintf(os.Stderr, "udpflood: %s: send only to loopback or a private test address\n", *to)
		os.Exit(1)
	}
	// Unconnected: with no listener, ICMP port unreachable would make every
	// other write on a connected socket fail.
	c, err := net.ListenUDP("udp", nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "udpflood:", err)
		os.Exit(1)
	}
	payload := make([]byte, *size)
	start := time.Now()
	sent, failed := 0, 0
	for sent < *n {
		// Send what the schedule allows so far, in one burst.
		due := int(time.Since(start).Seconds()*float64(*rate)) + 1
		for ; sent < due && sent < *n; sent++ {
			payload[0], payload[1] = byte(sent>>8), byte(sent)
			if _, err := c.WriteToUDP(payload, addr); err != nil {
				failed++
			}
		}
		time.Sleep(100 * time.Microsecond)
	}
	el := time.Since(start)
	fmt.Printf("sent %d datagrams (%d failed) in %.3f s (%.0f/s)\n", sent-failed, failed, el.Seconds(), float64(sent)/el.Seconds())
}
