package mail

import (
	"github.com/pocketbase/pocketbase/core"
)

// Letter is an e-mail of the outbox as its reader gets it.
type Letter struct {
	Kind, To, Subject, Text, HTML string
}

// Read writes a queued message of the outbox as the worker would send it
// now, without sending it: what staff, the demo and the tests read.
func Read(app core.App, messageID string) (Letter, error) {
	msg, err := app.FindRecordById(Messages, messageID)
	if err != nil {
		return Letter{}, err
	}
	settings, err := LoadSettings(app)
	if err != nil {
		return Letter{}, err
	}
	c, err := compose(app, settings, msg)
	if err != nil {
		return Letter{}, err
	}
	return Letter{Kind: msg.GetString("kind"), To: msg.GetString("to"), Subject: c.subject, Text: c.text, HTML: c.html}, nil
}
