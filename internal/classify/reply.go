package classify

import (
	"bytes"
	"strings"
)

// replyPrefixes are subject prefixes (lower case) of answers and forwards
// in the usual mail clients and languages.
var replyPrefixes = []string{
	"re", "aw", "rv", "res", "sv", "vs", "antw", "odp", "ynt", "atb", "ref", "rif",
	"fw", "fwd", "wg", "tr", "enc", "i", "doorst", "vb", "r",
}

// hasReplyPrefix tells whether a subject starts with "Re:", "AW:",
// "RV:", "Fwd:" and the like, also "Re[2]:" and "RE :".
func hasReplyPrefix(subject string) bool {
	s := strings.ToLower(strings.TrimSpace(subject))
	s = strings.TrimLeft(s, "[(")
	end := 0
	for end < len(s) && isLetter(s[end]) {
		end++
	}
	word := s[:end]
	rest := strings.TrimLeft(s[end:], " ")
	if strings.HasPrefix(rest, "[") {
		if i := strings.IndexByte(rest, ']'); i >= 0 {
			rest = strings.TrimLeft(rest[i+1:], " ")
		}
	}
	if !strings.HasPrefix(rest, ":") {
		return false
	}
	for _, p := range replyPrefixes {
		if word == p {
			return true
		}
	}
	return false
}

// maxAttachments bounds the attachments kept of one reply.
const maxAttachments = 100

// replyContent returns the new text of a reply and its attachments. The
// text comes from the first text/plain body part, else from the first
// text/html one converted to text; every other leaf that is a file (and
// every attached message) is an attachment, its data capped at limit.
func replyContent(root *part, limit int, withAttachments bool) (string, []Attachment) {
	var plain, htmlPart *part
	var atts []Attachment
	root.walk(func(p *part) bool {
		if p != root && isEmbeddedMessage(p.mediaType) {
			if withAttachments && len(atts) < maxAttachments {
				atts = append(atts, attachmentOf(p, limit))
			}
			return false
		}
		if len(p.parts) > 0 || strings.HasPrefix(p.mediaType, "multipart/") {
			return true
		}
		name := p.filename()
		body := name == "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(p.header.get("Content-Disposition"))), "attachment")
		switch {
		case body && p.mediaType == "text/plain" && plain == nil:
			plain = p
		case body && p.mediaType == "text/html" && htmlPart == nil:
			htmlPart = p
		case body && (p.mediaType == "text/plain" || p.mediaType == "text/html"):
			// Further body parts: alternatives or signatures, not files.
		case withAttachments && len(atts) < maxAttachments:
			atts = append(atts, attachmentOf(p, limit))
		}
		return true
	})
	text := ""
	if plain != nil {
		text = plain.text()
		if strings.EqualFold(plain.params["format"], "flowed") {
			text = unflow(text, strings.EqualFold(plain.params["delsp"], "yes"))
		}
		if looksLikeHTML(text) {
			// Mislabelled HTML must not come out as markup either.
			text = replyHTMLToText(text)
		}
	}
	if strings.TrimSpace(text) == "" && htmlPart != nil {
		text = replyHTMLToText(htmlPart.text())
	}
	return stripQuoted(text), atts
}

// attachmentOf decodes one attached file.
func attachmentOf(p *part, limit int) Attachment {
	data := decodeTransfer(p.header.get("Content-Transfer-Encoding"), p.body)
	a := Attachment{Name: p.filename(), ContentType: p.mediaType, Size: len(data)}
	if len(data) > limit {
		data = data[:limit]
	}
	// The caller's buffer is not ours to keep: a body that needed no
	// decoding would still point into it.
	a.Data = bytes.Clone(data)
	if a.Name == "" && isEmbeddedMessage(p.mediaType) {
		a.Name = "message.eml"
	}
	return a
}

// isReply tells whether a message answers one of our emails: it is sent
// to a reply address of ours, or refers to a Message-ID of ours, or its
// subject answers or forwards one that names an invoice.
func isReply(h header, subject string, o Options) bool {
	for _, name := range []string{"To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"} {
		for _, v := range h.all(name) {
			if len(plusTags(v, strings.ToLower(o.ReplyLocal))) > 0 {
				return true
			}
		}
	}
	for _, name := range []string{"In-Reply-To", "References"} {
		for _, id := range splitMessageIDs(h.get(name)) {
			if isOurMessageID(id) {
				return true
			}
		}
	}
	return hasReplyPrefix(subject) && len(findInvoiceNumbers(subject)) > 0
}

// isOurMessageID tells whether a Message-ID has the shape of the ones the
// product gives its emails: <message id>.<invoice number>@<domain>, the
// message id being 15 lower-case letters and digits and the number
// lower-cased.
func isOurMessageID(id string) bool {
	local := localPart(id)
	msg, number, ok := strings.Cut(local, ".")
	if !ok || len(msg) != 15 {
		return false
	}
	for i := 0; i < len(msg); i++ {
		if !(msg[i] >= 'a' && msg[i] <= 'z' || isDigit(msg[i])) {
			return false
		}
	}
	nums := findInvoiceNumbers(number)
	return len(nums) == 1 && nums[0] == number
}
