// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1 for tests: it records every message it accepts, with its
// envelope, and can be told to answer the next transactions with errors.
package smtptest

import (
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From       string
	To         []string
	Data       []byte
	Return     smtp.DSNReturn     // RET= of MAIL FROM
	Notify     [][]smtp.DSNNotify // NOTIFY= of each RCPT TO
	EnvelopeID string
}

// Server is a running test SMTP server.
type Server struct {
	Host string
	Port int

	mu       sync.Mutex
	received []Received
	replies  []error // answers for the next DATA commands, in order; nil accepts
	delay    time.Duration
	srv      *smtp.Server
	ln       net.Listener
}

// Start starts a server with DSN support on a free loopback port; it stops
// when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "mx.test"
	s.srv.EnableDSN = true
	s.srv.AllowInsecureAuth = true
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // senders killed mid-message are part of the tests
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.ln = ln
	addr := ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	go s.srv.Serve(ln)
	t.Cleanup(s.Close)
	return s
}

// Close stops the server; connections to its port are then refused.
func (s *Server) Close() { s.srv.Close() }

// ReplyWith makes the next DATA commands fail with these errors, in order
// (nil accepts). Use Reject for an SMTP reply.
func (s *Server) ReplyWith(replies ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, replies...)
}

// SlowDown makes the server take d to accept each message, as a busy
// server does; tests use it to stop a sender in the middle of a batch.
func (s *Server) SlowDown(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Reject is an SMTP error reply, such as Reject(451, 4, 3, 0, "Try again later").
func Reject(code, class, subject, detail int, text string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, subject, detail}, Message: text}
}

// Received is every message accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s   *Server
	cur Received
}

func (x *session) Reset()        { x.cur = Received{} }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, opts *smtp.MailOptions) error {
	x.cur = Received{From: from}
	if opts != nil {
		x.cur.Return, x.cur.EnvelopeID = opts.Return, opts.EnvelopeID
	}
	return nil
}

func (x *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	x.cur.To = append(x.cur.To, to)
	var notify []smtp.DSNNotify
	if opts != nil {
		notify = opts.Notify
	}
	x.cur.Notify = append(x.cur.Notify, notify)
	return nil
}

func (x *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	delay := x.s.delay
	x.s.mu.Unlock()
	time.Sleep(delay)
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if len(x.s.replies) > 0 {
		reply := x.s.replies[0]
		x.s.replies = x.s.replies[1:]
		if reply != nil {
			return reply
		}
	}
	if len(x.cur.To) == 0 {
		return errors.New("no recipients")
	}
	x.cur.Data = data
	x.s.received = append(x.s.received, x.cur)
	return nil
}
