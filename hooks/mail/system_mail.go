package mail

import (
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	gomail "github.com/wneessen/go-mail"
)

// keepSystemMailInFolder writes the e-mails PocketBase still sends itself
// (address verification, address change, new-device alerts: sign-in codes
// and password links go through the outbox) as .eml files beside the
// outbox's when the mail settings deliver to a folder, as the demo's do:
// without it they went to a sendmail the machine may not have.
func keepSystemMailInFolder(e *core.MailerEvent) error {
	s, err := LoadSettings(e.App)
	if err != nil || s.Delivery != "folder" {
		return e.Next()
	}
	m := gomail.NewMsg()
	if err := m.FromFormat(e.Message.From.Name, e.Message.From.Address); err != nil {
		return err
	}
	for _, to := range e.Message.To {
		if err := m.AddToFormat(to.Name, to.Address); err != nil {
			return err
		}
	}
	m.Subject(e.Message.Subject)
	m.SetDate()
	if e.Message.Text != "" {
		m.SetBodyString(gomail.TypeTextPlain, e.Message.Text)
		if e.Message.HTML != "" {
			m.AddAlternativeString(gomail.TypeTextHTML, e.Message.HTML)
		}
	} else {
		m.SetBodyString(gomail.TypeTextHTML, e.Message.HTML)
	}
	dir := filepath.Join(e.App.DataDir(), "outbox")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := "system-" + time.Now().UTC().Format("20060102T150405") + "-" + security.RandomString(6) + ".eml"
	return m.WriteToFile(filepath.Join(dir, name))
}
