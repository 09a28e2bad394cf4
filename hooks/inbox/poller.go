package inbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/pocketbase/pocketbase/core"
)

// Poller reads every enabled mailbox of inbox_mailboxes while the server
// runs, each on its own connection: it drains new messages, then waits for
// more (IDLE where the server offers it, else polling), and reconnects
// with a growing pause when the server is away. A row added, edited,
// disabled or deleted through the app is read, read afresh or left by the
// time its save returns.
type Poller struct {
	app     core.App
	cancel  context.CancelFunc
	done    sync.WaitGroup
	changed chan chan struct{} // a change of the rows, and what to close once it is applied
	stopped chan struct{}
	unbind  func()
}

// maxBackoff is the longest pause between two connection attempts.
const maxBackoff = 5 * time.Minute

// idleRefresh bounds one IDLE: servers drop idle connections after about
// 30 minutes.
const idleRefresh = 2 * time.Minute

// rereadEvery bounds how long a change of the mailbox rows made around the
// app (straight SQL, another process) takes to be noticed; changes saved
// through the app are noticed at once.
const rereadEvery = 30 * time.Second

// StartPoller starts reading the mailboxes in the background.
func StartPoller(app core.App) *Poller {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Poller{app: app, cancel: cancel, changed: make(chan chan struct{}), stopped: make(chan struct{})}
	p.unbind = onMailboxChanges(app, p.settle)
	p.done.Go(func() { p.supervise(ctx) })
	return p
}

// Stop ends the poller after the messages it is processing.
func (p *Poller) Stop() {
	p.unbind()
	p.cancel()
	p.done.Wait()
}

// settle has the rows read again and waits until the readers follow them.
func (p *Poller) settle() {
	applied := make(chan struct{})
	select {
	case p.changed <- applied:
	case <-p.stopped:
		return
	}
	select {
	case <-applied:
	case <-p.stopped:
	}
}

// onMailboxChanges calls fn after each committed change of a mailbox row,
// and returns what unbinds it.
func onMailboxChanges(app core.App, fn func()) func() {
	h := func(e *core.RecordEvent) error {
		fn()
		return e.Next()
	}
	created := app.OnRecordAfterCreateSuccess(InboxMailboxes).BindFunc(h)
	updated := app.OnRecordAfterUpdateSuccess(InboxMailboxes).BindFunc(h)
	deleted := app.OnRecordAfterDeleteSuccess(InboxMailboxes).BindFunc(h)
	return func() {
		app.OnRecordAfterCreateSuccess(InboxMailboxes).Unbind(created)
		app.OnRecordAfterUpdateSuccess(InboxMailboxes).Unbind(updated)
		app.OnRecordAfterDeleteSuccess(InboxMailboxes).Unbind(deleted)
	}
}

// reader reads one mailbox.
type reader struct {
	box    Mailbox
	cancel context.CancelFunc
	done   sync.WaitGroup
}

func (r *reader) stop() {
	r.cancel()
	r.done.Wait()
}

// supervise keeps one reader per enabled mailbox row, as the rows say.
func (p *Poller) supervise(ctx context.Context) {
	readers := map[string]*reader{}
	defer func() {
		for _, r := range readers {
			r.stop()
		}
		close(p.stopped)
	}()
	var applied chan struct{}
	for {
		boxes, err := LoadMailboxes(p.app)
		if err != nil {
			p.app.Logger().Warn("inbox: reading the mailbox settings", "error", err)
		} else {
			p.reconcile(ctx, readers, boxes)
		}
		if applied != nil {
			close(applied)
		}
		timer := time.NewTimer(rereadEvery)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case applied = <-p.changed:
		case <-timer.C:
			applied = nil
		}
		timer.Stop()
	}
}

// reconcile stops the readers of rows gone, disabled or edited, then starts
// one for each row without one. Stopping comes first: a row edited to name
// the mailbox another row named until now must not be read by both.
func (p *Poller) reconcile(ctx context.Context, readers map[string]*reader, boxes []Mailbox) {
	want := make(map[string]Mailbox, len(boxes))
	for _, b := range boxes {
		want[b.ID] = b
	}
	for id, r := range readers {
		if b, ok := want[id]; !ok || b != r.box {
			r.stop()
			delete(readers, id)
		}
	}
	for _, b := range boxes {
		if _, ok := readers[b.ID]; ok {
			continue
		}
		rctx, cancel := context.WithCancel(ctx)
		r := &reader{box: b, cancel: cancel}
		r.done.Go(func() { p.read(rctx, b) })
		readers[b.ID] = r
	}
}

// read reads one mailbox until ctx ends, reconnecting after errors.
func (p *Poller) read(ctx context.Context, m Mailbox) {
	pause := time.Second
	for ctx.Err() == nil {
		err := p.session(ctx, m)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			noteState(p.app, m.ID, err)
			p.app.Logger().Warn("inbox: mailbox unavailable; trying again", "mailbox", m.String(), "error", err, "in", pause.String())
			sleep(ctx, pause)
			pause = min(pause*2, maxBackoff)
			continue
		}
		pause = time.Second
	}
}

// session is one connection: it reads what is new, then waits for more,
// until an error or the end.
func (p *Poller) session(ctx context.Context, m Mailbox) error {
	newMail := make(chan struct{}, 1)
	c, err := dial(m, &imapclient.Options{
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

	if err := c.Login(m.Username, m.Password).Wait(); err != nil {
		return fmt.Errorf("signing in as %s: %w", m.Username, err)
	}
	if m.Move {
		// Creating a mailbox that exists fails harmlessly.
		_ = c.Create(m.ProcessedMailbox, nil).Wait()
	}
	selected, err := c.Select(m.Mailbox, nil).Wait()
	if err != nil {
		return fmt.Errorf("opening %s: %w", m.Mailbox, err)
	}
	for ctx.Err() == nil {
		if err := p.drain(c, m, selected.UIDValidity); err != nil {
			return err
		}
		noteState(p.app, m.ID, nil)
		// Mail that came while draining is announced at the next command,
		// and some servers do not announce it when IDLE starts: a NOOP
		// asks for it, so that it is not left until the next message.
		if err := c.Noop().Wait(); err != nil {
			return err
		}
		select {
		case <-newMail:
			continue
		default:
		}
		if err := wait(ctx, c, p.pollInterval(), newMail); err != nil {
			return err
		}
	}
	return nil
}

func (p *Poller) pollInterval() time.Duration {
	s, err := LoadSettings(p.app)
	if err != nil {
		return time.Minute
	}
	return s.PollInterval
}

// wait returns when new mail may have arrived: at an EXISTS during IDLE, or
// after the poll interval.
func wait(ctx context.Context, c *imapclient.Client, pollInterval time.Duration, newMail <-chan struct{}) error {
	if !c.Caps().Has(imap.CapIdle) {
		sleep(ctx, pollInterval)
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

// drain processes every message of the mailbox after its checkpoint, oldest
// first. The checkpoint is read afresh: it moves with every message.
func (p *Poller) drain(c *imapclient.Client, m Mailbox, uidValidity uint32) error {
	s, err := LoadSettings(p.app)
	if err != nil {
		return err
	}
	cp, err := loadCheckpoint(p.app, m.Key())
	if err != nil {
		return err
	}
	if cp.UIDValidity != uidValidity {
		// Never read, or the server renumbered the mailbox: every message
		// is new to us. (Moved ones are gone from it; flagged ones would
		// be read again, and the inbound list would show them twice.)
		cp = checkpoint{Key: m.Key(), UIDValidity: uidValidity}
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
		if err := putAway(c, m, uid); err != nil {
			p.app.Logger().Warn("inbox: a read message stays where it was", "mailbox", m.String(), "uid", uid, "error", err)
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
func putAway(c *imapclient.Client, m Mailbox, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	if m.Move {
		_, err := c.Move(set, m.ProcessedMailbox).Wait()
		return err
	}
	return c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen, "$FacturoRead"}}, nil).Close()
}

// dial connects as the mailbox's row says.
func dial(m Mailbox, opts *imapclient.Options) (*imapclient.Client, error) {
	if m.Host == "" {
		return nil, errors.New("no IMAP host set (collection inbox_mailboxes)")
	}
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	switch strings.ToLower(m.TLS) {
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
