package webhooks

import (
	"encoding/json"
	"facturo/internal/money"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
)

// Payload is the JSON body of every delivery. Its shape is a public
// contract (see the README): fields are only ever added.
type Payload struct {
	ID       string           `json:"id"`      // the delivery's id, also in the Facturo-Delivery header
	Type     string           `json:"type"`    // "invoice.<event type>", or "ping"
	Created  string           `json:"created"` // when the delivery was made, RFC 3339
	Event    *PayloadEvent    `json:"event"`
	Invoice  *PayloadInvoice  `json:"invoice"`
	Customer *PayloadCustomer `json:"customer"`
}

// PayloadEvent is the timeline entry the delivery reports.
type PayloadEvent struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"` // the timeline type: issued, opened, paid…
	Created    string          `json:"created"`
	ActorEmail string          `json:"actor_email"`
	Data       json.RawMessage `json:"data"`
}

// PayloadInvoice is the invoice as it stood when the event was recorded.
// Money is a decimal string with two decimals, never a float.
type PayloadInvoice struct {
	ID         string  `json:"id"`
	Number     string  `json:"number"`
	ExternalID *string `json:"external_id"`
	Customer   string  `json:"customer"`
	Status     string  `json:"status"`
	Delivery   string  `json:"delivery"`
	Response   string  `json:"response"`
	Payment    string  `json:"payment"`
	Total      string  `json:"total"`
	Currency   string  `json:"currency"`
	DueDate    *string `json:"due_date"` // YYYY-MM-DD
}

// PayloadCustomer names whom the invoice is for.
type PayloadCustomer struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	TaxID string `json:"tax_id"`
}

// timeFormat is RFC 3339 in UTC with milliseconds, so that events of the
// same second keep their order.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

// TypeName is the payload type of a timeline event type.
func TypeName(eventType string) string {
	if eventType == EventPing {
		return EventPing
	}
	return "invoice." + eventType
}

// subject is what the deliveries of one event report, read once for all of
// the webhooks that receive it.
type subject struct {
	event    *PayloadEvent
	invoice  *PayloadInvoice
	customer *PayloadCustomer
}

// describe reads the invoice and customer of an event. cache holds the
// invoices and customers already read in this batch.
func describe(app core.App, ev *core.Record, cache map[string]*core.Record) (subject, error) {
	s := subject{event: &PayloadEvent{
		ID:         ev.Id,
		Type:       ev.GetString("type"),
		Created:    formatTime(ev.GetDateTime("created")),
		ActorEmail: ev.GetString("actor_email"),
		Data:       rawJSON(ev.Get("data")),
	}}
	inv, err := cached(app, invoicing.Invoices, ev.GetString("invoice"), cache)
	if err != nil {
		return s, err
	}
	s.invoice = &PayloadInvoice{
		ID:         inv.Id,
		Number:     inv.GetString("number"),
		ExternalID: optional(inv.GetString("external_id")),
		Customer:   inv.GetString("customer"),
		Status:     inv.GetString("status"),
		Delivery:   inv.GetString("delivery"),
		Response:   inv.GetString("response"),
		Payment:    inv.GetString("payment"),
		Total:      money.FromStored(inv.GetFloat("total")).StringFixed(2),
		Currency:   inv.GetString("currency"),
	}
	if due := inv.GetDateTime("due_date"); !due.IsZero() {
		s.invoice.DueDate = optional(due.Time().UTC().Format(time.DateOnly))
	}
	// An issued invoice names its customer as it was issued; a draft, as the
	// customer is now.
	_, recipient, err := invoicing.Parties(app, inv)
	if err != nil {
		return s, err
	}
	s.customer = &PayloadCustomer{ID: inv.GetString("customer"), Name: recipient.Name, TaxID: recipient.TaxID}
	return s, nil
}

// body is the JSON a delivery with the given id sends.
func (s subject) body(deliveryID string, created time.Time) ([]byte, error) {
	eventType := EventPing
	if s.event != nil {
		eventType = s.event.Type
	}
	return json.Marshal(Payload{
		ID:       deliveryID,
		Type:     TypeName(eventType),
		Created:  created.UTC().Format(timeFormat),
		Event:    s.event,
		Invoice:  s.invoice,
		Customer: s.customer,
	})
}

func cached(app core.App, collection, id string, cache map[string]*core.Record) (*core.Record, error) {
	key := collection + "/" + id
	if r, ok := cache[key]; ok {
		return r, nil
	}
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		return nil, err
	}
	cache[key] = r
	return r, nil
}

func formatTime(dt types.DateTime) string {
	if dt.IsZero() {
		return ""
	}
	return dt.Time().UTC().Format(timeFormat)
}

// rawJSON is a JSON field's value as it is stored; null when empty.
func rawJSON(v any) json.RawMessage {
	raw, ok := v.(types.JSONRaw)
	if !ok || len(raw) == 0 || !json.Valid(raw) {
		return json.RawMessage("null")
	}
	return json.RawMessage(raw)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
