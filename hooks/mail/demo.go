package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// RecordSent records, as a message of the outbox already sent at the
// clock's time, an invoice's e-mail that a story (the demo's two years)
// says was sent: the outbox then lists every e-mail the invoice's timeline
// speaks of, and WriteSentToFolder can write it.
func RecordSent(app core.App, invoiceID string, at time.Time) (*core.Record, error) {
	var msg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		_, m, err := enqueue(tx, invoiceID, "invoice", map[string]any{"status": StatusSent, "sent_at": at, "attempts": 1})
		msg = m
		return err
	})
	return msg, err
}

// RecordQueuedSent records that a queued message of the outbox was sent
// at the given moment, as the worker records a message it sent (the
// message, and its quote's or invoice's delivery state and timeline): a
// story queues its e-mails as staff do and has them sent when it says.
func RecordQueuedSent(app core.App, messageID string, at time.Time) error {
	msg, err := app.FindRecordById(Messages, messageID)
	if err != nil {
		return err
	}
	if msg.GetString("status") != StatusQueued {
		return fmt.Errorf("the message %s is %s, not queued", messageID, msg.GetString("status"))
	}
	msg.Set("attempts", msg.GetInt("attempts")+1)
	return recordOutcome(app, msg, outcome{sent: true, text: "250 2.0.0 Ok: queued"}, at.UTC())
}

// WriteSentToFolder writes every sent message of the outbox that has no
// .eml file yet into pb_data/outbox, as it was sent: what a newcomer reads
// of the demo's e-mails. It sends nothing; each message keeps the subject
// and Message-ID it was written with.
func WriteSentToFolder(app core.App) (int, error) {
	settings, err := LoadSettings(app)
	if err != nil {
		return 0, err
	}
	tr, err := newTransport(app, settings)
	if err != nil {
		return 0, err
	}
	folder, ok := tr.(folderTransport)
	if !ok {
		return 0, fmt.Errorf("the outbox does not deliver to a folder")
	}
	sent, err := app.FindRecordsByFilter(Messages, "status = 'sent' && message_id = ''", "sent_at", 0, 0)
	if err != nil {
		return 0, err
	}
	for _, msg := range sent {
		c, err := compose(app, settings, msg)
		if err != nil {
			return 0, fmt.Errorf("the e-mail %s: %w", msg.Id, err)
		}
		c.msg.SetDateWithValue(msg.GetDateTime("sent_at").Time())
		if _, err := folder.send(context.Background(), c); err != nil {
			return 0, err
		}
		msg.Set("subject", c.subject)
		msg.Set("message_id", c.messageID)
		if err := app.Save(msg); err != nil {
			return 0, err
		}
	}
	return len(sent), nil
}
