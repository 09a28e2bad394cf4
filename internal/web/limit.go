package web

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Sign-in attempts allowed per address of origin and window, across the
// portal and the staff workspace.
const (
	signInAttempts = 10
	signInWindow   = 5 * time.Minute
)

// signInLimiter counts recent sign-in attempts per address of origin; one
// per app, kept in the app's store.
type signInLimiter struct {
	sync.Mutex
	at map[string][]time.Time
}

const storeLimiter = "facturo.web.signin"

// AllowSignIn records an attempt from ip and tells whether it may proceed.
func AllowSignIn(app core.App, ip string) bool {
	l := app.Store().GetOrSet(storeLimiter, func() any { return &signInLimiter{at: map[string][]time.Time{}} }).(*signInLimiter)
	l.Lock()
	defer l.Unlock()
	now := time.Now()
	var recent []time.Time
	for _, t := range l.at[ip] {
		if now.Sub(t) < signInWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) >= signInAttempts {
		l.at[ip] = recent
		return false
	}
	if len(l.at) > 10_000 {
		l.at = map[string][]time.Time{} // a flood of addresses: start counting afresh
	}
	l.at[ip] = append(recent, now)
	return true
}
