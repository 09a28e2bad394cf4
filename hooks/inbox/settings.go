package inbox

import (
	"errors"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Settings are how to reach the mailbox (collection inbox_settings).
type Settings struct {
	record *core.Record

	Enabled          bool
	Host             string
	Port             int
	TLS              string // implicit, starttls or none
	Username         string
	Password         string
	Mailbox          string
	ProcessedMailbox string
	Move             bool // move read messages; else flag them
	PollInterval     time.Duration
	MaxMessageBytes  int64
}

// LoadSettings reads the mailbox settings.
func LoadSettings(app core.App) (Settings, error) {
	r := &core.Record{}
	if err := app.RecordQuery(InboxSettings).Limit(1).One(r); err != nil {
		return Settings{}, errors.New("the inbox settings are missing; the migrations create them")
	}
	s := Settings{
		record:           r,
		Enabled:          r.GetBool("enabled"),
		Host:             r.GetString("host"),
		Port:             r.GetInt("port"),
		TLS:              r.GetString("tls"),
		Username:         r.GetString("username"),
		Password:         r.GetString("password"),
		Mailbox:          r.GetString("mailbox"),
		ProcessedMailbox: r.GetString("processed_mailbox"),
		Move:             r.GetString("after_reading") != "flag",
		PollInterval:     time.Duration(r.GetInt("poll_seconds")) * time.Second,
		MaxMessageBytes:  int64(r.GetInt("max_message_mb")) << 20,
	}
	if s.Mailbox == "" {
		s.Mailbox = "INBOX"
	}
	if s.ProcessedMailbox == "" {
		s.ProcessedMailbox = "Processed"
	}
	if s.PollInterval <= 0 {
		s.PollInterval = time.Minute
	}
	if s.MaxMessageBytes <= 0 {
		s.MaxMessageBytes = 25 << 20
	}
	if s.Port == 0 {
		s.Port = map[string]int{"implicit": 993}[s.TLS]
		if s.Port == 0 {
			s.Port = 143
		}
	}
	return s, nil
}

// checkpoint is where the poller stands in the mailbox.
type checkpoint struct {
	UIDValidity uint32
	LastUID     uint32
}

func (s Settings) checkpoint() checkpoint {
	return checkpoint{UIDValidity: uint32(s.record.GetInt("uid_validity")), LastUID: uint32(s.record.GetInt("last_uid"))}
}

// saveCheckpoint stores where the poller stands; it runs in the same
// transaction as the processing of the message it moves past.
func saveCheckpoint(tx core.App, c checkpoint) error {
	r := &core.Record{}
	if err := tx.RecordQuery(InboxSettings).Limit(1).One(r); err != nil {
		return err
	}
	r.Set("uid_validity", c.UIDValidity)
	r.Set("last_uid", c.LastUID)
	return tx.Save(r)
}

// noteState records the last poll and the last error where staff see them.
func noteState(app core.App, lastErr error) {
	r := &core.Record{}
	if err := app.RecordQuery(InboxSettings).Limit(1).One(r); err != nil {
		return
	}
	r.Set("last_poll_at", time.Now().UTC())
	if lastErr != nil {
		r.Set("last_error", time.Now().UTC().Format(time.RFC3339)+": "+lastErr.Error())
	} else {
		r.Set("last_error", "")
	}
	if err := app.Save(r); err != nil {
		app.Logger().Error("inbox: recording its state", "error", err)
	}
}
