package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"
)

// pdfPrinter bounds how many PDFs are drawn at once — each costs tens of
// milliseconds of CPU and tens of megabytes, and anyone may ask for the
// public ones, any holder for its own forms, in a loop — and keeps the
// public PDFs last printed — the 公示, the 入库名单, the announcements — by
// what they print. The same list asked for a thousand times is drawn once;
// a list that changed is a new key, drawn afresh, so nothing stale is ever
// served. A signed-in person's forms are drawn in turn and kept by nobody.
type pdfPrinter struct {
	once  sync.Once
	mu    sync.Mutex
	kept  map[[32]byte][]byte
	order [][32]byte    // least recently asked for first
	slots chan struct{} // drawings under way
}

const (
	publicPrintsKept = 32               // documents kept (a few MB)
	printsAtOnce     = 2                // drawings at once: the cores of a small machine
	printWait        = 10 * time.Second // a request waits this long for a slot, then 503
)

// print returns the document what prints, drawing it with draw unless the
// same was drawn before. what must hold everything the document shows
// (its printing day included, not the instant).
func (p *pdfPrinter) print(ctx context.Context, what any, draw func() ([]byte, error)) ([]byte, error) {
	raw, err := json.Marshal(what)
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256(raw)
	p.ready()
	if pdf := p.get(key); pdf != nil {
		return pdf, nil
	}
	release, err := p.turn(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if pdf := p.get(key); pdf != nil { // drawn while this one waited
		return pdf, nil
	}
	pdf, err := draw()
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.kept[key]; !ok {
		if len(p.order) == publicPrintsKept {
			delete(p.kept, p.order[0])
			p.order = p.order[1:]
		}
		p.kept[key], p.order = pdf, append(p.order, key)
	}
	return pdf, nil
}

// draw draws a document kept by nobody (a signed-in person's form or
// report) in its turn.
func (p *pdfPrinter) draw(ctx context.Context, draw func() ([]byte, error)) ([]byte, error) {
	release, err := p.turn(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return draw()
}

// turn waits up to printWait for one of the drawings at once, and
// returns its release; after that, a 503 that says to try again.
func (p *pdfPrinter) turn(ctx context.Context) (func(), error) {
	p.ready()
	wait, cancel := context.WithTimeout(ctx, printWait)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
		return func() { <-p.slots }, nil
	case <-wait.Done():
		return nil, &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "打印请求较多，请稍后再试"}
	}
}

// ready makes the printer's map and slots once, before any use of either
// (a first print read the map while another's turn made it).
func (p *pdfPrinter) ready() {
	p.once.Do(func() {
		p.kept = map[[32]byte][]byte{}
		p.slots = make(chan struct{}, printsAtOnce)
	})
}

// printKey is what a public print shows: the document's input with its
// printing instant cleared, and the day it is printed on.
type printKey struct {
	Kind string
	Doc  any
	Day  string
}

// get is the document kept under key, which becomes the last to be
// forgotten: asked for again and again, the 入库名单 — the dearest to draw —
// is not pushed out by a stranger cycling through cheap announcements.
func (p *pdfPrinter) get(key [32]byte) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	pdf, ok := p.kept[key]
	if ok {
		if i := slices.Index(p.order, key); i >= 0 {
			p.order = append(slices.Delete(p.order, i, i+1), key)
		}
	}
	return pdf
}
