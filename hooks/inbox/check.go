package inbox

import (
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/pocketbase/pocketbase/core"
)

// CheckMailbox connects to a mailbox row as the reader would, signs in and
// opens its folder, then leaves: what a "test connection" button says. It
// gives how many messages the folder holds.
func CheckMailbox(r *core.Record) (int, error) {
	m := mailboxOf(r)
	c, err := dial(m, &imapclient.Options{Dialer: &net.Dialer{Timeout: 15 * time.Second}})
	if err != nil {
		return 0, fmt.Errorf("connecting to %s:%d: %w", m.Host, m.Port, err)
	}
	defer c.Close()
	if err := c.Login(m.Username, m.Password).Wait(); err != nil {
		return 0, fmt.Errorf("signing in as %s: %w", m.Username, err)
	}
	selected, err := c.Select(m.Mailbox, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("opening %s: %w", m.Mailbox, err)
	}
	_ = c.Logout().Wait()
	return int(selected.NumMessages), nil
}
