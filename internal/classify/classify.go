// Package classify reads one message that arrived in the firm's mailbox
// (the bytes of an RFC 5322 message) and tells what it is: a bounce or a
// delay notice of an invoice email, a success report, an auto-reply, a
// read receipt, a complaint through a feedback loop, a customer's reply,
// or something else; and it gathers everything that ties the message to
// what was sent: the VERP envelope address, Message-IDs, invoice ids and
// invoice numbers.
//
// It is pure: no network, no database, no clock. It never panics, and
// input of any size, nesting or damage costs time in proportion to the
// bytes read, which are capped.
package classify

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// DefaultMaxSize is the number of bytes of a message that are read. A
// larger message is classified from its first bytes, without attachments.
const DefaultMaxSize = 25 << 20

// Kind is what a message is.
type Kind string

// The kinds of message.
const (
	KindBounce      Kind = "bounce"       // delivery failed for good, for at least one recipient
	KindDelay       Kind = "delay"        // delivery is late and still being tried
	KindDelivered   Kind = "delivered"    // a success report (NOTIFY=SUCCESS)
	KindAutoReply   Kind = "auto_reply"   // out of office and other automatic answers
	KindReadReceipt Kind = "read_receipt" // a disposition notification (RFC 8098)
	KindFeedback    Kind = "feedback"     // an abuse or spam complaint (ARF, RFC 5965)
	KindReply       Kind = "reply"        // a person answering one of our emails
	KindOther       Kind = "other"        // anything else
)

// Recipient is what a report says of one recipient of the original message.
type Recipient struct {
	Address    string `json:"address"`    // the final (else original) recipient, lower-cased
	Action     string `json:"action"`     // failed, delayed, delivered, relayed, expanded; for read receipts the disposition (displayed, deleted)
	Status     string `json:"status"`     // enhanced status code such as "5.1.1", "" when the message gives none
	ReplyCode  int    `json:"reply_code"` // SMTP reply code such as 550, 0 when the message gives none
	Hard       bool   `json:"hard"`       // the address is bad for good: unknown user or domain, closed mailbox
	Reason     string `json:"reason"`     // a short reason word (see the Reason constants); the feedback type for complaints
	Diagnostic string `json:"diagnostic"` // the server's diagnostic text, on one line
}

// Match is everything found that can tie a message to what was sent.
type Match struct {
	VERPMessageID  string   `json:"verp_message_id,omitempty"` // the message id of a VERP envelope address (bounces+<id>@)
	EnvelopeID     string   `json:"envelope_id,omitempty"`     // the Original-Envelope-Id of a delivery status report
	MessageIDs     []string `json:"message_ids,omitempty"`     // Message-IDs of the original, without angle brackets
	InvoiceIDs     []string `json:"invoice_ids,omitempty"`     // X-Invoice-ID values and the ids of reply addresses (ar+<id>@)
	InvoiceNumbers []string `json:"invoice_numbers,omitempty"` // invoice numbers such as A-2026-000123
}

// Attachment is a file attached to a reply.
type Attachment struct {
	Name        string // the decoded file name, "" when the part has none
	ContentType string // lower-case media type
	Size        int    // decoded size in bytes
	Data        []byte // the decoded bytes, at most the size limit
}

// Result is the verdict on one message.
type Result struct {
	Kind        Kind
	Recipients  []Recipient // for reports and bounces
	Match       Match
	Subject     string       // decoded
	From        string       // the sender's address, lower-cased
	Text        string       // for replies and auto-replies: the new text only, as plain text
	Attachments []Attachment // for replies
	Truncated   bool         // the message was larger than the size limit and was read in part
}

// ErrNotEmail is returned for input that does not even start with a header.
var ErrNotEmail = errors.New("classify: not an email message")

// Options adjust classification to a firm's settings.
type Options struct {
	MaxSize     int    // bytes of a message read; DefaultMaxSize when 0
	BounceLocal string // local part of the VERP envelope sender; "bounces" when empty
	ReplyLocal  string // local part of the per-invoice Reply-To; "ar" when empty
}

// Classify classifies one message with the default options.
func Classify(raw []byte) (Result, error) {
	return Options{}.Classify(raw)
}

// Classify classifies one message. The error is ErrNotEmail for input that
// is not an email at all (the Kind is then KindOther); no other error is
// expected, but should the parser fail on some input, that failure is
// returned with KindOther rather than raised.
func (o Options) Classify(raw []byte) (res Result, err error) {
	defer func() {
		// The parser is written not to panic; should it still, one bad
		// message must not take the mailbox poller down with it.
		if r := recover(); r != nil {
			res, err = Result{Kind: KindOther}, fmt.Errorf("classify: %v", r)
		}
	}()
	return o.classify(raw)
}

// classify does the work of Classify without the safety net, so that
// fuzzing sees every panic.
func (o Options) classify(raw []byte) (Result, error) {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.BounceLocal == "" {
		o.BounceLocal = "bounces"
	}
	if o.ReplyLocal == "" {
		o.ReplyLocal = "ar"
	}
	var res Result
	if len(raw) > o.MaxSize {
		raw = raw[:o.MaxSize]
		res.Truncated = true
	}
	root, ok := parseMessage(raw)
	if !ok {
		res.Kind = KindOther
		return res, ErrNotEmail
	}
	top := root.header
	res.Subject = decodeHeader(top.get("Subject"))
	res.From = firstAddress(top.get("From"))

	v := look(root)
	mc := newMatcher(o)
	mc.header(top, false)
	for _, h := range v.returned {
		mc.header(h, true)
	}

	res.Kind, res.Recipients = v.report(mc)
	if res.Kind == "" && !hasReplyPrefix(res.Subject) && (isDaemonSender(top) || containsAny(strings.ToLower(res.Subject), bounceSubjects)) {
		res.Kind, res.Recipients = v.innerReport(mc)
	}
	if res.Kind == "" {
		res.Kind, res.Recipients = v.bounce(res.Subject)
	}
	switch {
	case res.Kind != "":
	case isAutoReply(top, res.Subject):
		res.Kind = KindAutoReply
		res.Text, _ = replyContent(root, o.MaxSize, false)
	case isReply(top, res.Subject, o):
		res.Kind = KindReply
		res.Text, res.Attachments = replyContent(root, o.MaxSize, !res.Truncated)
	default:
		res.Kind = KindOther
	}
	if res.Kind != KindReply {
		// Notices quote the original's headers in their own words; a
		// reply's quoted history is the customer's, not ours to read.
		mc.quotedHeaders(v.text)
	}
	res.Match = mc.m
	return res, nil
}

// view is what classification reads of a parsed message.
type view struct {
	root       *part
	reportType string   // the report-type of a multipart/report
	dsn        []*part  // message/delivery-status parts
	mdn        []*part  // message/disposition-notification parts
	arf        []*part  // message/feedback-report parts
	returned   []header // headers of attached messages: the original, mostly
	attached   []*part  // the attached messages themselves
	text       string   // the readable text outside attached messages
	notice     string   // text up to the copy of the original message
}

// look gathers the parts that matter. It does not look inside attached
// messages for reports: a forwarded bounce is not a bounce of ours.
func look(root *part) *view {
	v := &view{root: root}
	if root.mediaType == "multipart/report" {
		v.reportType = strings.ToLower(root.params["report-type"])
	}
	root.walk(func(p *part) bool {
		if p != root && p.embedded {
			v.returned = append(v.returned, p.header)
			v.attached = append(v.attached, p)
			return false
		}
		switch p.mediaType {
		case "message/delivery-status", "message/global-delivery-status":
			v.dsn = append(v.dsn, p)
		case "message/disposition-notification", "message/global-disposition-notification":
			v.mdn = append(v.mdn, p)
		case "message/feedback-report":
			v.arf = append(v.arf, p)
		case "multipart/report":
			if v.reportType == "" {
				v.reportType = strings.ToLower(p.params["report-type"])
			}
		}
		return true
	})
	v.text = bodyText(root)
	v.notice = cutReturned(v.text)
	return v
}

// report reads the machine-readable reports of a message: delivery status,
// disposition and feedback. The kind is "" when there is none usable.
func (v *view) report(mc *matcher) (Kind, []Recipient) {
	var rcpts []Recipient
	for _, p := range v.dsn {
		d := parseDSN(p.text())
		if mc.m.EnvelopeID == "" {
			mc.m.EnvelopeID = d.envelopeID
		}
		for _, g := range d.fields {
			for _, f := range g {
				mc.verp(f.value)
			}
		}
		for _, r := range d.recipients {
			if len(rcpts) < maxRecipients {
				rcpts = append(rcpts, r.recipient(v.notice))
			}
		}
	}
	if kind := dsnKind(rcpts); kind != "" {
		return kind, rcpts
	}
	if len(v.mdn) > 0 {
		var out []Recipient
		for _, p := range v.mdn {
			rc, id := readReceipt(p.text())
			mc.messageIDs(id)
			if rc.Address != "" || rc.Action != "" {
				out = append(out, rc)
			}
		}
		return KindReadReceipt, out
	}
	if len(v.arf) > 0 || v.reportType == "feedback-report" {
		var out []Recipient
		for _, p := range v.arf {
			fb := parseFeedback(p.text())
			mc.verp(fb.mailFrom)
			reason := fb.feedbackType
			if reason == "" {
				reason = ReasonFeedback
			}
			for _, a := range fb.rcptTo {
				out = append(out, Recipient{Address: a, Reason: reason})
			}
			if len(fb.rcptTo) == 0 {
				for _, h := range v.returned {
					for _, a := range headerAddresses(h.get("To")) {
						out = append(out, Recipient{Address: a, Reason: reason})
					}
					break
				}
			}
		}
		return KindFeedback, out
	}
	return "", nil
}

// innerReport reads the report of a notice attached to a notice: some
// gateways return, as "the original", the report they got from further on.
// It is only asked of messages that are notices themselves, since a
// person forwarding a bounce is not a bounce.
func (v *view) innerReport(mc *matcher) (Kind, []Recipient) {
	for _, p := range v.attached {
		inner := look(p)
		if len(inner.dsn) == 0 {
			continue
		}
		if kind, rcpts := inner.report(mc); kind != "" {
			for _, h := range inner.returned {
				mc.header(h, true)
			}
			return kind, rcpts
		}
	}
	return "", nil
}

// bounce reads a failure or delay notice that has no usable delivery
// status report. The kind is "" when the message is no such notice.
func (v *view) bounce(subject string) (Kind, []Recipient) {
	top := v.root.header
	ev := gatherEvidence(top, subject, v.notice, len(v.returned) > 0 || len(v.notice) < len(v.text))
	dsnLike := v.reportType == "delivery-status"
	if !dsnLike && !ev.isBounce() {
		return "", nil
	}
	// An out-of-office answer from a person whose subject quotes ours is
	// not a failure notice.
	if !dsnLike && !ev.failedRecipients && !ev.sender && isAutoReplySubject(subject) {
		return "", nil
	}
	// Some notices write the fields of a delivery status report into
	// their text instead of a report part.
	if strings.Contains(lowerASCII(v.notice), "final-recipient:") {
		var rcpts []Recipient
		for _, r := range parseDSN(v.notice).recipients {
			if len(rcpts) < maxRecipients {
				rcpts = append(rcpts, r.recipient(v.notice))
			}
		}
		if kind := dsnKind(rcpts); kind == KindBounce || kind == KindDelay {
			return kind, rcpts
		}
	}
	own := ownAddresses(top)
	addrs := heuristicRecipients(top, v.notice, v.text[len(v.notice):], v.returned, own)
	delayed := ev.delay && !ev.final
	var rcpts []Recipient
	for _, a := range addrs {
		rcpts = append(rcpts, heuristicRecipient(a, v.notice, delayed))
	}
	if delayed {
		return KindDelay, rcpts
	}
	return KindBounce, rcpts
}

// ownAddresses are the addresses of the notice's own envelope and headers:
// the sender of the original and the notice's author, never a failed
// recipient.
func ownAddresses(h header) map[string]bool {
	own := map[string]bool{}
	// X-Original-To and Envelope-To are left out: some agents put the
	// failed recipient there.
	for _, name := range []string{"To", "From", "Reply-To", "Return-Path", "Delivered-To", "Sender", "Errors-To"} {
		for _, v := range h.all(name) {
			for _, a := range headerAddresses(v) {
				own[a] = true
			}
		}
	}
	return own
}

// bodyText returns the readable text of a message outside attached
// messages and reports: text/plain parts in order, and for each
// multipart/alternative its plain part, else its HTML part as text.
func bodyText(root *part) string {
	var b strings.Builder
	var visit func(p *part)
	visit = func(p *part) {
		if b.Len() > maxTextBytes {
			return
		}
		if p != root && p.embedded {
			return
		}
		switch {
		case p.mediaType == "multipart/alternative":
			var html *part
			for _, c := range p.parts {
				if c.mediaType == "text/plain" {
					appendText(&b, c.text())
					return
				}
				if c.mediaType == "text/html" && html == nil {
					html = c
				}
			}
			if html != nil {
				appendText(&b, htmlToText(html.text()))
				return
			}
			for _, c := range p.parts {
				visit(c)
			}
		case strings.HasPrefix(p.mediaType, "multipart/"):
			for _, c := range p.parts {
				visit(c)
			}
		case strings.HasPrefix(strings.ToLower(strings.TrimSpace(p.header.get("Content-Disposition"))), "attachment"):
		case p.mediaType == "text/plain":
			appendText(&b, p.text())
		case p.mediaType == "text/html":
			appendText(&b, htmlToText(p.text()))
		}
	}
	visit(root)
	return b.String()
}

// maxTextBytes bounds the text read for classification: notices are short,
// and what matters comes first.
const maxTextBytes = 256 << 10

// truncateText cuts s to at most n bytes without splitting a character.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func appendText(b *strings.Builder, s string) {
	s = truncateText(s, maxTextBytes)
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(s)
}
