package invoicing

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/clock"
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
	c := customerCache(app)
	if err := c.warm(app, today); err != nil {
		app.Logger().Warn("computing every customer's figures at once", "error", err)
	}
	key, err := c.key(app, customerID, today)
	if err != nil {
		return CustomerFigures{}, err
	}
	if f, ok := c.get(customerID, key); ok {
		return f, nil
	}
	all, err := figures(app, scope{customerID}, today)
	if err != nil {
		return CustomerFigures{}, err
	}
	f := all[customerID]
	c.put(customerID, key, f)
	return f, nil
}

// key is what the customer's kept figures must have been computed under:
// the changes this process made to its invoices, the newest change another
// process made, and the day.
func (c *figuresCache) key(app core.App, customerID string, today time.Time) (string, error) {
	version := c.version(customerID)
	var newest string
	err := app.DB().NewQuery("SELECT COALESCE(MAX(updated), '') FROM invoices WHERE customer = {:customer}").
		Bind(dbx.Params{"customer": customerID}).Row(&newest)
	return figuresKey(version, newest, today), err
}

func figuresKey(version int64, newest string, today time.Time) string {
	return fmt.Sprint(version, "|", newest, "|", civilDate(today).Format(time.DateOnly))
}

// figures computes the figures of the scope's customers, by customer; a
// customer without issued invoices has zero figures and its empty months.
func figures(app core.App, s scope, today time.Time) (map[string]CustomerFigures, error) {
	summaries, err := summaries(app, s, today)
	if err != nil {
		return nil, err
	}
	monthly, err := monthlyTotals(app, s, FigureMonths, today)
	if err != nil {
		return nil, err
	}
	ageings, err := ageings(app, s, today)
	if err != nil {
		return nil, err
	}
	out := map[string]CustomerFigures{}
	if s.customer != "" {
		out[s.customer] = CustomerFigures{}
	}
	for id := range summaries {
		out[id] = CustomerFigures{}
	}
	for id := range monthly {
		out[id] = CustomerFigures{}
	}
	for id, f := range out {
		f.Summary, f.Ageing = summaries[id], ageings[id]
		if f.Monthly = monthly[id]; f.Monthly == nil {
			f.Monthly = emptyMonths(FigureMonths, today)
		}
		out[id] = f
	}
	return out, nil
}

// warm computes every customer's figures at once, the first time they are
// asked for on a day (after a start, or when the day turns): one pass over
// the invoices instead of one for each customer. When all the customers'
// people open the portal at once after a start, each would otherwise
// compute its own, most of them at the same time; instead the first
// computes them all and the others wait for it. A firm with more customers
// than are kept is left to compute each on demand.
func (c *figuresCache) warm(app core.App, today time.Time) error {
	day := civilDate(today).Format(time.DateOnly)
	c.mu.Lock()
	done := c.warmed == day
	c.mu.Unlock()
	if done {
		return nil
	}
	c.warming.Lock()
	defer c.warming.Unlock()
	c.mu.Lock()
	done = c.warmed == day
	c.mu.Unlock()
	if done {
		return nil
	}
	// Tried once a day, whatever the outcome: a failure leaves each
	// customer to compute its own, as before.
	defer func() {
		c.mu.Lock()
		c.warmed = day
		c.mu.Unlock()
	}()

	// What the figures are computed under is read first, as FiguresOf
	// does: a change committed meanwhile makes them stale at once.
	versions := map[string]int64{}
	c.mu.Lock()
	maps.Copy(versions, c.versions)
	c.mu.Unlock()
	var newest []struct {
		Customer string `db:"customer"`
		Updated  string `db:"updated"`
	}
	err := app.DB().NewQuery("SELECT customer, MAX(updated) AS updated FROM invoices GROUP BY customer").All(&newest)
	if err != nil || len(newest) > maxCachedCustomers {
		return err
	}
	all, err := figures(app, scope{}, today)
	if err != nil {
		return err
	}
	for _, n := range newest {
		f, ok := all[n.Customer]
		if !ok {
			f = CustomerFigures{Monthly: emptyMonths(FigureMonths, today)}
		}
		c.put(n.Customer, figuresKey(versions[n.Customer], n.Updated, today), f)
	}
	return nil
}

// bindFiguresWarmup computes every customer's figures when the server
// starts, in the background, and again as each day begins, so that the
// first screens after a start or at midnight find them ready (FiguresOf
// waits for a computation under way rather than starting its own).
func bindFiguresWarmup(app core.App) {
	warm := func() {
		start := time.Now()
		if err := customerCache(app).warm(app, clock.Now()); err != nil {
			app.Logger().Warn("computing every customer's figures at once", "error", err)
			return
		}
		app.Logger().Debug("every customer's figures computed", "took", time.Since(start).String())
	}
	// The database closes only once the computation under way is done.
	var running sync.WaitGroup
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		running.Go(warm)
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		running.Wait()
		return e.Next()
	})
	app.Cron().MustAdd("customer_figures", "0 0 * * *", func() { running.Go(warm) })
}

// maxCachedCustomers bounds the figures kept; past it, the cache starts
// afresh (a firm with that many customers seldom has them all online).
const maxCachedCustomers = 20_000

const storeCustomerFigures = "facturo.invoicing.customer_figures"

type figuresCache struct {
	mu       sync.Mutex
	versions map[string]int64
	entries  map[string]figuresEntry
	warmed   string     // the day every customer's figures were computed at once
	warming  sync.Mutex // held while they are
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
