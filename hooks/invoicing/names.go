// Package invoicing owns customers' invoices from draft to paid: drafts and
// their totals, series numbering, issuing and freezing, the VeriFactu huella
// chain, facturas rectificativas (corrective invoices), payments, the state
// fields and the events timeline. Other packages change invoices only through
// its exported functions.
package invoicing

// Collections this package owns or guards.
const (
	Issuer         = "issuer"
	Customers      = "customers"
	Contacts       = "contacts"
	Invoices       = "invoices"
	Events         = "events"
	Payments       = "payments"
	SeriesCounters = "series_counters"
)

// Invoice statuses.
const (
	StatusDraft     = "draft"
	StatusIssued    = "issued"
	StatusRectified = "rectified"
	// StatusVoided is an invoice cancelled because it was issued by
	// mistake: it stays, numbered and chained, but counts for nothing.
	StatusVoided = "voided"
)

// Event types of the timeline.
const (
	EventIssued       = "issued"
	EventQueued       = "queued"
	EventSent         = "sent"
	EventSendFailed   = "send_failed"
	EventDelivered    = "delivered"
	EventDelayed      = "delayed"
	EventBounced      = "bounced"
	EventOpened       = "opened"
	EventViewed       = "viewed"
	EventDownloaded   = "downloaded"
	EventAccepted     = "accepted"
	EventRejected     = "rejected"
	EventQueried      = "queried"
	EventReplied      = "replied"
	EventAutoReplied  = "auto_replied"
	EventReadReceipt  = "read_receipt"
	EventPayment      = "payment"
	EventPaid         = "paid"
	EventRectified    = "rectified"
	EventReminderSent = "reminder_sent"
	EventVoided       = "voided"
	// The AEAT's answers about the invoice's VERI*FACTU records: the firm's
	// business with the tax agency, never shown to its customers.
	EventAEATAccepted = "aeat_accepted"
	EventAEATRejected = "aeat_rejected"
)

// StaffOnlyEvents are the timeline entries a customer's contact never
// reads, through any door (the events collection's rules say so too).
var StaffOnlyEvents = []string{EventAEATAccepted, EventAEATRejected}

// EventTypes are the timeline's event types, in the order of an invoice's life.
var EventTypes = []string{
	EventIssued, EventQueued, EventSent, EventSendFailed, EventDelivered, EventDelayed, EventBounced,
	EventOpened, EventViewed, EventDownloaded, EventAccepted, EventRejected, EventQueried, EventReplied,
	EventAutoReplied, EventReadReceipt, EventPayment, EventPaid, EventRectified, EventReminderSent,
	EventVoided, EventAEATAccepted, EventAEATRejected,
}

// draftFields are what staff write on a draft; they freeze at issue.
var draftFields = []string{
	"customer", "series", "issue_date", "operation_date", "due_date", "currency", "lines",
	"notes", "external_id", "rectifies", "rectification_code", "rectification_reason", "order_reference",
}

// issueFields are set by the system when an invoice is issued, then frozen.
var issueFields = []string{
	"number", "issuer_tax_id", "hash", "prev_hash", "hashed_at", "chain_seq", "issued_at", "pdf",
	"recipient", "issuer", "content_hash",
}

// sealVersions are what the content hash (content_hash) covers, version by
// version: every field an issued invoice states, frozen at issue (the PDF
// is drawn from them; the hash itself is left out). A new frozen field is
// sealed by adding a version that lists every field of the one before and
// the new ones after them, never by editing a version: invoices sealed
// under an older version keep verifying, and the fields added since must be
// empty on them (checkSeal). The migration that sealed the invoices issued
// before it holds version 1.
var sealVersions = [][]string{
	{ // 1
		"customer", "series", "number", "issue_date", "operation_date", "due_date", "currency", "lines", "notes",
		"external_id", "rectifies", "rectification_code", "rectification_reason",
		"subtotal", "tax_total", "surcharge_total", "withholding_total", "total", "taxes",
		"recipient", "issuer", "issuer_tax_id", "hash", "prev_hash", "hashed_at", "chain_seq", "issued_at",
	},
	{ // 2: the customer's purchase order, stated on the structured invoices
		"customer", "series", "number", "issue_date", "operation_date", "due_date", "currency", "lines", "notes",
		"external_id", "rectifies", "rectification_code", "rectification_reason",
		"subtotal", "tax_total", "surcharge_total", "withholding_total", "total", "taxes",
		"recipient", "issuer", "issuer_tax_id", "hash", "prev_hash", "hashed_at", "chain_seq", "issued_at",
		"order_reference",
	},
}

// sealedFields are the fields the current version seals.
var sealedFields = sealVersions[len(sealVersions)-1]

// counterFields count the rows an invoice's history holds, so that a row
// deleted behind the application's back is noticed. Only the SQL that
// appends those rows moves them; every save keeps the stored value.
var counterFields = []string{"event_count", "payment_count"}

// totalFields are computed from the lines on every draft save and frozen at issue.
var totalFields = []string{
	"subtotal", "tax_total", "surcharge_total", "withholding_total", "total", "taxes",
}

// stateFields follow the invoice's life after issue; only this package's
// functions change them.
var stateFields = []string{
	"status", "delivery", "opened_at", "viewed_at", "response", "response_reason",
	"response_action", "response_note", "response_by", "response_at", "payment", "paid_total",
}

// frozenFields never change once an invoice is issued, for anyone.
var frozenFields = concat(draftFields, issueFields, totalFields)

func concat(lists ...[]string) []string {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}
