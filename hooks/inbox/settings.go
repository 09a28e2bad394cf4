package inbox

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Settings are what holds for every mailbox (collection inbox_settings).
type Settings struct {
	PollInterval    time.Duration
	MaxMessageBytes int64
}

// LoadSettings reads the settings common to every mailbox.
func LoadSettings(app core.App) (Settings, error) {
	r := &core.Record{}
	if err := app.RecordQuery(InboxSettings).Limit(1).One(r); err != nil {
		return Settings{}, errors.New("the inbox settings are missing; the migrations create them")
	}
	s := Settings{
		PollInterval:    time.Duration(r.GetInt("poll_seconds")) * time.Second,
		MaxMessageBytes: int64(r.GetInt("max_message_mb")) << 20,
	}
	if s.PollInterval <= 0 {
		s.PollInterval = time.Minute
	}
	if s.MaxMessageBytes <= 0 {
		s.MaxMessageBytes = 25 << 20
	}
	return s, nil
}

// Mailbox is one mailbox to read (a row of inbox_mailboxes): an account on
// an IMAP server and one of its folders.
type Mailbox struct {
	ID               string
	Host             string
	Port             int
	TLS              string // implicit, starttls or none
	Username         string
	Password         string
	Mailbox          string
	ProcessedMailbox string
	Move             bool // move read messages; else flag them
}

// Key is the account and folder the mailbox reads, which its checkpoint
// belongs to.
func (m Mailbox) Key() MailboxKey {
	return NewMailboxKey(m.Host, m.Username, m.Mailbox)
}

// String names the mailbox for staff: user@host/folder.
func (m Mailbox) String() string {
	return m.Key().String()
}

// MailboxKey is an account (host and user) and a folder in it.
type MailboxKey struct {
	Host, Username, Mailbox string
}

// NewMailboxKey writes a key as it is stored: the host in lower case (DNS
// names have no case), the user as typed, and INBOX in capitals whatever
// case it was typed in (RFC 3501 §5.1), other folders as typed.
func NewMailboxKey(host, username, mailbox string) MailboxKey {
	return MailboxKey{
		Host:     strings.ToLower(strings.TrimSpace(host)),
		Username: strings.TrimSpace(username),
		Mailbox:  mailboxName(mailbox),
	}
}

func (k MailboxKey) String() string {
	return fmt.Sprintf("%s@%s/%s", k.Username, k.Host, k.Mailbox)
}

func mailboxName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "INBOX") {
		return "INBOX"
	}
	return s
}

// LoadMailboxes reads the enabled mailboxes.
func LoadMailboxes(app core.App) ([]Mailbox, error) {
	var rows []*core.Record
	if err := app.RecordQuery(InboxMailboxes).AndWhere(dbx.HashExp{"enabled": true}).OrderBy("created", "id").All(&rows); err != nil {
		return nil, err
	}
	out := make([]Mailbox, 0, len(rows))
	for _, r := range rows {
		out = append(out, mailboxOf(r))
	}
	return out, nil
}

func mailboxOf(r *core.Record) Mailbox {
	m := Mailbox{
		ID:               r.Id,
		Host:             r.GetString("host"),
		Port:             r.GetInt("port"),
		TLS:              r.GetString("tls"),
		Username:         r.GetString("username"),
		Password:         r.GetString("password"),
		Mailbox:          mailboxName(r.GetString("mailbox")),
		ProcessedMailbox: strings.TrimSpace(r.GetString("processed_mailbox")),
		Move:             r.GetString("after_reading") != "flag",
	}
	if m.ProcessedMailbox == "" {
		m.ProcessedMailbox = "Processed"
	}
	if m.Port == 0 {
		m.Port = 143
		if m.TLS == "implicit" || m.TLS == "" {
			m.Port = 993
		}
	}
	return m
}

// normalizeMailbox writes a row's host and folder as its checkpoint's key
// has them, so that "INBOX" and "inbox", or "IMAP.Firm.es" and
// "imap.firm.es", are one mailbox (one row, one checkpoint), and refuses a
// second row for a mailbox already read: two pollers on one mailbox would
// read each message twice.
func normalizeMailbox(e *core.RecordEvent) error {
	r := e.Record
	key := NewMailboxKey(r.GetString("host"), r.GetString("username"), r.GetString("mailbox"))
	r.Set("host", key.Host)
	r.Set("username", key.Username)
	r.Set("mailbox", key.Mailbox)
	other := &core.Record{}
	err := e.App.RecordQuery(InboxMailboxes).
		AndWhere(dbx.HashExp{"host": key.Host, "username": key.Username, "mailbox": key.Mailbox}).
		AndWhere(dbx.Not(dbx.HashExp{"id": r.Id})).Limit(1).One(other)
	if err == nil {
		return mailboxTakenError(key)
	}
	return e.Next()
}

// checkpoint is where the poller stands in one mailbox of one account.
type checkpoint struct {
	Key         MailboxKey
	UIDValidity uint32
	LastUID     uint32
}

// loadCheckpoint reads where the poller stands in a mailbox; a mailbox
// never read has none yet (UIDVALIDITY 0).
func loadCheckpoint(app core.App, key MailboxKey) (checkpoint, error) {
	cp := checkpoint{Key: key}
	r := &core.Record{}
	err := app.RecordQuery(InboxCheckpoints).AndWhere(keyExp(key)).Limit(1).One(r)
	if err != nil {
		if isNotFound(err) {
			return cp, nil
		}
		return cp, err
	}
	cp.UIDValidity, cp.LastUID = uint32(r.GetInt("uid_validity")), uint32(r.GetInt("last_uid"))
	return cp, nil
}

// saveCheckpoint stores where the poller stands in a mailbox; it runs in
// the same transaction as the processing of the message it moves past.
func saveCheckpoint(tx core.App, c checkpoint) error {
	r := &core.Record{}
	if err := tx.RecordQuery(InboxCheckpoints).AndWhere(keyExp(c.Key)).Limit(1).One(r); err != nil {
		if !isNotFound(err) {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId(InboxCheckpoints)
		if err != nil {
			return err
		}
		r = core.NewRecord(col)
		r.Set("host", c.Key.Host)
		r.Set("username", c.Key.Username)
		r.Set("mailbox", c.Key.Mailbox)
	}
	r.Set("uid_validity", c.UIDValidity)
	r.Set("last_uid", c.LastUID)
	return tx.Save(r)
}

func mailboxTakenError(k MailboxKey) error {
	msg := "Another row already reads " + k.String() + "; a mailbox is read by one row."
	return apis.NewBadRequestError(msg, validation.Errors{"mailbox": validation.NewError("validation_not_unique", msg)})
}

func isNotFound(err error) bool {
	return errors.Is(err, sql.ErrNoRows)
}

func keyExp(k MailboxKey) dbx.Expression {
	return dbx.HashExp{"host": k.Host, "username": k.Username, "mailbox": k.Mailbox}
}

// noteState records a mailbox's last poll and last error where staff see
// them. It writes the two columns alone, so that it never undoes an edit
// of the row made meanwhile, nor counts as one.
func noteState(app core.App, mailboxID string, lastErr error) {
	msg := ""
	if lastErr != nil {
		msg = time.Now().UTC().Format(time.RFC3339) + ": " + lastErr.Error()
		if len(msg) > 2000 {
			msg = clip(msg, 2000)
		}
	}
	_, err := app.DB().Update(InboxMailboxes, dbx.Params{"last_poll_at": types.NowDateTime().String(), "last_error": msg},
		dbx.HashExp{"id": mailboxID}).Execute()
	if err != nil {
		app.Logger().Error("inbox: recording a mailbox's state", "mailbox", mailboxID, "error", err)
	}
}
