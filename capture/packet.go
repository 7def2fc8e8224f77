package capture

import "github.com/kaiseki-app/kaiseki/dissect"

// Packet builds the dissector's view of packet i (0-based) whose bytes are
// data. FirstTS/PrevTS come from the index so time columns are exact.
func (s *Store) Packet(i int, data []byte) dissect.Packet {
	in := s.Info(i)
	p := dissect.Packet{
		Num: i + 1, Data: data, OrigLen: in.OrigLen, Iface: in.Iface,
		HasTime: in.HasTime, TS: in.TS, Sec: in.Sec, Nsec: in.Nsec, Custom: in.Kind == KindCustom,
		Comments: s.Comments(i), PcapNG: s.format == FormatPcapNG,
	}
	if in.Iface >= 0 {
		if ifs := s.Interfaces(); in.Iface < len(ifs) {
			p.LinkType = ifs[in.Iface].LinkType
		}
	}
	p.FirstTS, p.PrevTS = p.TS, p.TS
	if ts, ok := s.firstTS(i); ok {
		p.FirstTS = ts
	}
	for j := i - 1; j >= 0; j-- {
		if ts, ok := s.tsNS(j); ok {
			p.PrevTS = ts
			break
		}
	}
	return p
}
