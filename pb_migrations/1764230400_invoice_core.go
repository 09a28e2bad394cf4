// Package pb_migrations creates and evolves the product's collections, one Go
// migration per schema change. They run automatically when the server starts.
package pb_migrations

import (
	"facturo/internal/migrating"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Collection ids are fixed so that relations (including the invoices →
// invoices self-relation) can be declared before the target is saved.
const (
	issuerID   = "pbc_issuer"
	customerID = "pbc_customers"
	contactID  = "pbc_contacts"
	invoiceID  = "pbc_invoices"
	eventID    = "pbc_events"
	messageID  = "pbc_messages"
	paymentID  = "pbc_payments"
	counterID  = "pbc_series_counters"
)

// Rules shared by the collections a contact (a customer's person) may read.
const (
	isContact = "@request.auth.collectionName = 'contacts'"
)

var languages = []string{"es", "en"}

// eventTypes are the kinds of entries on an invoice's timeline.
var eventTypes = []string{
	"issued", "queued", "sent", "send_failed", "delivered", "delayed", "bounced",
	"opened", "viewed", "downloaded", "accepted", "rejected", "queried", "replied",
	"auto_replied", "read_receipt", "payment", "paid", "rectified", "reminder_sent",
}

// Peppol Invoice Response code lists: UNCL4343 status reasons and the
// corrective actions a rejecting customer asks for.
var (
	statusReasons     = []string{"NON", "REF", "LEG", "REC", "QUA", "DEL", "PRI", "QTY", "ITM", "PAY", "UNR", "FIN", "OTH"}
	correctionActions = []string{"NOA", "PIN", "NIN", "CNF", "CNP", "CNA", "OTH"}
)

func init() {
	register(func(app core.App) error {
		for _, build := range []func(core.App) (*core.Collection, error){
			issuerCollection, customersCollection, contactsCollection, invoicesCollection,
			eventsCollection, messagesCollection, paymentsCollection, seriesCountersCollection,
		} {
			c, err := build(app)
			if err != nil {
				return err
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		if err := addRectifiesRelation(app); err != nil {
			return err
		}
		if err := createIssuerRow(app); err != nil {
			return err
		}
		settings := app.Settings()
		settings.Meta.AppName = "Facturo"
		return app.Save(settings)
	}, func(app core.App) error {
		return deleteCollections(app, "series_counters", "payments", "messages", "events", "invoices", "contacts", "customers", "issuer")
	})
}

// deleteCollections deletes the collections named (by name or id), in
// order, skipping those already gone: the down step of a migration that
// created them.
func deleteCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}

// removeFields removes fields from a collection: the down step of a
// migration that added them.
func removeFields(app core.App, collection string, fields ...string) error {
	c, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		return err
	}
	for _, f := range fields {
		c.Fields.RemoveByName(f)
	}
	return app.Save(c)
}

func timestamps() []core.Field {
	return []core.Field{
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	}
}

func text(name string, max int, help string) *core.TextField {
	return &core.TextField{Name: name, Max: max, Help: help}
}

func money(name, help string) *core.NumberField {
	return &core.NumberField{Name: name, Help: help}
}

func selectOne(name string, values []string, help string) *core.SelectField {
	return &core.SelectField{Name: name, Values: values, MaxSelect: 1, Help: help}
}

func relation(name, collectionID string, required bool) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionID, MaxSelect: 1, Required: required}
}

// issuerCollection holds the firm's own legal profile: one row that staff edit
// in the admin dashboard and that every invoice is issued under.
func issuerCollection(core.App) (*core.Collection, error) {
	c := core.NewBaseCollection("issuer", issuerID)
	c.Fields.Add(
		text("legal_name", 200, "Legal name printed on invoices (razón social)"),
		text("trade_name", 200, "Trade name, if different"),
		&core.TextField{Name: "tax_id", Max: 20, Help: "NIF of the firm; it enters every invoice's huella"},
		text("address", 300, ""),
		text("city", 100, ""),
		text("postal_code", 20, ""),
		text("province", 100, ""),
		&core.TextField{Name: "country", Max: 2, Pattern: `^[A-Z]{2}$`, Help: "ISO 3166-1 alpha-2, e.g. ES"},
		&core.TextField{Name: "iban", Max: 34, Help: "Account printed in the payment instructions"},
		text("bic", 11, ""),
		text("phone", 40, ""),
		&core.URLField{Name: "website"},
		&core.FileField{Name: "logo", MaxSelect: 1, MaxSize: 2 << 20, MimeTypes: []string{"image/png", "image/jpeg"}, Help: "PNG or JPEG, shown on invoices"},
		&core.TextField{Name: "default_series", Max: 10, Pattern: `^[A-Za-z0-9]+$`, Help: "Series of new invoices, e.g. A"},
		&core.TextField{Name: "rectifying_series", Max: 10, Pattern: `^[A-Za-z0-9]+$`, Help: "Series of facturas rectificativas, e.g. R"},
		selectOne("default_language", languages, "Language of customers that have none"),
		&core.EmailField{Name: "email_from", Help: "Address invoices are sent from"},
		&core.EmailField{Name: "email_reply_to", Help: "Address customers' replies go to"},
		&core.BoolField{Name: "verifactu", Help: "VERI*FACTU mode: invoices carry the VERI*FACTU legend next to their QR"},
	)
	c.Fields.Add(timestamps()...)
	return c, nil
}

func createIssuerRow(app core.App) error {
	c, err := app.FindCollectionByNameOrId("issuer")
	if err != nil {
		return err
	}
	r := core.NewRecord(c)
	r.Set("country", "ES")
	r.Set("default_series", "A")
	r.Set("rectifying_series", "R")
	r.Set("default_language", "es")
	return app.Save(r)
}

func customersCollection(core.App) (*core.Collection, error) {
	c := core.NewBaseCollection("customers", customerID)
	owner := isContact + " && @request.auth.customer = id"
	c.ListRule, c.ViewRule = types.Pointer(owner), types.Pointer(owner)
	c.Fields.Add(
		&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
		&core.TextField{Name: "tax_id", Max: 20, Help: "NIF/CIF/NIE or EU VAT id"},
		&core.EmailField{Name: "email", Help: "Where invoices are sent"},
		text("cc", 500, "More addresses, separated by commas"),
		selectOne("language", languages, ""),
		text("address", 300, ""),
		text("city", 100, ""),
		text("postal_code", 20, ""),
		text("province", 100, ""),
		&core.TextField{Name: "country", Max: 2, Pattern: `^[A-Z]{2}$`, Help: "ISO 3166-1 alpha-2; ES when empty"},
		&core.NumberField{Name: "payment_terms_days", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(365.0), Help: "Days from issue to due date; 30 when not given"},
		text("notes", 2000, ""),
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_customers_tax_id", false, "tax_id", "")
	return c, nil
}

// contactsCollection holds the customer's people who sign in to the portal.
func contactsCollection(core.App) (*core.Collection, error) {
	c := core.NewAuthCollection("contacts", contactID)
	self := "id = @request.auth.id"
	c.ListRule, c.ViewRule = types.Pointer(self), types.Pointer(self)
	c.AuthRule = types.Pointer("")
	c.PasswordAuth.Enabled = true
	c.PasswordAuth.IdentityFields = []string{"email"}
	c.OTP.Enabled = true
	c.OTP.Duration = 600
	c.OTP.Length = 8
	c.Fields.Add(
		&core.TextField{Name: "name", Max: 200, Presentable: true},
		&core.RelationField{Name: "customer", CollectionId: customerID, MaxSelect: 1, Required: true, CascadeDelete: true},
		selectOne("role", []string{"viewer", "approver"}, "Approvers may accept or reject invoices"),
		selectOne("language", languages, ""),
	)
	c.Fields.Add(timestamps()...)
	return c, nil
}

func invoicesCollection(core.App) (*core.Collection, error) {
	c := core.NewBaseCollection("invoices", invoiceID)
	visible := isContact + " && customer = @request.auth.customer && status != 'draft'"
	c.ListRule, c.ViewRule = types.Pointer(visible), types.Pointer(visible)
	c.Fields.Add(
		// Set by staff on drafts.
		relation("customer", customerID, true),
		&core.TextField{Name: "series", Max: 10, Pattern: `^[A-Za-z0-9]+$`, Help: "Empty: the issuer's default series"},
		&core.DateField{Name: "issue_date", Help: "Empty: the day it is issued"},
		&core.DateField{Name: "operation_date", Help: "Only when it differs from the issue date"},
		&core.DateField{Name: "due_date", Help: "Empty: issue date plus the customer's payment terms"},
		&core.SelectField{Name: "currency", Values: []string{"EUR"}, MaxSelect: 1},
		&core.JSONField{Name: "lines", MaxSize: 2 << 20, Help: `[{"description","quantity","unit_price","discount","vat","vat_exemption","surcharge","withholding"}]`},
		text("notes", 2000, "Printed on the invoice"),
		text("external_id", 100, "The ERP's id of this invoice; unique"),
		selectOne("rectification_code", []string{"R1", "R2", "R3", "R4", "R5"}, "Factura rectificativa: the legal ground"),
		text("rectification_reason", 500, ""),

		// Set by the system at issue, then frozen.
		&core.TextField{Name: "number", Max: 40, Presentable: true, Help: "Set at issue: series-year-sequence"},
		money("subtotal", "Set by the system"),
		money("tax_total", "IVA; set by the system"),
		money("surcharge_total", "Recargo de equivalencia; set by the system"),
		money("withholding_total", "IRPF withheld; set by the system"),
		money("total", "Set by the system"),
		&core.JSONField{Name: "taxes", MaxSize: 1 << 16, Help: "Breakdown per VAT rate; set by the system"},
		&core.FileField{Name: "pdf", MaxSelect: 1, MaxSize: 20 << 20, MimeTypes: []string{"application/pdf"}, Protected: true},
		&core.TextField{Name: "issuer_tax_id", Max: 20, Help: "The issuer's NIF when it was issued"},
		text("hash", 64, "VeriFactu huella"),
		text("prev_hash", 64, "Huella of the previous issued invoice"),
		&core.DateField{Name: "hashed_at"},
		&core.NumberField{Name: "chain_seq", OnlyInt: true, Help: "Position in the huella chain"},
		&core.DateField{Name: "issued_at"},

		// States, set only by the system.
		&core.SelectField{Name: "status", Values: []string{"draft", "issued", "rectified"}, MaxSelect: 1},
		&core.SelectField{Name: "delivery", Values: []string{"not_sent", "queued", "sent", "delivered", "failed", "bounced"}, MaxSelect: 1},
		&core.DateField{Name: "opened_at"},
		&core.DateField{Name: "viewed_at"},
		&core.SelectField{Name: "response", Values: []string{"none", "accepted", "rejected", "queried"}, MaxSelect: 1},
		selectOne("response_reason", statusReasons, "UNCL4343 status reason"),
		selectOne("response_action", correctionActions, "Correction the customer asks for"),
		text("response_note", 2000, ""),
		relation("response_by", contactID, false),
		&core.DateField{Name: "response_at"},
		&core.SelectField{Name: "payment", Values: []string{"unpaid", "partial", "paid"}, MaxSelect: 1},
		money("paid_total", "Set by the system"),
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_invoices_number", true, "number", "number != ''")
	c.AddIndex("idx_invoices_external_id", true, "external_id", "external_id != ''")
	c.AddIndex("idx_invoices_chain_seq", true, "chain_seq", "chain_seq > 0")
	c.AddIndex("idx_invoices_customer_date", false, "customer, issue_date", "")
	c.AddIndex("idx_invoices_open_due", false, "due_date", "status != 'draft' AND payment != 'paid'")
	return c, nil
}

// addRectifiesRelation links a factura rectificativa to the invoice it
// corrects; a relation to its own collection can only be added once the
// collection exists.
func addRectifiesRelation(app core.App) error {
	c, err := app.FindCollectionByNameOrId(invoiceID)
	if err != nil {
		return err
	}
	c.Fields.AddAt(slices.Index(c.Fields.FieldNames(), "rectification_code"), relation("rectifies", invoiceID, false))
	return app.Save(c)
}

// eventsCollection is each invoice's timeline; rows are only ever appended.
func eventsCollection(core.App) (*core.Collection, error) {
	c := core.NewBaseCollection("events", eventID)
	visible := isContact + " && customer = @request.auth.customer && invoice.status != 'draft'"
	c.ListRule, c.ViewRule = types.Pointer(visible), types.Pointer(visible)
	c.Fields.Add(
		relation("invoice", invoiceID, true),
		relation("customer", customerID, false),
		&core.SelectField{Name: "type", Values: eventTypes, MaxSelect: 1, Required: true},
		relation("actor", contactID, false),
		&core.TextField{Name: "actor_email", Max: 320},
		&core.TextField{Name: "ip", Max: 64},
		&core.TextField{Name: "user_agent", Max: 500},
		&core.JSONField{Name: "data", MaxSize: 1 << 16},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	c.AddIndex("idx_events_invoice", false, "invoice, created", "")
	c.AddIndex("idx_events_customer", false, "customer, created", "")
	return c, nil
}

// messagesCollection is the outbox: one row per email.
func messagesCollection(core.App) (*core.Collection, error) {
	c := core.NewBaseCollection("messages", messageID)
	c.Fields.Add(
		relation("invoice", invoiceID, false),
		&core.SelectField{Name: "kind", Values: []string{"invoice", "reminder", "statement", "answer", "invite"}, MaxSelect: 1},
		&core.TextField{Name: "to", Max: 1000},
		&core.TextField{Name: "cc", Max: 1000},
		&core.TextField{Name: "subject", Max: 500},
		&core.TextField{Name: "message_id", Max: 300},
		&core.SelectField{Name: "status", Values: []string{"queued", "sending", "sent", "retry", "failed", "bounced"}, MaxSelect: 1},
		&core.NumberField{Name: "attempts", OnlyInt: true},
		&core.DateField{Name: "next_attempt_at"},
		&core.TextField{Name: "last_error", Max: 2000},
		&core.DateField{Name: "sent_at"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_messages_due", false, "status, next_attempt_at", "")
	c.AddIndex("idx_messages_message_id", false, "message_id", "message_id != ''")
	return c, nil
}

func paymentsCollection(core.App) (*core.Collection, error) {
	c := core.NewBaseCollection("payments", paymentID)
	c.Fields.Add(
		relation("invoice", invoiceID, true),
		&core.NumberField{Name: "amount", Required: true},
		&core.DateField{Name: "paid_on", Required: true},
		&core.SelectField{Name: "method", Values: []string{"transfer", "direct_debit", "card", "cash", "cheque", "other"}, MaxSelect: 1},
		&core.TextField{Name: "reference", Max: 200},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	c.AddIndex("idx_payments_invoice", false, "invoice", "")
	return c, nil
}

// seriesCountersCollection holds the last number given in each series and
// year; it is updated in the same transaction as the issue, so numbers stay
// gapless under concurrent issuing.
func seriesCountersCollection(core.App) (*core.Collection, error) {
	c := core.NewBaseCollection("series_counters", counterID)
	c.Fields.Add(
		&core.TextField{Name: "series", Required: true, Max: 10},
		&core.NumberField{Name: "year", Required: true, OnlyInt: true},
		&core.NumberField{Name: "last", OnlyInt: true},
		&core.DateField{Name: "last_issue_date"},
	)
	c.AddIndex("idx_series_counters", true, "series, year", "")
	return c, nil
}

// register registers a migration of the calling file (its name orders the
// migrations and records which ran), marked as a migration while it runs so
// that the guards on the invoices' schema let it through.
func register(up, down func(core.App) error) {
	_, path, _, _ := runtime.Caller(1)
	m.Register(migrating.Wrap(up), migrating.Wrap(down), filepath.Base(path))
}
