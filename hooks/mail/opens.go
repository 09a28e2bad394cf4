package mail

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
	"facturo/hooks/quotes"
	"facturo/internal/tracking"
	"facturo/internal/web"
)

// The pixel route is hit for every image load of every email, so it
// answers from memory: the signing keys and each message's invoice are
// cached per app, and opens are written to the timeline in batches.
const (
	storeLinks = "facturo.mail.links"
	storeOpens = "facturo.mail.opens"
)

// flushEvery is how long pixel hits wait to be written together. A crash
// loses at most this much of a weak signal; nothing else waits on it.
const flushEvery = 25 * time.Millisecond

// linkCache holds what verifying a link needs, per app.
type linkCache struct {
	mu       sync.RWMutex
	ring     *tracking.Keyring
	messages map[string]messageTarget
}

// messageTarget is what a sent message's tracking links point to.
type messageTarget struct {
	invoiceID, quoteID, customerID string
	sentAt                         time.Time
}

// maxCachedMessages bounds the cache; it is emptied when full.
const maxCachedMessages = 50_000

func links(app core.App) *linkCache {
	return app.Store().GetOrSet(storeLinks, func() any { return &linkCache{messages: map[string]messageTarget{}} }).(*linkCache)
}

// forgetLinks drops the cached keys, after the mail settings change.
func forgetLinks(e *core.RecordEvent) error {
	c := links(e.App)
	c.mu.Lock()
	c.ring = nil
	c.mu.Unlock()
	return e.Next()
}

func (c *linkCache) keyring(app core.App) (*tracking.Keyring, error) {
	c.mu.RLock()
	ring := c.ring
	c.mu.RUnlock()
	if ring != nil {
		return ring, nil
	}
	s, err := LoadSettings(app)
	if err != nil {
		return nil, err
	}
	if ring, err = keyring(s); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.ring = ring
	c.mu.Unlock()
	return ring, nil
}

// target is the invoice a sent message belongs to. A message is cached only
// once sent: its sent time is part of telling prefetchers from people.
func (c *linkCache) target(app core.App, messageID string) (messageTarget, error) {
	c.mu.RLock()
	t, ok := c.messages[messageID]
	c.mu.RUnlock()
	if ok {
		return t, nil
	}
	msg, err := app.FindRecordById(Messages, messageID)
	if err != nil {
		return t, err
	}
	if id := msg.GetString("quote"); id != "" {
		q, err := app.FindRecordById(quotes.Collection, id)
		if err != nil {
			return t, err
		}
		t = messageTarget{quoteID: q.Id, customerID: q.GetString("customer"), sentAt: msg.GetDateTime("sent_at").Time()}
	} else {
		inv, err := app.FindRecordById(invoicing.Invoices, msg.GetString("invoice"))
		if err != nil {
			return t, err
		}
		t = messageTarget{invoiceID: inv.Id, customerID: inv.GetString("customer"), sentAt: msg.GetDateTime("sent_at").Time()}
	}
	if !t.sentAt.IsZero() {
		c.mu.Lock()
		if len(c.messages) >= maxCachedMessages {
			c.messages = map[string]messageTarget{}
		}
		c.messages[messageID] = t
		c.mu.Unlock()
	}
	return t, nil
}

// openBatch collects pixel hits and writes them every flushEvery. Its
// goroutine runs only while there are hits, so an idle app keeps none.
type openBatch struct {
	mu       sync.Mutex
	pending  []invoicing.Open
	flushing bool
}

func opens(app core.App) *openBatch {
	return app.Store().GetOrSet(storeOpens, func() any { return &openBatch{} }).(*openBatch)
}

// add queues a hit and makes sure a flusher will write it.
func (b *openBatch) add(app core.App, o invoicing.Open) {
	b.mu.Lock()
	b.pending = append(b.pending, o)
	start := !b.flushing
	b.flushing = true
	b.mu.Unlock()
	if start {
		go b.run(app)
	}
}

func (b *openBatch) run(app core.App) {
	for {
		time.Sleep(flushEvery)
		b.mu.Lock()
		batch := b.pending
		b.pending = nil
		if len(batch) == 0 {
			b.flushing = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		b.write(app, batch)
	}
}

// flush writes what is pending now; the server calls it when it stops.
func (b *openBatch) flush(app core.App) {
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()
	b.write(app, batch)
}

func (b *openBatch) write(app core.App, batch []invoicing.Open) {
	if err := invoicing.AppendOpens(app, batch); err != nil {
		app.Logger().Error("Recording email opens", "count", len(batch), "error", err)
	}
}

// recordPixelHit verifies a pixel token and queues the open it reports;
// anything invalid is ignored (the GIF is answered all the same).
func recordPixelHit(e *core.RequestEvent, token string) {
	cache := links(e.App)
	ring, err := cache.keyring(e.App)
	if err != nil {
		e.App.Logger().Error("Tracking keys", "error", err)
		return
	}
	now := time.Now()
	claims, err := ring.Verify(token, tracking.KindPixel, now)
	if err != nil {
		return
	}
	target, err := cache.target(e.App, claims.MessageID)
	if err != nil {
		return
	}
	v := tracking.Classify(e.Request.UserAgent(), web.ClientIP(e), target.sentAt, now)
	data := map[string]any{"weak": true, "message": claims.MessageID, "automated": v.Automated}
	if v.Automated {
		data["reason"] = v.Reason
	}
	actor := invoicing.Actor{Email: claims.Recipient, IP: web.ClientIP(e), UserAgent: e.Request.UserAgent()}
	if target.quoteID != "" {
		// Quotes are few: their opens are written at once.
		qa := quotes.Actor{Email: actor.Email, IP: actor.IP, UserAgent: actor.UserAgent}
		if err := quotes.MarkSeen(e.App, target.quoteID, "opened", v.Automated, qa, data); err != nil {
			e.App.Logger().Error("Recording a quote's open", "quote", target.quoteID, "error", err)
		}
		return
	}
	at, _ := types.ParseDateTime(now)
	opens(e.App).add(e.App, invoicing.Open{
		InvoiceID: target.invoiceID, CustomerID: target.customerID, Automated: v.Automated, Data: data, At: at.String(),
		Actor: actor,
	})
}
