package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/capture/pcapdev"
)

// runLive captures on o.Interface through the helper, handing every packet
// to visit as it arrives. With -w the spool file is the output file.
func runLive(ctx context.Context, o *Options, visit capture.Visit, errStop error, store **capture.Store, out *bufio.Writer, stderr io.Writer) (int, error) {
	opt := capture.LiveOptions{Interface: o.Interface, Filter: o.CapFilter, SnapLen: o.SnapLen, NoPromisc: o.NoPromisc, SpoolPath: o.WriteFile}
	for _, a := range o.Autostop {
		k, v, _ := strings.Cut(a, ":")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 1, fmt.Errorf("-a %s: expected duration:N, filesize:KB or packets:N", a)
		}
		switch k {
		case "duration":
			opt.Duration = time.Duration(n) * time.Second
		case "filesize":
			opt.MaxBytes = n * 1000
		case "packets":
			opt.Count = n
		default:
			return 1, fmt.Errorf("-a %s: unknown condition %q", a, k)
		}
	}
	if o.Count > 0 && o.WriteFile != "" {
		opt.Count = int64(o.Count)
	}
	// Summary lines go out as packets arrive, not when the buffer fills;
	// with -w nothing is printed but the count, as tshark does.
	started := make(chan struct{})
	var onPacket capture.Visit
	if o.WriteFile == "" {
		onPacket = func(i int, rec capture.Record, data []byte) error {
			<-started // visit needs the store, known once StartLive returns
			err := visit(i, rec, data)
			out.Flush()
			return err
		}
	}
	fmt.Fprintf(stderr, "Capturing on '%s'\n", o.Interface)
	live, err := capture.StartLive(ctx, opt, onPacket)
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return 2, fmt.Errorf("%w (install kaiseki-capture beside kaiseki)", err)
		}
		return 2, err
	}
	*store = live.Store
	close(started)
	err = live.Err()
	live.Close()
	st := live.Stats()
	fmt.Fprintf(stderr, "%d packets captured", st.Packets)
	if st.Dropped+st.IfDropped > 0 {
		fmt.Fprintf(stderr, ", %d dropped by the kernel, %d by the interface", st.Dropped, st.IfDropped)
	}
	fmt.Fprintln(stderr)
	if err != nil && !errors.Is(err, errStop) {
		return 2, err
	}
	return 0, nil
}

// listInterfaces prints the local interfaces like `tshark -D`, with their
// addresses, flags and whether this user can capture on them.
func listInterfaces(stdout, stderr io.Writer) int {
	devs, err := pcapdev.List()
	if err != nil {
		fmt.Fprintf(stderr, "kaiseki: %v\n", err)
		return 2
	}
	helper, herr := capture.FindHelper()
	for i, d := range devs {
		line := fmt.Sprintf("%d. %s", i+1, d.Name)
		if d.Description != "" {
			line += " (" + d.Description + ")"
		}
		if f := d.Flags(); f != "" {
			line += " [" + f + "]"
		}
		if len(d.Addresses) > 0 {
			line += " " + strings.Join(d.Addresses, " ")
		}
		if herr != nil {
			line += " — capture: helper not installed"
		} else {
			line += " — capture: " + captureStatus(helper, d.Name)
		}
		fmt.Fprintln(stdout, line)
	}
	if herr != nil {
		fmt.Fprintf(stderr, "kaiseki: %v\n", herr)
	}
	return 0
}

// captureStatus asks the helper to open the interface and close it again:
// "yes", "not permitted", or why it cannot be opened.
func captureStatus(helper, iface string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, helper, "-i", iface, "-d").CombinedOutput()
	if err == nil {
		return "yes"
	}
	msg := strings.TrimSpace(string(out))
	if strings.Contains(msg, pcapdev.ErrPermission.Error()) {
		return "not permitted"
	}
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	return "no (" + strings.TrimPrefix(msg, "error: ") + ")"
}
