//go:build cgo

package pcapdev

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
)

// List returns the interfaces libpcap can see.
func List() ([]Device, error) {
	ifs, err := pcap.FindAllDevs()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	out := make([]Device, 0, len(ifs))
	for _, in := range ifs {
		d := Device{
			Name: in.Name, Description: in.Description,
			Loopback: in.Flags&0x1 != 0, Up: in.Flags&0x2 != 0, Running: in.Flags&0x4 != 0, Wireless: in.Flags&0x8 != 0,
		}
		for _, a := range in.Addresses {
			if a.IP == nil {
				continue
			}
			ones := -1
			if a.Netmask != nil {
				ones, _ = a.Netmask.Size()
			}
			if ones >= 0 {
				d.Addresses = append(d.Addresses, (&net.IPNet{IP: a.IP, Mask: a.Netmask}).String())
			} else {
				d.Addresses = append(d.Addresses, a.IP.String())
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// CheckFilter compiles a capture filter for a link type, returning
// libpcap's own message when it is invalid. Nothing is opened.
func CheckFilter(linkType uint16, snapLen int, expr string) error {
	if expr == "" {
		return nil
	}
	if snapLen <= 0 {
		snapLen = 262144
	}
	if _, err := pcap.CompileBPFFilter(layers.LinkType(linkType), snapLen, expr); err != nil {
		return fmt.Errorf("capture filter %q: %w", expr, err)
	}
	return nil
}

// Handle is an open interface.
type Handle struct {
	h *pcap.Handle
}

// Open opens and activates an interface and applies the filter. A
// privilege failure wraps ErrPermission.
func Open(cfg Config) (*Handle, error) {
	snap := cfg.SnapLen
	if snap <= 0 {
		snap = 262144
	}
	in, err := pcap.NewInactiveHandle(cfg.Interface)
	if err != nil {
		return nil, openErr(cfg.Interface, err)
	}
	defer in.CleanUp()
	_ = in.SetSnapLen(snap)
	_ = in.SetPromisc(!cfg.NoPromisc)
	// No immediate mode: on Linux it makes libpcap use a ring of
	// snaplen-sized frames (8 of them for 262144 bytes in 2 MiB), which a
	// burst overflows. TPACKET_V3 blocks pack packets tightly; the timeout
	// bounds the latency instead.
	_ = in.SetTimeout(50 * time.Millisecond)
	buf := cfg.BufferMiB
	if buf <= 0 {
		buf = 16
	}
	_ = in.SetBufferSize(buf << 20)
	h, err := in.Activate()
	if err != nil {
		return nil, openErr(cfg.Interface, err)
	}
	if cfg.Filter != "" {
		if err := h.SetBPFFilter(cfg.Filter); err != nil {
			h.Close()
			return nil, fmt.Errorf("capture filter %q: %w", cfg.Filter, err)
		}
	}
	return &Handle{h: h}, nil
}

func openErr(name string, err error) error {
	if isPermission(err.Error()) {
		return fmt.Errorf("open %s: %w: %v", name, ErrPermission, err)
	}
	return fmt.Errorf("open %s: %w", name, err)
}

// LinkType returns the interface's LINKTYPE_ value.
func (h *Handle) LinkType() uint16 { return uint16(h.h.LinkType()) }

// ErrTimeout is returned by Read when no packet arrived within the read
// timeout; callers loop.
var ErrTimeout = errors.New("read timeout")

// Read returns the next packet: its bytes (valid until the next call), its
// timestamp in ns since the epoch and its length on the wire.
func (h *Handle) Read() ([]byte, int64, int, error) {
	data, ci, err := h.h.ZeroCopyReadPacketData()
	if err != nil {
		if errors.Is(err, pcap.NextErrorTimeoutExpired) {
			return nil, 0, 0, ErrTimeout
		}
		return nil, 0, 0, err
	}
	return data, ci.Timestamp.UnixNano(), ci.Length, nil
}

// Stats returns packets received and dropped by the kernel and by the
// interface, as libpcap counts them.
func (h *Handle) Stats() (recv, drop, ifDrop uint64, err error) {
	s, err := h.h.Stats()
	if err != nil {
		return 0, 0, 0, err
	}
	return uint64(s.PacketsReceived), uint64(s.PacketsDropped), uint64(s.PacketsIfDropped), nil
}

// Close releases the interface.
func (h *Handle) Close() { h.h.Close() }
