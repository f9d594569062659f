package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Hostile input on public paths (RULES §3): the public PDFs are drawn once
// per content — the same list again is served as drawn, another is drawn
// afresh — no more are kept than publicPrintsKept, and no more are drawn at
// once than printsAtOnce: a request that finds every slot taken for
// long is answered 503, not queued without end. A signed-in form is drawn
// in a turn of the same slots, and never kept.
func TestPublicPrintsAreDrawnOncePerContentAndBounded(t *testing.T) {
	var p pdfPrinter
	drawn := 0
	draw := func(text string) func() ([]byte, error) {
		return func() ([]byte, error) { drawn++; return []byte(text), nil }
	}
	ctx := context.Background()
	for range 3 {
		if pdf, err := p.print(ctx, printKey{"admitted", []string{"石林撒尼刺绣"}, "2026-12-05"}, draw("A")); err != nil || string(pdf) != "A" {
			t.Fatalf("print: %q %v", pdf, err)
		}
	}
	if pdf, _ := p.print(ctx, printKey{"admitted", []string{"石林撒尼刺绣", "宜良烤鸭师傅"}, "2026-12-05"}, draw("B")); string(pdf) != "B" || drawn != 2 {
		t.Errorf("a changed list: %q after %d drawings, want B after 2", pdf, drawn)
	}
	for i := range 40 {
		p.print(ctx, printKey{"announcement", i, ""}, draw(fmt.Sprint(i)))
		// The list asked for all along stays kept: the least recently
		// asked for goes first, not the oldest drawn.
		if pdf, _ := p.print(ctx, printKey{"admitted", []string{"石林撒尼刺绣"}, "2026-12-05"}, draw("A again")); string(pdf) != "A" {
			t.Fatalf("after %d announcements the list asked for all along was drawn again", i+1)
		}
	}
	if len(p.kept) != publicPrintsKept || len(p.order) != publicPrintsKept {
		t.Errorf("%d kept (%d in order), want %d", len(p.kept), len(p.order), publicPrintsKept)
	}

	for range printsAtOnce { // every slot taken by drawings under way
		p.slots <- struct{}{}
	}
	busy, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err := p.print(busy, printKey{"notice", "new", "2026-12-05"}, draw("C"))
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable {
		t.Errorf("with every slot taken: %v, want a 503", err)
	}
	// A signed-in person's form takes a turn as well: a holder asking for
	// its own 附件1 in a loop does not take the cores from everyone.
	_, err = p.draw(busy, draw("附件1"))
	if !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable {
		t.Errorf("a signed-in form with every slot taken: %v, want a 503", err)
	}
	<-p.slots
	if pdf, err := p.draw(ctx, draw("附件1")); err != nil || string(pdf) != "附件1" {
		t.Errorf("a signed-in form with a slot free: %q %v", pdf, err)
	}
	if pdf, _ := p.draw(ctx, draw("附件1 again")); string(pdf) != "附件1 again" {
		t.Errorf("a signed-in form was served from a keep: %q", pdf)
	}
}

// 第十三条 (the public may object during the notice): the printed 公示 gives
// the deployment's address for objecting online — and none when that is a
// loopback address (LB_PUBLIC_URL unset), which on a notice posted on a
// wall would send readers to their own computer.
func Test第十三条_ThePrintedNoticeGivesNoLoopbackAddress(t *testing.T) {
	for base, want := range map[string]string{
		"https://lb.km.gov.cn":   "https://lb.km.gov.cn/public/notices",
		"https://lb.km.gov.cn/":  "https://lb.km.gov.cn/public/notices",
		"http://10.20.0.5:8080":  "http://10.20.0.5:8080/public/notices",
		"http://127.0.0.1:8080":  "",
		"http://localhost:8090":  "",
		"http://LOCALHOST.:8090": "",
		"http://lb.localhost":    "",
		"http://[::1]:8080":      "",
		"http://0.0.0.0:8080":    "",
		"":                       "",
		"lb.km.gov.cn/no-scheme": "",
	} {
		if got := printedLink(base, "/public/notices"); got != want {
			t.Errorf("%q: %q, want %q", base, got, want)
		}
	}
}

// The printer's first uses at once (its first requests after a start) make
// its map once and read it after: run under -race, this fails where a first
// print read the map while another's turn made it.
func TestPublicPrintsFirstUsedAtOnce(t *testing.T) {
	var p pdfPrinter
	done := make(chan error, 4)
	for i := range 4 {
		go func() {
			_, err := p.print(context.Background(), printKey{"announcement", i % 2, ""}, func() ([]byte, error) { return []byte("A"), nil })
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
