package classify

import (
	"bytes"
	"strings"
)

// maxReportGroups bounds the field groups read from one report part.
const maxReportGroups = 200

// reportGroups splits the body of a report part (message/delivery-status,
// message/disposition-notification, message/feedback-report) into its
// groups of fields, which blank lines separate. Lines that are not fields
// are skipped rather than ending the report.
func reportGroups(text string) []header {
	var groups []header
	b := []byte(text)
	for len(b) > 0 && len(groups) < maxReportGroups {
		// Skip blank lines between groups.
		for len(b) > 0 && (b[0] == '\n' || b[0] == '\r' || b[0] == ' ' || b[0] == '\t') {
			if b[0] == ' ' || b[0] == '\t' {
				// A group may not start with a continuation: drop the line.
				if i := bytes.IndexByte(b, '\n'); i >= 0 {
					b = b[i+1:]
					continue
				}
				b = nil
				break
			}
			b = b[1:]
		}
		if len(b) == 0 {
			break
		}
		h, rest, ok := parseHeader(b)
		if ok {
			groups = append(groups, h)
		}
		if len(rest) >= len(b) {
			// The first line was no field: skip it.
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				break
			}
			rest = b[i+1:]
		}
		b = rest
	}
	return groups
}

// dsnReport is what a message/delivery-status part says (RFC 3464).
type dsnReport struct {
	envelopeID string
	fields     []header // per-message groups, for matching data
	recipients []dsnRecipient
}

// dsnRecipient is one per-recipient group of a delivery status report.
type dsnRecipient struct {
	final, original string
	action, status  string
	diagnostic      string
}

// parseDSN reads a delivery status report. Groups are split further
// wherever a recipient field repeats, because some reporters leave out the
// blank line between recipients or between the per-message fields and the
// first recipient.
func parseDSN(text string) dsnReport {
	var r dsnReport
	for _, g := range reportGroups(text) {
		var cur dsnRecipient
		flush := func() {
			if cur.final != "" || cur.original != "" {
				r.recipients = append(r.recipients, cur)
			}
			cur = dsnRecipient{}
		}
		perMessage := false
		for _, f := range g {
			v := strings.TrimSpace(f.value)
			switch strings.ToLower(f.name) {
			case "original-envelope-id":
				if r.envelopeID == "" {
					r.envelopeID = strings.Trim(v, "<> ")
				}
				perMessage = true
			case "reporting-mta", "x-postfix-sender", "arrival-date", "received-from-mta", "dsn-gateway":
				perMessage = true
			case "final-recipient":
				if cur.final != "" {
					flush()
				}
				cur.final = recipientField(v)
			case "original-recipient":
				if cur.original != "" {
					flush()
				}
				cur.original = recipientField(v)
			case "action":
				if cur.action != "" {
					flush()
				}
				cur.action = normalizeAction(v)
			case "status":
				if cur.status == "" {
					cur.status = findStatus(v, "245")
				}
			case "diagnostic-code":
				if cur.diagnostic == "" {
					cur.diagnostic = diagnosticText(v)
				}
			case "x-supplementary-info", "x-diagnostic-code":
				if cur.diagnostic == "" {
					cur.diagnostic = diagnosticText(v)
				}
			}
		}
		flush()
		if perMessage {
			r.fields = append(r.fields, g)
		}
	}
	return r
}

// normalizeAction reduces an Action field to its lower-case keyword:
// "failed (bad mailbox)" gives "failed".
func normalizeAction(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(v, " \t(;"); i >= 0 {
		v = v[:i]
	}
	switch v {
	case "failed", "delayed", "delivered", "relayed", "expanded":
		return v
	case "failure", "fail", "bounced", "bounce":
		return "failed"
	case "delay", "deferred":
		return "delayed"
	}
	return ""
}

// diagnosticText reduces a Diagnostic-Code field to the server's words on
// one line: the diagnostic type ("smtp;", "X-Postfix;") is dropped.
func diagnosticText(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, ';'); i > 0 && i < 24 && !strings.ContainsAny(v[:i], " \t") {
		v = v[i+1:]
	}
	return oneLine(v)
}

// oneLine collapses all white space runs, line breaks included, into single
// spaces and caps the length of a diagnostic.
func oneLine(s string) string {
	const maxDiagnostic = 1000
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' {
			space = b.Len() > 0
			continue
		}
		if r < 0x20 || r == 0x7f {
			continue // control characters have no place in a diagnostic
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		if b.Len() >= maxDiagnostic {
			break
		}
	}
	return b.String()
}

// recipient turns a report group into a Recipient, completing what the
// fields leave out from the notification text around the address.
func (d dsnRecipient) recipient(notice string) Recipient {
	rc := Recipient{Address: d.final, Action: d.action, Diagnostic: d.diagnostic}
	if rc.Address == "" {
		rc.Address = d.original
	}
	context := ""
	if notice != "" {
		context = aroundAddress(notice, rc.Address)
	}
	if rc.Diagnostic == "" {
		rc.Diagnostic = diagnosticLine(context)
	}
	rc.Status = d.status
	if s := serverStatus(rc.Diagnostic, "245"); s != "" && (rc.Status == "" || isGenericStatus(rc.Status) && !isGenericStatus(s) && s[0] == rc.Status[0]) {
		rc.Status = s
	}
	rc.ReplyCode = findReplyCode(rc.Diagnostic)
	if rc.Action == "" {
		switch statusClass(rc.Status) {
		case '2':
			rc.Action = "delivered"
		case '4':
			rc.Action = "delayed"
		default:
			rc.Action = "failed"
		}
	}
	// The server's diagnostic tells the stage best; else the notice's
	// words about the recipient.
	stage := answeredStage(rc.Diagnostic)
	if stage == stageUnknown {
		stage = answeredStage(rawRegion(notice, rc.Address))
	}
	switch rc.Action {
	case "failed":
		rc.Reason, rc.Hard = failureVerdict(rc.Diagnostic, context, rc.Status, rc.ReplyCode, true, stage)
	case "delayed":
		rc.Reason, _ = failureVerdict(rc.Diagnostic, context, rc.Status, rc.ReplyCode, false, stage)
	}
	return rc
}

// dsnKind is the kind of a delivery status report: a failure of any
// recipient makes it a bounce, else a delay makes it a delay, else it
// reports success.
func dsnKind(rcpts []Recipient) Kind {
	kind := Kind("")
	for _, r := range rcpts {
		switch r.Action {
		case "failed":
			return KindBounce
		case "delayed":
			kind = KindDelay
		case "delivered", "relayed", "expanded":
			if kind == "" {
				kind = KindDelivered
			}
		}
	}
	return kind
}
