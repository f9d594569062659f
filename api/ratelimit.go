package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
)

// Anyone may object to an application in notice or report a brand, without
// an account (第十三条, 第十五条). RULES §3 Decision — volume: each sender and
// each target has a rate limit, beyond which the answer is 429 with
// Retry-After and nothing is stored; an objection or report whose content is
// the same as one the target received within the window is merged into it —
// the first receipt is answered again (200), nothing is stored twice.

// Rate is N requests per Per, in a burst of N; the zero Rate is no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// PublicLimits bound the public POSTs (LB_PUBLIC_*, README).
type PublicLimits struct {
	PerClient Rate // per client address
	PerTarget Rate // per application objected to, per brand reported
	// DuplicateWindow is how long a target remembers the content it
	// received; 0 remembers nothing.
	DuplicateWindow time.Duration
	// TrustedProxies are the addresses (IPs or CIDRs) whose
	// X-Forwarded-For names the client; from anyone else it is ignored.
	TrustedProxies []string
}

// DefaultPublicLimits: a person objects or reports a few times an hour; an
// application in notice or a brand hears from a few hundred.
var DefaultPublicLimits = PublicLimits{PerClient: Rate{N: 10, Per: time.Hour}, PerTarget: Rate{N: 300, Per: time.Hour},
	DuplicateWindow: 24 * time.Hour}

// maxKeys bounds the memory of each limiter and of the duplicate memory:
// idle keys go first, then any.
const maxKeys = 100_000

// limiter is one token bucket per key (golang.org/x/time/rate).
type limiter struct {
	rate  Rate
	mu    sync.Mutex
	keys  map[string]*bucket
	calls int
	// fresh counts, per key without a bucket, the holds let in and not yet
	// settled (claim): only those in flight are remembered.
	fresh map[string]int
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

func newLimiter(r Rate) *limiter { return &limiter{rate: r, keys: map[string]*bucket{}} }

// allow takes one token for key; when there is none it says how long until
// there is.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	r := l.take(key, now)
	if r == nil {
		return true, 0
	}
	d := r.DelayFrom(now)
	if d > 0 {
		r.CancelAt(now) // at the instant reserved: the token is back in full
	}
	return d <= 0, d
}

// take reserves one token for key, nil when there is no limit; the caller
// gives it back (CancelAt the same instant) if it does not use it.
func (l *limiter) take(key string, now time.Time) *rate.Reservation {
	if l.rate.N <= 0 || l.rate.Per <= 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key, now).lim.ReserveN(now, 1)
}

// hold is a token held for a filing until it is known whether the filing
// was stored: kept then, given back otherwise.
type hold struct {
	l     *limiter
	key   string
	taken *rate.Reservation // nil: the key had no bucket, nothing was taken
	fresh bool              // let in without a bucket: counted in l.fresh until settled
	at    time.Time         // when it was taken: given back at that instant, it is back in full
}

// claim holds a token of key for what is to happen (a filing), or says
// how long until there is one. A key that spent before has its token taken
// now, so that filings let in together cannot pass its limit; a key never
// spent is let in without a bucket (a stranger's made-up targets, refused
// afterwards, keep no memory), and its token is spent when kept — no more
// of them at once than its burst, so that a crowd of filings on a target
// nobody filed on yet cannot all pass before the first is counted.
func (l *limiter) claim(key string, now time.Time) (hold, bool, time.Duration) {
	h := hold{l: l, key: key, at: now}
	if l.rate.N <= 0 || l.rate.Per <= 0 {
		return h, true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, known := l.keys[key]; !known {
		if l.fresh[key] >= l.rate.N {
			return h, false, time.Second // the first of them settle within it
		}
		if l.fresh == nil {
			l.fresh = map[string]int{}
		}
		l.fresh[key]++
		h.fresh = true
		return h, true, 0
	}
	r := l.bucket(key, now).lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return h, false, d
	}
	h.taken = r
	return h, true, 0
}

// keep counts the held token against its key: the filing was stored. A key
// let in without a bucket gets one now, into debt if filings let in
// together spent it: the key then waits for it.
func (h hold) keep(now time.Time) {
	if h.taken != nil || h.l.rate.N <= 0 || h.l.rate.Per <= 0 {
		return
	}
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	h.settleFresh()
	h.l.bucket(h.key, now).lim.ReserveN(now, 1)
}

// giveBack returns the held token: the filing was refused, and junk must
// not use up an application's or a brand's limit.
func (h hold) giveBack() {
	if h.taken == nil && !h.fresh {
		return
	}
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	h.settleFresh()
	if h.taken != nil {
		h.taken.CancelAt(h.at)
	}
}

// settleFresh ends a hold let in without a bucket; l.mu is held. A key
// with none in flight is forgotten.
func (h hold) settleFresh() {
	if !h.fresh {
		return
	}
	if h.l.fresh[h.key]--; h.l.fresh[h.key] <= 0 {
		delete(h.l.fresh, h.key)
	}
}

// bucket is key's bucket, made full when key is new; l.mu is held.
func (l *limiter) bucket(key string, now time.Time) *bucket {
	b := l.keys[key]
	if b == nil {
		l.evict(now)
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.rate.Per/time.Duration(l.rate.N)), l.rate.N)}
		l.keys[key] = b
	}
	b.last = now
	return b
}

// evict forgets buckets idle long enough to be full again — forgetting them
// changes nothing — and, past maxKeys, any.
func (l *limiter) evict(now time.Time) {
	l.calls++
	if len(l.keys) < maxKeys && l.calls%1024 != 0 {
		return
	}
	for k, b := range l.keys {
		if now.Sub(b.last) > l.rate.Per {
			delete(l.keys, k)
		}
	}
	for k := range l.keys { // still full: make room for a while, not for one
		if len(l.keys) < maxKeys*7/8 {
			break
		}
		delete(l.keys, k)
	}
}

// seen remembers the receipts of recent public filings by target and
// content, and the filings still in progress.
type seen struct {
	window  time.Duration
	mu      sync.Mutex
	entries map[string]*filing
}

type filing struct {
	done    bool
	body    []byte
	expires time.Time
}

func newSeen(window time.Duration) *seen { return &seen{window: window, entries: map[string]*filing{}} }

// claim returns the receipt of an earlier filing of key, or reserves key for
// this one (first true), or reports that the same filing is in progress.
func (s *seen) claim(key string, now time.Time) (receipt []byte, first, inProgress bool) {
	if s.window <= 0 {
		return nil, true, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.entries[key]; f != nil && now.Before(f.expires) {
		if !f.done {
			return nil, false, true
		}
		return f.body, false, false
	}
	if len(s.entries) >= maxKeys {
		for k, f := range s.entries {
			if !now.Before(f.expires) || len(s.entries) >= maxKeys*7/8 {
				delete(s.entries, k)
			}
		}
	}
	s.entries[key] = &filing{expires: now.Add(s.window)}
	return nil, true, false
}

// settle keeps the receipt of a stored filing, or forgets a refused one.
func (s *seen) settle(key string, stored bool, receipt []byte) {
	if s.window <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !stored {
		delete(s.entries, key)
		return
	}
	if f := s.entries[key]; f != nil {
		f.done, f.body = true, receipt
	}
}

// duplicateHeader marks the answer to a filing merged into an earlier one.
const duplicateHeader = "Duplicate-Of-Earlier"

// answerFiling answers a public filing with its receipt: 201 when it was
// stored now, 200 when the same filing was on record before — merged, as
// the gate above merges it when it remembers (RULES §3).
func answerFiling(c *gin.Context, stored bool, receipt any) {
	if !stored {
		c.Header(duplicateHeader, "true")
		c.JSON(http.StatusOK, receipt)
		return
	}
	c.JSON(http.StatusCreated, receipt)
}

// filingKey names, in a public filing's request, its kind, target and
// normalised content (publicFiling): what makes two filings the same one.
const filingKey = "laborbrand.filing"

// publicGate is the rate limits and the duplicate memory of the public POSTs,
// and the limits of the public prints and the catalogue's name search.
type publicGate struct {
	clients, prints, searches *clientLimiter
	targets                   *limiter
	seen                      *seen
}

// publicSearchRate is how many searches of the catalogue by name a client
// may make: a name is matched anywhere in the brand's name and holder, so
// each search reads the whole library (100,000 brands province-wide).
// Plenty for a person typing, too few for a loop to load the database.
var publicSearchRate = Rate{N: 120, Per: time.Minute}

// publicPrintRate is how many public prints (公示, 入库名单, announcements)
// a client may ask for: far more than a person reading them, far fewer
// than a loop reading the whole library through them.
var publicPrintRate = Rate{N: 60, Per: time.Minute}

func newPublicGate(l PublicLimits) *publicGate {
	return &publicGate{clients: newClientLimiter(l.PerClient), targets: newLimiter(l.PerTarget), seen: newSeen(l.DuplicateWindow),
		prints: newClientLimiter(publicPrintRate), searches: newClientLimiter(publicSearchRate)}
}

// publicSearchLimit is the catalogue's client limit on searches by name
// (publicSearchRate); a listing without a name reads by index and is not
// limited.
func (s *Server) publicSearchLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		if strings.TrimSpace(c.Query("name")) == "" {
			c.Next()
			return
		}
		if ok, wait := s.public.searches.allow("", c.ClientIP(), time.Now()); !ok {
			tooMany(c, wait, "查询过于频繁，请稍后再试")
			return
		}
		c.Next()
	}
}

// publicPrintLimit is a public print's client limit (publicPrintRate).
func (s *Server) publicPrintLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, wait := s.public.prints.allow("", c.ClientIP(), time.Now()); !ok {
			tooMany(c, wait, "打印请求过于频繁，请稍后再试")
			return
		}
		c.Next()
	}
}

// publicClientLimit is a public filing's first guard (op.Filing): the
// client's limit, before the request costs anything — a flood of filings
// under fresh Idempotency-Keys would otherwise write and delete a key each.
func (s *Server) publicClientLimit(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, wait := s.public.clients.allow(kind, c.ClientIP(), time.Now()); !ok {
			tooMany(c, wait, "提交过于频繁，请稍后再试")
			return
		}
		c.Next()
	}
}

// publicFiling guards a public POST (an objection, a report) after its
// client's limit (publicClientLimit): the same content for the same target
// (merged), then the target's limit. target names what the filing is about
// from the request and its body ("" when the body does not say: the
// handler will refuse it).
func (s *Server) publicFiling(kind string, target func(c *gin.Context, body []byte) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		now := time.Now()
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			if isTooLarge(err) {
				fail(c, errTooLarge(s.Config.MaxBodyBytes))
				return
			}
			fail(c, errInvalid("无法读取请求内容"))
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		to := target(c, body)
		if len(to) > maxTargetLength {
			to = "" // no record's id is this long: the handler refuses it, and no key keeps it
		}
		filing := kind + "|" + to + "|" + contentKey(body)
		// Merged within the business day it is received on (RULES §3), as
		// the store names it: not the day before's, a minute after midnight.
		key := filing + "|" + s.today().String()
		receipt, first, inProgress := s.public.seen.claim(key, now)
		switch {
		case inProgress:
			// A refusal of the moment: its retry, under its key too, gets
			// the receipt once the first is stored.
			c.Header("Retry-After", "1")
			c.Set(keyStaysFree, true)
			fail(c, errConflict("相同内容的提交正在处理中，请稍后查看", nil))
			return
		case !first: // RULES §3: identical filings are merged into one
			c.Header(duplicateHeader, "true")
			c.Data(http.StatusOK, "application/json; charset=utf-8", receipt)
			c.Abort()
			return
		}
		if s.Config.Public.DuplicateWindow > 0 { // merging on: a filing sent again is the same one
			c.Set(filingKey, filing)
		}
		held, ok, wait := s.public.targets.claim(kind+"|"+to, now)
		if !ok {
			s.public.seen.settle(key, false, nil)
			tooMany(c, wait, "该事项收到的提交过多，请稍后再试")
			return
		}
		rec := &recordingWriter{ResponseWriter: c.Writer}
		c.Writer = rec
		kept, answered := false, false
		defer func() { // a panic forgets the claim too
			if !kept {
				held.giveBack()
			}
			if !answered {
				s.public.seen.settle(key, false, nil)
			}
		}()
		c.Next()
		created := rec.Status() == http.StatusCreated
		if kept = created || c.GetBool(filingStored); kept {
			// Only a filing stored counts against its target: junk refused
			// with a 4xx cannot use up an application's or a brand's limit
			// and silence the real objections. One stored whose process
			// could not be told (a 503) counts too: the starter's sweep
			// tells it later, and the city rules on it all the same.
			held.keep(now)
		}
		if answered = created; answered {
			s.public.seen.settle(key, true, rec.buf.Bytes())
		}
	}
}

// filingStored is set by a public filing's handler once the filing is
// stored, whatever it answers then (publicFiling counts it).
const filingStored = "public.filing_stored"

// tooMany answers 429 with Retry-After in whole seconds, at least 1.
func tooMany(c *gin.Context, wait time.Duration, msg string) {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	c.Header("Retry-After", strconv.Itoa(secs))
	fail(c, &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: msg,
		Details: map[string]any{"retry_after_seconds": secs}})
}

// contentKey is the filing's content as its handler decodes it — a key in
// any case names one field, the later spelling wins ("Content" after
// content fills content), an empty text is no field — with every text
// normalised as brand names are (namekey: width, case, spaces, invisible
// characters and look-alikes do not count), hashed. A body that is not one
// JSON object is hashed as it is: it is never the same filing as one it
// might not mean.
func contentKey(body []byte) string {
	if folded, ok := foldedFields(body); ok {
		body, _ = json.Marshal(folded) // map keys sorted: one text per content
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// foldKey is a field name as encoding/json matches it, whatever its case:
// each letter the least of its case-folding orbit (s, S and ſ are one, as
// k, K and the Kelvin sign).
func foldKey(k string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, k)
}

// foldedFields reads a JSON object's fields in their order, as contentKey
// keys them; false when body is not one JSON object.
func foldedFields(body []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	folded := map[string]any{}
	for dec.More() {
		t, err := dec.Token()
		k, isKey := t.(string)
		if err != nil || !isKey {
			return nil, false
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		k = foldKey(k)
		if v == nil {
			continue // the decoder leaves a field as it was for null
		}
		if s, isText := v.(string); isText {
			if v = namekey.Key(s); v == "" {
				delete(folded, k) // as absent: an optional day left empty
				continue
			}
		}
		folded[k] = v
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF { // one object, nothing after it
		return nil, false
	}
	return folded, true
}

// maxTargetLength bounds a filing's target as its limiter and its merging
// key keep it: "application:" or "brand:" and an id of at most 100
// characters, as the handlers check.
const maxTargetLength = len("application:") + 100

// objectionTarget is the application objected to; reportTarget the brand
// reported.
func objectionTarget(c *gin.Context, _ []byte) string { return "application:" + c.Param("id") }

func reportTarget(_ *gin.Context, body []byte) string {
	var b struct {
		BrandID string `json:"brand_id"`
	}
	json.Unmarshal(body, &b)
	return "brand:" + strings.TrimSpace(b.BrandID) // as fileReport reads it
}

// Limiter limits clients as the public POSTs do, for callers outside this
// package (the console's sign-in and registration).
type Limiter struct{ l *clientLimiter }

// NewLimiter limits each client to r (its wider IPv6 prefixes to more:
// clientLimiter); the zero Rate is no limit.
func NewLimiter(r Rate) *Limiter { return &Limiter{l: newClientLimiter(r)} }

// Allow takes one token for the client at ip; when there is none it says
// how long until there is.
func (l *Limiter) Allow(ip string, now time.Time) (bool, time.Duration) {
	return l.l.allow("", ip, now)
}
