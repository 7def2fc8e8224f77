package cli

import (
	"bufio"
	"bytes"
	"context"
	"runtime"
	"sync"

	"github.com/kaiseki-app/kaiseki/capture"
	"github.com/kaiseki-app/kaiseki/dissect"
)

// A file read is split among partial States by conversation (the unordered
// pair of IP addresses, dissect.ConversationKey): each shard dissects its
// conversations' packets in frame order on its own goroutine, exactly as
// one State would, and a merger prints the matches in frame order. The
// first pass, sequential by nature (TCP analysis, reassembly, request and
// response matching), then runs on every core.

// shardRound is how many packets are dispatched between two hand-overs to
// the shards; every shard gets one batch per round (possibly empty), so
// the merger knows when all frames of a round are done.
const shardRound = 2048

// shardCount decides how many shards read the file: one (no sharding) for
// live captures, -2, -V (trees show stream indexes), a single CPU, a bare
// -w without filter, and whenever a Global field (tcp.stream) is asked
// for, whose values count conversations of every shard.
func (o *Options) shardCount(want []bool, fp *fieldPrinter) int {
	if o.shards > 0 {
		return o.shards
	}
	if o.Interface != "" || o.TwoPass || o.Verbose || runtime.GOMAXPROCS(0) < 2 {
		return 1
	}
	if o.WriteFile != "" && want == nil {
		return 1 // nothing to dissect but the first pass
	}
	reg := dissect.Fields()
	for _, w := range [][]bool{want, fieldWants(fp)} {
		for id, on := range w {
			if on && reg.ByID(id).Global {
				return 1
			}
		}
	}
	return min(runtime.GOMAXPROCS(0), 8)
}

func fieldWants(fp *fieldPrinter) []bool {
	if fp == nil {
		return nil
	}
	return fp.want
}

// shardBatch is one round's work for a shard and, once done, its output.
type shardBatch struct {
	idx    []int        // packets (0-based), ascending
	out    bytes.Buffer // the printed packets, one after the other
	frames []int        // the matching packets, ascending
	ends   []int        // the end of each matching packet's text in out
	err    error
}

// runSharded reads cf with n shards, printing to out what each shard's
// emitter prints, in frame order. With count > 0 it stops after that
// many matches; with save the matching packets' indexes go to *saved.
//
// Packets for which skip (when not nil) is true go to no shard: the
// display filter cannot match them, and the shards' States do not need
// them (filterSkip).
func runSharded(ctx context.Context, cf *capture.File, n int, newEmitter func(*dissect.State) *emitter,
	skip func(linkType uint16, data []byte) bool, out *bufio.Writer, count int, save bool, saved *[]int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	store := cf.Store
	// The shards read packet bytes from the Store: parse the file where it
	// is mapped instead of copying every packet out of a read buffer.
	cf.Map()
	// Rounds in flight per shard. With as many shards as CPUs, the
	// dispatcher is one goroutine too many: once preempted it may wait a
	// whole time slice (10 ms) for a CPU, and the shards must not run dry
	// meanwhile (a round is ~1 ms of a shard's work). 4 rounds left the
	// shards idle 15% of the time; 32 (~2 MB of batches) about 2%.
	const ahead = 32
	jobs := make([]chan *shardBatch, n)
	done := make([]chan *shardBatch, n)
	free := make(chan *shardBatch, n*(ahead+2))
	for k := range n {
		jobs[k] = make(chan *shardBatch, ahead)
		done[k] = make(chan *shardBatch, ahead)
	}
	for range n * (ahead + 2) {
		free <- &shardBatch{}
	}

	var workers sync.WaitGroup
	for k := range n {
		workers.Add(1)
		go func() {
			defer workers.Done()
			defer close(done[k])
			em := newEmitter(dissect.NewPartialState())
			var buf []byte
			for b := range jobs[k] {
				if ctx.Err() != nil {
					b.idx = b.idx[:0] // stopping: hand the batch back untouched
				}
				for j, i := range b.idx {
					// Its bytes were last read many packets ago by
					// the dispatcher: ask for the next ones early.
					if j+2 < len(b.idx) {
						store.Prefetch(b.idx[j+2])
					}
					data, err := store.Data(i, buf)
					if err != nil {
						b.err = err
						break
					}
					buf = data[:0:cap(data)]
					p := store.Packet(i, data)
					if em.emit(&b.out, &p) {
						b.frames = append(b.frames, i)
						b.ends = append(b.ends, b.out.Len())
					}
				}
				done[k] <- b
			}
		}()
	}

	// The merger prints each round's matches in frame order.
	var (
		mergeErr error
		stopped  bool // count reached
	)
	merged := make(chan struct{})
	go func() {
		defer close(merged)
		printed := 0
		heads := make([]*shardBatch, n)
		pos := make([]int, n) // next match of each shard's batch
		for {
			for k := range n {
				b, ok := <-done[k]
				if !ok {
					return // the shards have finished
				}
				heads[k], pos[k] = b, 0
				if b.err != nil && mergeErr == nil {
					mergeErr = b.err
					cancel()
				}
			}
			// Once cancelled, a round may be missing packets that a shard
			// skipped: print none of it, so the output has no gaps.
			for !stopped && mergeErr == nil && ctx.Err() == nil {
				best := -1 // the shard whose next match comes first
				for k, b := range heads {
					if pos[k] < len(b.frames) && (best < 0 || b.frames[pos[k]] < heads[best].frames[pos[best]]) {
						best = k
					}
				}
				if best < 0 {
					break
				}
				b, j := heads[best], pos[best]
				start := 0
				if j > 0 {
					start = b.ends[j-1]
				}
				out.Write(b.out.Bytes()[start:b.ends[j]])
				if save {
					*saved = append(*saved, b.frames[j])
				}
				pos[best]++
				printed++
				if count > 0 && printed >= count {
					stopped = true
					cancel()
				}
			}
			for _, b := range heads {
				b.idx, b.frames, b.ends, b.err = b.idx[:0], b.frames[:0], b.ends[:0], nil
				b.out.Reset()
				free <- b
			}
		}
	}()

	// Dispatch: this goroutine reads the file and sends every packet to
	// its conversation's shard.
	pending := make([]*shardBatch, n)
	for k := range pending {
		pending[k] = <-free
	}
	flush := func() bool {
		for k, b := range pending {
			select {
			case jobs[k] <- b:
			case <-ctx.Done():
				return false
			}
			select {
			case pending[k] = <-free:
			case <-ctx.Done():
				return false
			}
		}
		return true
	}
	inRound := 0
	err := cf.Load(ctx, func(i int, rec capture.Record, data []byte) error {
		k := 0
		if ifs := store.Interfaces(); rec.Kind == capture.KindPacket && rec.Iface >= 0 && rec.Iface < len(ifs) {
			lt := ifs[rec.Iface].LinkType
			if skip != nil && skip(lt, data) {
				return nil
			}
			k = int(dissect.ConversationKey(lt, data) % uint64(n))
		}
		pending[k].idx = append(pending[k].idx, i)
		if inRound++; inRound == shardRound {
			inRound = 0
			if !flush() {
				return ctx.Err()
			}
		}
		return nil
	})
	if err == nil {
		flush()
	}
	for k := range n {
		close(jobs[k])
	}
	workers.Wait()
	<-merged
	switch {
	case mergeErr != nil:
		return mergeErr
	case stopped:
		return nil
	case err != nil:
		return err
	}
	return ctx.Err()
}
