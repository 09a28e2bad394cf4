package classify

import (
	"bytes"
	"regexp"
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

// Lines that start the quoted history of a reply.
var (
	// "On Mon, 1 Jan 2026, Ana <ana@x> wrote:", "El ... escribió:",
	// "Le ... a écrit :", "Am ... schrieb Ana <...>:", "Em ... escreveu:",
	// "Il ... ha scritto:", "Op ... schreef ...:".
	attribution = regexp.MustCompile(`(?i)^(on|el|le|am|em|il|op|den|w dniu)\s.*\b(wrote|escribió|escribio|a écrit|a ecrit|schrieb|escreveu|ha scritto|schreef|skrev|napisał)\b.*:\s*$`)
	// Bare "Ana <ana@x> wrote:" without a date.
	bareAttribution = regexp.MustCompile(`(?i)^\S.*@.*\b(wrote|escribió|a écrit|schrieb|escreveu|ha scritto|schreef)\s*:\s*$`)
	// "-----Original Message-----" and its translations, and forwards.
	originalMessage = regexp.MustCompile(`(?i)^[-_=\s]*(original message|mensaje original|message d'origine|message original|ursprüngliche nachricht|originalnachricht|messaggio originale|mensagem original|oorspronkelijk bericht|forwarded message|mensaje reenviado|message transféré|weitergeleitete nachricht|messaggio inoltrato|mensagem encaminhada)[-_=\s]*$`)
	beginForward    = regexp.MustCompile(`(?i)^(begin forwarded message|inicio del mensaje reenviado|début du message réexpédié|anfang der weitergeleiteten nachricht)\s*:?\s*$`)
	// The "From: … Sent: …" block Outlook puts above the quoted message.
	quotedFrom = regexp.MustCompile(`(?i)^\*?(from|de|von|da|van|od|från|fra)\s*:\*?\s*\S`)
	quotedDate = regexp.MustCompile(`(?i)^\*?(sent|date|enviado el|enviado|enviada em|enviada|fecha|envoyé|envoye|gesendet|datum|inviato|data|verzonden|skickat|sendt)\s*:\*?\s*\S`)
)

// stripQuoted keeps the new words of a reply: everything from the first
// line that starts quoted history ("On … wrote:", "-----Original
// Message-----", Outlook's "From: … Sent: …" block, a forwarded message)
// or the signature delimiter "-- " on is cut, and lines quoted with ">"
// are dropped.
func stripQuoted(text string) string {
	// A reply's own words come first; a longer text is history.
	text = truncateText(text, maxTextBytes)
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if lines[i] == "-- " || lines[i] == "--" || l == "-- " {
			cut = i
			break
		}
		if l == "" || strings.HasPrefix(l, ">") {
			continue
		}
		// The patterns are tried only on lines that could match them,
		// which keeps long texts cheap.
		colonEnd := strings.HasSuffix(l, ":")
		if colonEnd && (attribution.MatchString(l) || bareAttribution.MatchString(l) || beginForward.MatchString(l)) {
			cut = i
			break
		}
		if strings.IndexAny(l[:1], "-_=") == 0 && originalMessage.MatchString(l) {
			cut = i
			break
		}
		// An attribution wrapped over two lines.
		if i+1 < len(lines) && len(l) < 200 && strings.HasSuffix(strings.TrimSpace(lines[i+1]), ":") &&
			attribution.MatchString(l+" "+strings.TrimSpace(lines[i+1])) {
			cut = i
			break
		}
		if colon := strings.IndexByte(l, ':'); colon > 0 && colon < 8 && quotedFrom.MatchString(l) && dateFollows(lines, i) {
			cut = i
			// A rule of underscores often precedes the block.
			for cut > 0 && (strings.TrimSpace(lines[cut-1]) == "" || strings.Trim(strings.TrimSpace(lines[cut-1]), "_-") == "") {
				cut--
			}
			break
		}
	}
	var b strings.Builder
	for _, l := range lines[:cut] {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			continue
		}
		b.WriteString(strings.TrimRight(l, " \t\r"))
		b.WriteByte('\n')
	}
	return tidyLines(b.String())
}

// dateFollows tells whether one of the few lines after a "From:" line is
// a "Sent:" or "Date:" line, which makes it a quoted header block.
func dateFollows(lines []string, i int) bool {
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		if quotedDate.MatchString(strings.TrimSpace(lines[j])) {
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
		if looksLikeHTML(text) {
			// Mislabelled HTML must not come out as markup either.
			text = htmlToText(text)
		}
	}
	if strings.TrimSpace(text) == "" && htmlPart != nil {
		text = htmlToText(htmlPart.text())
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
