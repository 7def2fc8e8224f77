package capture

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiseki-app/kaiseki/capture/pcapdev"
)

// Live-capture tests run the real helper on a veth pair whose far end is in
// a network namespace the test creates, so they need root, iproute2 and a
// cgo build with libpcap. Elsewhere they skip and say why.

var (
	helperOnce sync.Once
	helperPath string
	helperErr  error
)

func buildHelper(t *testing.T) string {
	t.Helper()
	helperOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kaiseki-helper")
		if err != nil {
			helperErr = err
			return
		}
		helperPath = filepath.Join(dir, HelperName)
		out, err := exec.Command("go", "build", "-o", helperPath, "../app/kaiseki-capture").CombinedOutput()
		if err != nil {
			helperErr = fmt.Errorf("build helper: %v\n%s", err, out)
		}
	})
	if helperErr != nil {
		t.Fatal(helperErr)
	}
	return helperPath
}

func needCapture(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("live capture tests use Linux network namespaces")
	}
	if os.Geteuid() != 0 {
		t.Skip("live capture tests need root (CI runs them as root)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("live capture tests need iproute2's ip command")
	}
	if _, err := pcapdev.List(); err != nil {
		t.Skipf("no libpcap in this build: %v", err)
	}
}

// sink receives and discards UDP on hostIP:port, so the host sends no
// port-unreachable errors back.
func sink(t *testing.T, hostIP string, port int) {
	t.Helper()
	c, err := net.ListenPacket("udp4", net.JoinHostPort(hostIP, strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := c.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
}

// vethPair makes a veth pair: host end in this namespace, peer in a new
// namespace. It returns the host interface, host and peer addresses and the
// namespace name.
func vethPair(t *testing.T) (iface, hostIP, peerIP, ns string) {
	t.Helper()
	removeStaleVeths()
	id := freeSubnet(os.Getpid()%200 + 20)
	ns = fmt.Sprintf("kstest%d", os.Getpid())
	iface, peer := fmt.Sprintf("ksh%d", os.Getpid()%100000), fmt.Sprintf("ksp%d", os.Getpid()%100000)
	hostIP, peerIP = fmt.Sprintf("10.231.%d.1", id), fmt.Sprintf("10.231.%d.2", id)
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	run("netns", "add", ns)
	t.Cleanup(func() {
		exec.Command("ip", "link", "del", iface).Run()
		exec.Command("ip", "netns", "del", ns).Run()
	})
	run("link", "add", iface, "type", "veth", "peer", "name", peer)
	run("link", "set", peer, "netns", ns)
	run("addr", "add", hostIP+"/24", "dev", iface)
	run("link", "set", iface, "up")
	run("netns", "exec", ns, "ip", "addr", "add", peerIP+"/24", "dev", peer)
	run("netns", "exec", ns, "ip", "link", "set", peer, "up")
	run("netns", "exec", ns, "ip", "link", "set", "lo", "up")
	// Static neighbour entries: no ARP, so no counted packet ever waits in
	// (or is dropped from) a neighbour queue, however loaded the machine.
	mac := func(args ...string) string {
		out, err := exec.Command(args[0], args[1:]...).Output()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	hostMAC := mac("cat", "/sys/class/net/"+iface+"/address")
	peerMAC := mac("ip", "netns", "exec", ns, "cat", "/sys/class/net/"+peer+"/address")
	run("neigh", "replace", peerIP, "lladdr", peerMAC, "dev", iface, "nud", "permanent")
	run("netns", "exec", ns, "ip", "neigh", "replace", hostIP, "lladdr", hostMAC, "dev", peer, "nud", "permanent")
	return iface, hostIP, peerIP, ns
}

// removeStaleVeths deletes the namespaces (and so the veth pairs) that
// killed test processes left behind: an address of theirs on a subnet a
// new pair uses makes its replies go astray.
func removeStaleVeths() {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		pid, err := strconv.Atoi(strings.TrimPrefix(name, "kstest"))
		if !strings.HasPrefix(name, "kstest") || err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			continue // its test is still running
		}
		exec.Command("ip", "link", "del", fmt.Sprintf("ksh%d", pid%100000)).Run()
		exec.Command("ip", "netns", "del", name).Run()
	}
}

// freeSubnet returns id, or the next one, such that no interface has an
// address in 10.231.id.0/24 (another test process may be running).
func freeSubnet(id int) int {
	out, _ := exec.Command("ip", "-o", "-4", "addr", "show").Output()
	for i := 0; i < 200; i++ {
		c := 20 + (id-20+i)%200
		if !strings.Contains(string(out), fmt.Sprintf(" 10.231.%d.", c)) {
			return c
		}
	}
	return id
}

// sendFromNamespace re-runs this test binary inside ns as a traffic sender.
func sendFromNamespace(t *testing.T, ns, target string, udp, other, icmp, tcpPort int) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestSenderProcess$")
	cmd.Env = append(os.Environ(), "KAISEKI_SENDER=1", "KAISEKI_TARGET="+target,
		fmt.Sprintf("KAISEKI_SEND=%d,%d,%d,%d", udp, other, icmp, tcpPort))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sender: %v: %s", err, out)
	}
}

// TestSenderProcess is not a test: it is the traffic sender run inside the
// namespace by sendFromNamespace.
func TestSenderProcess(t *testing.T) {
	if os.Getenv("KAISEKI_SENDER") != "1" {
		t.Skip("only runs as the live tests' traffic sender")
	}
	target := os.Getenv("KAISEKI_TARGET")
	var udp, other, icmp, tcpPort int
	fmt.Sscanf(os.Getenv("KAISEKI_SEND"), "%d,%d,%d,%d", &udp, &other, &icmp, &tcpPort)
	send := func(port, n int) {
		// Unconnected, so an ICMP port unreachable cannot fail later writes.
		c, err := net.ListenPacket("udp4", ":0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		to := &net.UDPAddr{IP: net.ParseIP(target), Port: port}
		for i := 0; i < n; i++ {
			if _, err := c.WriteTo([]byte(fmt.Sprintf("kaiseki %04d", i)), to); err != nil {
				t.Fatal(err)
			}
		}
	}
	send(9999, udp)
	send(9998, other)
	if icmp > 0 {
		c, err := net.ListenPacket("ip4:icmp", "0.0.0.0")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < icmp; i++ {
			msg := []byte{8, 0, 0, 0, 0x12, 0x34, 0, byte(i), 'k', 's'}
			ck := checksum(msg)
			binary.BigEndian.PutUint16(msg[2:], ck)
			if _, err := c.WriteTo(msg, &net.IPAddr{IP: net.ParseIP(target)}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
		}
		c.Close()
	}
	if tcpPort > 0 {
		c, err := net.DialTimeout("tcp4", net.JoinHostPort(target, strconv.Itoa(tcpPort)), 3*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("hello over tcp"))
		c.Close()
	}
}

func checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// classify counts Ethernet/IPv4 packets by kind.
type tally struct {
	udp9999, udpOther, icmpReq, icmpRep, tcp, tcpSyn, other int
	udpBytes                                                int
}

func count(t *testing.T, s *Store) tally {
	t.Helper()
	var c tally
	for i := 0; i < s.Len(); i++ {
		d, err := s.Data(i, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(d) < 34 || binary.BigEndian.Uint16(d[12:]) != 0x0800 {
			c.other++
			continue
		}
		ihl := int(d[14]&0x0f) * 4
		l4 := d[14+ihl:]
		switch d[23] {
		case 17:
			if binary.BigEndian.Uint16(l4[2:]) == 9999 {
				c.udp9999++
				c.udpBytes += len(d)
			} else {
				c.udpOther++
			}
		case 1:
			switch l4[0] {
			case 8:
				c.icmpReq++
			case 0:
				c.icmpRep++
			}
		case 6:
			c.tcp++
			if l4[13]&0x12 == 0x02 {
				c.tcpSyn++
			}
		default:
			c.other++
		}
	}
	return c
}

func TestLiveCaptureFilterAndCounts(t *testing.T) {
	needCapture(t)
	helper := buildHelper(t)
	iface, hostIP, _, ns := vethPair(t)
	sink(t, hostIP, 9999)
	sink(t, hostIP, 9998)
	ln, err := net.Listen("tcp4", hostIP+":9997")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 64)
			c.Read(buf)
			c.Close()
		}
	}()
	spoolDir := t.TempDir()
	live, err := StartLive(context.Background(), LiveOptions{
		Helper: helper, Interface: iface, SpoolDir: spoolDir,
		Filter: "udp port 9999 or icmp or tcp port 9997",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const nUDP, nOther, nICMP = 25, 10, 7
	sendFromNamespace(t, ns, hostIP, nUDP, nOther, nICMP, 9997)
	// The kernel answers the pings; wait until everything arrived.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c := count(t, live.Store); c.udp9999 == nUDP && c.icmpRep == nICMP && c.tcp >= 5 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	live.Stop()
	if err := live.Err(); err != nil {
		t.Fatalf("capture ended with %v", err)
	}
	defer live.Close()
	c := count(t, live.Store)
	if c.udp9999 != nUDP || c.udpOther != 0 || c.icmpReq != nICMP || c.icmpRep != nICMP || c.tcpSyn != 1 || c.tcp < 5 || c.other != 0 {
		t.Fatalf("captured %+v; want %d UDP to 9999, none to 9998, %d echo requests and replies, one TCP connection", c, nUDP, nICMP)
	}
	// Each UDP frame: 14 Ethernet + 20 IPv4 + 8 UDP + 12 bytes payload.
	if want := nUDP * (14 + 20 + 8 + 12); c.udpBytes != want {
		t.Errorf("UDP bytes = %d, want %d", c.udpBytes, want)
	}
	st := live.Stats()
	if st.Packets != uint64(live.Store.Len()) || st.Dropped != 0 {
		t.Errorf("stats %+v, want %d packets and no drops", st, live.Store.Len())
	}
	// The spool file holds the same packets, readable by the file reader.
	back := loadAll(t, live.SpoolPath)
	if back.Store.Len() != live.Store.Len() || back.Warning != "" {
		t.Fatalf("spool file: %d packets (warning %q), want %d", back.Store.Len(), back.Warning, live.Store.Len())
	}
}

func TestLiveHelperKilledKeepsPackets(t *testing.T) {
	needCapture(t)
	helper := buildHelper(t)
	iface, hostIP, _, ns := vethPair(t)
	sink(t, hostIP, 9999)
	live, err := StartLive(context.Background(), LiveOptions{
		Helper: helper, Interface: iface, SpoolDir: t.TempDir(), Filter: "udp port 9999",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	sendFromNamespace(t, ns, hostIP, n, 0, 0, 0)
	deadline := time.Now().Add(20 * time.Second)
	for live.Store.Len() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := live.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-live.Done()
	defer live.Close()
	if live.Store.Len() != n {
		t.Fatalf("store has %d packets after the kill, want %d (stats %+v)", live.Store.Len(), n, live.Stats())
	}
	// Recovery: the spool file opens with every packet written before the kill.
	back := loadAll(t, live.SpoolPath)
	if got := count(t, back.Store).udp9999; got != n {
		t.Fatalf("recovered %d packets from %s, want %d", got, live.SpoolPath, n)
	}
}

func TestLiveInvalidFilterFailsBeforeStart(t *testing.T) {
	if _, err := pcapdev.List(); err != nil {
		t.Skipf("no libpcap in this build: %v", err)
	}
	dir := t.TempDir()
	_, err := StartLive(context.Background(), LiveOptions{
		Helper: filepath.Join(dir, "no-such-helper"), Interface: "lo", SpoolDir: dir,
		Filter: "udp port and and",
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Fatalf("err = %v, want libpcap's syntax error", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("a spool file was created before the filter was checked: %v", ents)
	}
}

func TestOrphanSpools(t *testing.T) {
	dir := t.TempDir()
	// A pid that cannot exist (above pid_max) and our own, alive, pid.
	dead := filepath.Join(dir, "live-20260101-120000-2147483000-eth0.pcapng")
	alive := filepath.Join(dir, fmt.Sprintf("live-20260101-120000-%d-eth0.pcapng", os.Getpid()))
	for _, p := range []string{dead, alive, filepath.Join(dir, "notes.txt")} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := OrphanSpools(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Path != dead || got[0].PID != 2147483000 {
		t.Fatalf("orphans = %+v, want only %s", got, dead)
	}
}
