package invoicing

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// CustomerFigures is a customer's standing and history with the firm, as
// the portal's first screen shows them.
type CustomerFigures struct {
	Summary Summary
	Monthly []MonthTotal // the last FigureMonths months, the current one last
	Ageing  Ageing
}

// FigureMonths is how many months of history CustomerFigures keeps; the
// first screen shows the last 12, 24 or 36 of them.
const FigureMonths = 36

// LastMonths is the last n months of the history, n at most FigureMonths.
func (f CustomerFigures) LastMonths(n int) []MonthTotal {
	n = min(n, len(f.Monthly))
	return slices.Clone(f.Monthly[len(f.Monthly)-n:])
}

// FiguresOf is a customer's figures as of today. They are kept until one
// of the customer's invoices changes (a payment, an issue, a response…) or
// the day turns, and computed afresh then: when all the customers' people
// open the portal at once, each screen after the first is read from memory.
//
// A change is seen two ways, as for the firm's overview: this process
// counts the changes it commits to each customer's invoices, and the
// newest "updated" of the customer's invoices (on its own index) shows what
// another process wrote.
func FiguresOf(app core.App, customerID string, today time.Time) (CustomerFigures, error) {
	var newest string
	if err := app.DB().NewQuery("SELECT COALESCE(MAX(updated), '') FROM invoices WHERE customer = {:customer}").
		Bind(dbx.Params{"customer": customerID}).Row(&newest); err != nil {
		return CustomerFigures{}, err
	}
	c := customerCache(app)
	key := fmt.Sprint(c.version(customerID), "|", newest, "|", civilDate(today).Format(time.DateOnly))
	if f, ok := c.get(customerID, key); ok {
		return f, nil
	}
	var f CustomerFigures
	var err error
	if f.Summary, err = Summarize(app, customerID, today); err != nil {
		return f, err
	}
	if f.Monthly, err = MonthlyTotals(app, customerID, FigureMonths, today); err != nil {
		return f, err
	}
	if f.Ageing, err = AgeingOf(app, customerID, today); err != nil {
		return f, err
	}
	c.put(customerID, key, f)
	return f, nil
}

// maxCachedCustomers bounds the figures kept; past it, the cache starts
// afresh (a firm with that many customers seldom has them all online).
const maxCachedCustomers = 20_000

const storeCustomerFigures = "facturo.invoicing.customer_figures"

type figuresCache struct {
	mu       sync.Mutex
	versions map[string]int64
	entries  map[string]figuresEntry
}

type figuresEntry struct {
	key     string
	figures CustomerFigures
}

func customerCache(app core.App) *figuresCache {
	return app.Store().GetOrSet(storeCustomerFigures, func() any {
		return &figuresCache{versions: map[string]int64{}, entries: map[string]figuresEntry{}}
	}).(*figuresCache)
}

func (c *figuresCache) version(customer string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.versions[customer]
}

func (c *figuresCache) get(customer, key string) (CustomerFigures, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[customer]
	if !ok || e.key != key {
		return CustomerFigures{}, false
	}
	f := e.figures
	f.Monthly = slices.Clone(f.Monthly)
	return f, true
}

func (c *figuresCache) put(customer, key string, f CustomerFigures) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedCustomers {
		clear(c.entries)
	}
	c.entries[customer] = figuresEntry{key: key, figures: f}
}

// customersChanged marks the figures of these customers stale; called after
// a change to their invoices commits (or rolls back: a needless recompute
// is harmless).
func customersChanged(app core.App, customers ...string) {
	c := customerCache(app)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range customers {
		c.versions[id]++
	}
}
