package web

import "github.com/pocketbase/pocketbase/core"

// LimitTableSizes is how many keys each of the app's sign-in tables holds,
// and how many it may hold.
func LimitTableSizes(app core.App) (sizes []int, capacity int) {
	l := limitsOf(app)
	l.Lock()
	defer l.Unlock()
	for _, c := range []*counters{l.guessesByIP, l.guessesByAccount, l.mailsByIP, l.mailsByAddress, l.codeTries} {
		sizes = append(sizes, c.len())
	}
	return sizes, limitEntries
}
