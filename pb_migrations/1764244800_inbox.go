package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	inboxSettingsID = "pbc_inbox_settings"
	inboundID       = "pbc_inbound"
)

// The firm's own mailbox for bounces and replies: how to reach it, where
// the poller stands in it, and every message read from it.
func init() {
	register(func(app core.App) error {
		settings := core.NewBaseCollection("inbox_settings", inboxSettingsID)
		settings.Fields.Add(
			&core.BoolField{Name: "enabled", Help: "Read the mailbox that receives bounces and replies"},
			&core.TextField{Name: "host", Max: 255},
			&core.NumberField{Name: "port", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(65535.0), Help: "993 for implicit TLS, 143 for STARTTLS"},
			&core.SelectField{Name: "tls", Values: []string{"implicit", "starttls", "none"}, MaxSelect: 1},
			&core.TextField{Name: "username", Max: 255},
			&core.TextField{Name: "password", Max: 255},
			&core.TextField{Name: "mailbox", Max: 255, Help: "Mailbox to read; INBOX when empty"},
			&core.TextField{Name: "processed_mailbox", Max: 255, Help: "Where read messages are moved; Processed when empty"},
			&core.SelectField{Name: "after_reading", Values: []string{"move", "flag"}, MaxSelect: 1, Help: "Move read messages to the processed mailbox, or flag them where they are; mail is never deleted"},
			&core.NumberField{Name: "poll_seconds", OnlyInt: true, Min: types.Pointer(5.0), Help: "Polling interval when the server has no IDLE; 60 when empty"},
			&core.NumberField{Name: "max_message_mb", OnlyInt: true, Min: types.Pointer(1.0), Help: "Larger messages are read only in part; 25 when empty"},
			// Where the poller stands: kept so that a restart reads nothing twice and skips nothing.
			&core.NumberField{Name: "uid_validity", OnlyInt: true},
			&core.NumberField{Name: "last_uid", OnlyInt: true},
			&core.DateField{Name: "last_poll_at"},
			&core.TextField{Name: "last_error", Max: 2000},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := app.Save(settings); err != nil {
			return err
		}
		row := core.NewRecord(settings)
		row.Load(map[string]any{"port": 993, "tls": "implicit", "mailbox": "INBOX", "processed_mailbox": "Processed", "after_reading": "move", "poll_seconds": 60, "max_message_mb": 25})
		if err := app.Save(row); err != nil {
			return err
		}

		inbound := core.NewBaseCollection("inbound", inboundID)
		inbound.Fields.Add(
			&core.SelectField{Name: "kind", Values: []string{"bounce", "delay", "delivered", "auto_reply", "read_receipt", "feedback", "reply", "other"}, MaxSelect: 1, Required: true},
			&core.BoolField{Name: "matched"},
			&core.TextField{Name: "matched_by", Max: 100, Help: "What tied the message to an invoice"},
			relation("invoice", invoiceID, false),
			relation("message", messageID, false),
			&core.TextField{Name: "from", Max: 500},
			&core.TextField{Name: "subject", Max: 1000},
			&core.TextField{Name: "message_id", Max: 500},
			&core.JSONField{Name: "recipients", MaxSize: 1 << 16},
			&core.TextField{Name: "text", Max: 100000, Help: "A reply's new text, as plain text"},
			&core.JSONField{Name: "details", MaxSize: 1 << 16},
			&core.FileField{Name: "raw", MaxSelect: 1, MaxSize: 30 << 20, Protected: true, Help: "The message as received"},
			&core.FileField{Name: "attachments", MaxSelect: 20, MaxSize: 30 << 20, Protected: true},
			&core.NumberField{Name: "uid", OnlyInt: true},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		inbound.AddIndex("idx_inbound_unmatched", false, "matched, created", "")
		inbound.AddIndex("idx_inbound_invoice", false, "invoice, created", "")
		if err := app.Save(inbound); err != nil {
			return err
		}

		customers, err := app.FindCollectionByNameOrId(customerID)
		if err != nil {
			return err
		}
		customers.Fields.Add(
			&core.BoolField{Name: "email_bouncing", Help: "Set when mail to this customer's address bounced for good; clear it once the address is fixed"},
			&core.TextField{Name: "email_bounce_note", Max: 1000},
		)
		return app.Save(customers)
	}, func(app core.App) error {
		if err := deleteCollections(app, inboundID, inboxSettingsID); err != nil {
			return err
		}
		return removeFields(app, customerID, "email_bouncing", "email_bounce_note")
	})
}
