// Package mail sends invoices by email through the firm's own SMTP server:
// an outbox of messages (one row per email), a worker that sends them with
// retries and survives crashes, and the composition of each email.
// Tracking tokens and the pixel and view-link routes live here too.
package mail

// Collections this package owns.
const (
	Messages     = "messages"
	MailSettings = "mail_settings"
)

// Message statuses.
const (
	StatusQueued  = "queued"
	StatusSending = "sending"
	StatusSent    = "sent"
	StatusRetry   = "retry"
	StatusFailed  = "failed"
	StatusBounced = "bounced"
)
