package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	quotesID        = "pbc_quotes"
	quoteCountersID = "pbc_quote_counters"
	quoteEventsID   = "pbc_quote_events"
)

// Quotes (presupuestos): written like invoices, numbered in their own
// series and counters, e-mailed through the outbox with its tracking, and
// answered by the customer's approvers in the portal. They are a
// collection of their own so that nothing about them can reach the
// invoices' numbering, huella chain, figures or freeze guards. Staff only
// over REST (no API rules); the portal reads them through its own pages.
func init() {
	register(func(app core.App) error {
		issuer, err := app.FindCollectionByNameOrId(issuerID)
		if err != nil {
			return err
		}
		issuer.Fields.Add(
			&core.TextField{Name: "quote_series", Max: 10, Pattern: `^[A-Za-z0-9]+$`, Help: "Series of quotes (presupuestos), e.g. P; never an invoice series"},
			&core.NumberField{Name: "quote_valid_days", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(365.0), Help: "Days a new quote is valid; 30 when empty"},
		)
		if err := app.Save(issuer); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("UPDATE issuer SET quote_series = 'P', quote_valid_days = 30 WHERE quote_series = ''").Execute(); err != nil {
			return err
		}

		q := core.NewBaseCollection("quotes", quotesID)
		q.Fields.Add(
			relation("customer", customerID, true),
			&core.TextField{Name: "series", Max: 10, Pattern: `^[A-Za-z0-9]*$`, Help: "Empty: the issuer's quote series"},
			&core.TextField{Name: "number", Max: 40, Presentable: true, Help: "Set when the quote is finished: series-year-sequence"},
			&core.DateField{Name: "issue_date", Help: "Empty: the day it is finished"},
			&core.DateField{Name: "valid_until"},
			&core.SelectField{Name: "currency", Values: []string{"EUR"}, MaxSelect: 1},
			&core.JSONField{Name: "lines", MaxSize: 2 << 20, Help: "The same lines as an invoice's"},
			text("notes", 2000, "Printed on the quote"),
			money("subtotal", "Set by the system"),
			money("tax_total", "Set by the system"),
			money("surcharge_total", "Set by the system"),
			money("withholding_total", "Set by the system"),
			money("total", "Set by the system"),
			&core.JSONField{Name: "taxes", MaxSize: 1 << 16},
			&core.SelectField{Name: "status", Values: []string{"draft", "sent", "accepted", "rejected", "invoiced"}, MaxSelect: 1, Required: true},
			&core.SelectField{Name: "delivery", Values: []string{"not_sent", "queued", "sent", "failed", "bounced"}, MaxSelect: 1},
			&core.DateField{Name: "opened_at"},
			&core.DateField{Name: "viewed_at"},
			&core.DateField{Name: "finished_at", Help: "When it was numbered and its PDF drawn; it no longer changes"},
			text("response_note", 2000, "Why the customer rejected it, or what it said accepting it"),
			relation("response_by", contactID, false),
			&core.DateField{Name: "response_at"},
			relation("invoice", invoiceID, false),
			&core.FileField{Name: "pdf", MaxSelect: 1, MaxSize: 20 << 20, MimeTypes: []string{"application/pdf"}, Protected: true},
		)
		q.Fields.Add(timestamps()...)
		q.AddIndex("idx_quotes_number", true, "number", "number != ''")
		q.AddIndex("idx_quotes_customer", false, "customer, created", "")
		if err := app.Save(q); err != nil {
			return err
		}

		counters := core.NewBaseCollection("quote_counters", quoteCountersID)
		counters.Fields.Add(
			&core.TextField{Name: "series", Required: true, Max: 10},
			&core.NumberField{Name: "year", Required: true, OnlyInt: true},
			&core.NumberField{Name: "last", OnlyInt: true},
		)
		counters.AddIndex("idx_quote_counters", true, "series, year", "")
		if err := app.Save(counters); err != nil {
			return err
		}

		events := core.NewBaseCollection("quote_events", quoteEventsID)
		events.Fields.Add(
			&core.RelationField{Name: "quote", CollectionId: quotesID, MaxSelect: 1, Required: true, CascadeDelete: true},
			relation("customer", customerID, false),
			&core.SelectField{Name: "type", Values: []string{"finished", "queued", "sent", "send_failed", "opened", "viewed", "downloaded", "accepted", "rejected", "invoiced"}, MaxSelect: 1, Required: true},
			relation("actor", contactID, false),
			&core.TextField{Name: "actor_email", Max: 320},
			&core.TextField{Name: "ip", Max: 64},
			&core.TextField{Name: "user_agent", Max: 500},
			&core.JSONField{Name: "data", MaxSize: 1 << 16},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		events.AddIndex("idx_quote_events_quote", false, "quote, created", "")
		if err := app.Save(events); err != nil {
			return err
		}

		// The outbox sends quotes too: a message is about an invoice or a
		// quote.
		messages, err := app.FindCollectionByNameOrId(messageID)
		if err != nil {
			return err
		}
		kind := messages.Fields.GetByName("kind").(*core.SelectField)
		kind.Values = append(kind.Values, "quote")
		messages.Fields.Add(relation("quote", quotesID, false))
		messages.AddIndex("idx_messages_quote", false, "quote", "quote != ''")
		return app.Save(messages)
	}, func(app core.App) error {
		messages, err := app.FindCollectionByNameOrId(messageID)
		if err != nil {
			return err
		}
		messages.RemoveIndex("idx_messages_quote")
		messages.Fields.RemoveByName("quote")
		kind := messages.Fields.GetByName("kind").(*core.SelectField)
		kind.Values = kind.Values[:len(kind.Values)-1]
		if err := app.Save(messages); err != nil {
			return err
		}
		if err := deleteCollections(app, "quote_events", "quote_counters", "quotes"); err != nil {
			return err
		}
		return removeFields(app, issuerID, "quote_series", "quote_valid_days")
	})
}
