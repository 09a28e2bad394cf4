package classify

import (
	"strings"
)

// matcher gathers the data that ties a message to what the firm sent,
// keeping each list free of duplicates and in the order found.
type matcher struct {
	bounceLocal, replyLocal string
	m                       Match
	seen                    map[string]bool
}

func newMatcher(o Options) *matcher {
	return &matcher{bounceLocal: strings.ToLower(o.BounceLocal), replyLocal: strings.ToLower(o.ReplyLocal), seen: map[string]bool{}}
}

// add appends v to a list unless it is empty or already there.
func (mc *matcher) add(list *[]string, kind, v string) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 250 || len(*list) >= maxMatches {
		return
	}
	key := kind + "\x00" + v
	if mc.seen[key] {
		return
	}
	mc.seen[key] = true
	*list = append(*list, v)
}

// maxMatches bounds each list of matching data.
const maxMatches = 50

// verp takes the first VERP tag (bounces+<id>@) found in s.
func (mc *matcher) verp(s string) {
	if mc.m.VERPMessageID != "" {
		return
	}
	if tags := plusTags(s, mc.bounceLocal); len(tags) > 0 {
		mc.m.VERPMessageID = tags[0]
	}
}

// replyAddress takes the invoice ids of reply addresses (ar+<id>@) in s.
func (mc *matcher) replyAddress(s string) {
	for _, t := range plusTags(s, mc.replyLocal) {
		mc.add(&mc.m.InvoiceIDs, "inv", t)
	}
}

// messageIDs takes the ids of a Message-ID, In-Reply-To or References
// value, without angle brackets.
func (mc *matcher) messageIDs(v string) {
	for _, id := range splitMessageIDs(v) {
		mc.add(&mc.m.MessageIDs, "mid", id)
	}
}

// invoiceID takes an X-Invoice-ID value.
func (mc *matcher) invoiceID(v string) {
	v = strings.Trim(strings.TrimSpace(v), "<>\"")
	if i := strings.IndexAny(v, " \t;,"); i >= 0 {
		v = v[:i]
	}
	mc.add(&mc.m.InvoiceIDs, "inv", v)
}

// invoiceNumbers takes the invoice numbers written in s.
func (mc *matcher) invoiceNumbers(s string) {
	for _, n := range findInvoiceNumbers(s) {
		mc.add(&mc.m.InvoiceNumbers, "num", n)
	}
}

// header takes everything a header section of ours, or of a message
// about ours, can carry.
func (mc *matcher) header(h header, returned bool) {
	for _, name := range []string{"Delivered-To", "X-Original-To", "To", "Envelope-To", "X-Envelope-To", "Return-Path", "X-Original-Delivered-To", "Cc"} {
		for _, v := range h.all(name) {
			mc.verp(v)
			mc.replyAddress(v)
		}
	}
	for _, v := range h.all("Reply-To") {
		mc.replyAddress(v)
	}
	for _, v := range h.all("X-Invoice-ID") {
		mc.invoiceID(v)
	}
	for _, v := range h.all("X-Invoice-Number") {
		mc.invoiceNumbers(v)
	}
	if returned {
		mc.messageIDs(h.get("Message-ID"))
	} else {
		mc.messageIDs(h.get("In-Reply-To"))
		mc.messageIDs(h.get("References"))
	}
	mc.invoiceNumbers(decodeHeader(h.get("Subject")))
}

// quotedHeaders reads header lines quoted in the text of a notice (the
// returned message of a bounce that is not RFC 3464), indented or quoted
// with ">" as they may be, and the VERP and reply addresses anywhere in it.
func (mc *matcher) quotedHeaders(text string) {
	if text == "" {
		return
	}
	lower := strings.ToLower(text)
	if mc.bounceLocal != "" && strings.Contains(lower, mc.bounceLocal+"+") {
		mc.verp(text)
	}
	if mc.replyLocal != "" && strings.Contains(lower, mc.replyLocal+"+") {
		mc.replyAddress(text)
	}
	if !strings.Contains(lower, "message-id") && !strings.Contains(lower, "x-invoice-") && !strings.Contains(lower, "subject") {
		return
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t>")
		name, value, ok := strings.Cut(t, ":")
		if !ok || len(name) > 20 {
			continue
		}
		value = strings.TrimSpace(value)
		if value == "" && i+1 < len(lines) {
			value = strings.TrimSpace(lines[i+1]) // folded onto the next line
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "message-id":
			mc.messageIDs(value)
		case "x-invoice-id":
			mc.invoiceID(value)
		case "x-invoice-number", "subject":
			mc.invoiceNumbers(value)
		}
	}
}

// splitMessageIDs reads the ids of a Message-ID list: "<a@b> <c@d>", or
// a bare id.
func splitMessageIDs(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	var out []string
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		if id := strings.TrimSpace(v[i+1 : i+j]); id != "" && !strings.ContainsAny(id, " \t<") {
			out = append(out, id)
		}
		v = v[i+j+1:]
		if len(out) >= maxMatches {
			return out
		}
	}
	if len(out) == 0 && !strings.ContainsAny(v, " \t") && strings.Contains(v, "@") {
		out = append(out, v)
	}
	return out
}

// plusTags returns the tags of the sub-addresses local+tag@domain in s:
// the message id of a VERP address or the invoice id of a reply address.
func plusTags(s, local string) []string {
	if local == "" {
		return nil
	}
	var out []string
	lower := lowerASCII(s)
	needle := local + "+"
	from := 0
	for {
		i := strings.Index(lower[from:], needle)
		if i < 0 {
			return out
		}
		at := from + i
		from = at + len(needle)
		if at > 0 && isLocalChar(s[at-1]) {
			continue
		}
		end := from
		for end < len(s) && (isLetter(s[end]) || isDigit(s[end]) || s[end] == '-' || s[end] == '_' || s[end] == '.') {
			end++
		}
		if end == from || end >= len(s) || s[end] != '@' {
			continue
		}
		out = append(out, s[from:end])
		if len(out) >= maxMatches {
			return out
		}
	}
}

// findInvoiceNumbers returns the invoice numbers in s: a series of one to
// ten letters or digits, a dash, a four-digit year, a dash and six digits,
// such as A-2026-000123, standing apart from other letters and digits.
func findInvoiceNumbers(s string) []string {
	var out []string
	for i := 0; i+12 <= len(s); i++ {
		// Find "-dddd-dddddd" and then the series before it.
		if s[i] != '-' || digitsAt(s, i+1) != 4 || i+5 >= len(s) || s[i+5] != '-' || digitsAt(s, i+6) != 6 {
			continue
		}
		end := i + 12
		if end < len(s) && (isLetter(s[end]) || isDigit(s[end])) {
			continue
		}
		start := i
		for start > 0 && (isLetter(s[start-1]) || isDigit(s[start-1])) {
			start--
		}
		if n := i - start; n < 1 || n > 10 {
			continue
		}
		out = append(out, s[start:end])
		if len(out) >= maxMatches {
			break
		}
	}
	return out
}
