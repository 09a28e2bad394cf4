// Package imaptest runs a real IMAP server (go-imap's imapserver with its
// in-memory backend) on 127.0.0.1 for tests, with one user whose mailboxes
// tests fill and inspect (more users can be added), and that can be stopped and started again on the
// same port.
package imaptest

import (
	"bytes"
	"io"
	"log"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// The user the server knows.
const (
	Username = "bounces"
	Password = "pw"
)

// Server is a running test IMAP server.
type Server struct {
	Host string
	Port int

	mu       sync.Mutex
	mem      *imapmemserver.Server
	accounts map[string]*Account
	srv      *imapserver.Server
	addr     string
	alive    bool
}

// Start starts a server offering IMAP4rev2 (IDLE and MOVE included) with an
// INBOX; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{mem: imapmemserver.New(), accounts: map[string]*Account{}}
	s.AddAccount(t, Username, Password)
	s.listen(t, "127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) listen(t testing.TB, addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return s.mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0), // pollers cut off mid-IDLE are part of the tests
	})
	s.mu.Lock()
	s.srv, s.addr, s.alive = srv, ln.Addr().String(), true
	tcp := ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = tcp.IP.String(), tcp.Port
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Stop closes the server and every connection to it; the mailboxes keep
// their contents.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.alive {
		s.srv.Close()
		s.alive = false
	}
}

// Restart starts the server again on the port it had.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.listen(t, s.addr)
}

// Append delivers a message to a mailbox of the user Username.
func (s *Server) Append(t testing.TB, mailbox string, raw []byte) {
	t.Helper()
	s.Account(Username).Append(t, mailbox, raw)
}

// Count is the number of messages in a mailbox of the user Username (0
// when it does not exist).
func (s *Server) Count(t testing.TB, mailbox string) int {
	t.Helper()
	return s.Account(Username).Count(t, mailbox)
}

// Account is one user of the server and its mailboxes.
type Account struct {
	user *imapmemserver.User
}

// AddAccount adds a user with an INBOX and the given further mailboxes.
func (s *Server) AddAccount(t testing.TB, username, password string, mailboxes ...string) *Account {
	t.Helper()
	u := imapmemserver.NewUser(username, password)
	for _, m := range append([]string{"INBOX"}, mailboxes...) {
		if err := u.Create(m, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mem.AddUser(u)
	s.accounts[username] = &Account{user: u}
	return s.accounts[username]
}

// Account returns a user added before (Username is always there).
func (s *Server) Account(username string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[username]
}

// CreateMailbox adds a mailbox to the account.
func (a *Account) CreateMailbox(t testing.TB, mailbox string) {
	t.Helper()
	if err := a.user.Create(mailbox, nil); err != nil {
		t.Fatal(err)
	}
}

// Append delivers a message to a mailbox of the account.
func (a *Account) Append(t testing.TB, mailbox string, raw []byte) {
	t.Helper()
	if _, err := a.user.Append(mailbox, literal{bytes.NewReader(raw)}, &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// Count is the number of messages in a mailbox of the account (0 when it
// does not exist).
func (a *Account) Count(t testing.TB, mailbox string) int {
	t.Helper()
	status, err := a.user.Status(mailbox, &imap.StatusOptions{NumMessages: true})
	if err != nil || status.NumMessages == nil {
		return 0
	}
	return int(*status.NumMessages)
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }
