package web

import (
	"crypto/sha256"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// The sign-in limits, shared by the portal's and the workspace's forms and
// by PocketBase's REST routes of the same accounts, so that tries on one
// door count on the others.
const (
	// Guesses: wrong passwords or emailed codes, per address of origin and
	// per account, in a window that starts at the first.
	guessesAllowed = 10
	guessWindow    = 5 * time.Minute

	// Mails: requests that send an email (a sign-in code, a reset link),
	// per address of origin and per address written to, whatever their
	// outcome.
	mailsAllowed = 10
	mailWindow   = 5 * time.Minute

	// CodeTries is how many wrong codes an emailed sign-in code survives,
	// as PocketBase's own route allows.
	CodeTries  = 5
	codeWindow = 30 * time.Minute

	// limitEntries bounds each table of counters (about 100 bytes an
	// entry): past it, the entries that count least are forgotten first.
	limitEntries = 20_000
)

// counters counts events per key within a window that starts at each key's
// first event, in a table of at most capacity keys. When it is full, it
// forgets an expired key if there is one, otherwise the key with the lowest
// count, the oldest among those: a flood of new keys, each with one event,
// pushes out only keys with one event, never the count of an account that
// someone has been guessing, which only a flood of as many keys with as
// many events could reach.
type counters struct {
	max      int
	window   time.Duration
	capacity int
	entries  map[[16]byte]*counter
	// byCount[n] lists the keys with count n, the least recently counted
	// first.
	byCount []counterList
}

type counter struct {
	key        [16]byte
	n          int
	start      time.Time
	prev, next *counter
}

type counterList struct{ head, tail *counter }

func (l *counterList) push(c *counter) {
	c.prev, c.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = c
	} else {
		l.head = c
	}
	l.tail = c
}

func (l *counterList) remove(c *counter) {
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		l.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else {
		l.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

func newCounters(max int, window time.Duration, capacity int) *counters {
	return &counters{max: max, window: window, capacity: capacity, entries: map[[16]byte]*counter{}, byCount: make([]counterList, max+1)}
}

// hashKey keeps the tables' memory fixed whatever length of identity an
// attacker sends.
func hashKey(s string) [16]byte {
	sum := sha256.Sum256([]byte(s))
	return [16]byte(sum[:16])
}

// live is the key's counter, forgetting it once its window has passed.
func (c *counters) live(key [16]byte, now time.Time) *counter {
	e := c.entries[key]
	if e != nil && !now.Before(e.start.Add(c.window)) {
		c.drop(e)
		return nil
	}
	return e
}

func (c *counters) drop(e *counter) {
	c.byCount[e.n].remove(e)
	delete(c.entries, e.key)
}

// wait is how long the key must wait before its next event is allowed;
// zero when it is allowed now.
func (c *counters) wait(key [16]byte, now time.Time) time.Duration {
	if e := c.live(key, now); e != nil && e.n >= c.max {
		return e.start.Add(c.window).Sub(now)
	}
	return 0
}

// add counts an event of key, which wait allowed.
func (c *counters) add(key [16]byte, now time.Time) {
	e := c.live(key, now)
	if e == nil {
		if len(c.entries) >= c.capacity {
			c.evict(now)
		}
		e = &counter{key: key, start: now}
		c.entries[key] = e
	} else {
		c.byCount[e.n].remove(e)
	}
	e.n = min(e.n+1, c.max)
	c.byCount[e.n].push(e)
}

// undo takes back an event of key that add counted.
func (c *counters) undo(key [16]byte) {
	e := c.entries[key]
	if e == nil {
		return
	}
	c.byCount[e.n].remove(e)
	if e.n--; e.n <= 0 {
		delete(c.entries, e.key)
		return
	}
	c.byCount[e.n].push(e)
}

func (c *counters) evict(now time.Time) {
	for n := 1; n <= c.max; n++ {
		if e := c.byCount[n].head; e != nil && !now.Before(e.start.Add(c.window)) {
			c.drop(e)
			return
		}
	}
	for n := 1; n <= c.max; n++ {
		if e := c.byCount[n].head; e != nil {
			c.drop(e)
			return
		}
	}
}

func (c *counters) len() int { return len(c.entries) }

// limits are the app's sign-in counters, kept in the app's store.
type limits struct {
	sync.Mutex
	guessesByIP, guessesByAccount *counters
	mailsByIP, mailsByAddress     *counters
	codeTries                     *counters
}

const storeLimits = "facturo.web.limits"

func limitsOf(app core.App) *limits {
	return app.Store().GetOrSet(storeLimits, func() any {
		return &limits{
			guessesByIP:      newCounters(guessesAllowed, guessWindow, limitEntries),
			guessesByAccount: newCounters(guessesAllowed, guessWindow, limitEntries),
			mailsByIP:        newCounters(mailsAllowed, mailWindow, limitEntries),
			mailsByAddress:   newCounters(mailsAllowed, mailWindow, limitEntries),
			codeTries:        newCounters(CodeTries, codeWindow, limitEntries),
		}
	}).(*limits)
}

// AccountKey names an account for the limits: its auth collection and the
// identity typed (an email, compared without case), whether or not such an
// account exists.
func AccountKey(collection, identity string) string {
	identity = strings.ToLower(strings.TrimSpace(identity))
	if identity == "" {
		return ""
	}
	return collection + "\x00" + identity
}

// Guess is a sign-in attempt under way, counted until it proves right.
type Guess struct {
	app                 core.App
	ip, account         [16]byte
	withIP, withAccount bool
}

// BeginGuess counts a sign-in attempt from ip on account (AccountKey; empty
// when unknown) before the secret is checked, so that attempts made at the
// same moment cannot slip past the limit together. When either has used its
// allowance it counts nothing and says how long to wait.
func BeginGuess(app core.App, ip, account string) (*Guess, time.Duration) {
	l := limitsOf(app)
	g := &Guess{app: app, ip: hashKey(ip), account: hashKey(account), withIP: ip != "", withAccount: account != ""}
	l.Lock()
	defer l.Unlock()
	now := time.Now()
	var wait time.Duration
	if g.withIP {
		wait = l.guessesByIP.wait(g.ip, now)
	}
	if g.withAccount {
		wait = max(wait, l.guessesByAccount.wait(g.account, now))
	}
	if wait > 0 {
		return nil, wait
	}
	if g.withIP {
		l.guessesByIP.add(g.ip, now)
	}
	if g.withAccount {
		l.guessesByAccount.add(g.account, now)
	}
	return g, 0
}

// Succeeded takes the attempt back: a person who signs in with the right
// secret does not use up their allowance. A failed attempt stays counted.
func (g *Guess) Succeeded() {
	if g == nil {
		return
	}
	l := limitsOf(g.app)
	l.Lock()
	defer l.Unlock()
	if g.withIP {
		l.guessesByIP.undo(g.ip)
	}
	if g.withAccount {
		l.guessesByAccount.undo(g.account)
	}
}

// CountMail counts a request that sends an email to address (AccountKey)
// from ip, whatever comes of it; it says how long to wait, without
// counting, when either has used its allowance.
func CountMail(app core.App, ip, address string) time.Duration {
	l := limitsOf(app)
	ipKey, addressKey := hashKey(ip), hashKey(address)
	l.Lock()
	defer l.Unlock()
	now := time.Now()
	wait := l.mailsByIP.wait(ipKey, now)
	if address != "" {
		wait = max(wait, l.mailsByAddress.wait(addressKey, now))
	}
	if wait > 0 {
		return wait
	}
	l.mailsByIP.add(ipKey, now)
	if address != "" {
		l.mailsByAddress.add(addressKey, now)
	}
	return 0
}

// WrongCode counts a wrong try of the emailed code otpID and tells whether
// the code has now had CodeTries wrong tries, and must die.
func WrongCode(app core.App, otpID string) (exhausted bool) {
	l := limitsOf(app)
	key := hashKey(otpID)
	l.Lock()
	defer l.Unlock()
	now := time.Now()
	l.codeTries.add(key, now)
	return l.codeTries.wait(key, now) > 0
}

// CodeExhausted tells whether the emailed code otpID has had CodeTries
// wrong tries.
func CodeExhausted(app core.App, otpID string) bool {
	l := limitsOf(app)
	l.Lock()
	defer l.Unlock()
	return l.codeTries.wait(hashKey(otpID), time.Now()) > 0
}
