package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// opFunc performs one operation for client goroutine worker (0 ≤ worker <
// concurrency) and records it.
type opFunc func(ctx context.Context, worker int)

// phase is a stretch of load: concurrency client goroutines repeating an
// operation for warmup + duration, or until maxOps operations are counted.
type phase struct {
	name        string
	concurrency int
	warmup      time.Duration
	duration    time.Duration
	maxOps      int64 // 0: no limit
	watch       []int // process trees whose CPU use is reported, besides this one
}

// run runs p, recording into rec (whose From must be the end of the
// warm-up), and returns the CPU the watched processes used while measured
// (nil where /proc is missing). Operations in flight when the phase ends are
// allowed to finish; ctx being cancelled (Ctrl-C) cuts them short.
func (p phase) run(ctx context.Context, rec *Recorder, op opFunc) *CPUUse {
	end := rec.From.Add(p.duration)
	var tickets atomic.Int64
	more := func() bool {
		now := time.Now()
		if ctx.Err() != nil || (p.duration > 0 && !now.Before(end)) {
			return false
		}
		return p.maxOps <= 0 || now.Before(rec.From) || tickets.Add(1) <= p.maxOps
	}
	stop := p.progress(rec)
	first := make(chan *cpuSnapshot, 1)
	go func() {
		time.Sleep(time.Until(rec.From))
		first <- takeCPU(p.watch)
	}()
	var wg sync.WaitGroup
	for w := range p.concurrency {
		wg.Go(func() {
			for more() {
				op(ctx, w)
			}
		})
	}
	wg.Wait()
	last := takeCPU(p.watch)
	stop()
	return cpuUse(p.name, <-first, last)
}

// progress prints a line on stderr about once a second until stopped:
// operations counted, their rate (overall and in the last second) and errors.
func (p phase) progress(rec *Recorder) (stop func()) {
	fi, err := os.Stderr.Stat()
	tty := err == nil && fi.Mode()&os.ModeCharDevice != 0 // a terminal: one line, rewritten in place
	line := func(format string, args ...any) {
		if tty {
			fmt.Fprintf(os.Stderr, "\r"+format+"\033[K", args...)
		} else {
			fmt.Fprintf(os.Stderr, format+"\n", args...)
		}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		var last int64
		for {
			select {
			case <-done:
				n, failed := rec.Counts()
				line("[%s] done: %d ops, %d errors", p.name, n, failed)
				if tty {
					fmt.Fprintln(os.Stderr)
				}
				return
			case now := <-t.C:
				n, failed := rec.Counts()
				if now.Before(rec.From) {
					line("[%s] warming up (%s left)", p.name, rec.From.Sub(now).Round(time.Second))
					continue
				}
				el := now.Sub(rec.From)
				line("[%s] %4.0fs  ops %6d  %7.1f ops/s (last 1s: %4d)  errors %d",
					p.name, el.Seconds(), n, float64(n)/el.Seconds(), n-last, failed)
				last = n
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
