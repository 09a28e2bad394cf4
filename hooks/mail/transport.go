package mail

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	gomail "github.com/wneessen/go-mail"
)

// transport hands a composed email over: to an SMTP server, or to a folder.
type transport interface {
	send(ctx context.Context, c *composed) (reply string, err error)
}

// errNotConfigured means mail cannot go anywhere yet; messages wait.
var errNotConfigured = errors.New("SMTP is not configured: messages wait as queued until it is (admin dashboard → Settings → Mail settings)")

// newTransport chooses where mail goes from the settings.
func newTransport(app core.App, s Settings) (transport, error) {
	if s.Delivery == "folder" {
		return folderTransport{dir: filepath.Join(app.DataDir(), "outbox")}, nil
	}
	smtp := app.Settings().SMTP
	if !smtp.Enabled || smtp.Host == "" {
		return nil, errNotConfigured
	}
	opts := []gomail.Option{
		gomail.WithPort(smtp.Port),
		gomail.WithTimeout(30 * time.Second),
		// Ask the server for failure and delay reports with headers only,
		// where it offers DSN; the bounce mailbox reads them.
		gomail.WithDSNMailReturnType(gomail.DSNMailReturnHeadersOnly),
		gomail.WithDSNRcptNotifyType(gomail.DSNRcptNotifyFailure, gomail.DSNRcptNotifyDelay),
	}
	if smtp.LocalName != "" {
		opts = append(opts, gomail.WithHELO(smtp.LocalName))
	}
	switch tls := s.SMTPTLS; {
	case tls == "implicit" || (tls == "auto" || tls == "") && smtp.TLS:
		opts = append(opts, gomail.WithSSL())
	case tls == "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case tls == "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if smtp.Username != "" {
		auth := gomail.SMTPAuthPlain
		if strings.EqualFold(smtp.AuthMethod, "LOGIN") {
			auth = gomail.SMTPAuthLogin
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(smtp.Username), gomail.WithPassword(smtp.Password))
	}
	if _, err := gomail.NewClient(smtp.Host, opts...); err != nil {
		return nil, fmt.Errorf("SMTP settings: %w", err)
	}
	return smtpTransport{host: smtp.Host, opts: opts}, nil
}

// smtpTransport sends through the firm's SMTP server. Each message gets its
// own client and connection: a go-mail client is not shared between
// goroutines, and a broken connection never affects the next message.
type smtpTransport struct {
	host string
	opts []gomail.Option
}

func (t smtpTransport) send(ctx context.Context, c *composed) (string, error) {
	client, err := gomail.NewClient(t.host, t.opts...)
	if err != nil {
		return "", err
	}
	if err := client.DialAndSendWithContext(ctx, c.msg); err != nil {
		return "", err
	}
	return "250 accepted", nil
}

// folderTransport writes each email as an .eml file, so that a newcomer (or
// the demo) can read what would have been sent.
type folderTransport struct{ dir string }

func (t folderTransport) send(_ context.Context, c *composed) (string, error) {
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return "", err
	}
	name := strings.NewReplacer("<", "", ">", "", "@", "_at_").Replace(c.messageID) + ".eml"
	path := filepath.Join(t.dir, name)
	if err := c.msg.WriteToFile(path); err != nil {
		return "", err
	}
	return "written to " + path, nil
}
