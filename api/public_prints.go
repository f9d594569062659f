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

// publicPrints keeps the public PDFs last printed — the 公示, the 入库名单,
// the announcements — by what they print, and bounds how many are drawn at
// once: anyone may ask for them, and each costs tens of milliseconds of
// CPU. The same list asked for a thousand times is drawn once; a list that
// changed is a new key, drawn afresh, so nothing stale is ever served.
type publicPrints struct {
	once  sync.Once
	mu    sync.Mutex
	kept  map[[32]byte][]byte
	order [][32]byte    // least recently asked for first
	slots chan struct{} // drawings under way
}

const (
	publicPrintsKept   = 32               // documents kept (a few MB)
	publicPrintsAtOnce = 2                // drawings at once: the cores of a small machine
	publicPrintWait    = 10 * time.Second // a request waits this long for a slot, then 503
)

// print returns the document what prints, drawing it with draw unless the
// same was drawn before. what must hold everything the document shows
// (its printing day included, not the instant).
func (p *publicPrints) print(ctx context.Context, what any, draw func() ([]byte, error)) ([]byte, error) {
	p.once.Do(func() {
		p.kept = map[[32]byte][]byte{}
		p.slots = make(chan struct{}, publicPrintsAtOnce)
	})
	raw, err := json.Marshal(what)
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256(raw)
	if pdf := p.get(key); pdf != nil {
		return pdf, nil
	}
	wait, cancel := context.WithTimeout(ctx, publicPrintWait)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-wait.Done():
		return nil, &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "打印请求较多，请稍后再试"}
	}
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
func (p *publicPrints) get(key [32]byte) []byte {
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
