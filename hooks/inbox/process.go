package inbox

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/hooks/quotes"
	"facturo/internal/classify"
)

// Process classifies one message from the mailbox, ties it to its email and
// invoice, applies what it means (timeline events, delivery state, a
// bouncing address), keeps it in the inbound collection, and moves the
// checkpoint past it, all in one transaction: after a crash the message is
// either fully processed or read again, never half. Staff are told of a
// newly bouncing address after the commit.
func Process(app core.App, raw []byte, uid uint32, cp checkpoint) (*core.Record, error) {
	res, _ := classifyOptions(app).Classify(raw) // an unreadable message is kept as "other"
	var inbound *core.Record
	var newlyBouncing []bounceNotice
	err := app.RunInTransaction(func(tx core.App) error {
		m := findMatch(tx, res.Match)
		var err error
		inbound, err = keep(tx, raw, uid, cp, res, m)
		if err != nil {
			return err
		}
		if m.invoice != nil {
			if newlyBouncing, err = apply(tx, res, m, inbound); err != nil {
				return err
			}
		} else if m.quote() != "" {
			if err := applyToQuote(tx, res, m, inbound); err != nil {
				return err
			}
		}
		if cp.UIDValidity != 0 {
			return saveCheckpoint(tx, cp)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, n := range newlyBouncing {
		notifyStaff(app, n)
	}
	return inbound, nil
}

// classifyOptions are the firm's VERP and reply address local parts, and
// the size limit of the mailbox settings.
func classifyOptions(app core.App) classify.Options {
	var opts classify.Options
	if s, err := LoadSettings(app); err == nil {
		opts.MaxSize = int(s.MaxMessageBytes)
	}
	if s, err := mail.LoadSettings(app); err == nil {
		opts.BounceLocal = localPart(s.BounceAddress)
		opts.ReplyLocal = localPart(s.ReplyAddress)
	}
	return opts
}

// localPart is the part of an address before any "+" and the "@".
func localPart(address string) string {
	local, _, _ := strings.Cut(address, "@")
	local, _, _ = strings.Cut(local, "+")
	return strings.ToLower(local)
}

// keep stores the message in the inbound collection: matched messages for
// the record, unmatched ones for staff to look at.
func keep(tx core.App, raw []byte, uid uint32, cp checkpoint, res classify.Result, m match) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId(Inbound)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Set("kind", string(res.Kind))
	r.Set("matched", m.invoice != nil || m.quote() != "")
	r.Set("matched_by", m.by)
	if m.invoice != nil {
		r.Set("invoice", m.invoice.Id)
	}
	if m.message != nil {
		r.Set("message", m.message.Id)
	}
	r.Set("from", clip(res.From, 500))
	r.Set("subject", clip(res.Subject, 1000))
	r.Set("recipients", res.Recipients)
	r.Set("text", clip(res.Text, 100000))
	r.Set("details", map[string]any{"match": res.Match})
	r.Set("uid", uid)
	if cp.Key != (MailboxKey{}) {
		r.Set("mailbox", cp.Key.String())
	}
	file, err := filesystem.NewFileFromBytes(raw, "message.eml")
	if err != nil {
		return nil, err
	}
	r.Set("raw", file)
	var files []*filesystem.File
	for _, a := range res.Attachments {
		name := a.Name
		if name == "" {
			name = "attachment"
		}
		f, err := filesystem.NewFileFromBytes(a.Data, name)
		if err != nil {
			continue
		}
		files = append(files, f)
		if len(files) == 20 {
			break
		}
	}
	if len(files) > 0 {
		r.Set("attachments", files)
	}
	return r, tx.Save(r)
}

// bounceNotice is a customer address that has just started bouncing.
type bounceNotice struct {
	customerID, address, invoiceNumber, diagnostic string
}

// apply turns a matched message into what it means for the invoice.
func apply(tx core.App, res classify.Result, m match, inbound *core.Record) ([]bounceNotice, error) {
	actor := invoicing.Actor{Email: senderAddress(res.From)}
	inv := m.invoice
	base := map[string]any{"inbound": inbound.Id, "matched_by": m.by}
	if m.message != nil {
		base["message"] = m.message.Id
	}
	with := func(extra map[string]any) map[string]any {
		data := map[string]any{}
		for k, v := range base {
			data[k] = v
		}
		for k, v := range extra {
			data[k] = v
		}
		return data
	}

	switch res.Kind {
	case classify.KindBounce:
		var notices []bounceNotice
		for _, rcpt := range failed(res.Recipients) {
			data := with(map[string]any{
				"recipient": rcpt.Address, "hard": rcpt.Hard, "status": rcpt.Status, "code": rcpt.ReplyCode,
				"reason": rcpt.Reason, "diagnostic": rcpt.Diagnostic,
			})
			if _, err := invoicing.SetDelivery(tx, inv.Id, "bounced", invoicing.Actor{Email: rcpt.Address}, data); err != nil {
				return nil, err
			}
			if rcpt.Hard {
				note := fmt.Sprintf("%s: %s %s", rcpt.Address, rcpt.Status, rcpt.Diagnostic)
				isNew, err := invoicing.FlagBouncing(tx, inv.GetString("customer"), note)
				if err != nil {
					return nil, err
				}
				if isNew {
					notices = append(notices, bounceNotice{inv.GetString("customer"), rcpt.Address, inv.GetString("number"), rcpt.Status + " " + rcpt.Diagnostic})
				}
			}
		}
		if m.message != nil {
			m.message.Set("status", mail.StatusBounced)
			m.message.Set("last_error", clip(bounceSummary(res.Recipients), 2000))
			if err := tx.Save(m.message); err != nil {
				return nil, err
			}
		}
		return notices, nil
	case classify.KindDelay:
		_, err := invoicing.AppendEvent(tx, inv, invoicing.EventDelayed, actor, with(map[string]any{"recipients": res.Recipients}))
		return nil, err
	case classify.KindDelivered:
		if inv.GetString("delivery") == "bounced" {
			_, err := invoicing.AppendEvent(tx, inv, invoicing.EventDelivered, actor, with(map[string]any{"recipients": res.Recipients}))
			return nil, err
		}
		_, err := invoicing.SetDelivery(tx, inv.Id, "delivered", actor, with(map[string]any{"recipients": res.Recipients}))
		return nil, err
	case classify.KindAutoReply:
		_, err := invoicing.AppendEvent(tx, inv, invoicing.EventAutoReplied, actor, with(map[string]any{"subject": res.Subject, "text": clip(res.Text, 2000)}))
		return nil, err
	case classify.KindReadReceipt:
		_, err := invoicing.AppendEvent(tx, inv, invoicing.EventReadReceipt, actor, with(nil))
		return nil, err
	case classify.KindReply:
		var names []string
		for _, a := range res.Attachments {
			names = append(names, a.Name)
		}
		_, err := invoicing.AppendEvent(tx, inv, invoicing.EventReplied, actor, with(map[string]any{
			"from": res.From, "subject": res.Subject, "text": clip(res.Text, 20000), "attachments": names,
		}))
		return nil, err
	}
	return nil, nil
}

// applyToQuote turns a report about a quote's e-mail into what it means
// for the quote: bounced, delayed or delivered, on the quote's timeline.
// Replies to a quote's e-mail are kept in the inbound collection for staff.
func applyToQuote(tx core.App, res classify.Result, m match, inbound *core.Record) error {
	id := m.quote()
	data := map[string]any{"inbound": inbound.Id, "matched_by": m.by, "message": m.message.Id}
	switch res.Kind {
	case classify.KindBounce:
		for _, rcpt := range failed(res.Recipients) {
			d := map[string]any{"recipient": rcpt.Address, "hard": rcpt.Hard, "status": rcpt.Status, "code": rcpt.ReplyCode,
				"reason": rcpt.Reason, "diagnostic": rcpt.Diagnostic}
			for k, v := range data {
				d[k] = v
			}
			if err := quotes.SetDelivery(tx, id, "bounced", quotes.Actor{Email: rcpt.Address}, d); err != nil {
				return err
			}
		}
		m.message.Set("status", mail.StatusBounced)
		m.message.Set("last_error", clip(bounceSummary(res.Recipients), 2000))
		return tx.Save(m.message)
	case classify.KindDelay:
		q, err := tx.FindRecordById(quotes.Collection, id)
		if err != nil {
			return err
		}
		data["recipients"] = res.Recipients
		return quotes.AppendEvent(tx, q, "delayed", quotes.Actor{Email: senderAddress(res.From)}, data)
	case classify.KindDelivered:
		data["recipients"] = res.Recipients
		return quotes.SetDelivery(tx, id, "delivered", quotes.Actor{Email: senderAddress(res.From)}, data)
	}
	return nil
}

// failed are the recipients a bounce reports as failed (all of them when
// the report does not say).
func failed(rcpts []classify.Recipient) []classify.Recipient {
	var out []classify.Recipient
	for _, r := range rcpts {
		if r.Action == "" || r.Action == "failed" {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = append(out, classify.Recipient{Action: "failed"})
	}
	return out
}

func bounceSummary(rcpts []classify.Recipient) string {
	var parts []string
	for _, r := range rcpts {
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("%s %s %s", r.Address, r.Status, r.Diagnostic)))
	}
	return "bounced: " + strings.Join(parts, "; ")
}

// senderAddress is the address part of a From header.
func senderAddress(from string) string {
	if i, j := strings.LastIndexByte(from, '<'), strings.LastIndexByte(from, '>'); i >= 0 && j > i {
		return strings.ToLower(from[i+1 : j])
	}
	return strings.ToLower(strings.TrimSpace(from))
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
