package capture

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// SaveOptions say what to save and how.
type SaveOptions struct {
	Format Format // FormatPcap or FormatPcapNG
	// Packets lists the 0-based indices to save, in order; nil saves all.
	Packets []int
	// App names the writing application in pcapng section headers.
	App string
	// Progress, when set, is called now and then with packets written so far.
	Progress func(done, total int)

	// wrap lets tests put a failing writer between the encoder and the file.
	wrap func(io.Writer) io.Writer
}

// SaveResult reports what a save could not keep.
type SaveResult struct {
	Written         int
	DroppedComments int // comments a pcap file cannot hold
}

// Save writes packets of store to path atomically: it writes a temporary
// file in the same folder, syncs it and renames it over path, so a failure
// at any point leaves an existing file untouched. Saving onto the file the
// store reads from works: the old file stays readable until the rename.
func Save(ctx context.Context, path string, store *Store, opt SaveOptions) (SaveResult, error) {
	var res SaveResult
	err := writeFileAtomic("save", path, func(w io.Writer) error {
		if opt.wrap != nil {
			w = opt.wrap(w)
		}
		var err error
		res, err = WritePackets(ctx, w, store, opt)
		return err
	})
	return res, err
}

// writeFileAtomic writes path through fn: a temporary file in the same
// folder (keeping the permissions of the file it replaces), synced and
// renamed over path, then the folder synced, so a failure at any point
// leaves an existing file untouched. verb names the operation in errors.
func writeFileAtomic(verb, path string, fn func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s %s: %w", verb, path, err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if st, err := os.Stat(path); err == nil {
		_ = tmp.Chmod(st.Mode().Perm())
	} else {
		_ = tmp.Chmod(0o644)
	}
	if err := fn(tmp); err != nil {
		return fmt.Errorf("%s %s: %w", verb, path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s %s: sync: %w", verb, path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s %s: %w", verb, path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s %s: %w", verb, path, err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename itself durable where the OS allows
		d.Close()
	}
	return nil
}

// selection returns how many packets a Packets option selects out of n
// and the store index of the k-th one (nil selects them all).
func selection(n int, packets []int) (total int, index func(k int) int) {
	if packets == nil {
		return n, func(k int) int { return k }
	}
	return len(packets), func(k int) int { return packets[k] }
}

// WritePackets writes packets of store to w in the chosen format.
func WritePackets(ctx context.Context, w io.Writer, store *Store, opt SaveOptions) (SaveResult, error) {
	var res SaveResult
	total, index := selection(store.Len(), opt.Packets)
	ifs := store.Interfaces()
	var pw PacketWriter
	// ifMap maps store interfaces to the writer's (pcap has one).
	var ifMap func(i int) int
	switch opt.Format {
	case FormatPcapNG:
		app := opt.App
		if app == "" {
			app = "Kaiseki"
		}
		nw, err := NewNGWriter(w, app, ifs)
		if err != nil {
			return res, err
		}
		pw, ifMap = nw, func(i int) int { return i }
	case FormatPcap:
		// One link type and the finest resolution among the saved packets.
		lt, have, nano, snap := uint16(0), false, false, uint32(0)
		for k := 0; k < total; k++ {
			in := store.Info(index(k))
			if in.Kind != KindPacket || in.Iface < 0 || in.Iface >= len(ifs) {
				continue
			}
			f := ifs[in.Iface]
			if have && f.LinkType != lt {
				return res, ErrMixedLinkTypes
			}
			lt, have = f.LinkType, true
			nano = nano || f.TSResolution > 6
			snap = max(snap, f.SnapLen)
		}
		p, err := NewPcapWriter(w, lt, snap, nano)
		if err != nil {
			return res, err
		}
		pw, ifMap = p, func(int) int { return 0 }
	default:
		return res, fmt.Errorf("unknown output format %v", opt.Format)
	}
	var buf []byte
	for k := 0; k < total; k++ {
		if k&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if opt.Progress != nil {
				opt.Progress(k, total)
			}
		}
		i := index(k)
		in := store.Info(i)
		if in.Kind != KindPacket {
			continue // pcapng custom blocks are not packets
		}
		data, err := store.Data(i, buf)
		if err != nil {
			return res, err
		}
		buf = data[:0:cap(data)]
		comments := store.Comments(i)
		nw, ng := pw.(*NGWriter)
		// Its length must be what a reader derives: the original length cut
		// to interface 0's snapshot length.
		simple := ng && !in.HasTime && in.Iface == 0 && len(ifs) > 0 &&
			(in.CapLen >= in.OrigLen || ifs[0].SnapLen != 0 && in.CapLen == int(ifs[0].SnapLen))
		if opt.Format == FormatPcap || simple {
			res.DroppedComments += len(comments)
		}
		if simple {
			// A packet without a timestamp (a Simple Packet Block) stays one.
			err = nw.WriteSimple(in.OrigLen, data)
		} else if ng && in.HasTime {
			err = nw.WritePacketUnits(ifMap(in.Iface), store.Units(i), in.OrigLen, data, comments)
		} else {
			err = pw.WritePacket(ifMap(in.Iface), in.Sec, in.Nsec, in.OrigLen, data, comments)
		}
		if err != nil {
			return res, err
		}
		res.Written++
	}
	if err := pw.Flush(); err != nil {
		return res, err
	}
	if opt.Progress != nil {
		opt.Progress(total, total)
	}
	return res, nil
}
