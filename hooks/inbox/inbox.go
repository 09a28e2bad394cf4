// Package inbox reads the firm's own mailboxes over IMAP: delivery reports,
// bounces, auto-replies, read receipts and replies to invoice emails. Each
// message is classified (package classify), tied to the email and invoice
// it answers, turned into events on that invoice's timeline, kept in the
// inbound collection, and moved to a processed folder; mail is never
// deleted, and what cannot be tied to an invoice waits in the unmatched list.
package inbox

// Collections this package owns.
const (
	InboxSettings    = "inbox_settings"    // what holds for every mailbox
	InboxMailboxes   = "inbox_mailboxes"   // one row per account and folder to read
	InboxCheckpoints = "inbox_checkpoints" // where the poller stands in each, by host, user and folder
	Inbound          = "inbound"
)
