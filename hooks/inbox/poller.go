package inbox

import (
	"context"
	"errors"
	"fmt"

	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/pocketbase/pocketbase/core"
)

// Poller reads the mailbox while the server runs: it drains new messages,
// then waits for more (IDLE where the server offers it, else polling), and
// reconnects with a growing pause when the server is away.
type Poller struct {
	app    core.App
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// maxBackoff is the longest pause between two connection attempts.
const maxBackoff = 5 * time.Minute

// idleRefresh bounds one IDLE: servers drop idle connections after about
// 30 minutes, and settings changes are noticed at each refresh.
const idleRefresh = 2 * time.Minute

// StartPoller starts reading the mailbox in the background.
func StartPoller(app core.App) *Poller {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Poller{app: app, cancel: cancel}
	p.done.Go(func() { p.run(ctx) })
	return p
}

// Stop ends the poller after the message it is processing.
func (p *Poller) Stop() {
	p.cancel()
	p.done.Wait()
}

func (p *Poller) run(ctx context.Context) {
	pause := time.Second
	for ctx.Err() == nil {
		s, err := LoadSettings(p.app)
		if err == nil && !s.Enabled {
			sleep(ctx, 10*time.Second)
			continue
		}
		if err == nil {
			err = p.session(ctx, s)
		}
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			noteState(p.app, err)
			p.app.Logger().Warn("inbox: mailbox unavailable; trying again", "error", err, "in", pause.String())
			sleep(ctx, pause)
			pause = min(pause*2, maxBackoff)
			continue
		}
		pause = time.Second
	}
}

// session is one connection: it reads what is new, then waits for more,
// until an error, a settings change, or the end.
func (p *Poller) session(ctx context.Context, s Settings) error {
	newMail := make(chan struct{}, 1)
	c, err := dial(s, &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					select {
					case newMail <- struct{}{}:
					default:
					}
				}
			},
		},
	})
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	if err := c.Login(s.Username, s.Password).Wait(); err != nil {
		return fmt.Errorf("signing in as %s: %w", s.Username, err)
	}
	if s.Move {
		// Creating a mailbox that exists fails harmlessly.
		_ = c.Create(s.ProcessedMailbox, nil).Wait()
	}
	selected, err := c.Select(s.Mailbox, nil).Wait()
	if err != nil {
		return fmt.Errorf("opening %s: %w", s.Mailbox, err)
	}
	for ctx.Err() == nil {
		if err := p.drain(c, selected.UIDValidity); err != nil {
			return err
		}
		noteState(p.app, nil)
		if err := wait(ctx, c, s, newMail); err != nil {
			return err
		}
		fresh, err := LoadSettings(p.app)
		if err != nil || changedConnection(s, fresh) {
			return err
		}
	}
	return nil
}

func changedConnection(a, b Settings) bool {
	return !b.Enabled || a.Host != b.Host || a.Port != b.Port || a.TLS != b.TLS || a.Username != b.Username ||
		a.Password != b.Password || a.Mailbox != b.Mailbox || a.ProcessedMailbox != b.ProcessedMailbox || a.Move != b.Move
}

// wait returns when new mail may have arrived: at an EXISTS during IDLE, or
// after the poll interval.
func wait(ctx context.Context, c *imapclient.Client, s Settings, newMail <-chan struct{}) error {
	if !c.Caps().Has(imap.CapIdle) {
		sleep(ctx, s.PollInterval)
		return nil
	}
	idle, err := c.Idle()
	if err != nil {
		return err
	}
	timer := time.NewTimer(idleRefresh)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-newMail:
	case <-timer.C:
	case <-c.Closed():
		return errors.New("the IMAP server closed the connection")
	}
	if err := idle.Close(); err != nil {
		return err
	}
	return idle.Wait()
}

// drain processes every message after the checkpoint, oldest first. The
// settings are read afresh: the checkpoint in them moves with every message.
func (p *Poller) drain(c *imapclient.Client, uidValidity uint32) error {
	s, err := LoadSettings(p.app)
	if err != nil {
		return err
	}
	cp := s.checkpoint()
	if cp.UIDValidity != uidValidity {
		// The server renumbered the mailbox: every message is new to us.
		// (Moved ones are gone from it; flagged ones would be read again,
		// and the inbound list would show them twice.)
		cp = checkpoint{UIDValidity: uidValidity}
		if err := saveCheckpoint(p.app, cp); err != nil {
			return err
		}
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(cp.LastUID + 1), Stop: 0}}}}, nil).Wait()
	if err != nil {
		return fmt.Errorf("searching for new mail: %w", err)
	}
	uids := found.AllUIDs()
	slices.Sort(uids)
	for _, uid := range uids {
		if uint32(uid) <= cp.LastUID {
			continue // "n:*" always names the last message, even an old one
		}
		raw, err := fetch(c, uid, s.MaxMessageBytes)
		if err != nil {
			return err
		}
		cp.LastUID = uint32(uid)
		if _, err := Process(p.app, raw, uint32(uid), cp); err != nil {
			return fmt.Errorf("processing message %d: %w", uid, err)
		}
		if err := putAway(c, s, uid); err != nil {
			p.app.Logger().Warn("inbox: a read message stays where it was", "uid", uid, "error", err)
		}
	}
	return nil
}

// fetch reads a message, at most max bytes of it: a huge one is classified
// from its beginning, where headers and reports are.
func fetch(c *imapclient.Client, uid imap.UID, max int64) ([]byte, error) {
	section := &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: max}}
	msgs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return nil, fmt.Errorf("fetching message %d: %w", uid, err)
	}
	if len(msgs) == 0 {
		return nil, fmt.Errorf("message %d vanished", uid)
	}
	body := msgs[0].FindBodySection(section)
	if body == nil {
		for _, b := range msgs[0].BodySection {
			body = b.Bytes
		}
	}
	return body, nil
}

// putAway moves a read message to the processed mailbox, or flags it.
func putAway(c *imapclient.Client, s Settings, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	if s.Move {
		_, err := c.Move(set, s.ProcessedMailbox).Wait()
		return err
	}
	return c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen, "$FacturoRead"}}, nil).Close()
}

// dial connects as the settings say.
func dial(s Settings, opts *imapclient.Options) (*imapclient.Client, error) {
	if s.Host == "" {
		return nil, errors.New("no IMAP host set (collection inbox_settings)")
	}
	addr := fmt.Sprintf("%s:%d", s.Host, s.Port)
	switch strings.ToLower(s.TLS) {
	case "none":
		return imapclient.DialInsecure(addr, opts)
	case "starttls":
		return imapclient.DialStartTLS(addr, opts)
	default:
		return imapclient.DialTLS(addr, opts)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
