package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/kunming-hrss/laborbrand/store"
)

// A known device is a browser that has signed in to an account in full
// before (its password, and its dynamic code where one is asked): it keeps
// a cookie the console signed, naming the account. Its tries are not
// refused by the account's lock-out — which anyone can set off by typing
// wrong passwords at a name, over and over, to keep its owner out — but
// limited on their own, LockAfter failures per LockFor a device. Every
// other browser keeps the account-wide lock, so that guessing from many
// addresses stays bounded.

// deviceCookie names the cookie; deviceLifetime is how long a device stays
// known after its last full sign-in.
const (
	deviceCookie   = "lb_device"
	deviceLifetime = 90 * 24 * time.Hour
)

// deviceMark is the cookie's value for account a, issued at issued: the
// account's id, the time, and a MAC over both and the account's password
// hash — a password changed (or reset by an administrator) makes every
// device of the account a stranger again.
func (cs *Console) deviceMark(a store.Account, issued time.Time) string {
	head := strconv.FormatInt(a.ID, 10) + "." + strconv.FormatInt(issued.Unix(), 10)
	m := hmac.New(sha256.New, cs.Secret)
	m.Write([]byte("console-device\x00" + head + "\x00" + a.PasswordHash))
	return head + "." + hex.EncodeToString(m.Sum(nil))
}

// rememberDevice marks the browser as a known device of a, now signed in
// in full.
func (cs *Console) rememberDevice(c *gin.Context, a store.Account) {
	cs.setCookie(c, deviceCookie, cs.deviceMark(a, time.Now()), int(deviceLifetime.Seconds()))
}

// knownDevice reports whether the request comes from a known device of a,
// and the key its tries are limited by.
func (cs *Console) knownDevice(c *gin.Context, a store.Account) (string, bool) {
	v, err := c.Cookie(deviceCookie)
	if err != nil || len(v) > 200 {
		return "", false
	}
	id, rest, ok := strings.Cut(v, ".")
	if !ok || id != strconv.FormatInt(a.ID, 10) {
		return "", false
	}
	at, _, ok := strings.Cut(rest, ".")
	issued, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || time.Since(time.Unix(issued, 0)) > deviceLifetime {
		return "", false
	}
	if !hmac.Equal([]byte(v), []byte(cs.deviceMark(a, time.Unix(issued, 0)))) {
		return "", false
	}
	return v, true
}

// deviceTries limits the tries of known devices: LockAfter failures per
// LockFor each, on average, as the account-wide lock would. A try takes a
// token before its password or code is checked — so that tries sent at
// once check no more than the device has left — and a right one gives it
// back. Kept in memory: a device's key is unforgeable, and a restart
// forgets at most one LockFor of failures.
type deviceTries struct {
	per   time.Duration
	burst int
	mu    sync.Mutex
	keys  map[string]*rate.Limiter
}

// deviceKeysMax bounds the memory: past it the devices with nothing spent
// are forgotten (only owners of real devices make keys).
const deviceKeysMax = 10_000

func newDeviceTries(lockAfter int, lockFor time.Duration) *deviceTries {
	return &deviceTries{per: lockFor, burst: max(lockAfter, 1), keys: map[string]*rate.Limiter{}}
}

// deviceTry is a token taken for one try; given back when the try passes.
type deviceTry struct {
	d  *deviceTries
	at time.Time
	r  *rate.Reservation
}

// claim takes a token for a try of the device, or says until when it has
// none left.
func (d *deviceTries) claim(key string, now time.Time) (deviceTry, time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.keys[key]
	if l == nil {
		d.forgetRested(now)
		l = rate.NewLimiter(rate.Every(d.per/time.Duration(d.burst)), d.burst)
		d.keys[key] = l
	}
	r := l.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return deviceTry{}, now.Add(wait), false
	}
	return deviceTry{d: d, at: now, r: r}, time.Time{}, true
}

// forgetRested makes room, when the map is full, by forgetting the devices
// whose tokens are all back — nothing of theirs is limited.
func (d *deviceTries) forgetRested(now time.Time) {
	if len(d.keys) < deviceKeysMax {
		return
	}
	for k, l := range d.keys {
		if l.TokensAt(now) >= float64(d.burst) {
			delete(d.keys, k)
		}
	}
	if len(d.keys) >= deviceKeysMax { // every one failing: a bound, not a memory
		clear(d.keys)
	}
}

// passed gives the try's token back: a right password or code costs none.
func (t deviceTry) passed() {
	t.d.mu.Lock()
	defer t.d.mu.Unlock()
	t.r.CancelAt(t.at)
}
