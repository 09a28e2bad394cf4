package classify

import (
	"strings"
)

// readReceipt reads an RFC 8098 disposition notification: who read the
// message, what they did with it, and the Message-ID of the original.
func readReceipt(text string) (Recipient, string) {
	var rc Recipient
	msgID := ""
	for _, g := range reportGroups(text) {
		for _, f := range g {
			v := strings.TrimSpace(f.value)
			switch strings.ToLower(f.name) {
			case "final-recipient":
				if a := recipientField(v); a != "" {
					rc.Address = a
				}
			case "original-recipient":
				if rc.Address == "" {
					rc.Address = recipientField(v)
				}
			case "original-message-id":
				if msgID == "" {
					msgID = v
				}
			case "disposition":
				rc.Action = dispositionType(v)
			}
		}
	}
	return rc, msgID
}

// dispositionType returns the disposition of a Disposition field, such as
// "displayed" of "manual-action/MDN-sent-manually; displayed".
func dispositionType(v string) string {
	_, after, ok := strings.Cut(v, ";")
	if !ok {
		after = v
	}
	after = strings.ToLower(strings.TrimSpace(after))
	if i := strings.IndexAny(after, "/ \t("); i >= 0 {
		after = after[:i]
	}
	return after
}

// feedbackReport is what an ARF report (RFC 5965) says.
type feedbackReport struct {
	feedbackType string   // abuse, fraud, virus, other, not-spam
	mailFrom     string   // Original-Mail-From: our envelope sender
	rcptTo       []string // Original-Rcpt-To addresses
}

// parseFeedback reads a message/feedback-report part.
func parseFeedback(text string) feedbackReport {
	var r feedbackReport
	for _, g := range reportGroups(text) {
		for _, f := range g {
			v := strings.TrimSpace(f.value)
			switch strings.ToLower(f.name) {
			case "feedback-type":
				if r.feedbackType == "" {
					r.feedbackType = strings.ToLower(v)
				}
			case "original-mail-from":
				if r.mailFrom == "" {
					r.mailFrom = recipientField(v)
				}
			case "original-rcpt-to", "removal-recipient":
				if a := recipientField(v); a != "" && len(r.rcptTo) < maxRecipients {
					r.rcptTo = append(r.rcptTo, a)
				}
			}
		}
	}
	return r
}
