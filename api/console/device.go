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

// deviceTries limits the failed tries of known devices: LockAfter per
// LockFor each, as the account-wide lock would. Kept in memory: a device's
// key is unforgeable, and a restart forgets at most one LockFor of failures.
type deviceTries struct {
	per   time.Duration
	burst int
	mu    sync.Mutex
	keys  map[string]*rate.Limiter
}

// deviceKeysMax bounds the memory: past it the oldest knowledge is dropped
// whole (only owners of real devices make keys).
const deviceKeysMax = 10_000

func newDeviceTries(lockAfter int, lockFor time.Duration) *deviceTries {
	return &deviceTries{per: lockFor, burst: max(lockAfter, 1), keys: map[string]*rate.Limiter{}}
}

func (d *deviceTries) limiter(key string) *rate.Limiter {
	l := d.keys[key]
	if l == nil {
		if len(d.keys) >= deviceKeysMax {
			clear(d.keys)
		}
		l = rate.NewLimiter(rate.Every(d.per/time.Duration(d.burst)), d.burst)
		d.keys[key] = l
	}
	return l
}

// blocked reports whether the device has spent its failures, and until when.
func (d *deviceTries) blocked(key string, now time.Time) (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.limiter(key)
	if l.TokensAt(now) >= 1 {
		return time.Time{}, false
	}
	r := l.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return now.Add(wait), true
}

// failed counts one failed try of the device.
func (d *deviceTries) failed(key string, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.limiter(key).AllowN(now, 1)
}
