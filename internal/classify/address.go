package classify

import (
	"net/mail"
	"strings"
)

// addrHit is an email address found in free text, lower-cased, with the
// byte offsets of its match.
type addrHit struct {
	addr       string
	start, end int
}

// scanAddresses finds the email addresses in free text, in order. It reads
// the usual shapes of diagnostics ("<a@b>", "rfc822;a@b", "a@b:", "a@b...")
// and accepts only a domain with a dot and an alphabetic top-level label,
// so that Message-IDs with numeric right-hand sides and noise are skipped.
func scanAddresses(s string) []addrHit {
	var out []addrHit
	from := 0
	for {
		i := strings.IndexByte(s[from:], '@')
		if i < 0 {
			return out
		}
		at := from + i
		from = at + 1
		start := at
		for start > 0 && isLocalChar(s[start-1]) {
			start--
		}
		end := at + 1
		for end < len(s) && isDomainChar(s[end]) {
			end++
		}
		local := strings.Trim(s[start:at], ".")
		start = at - len(strings.TrimLeft(s[start:at], "."))
		domain := strings.TrimRight(s[at+1:end], ".-")
		end = at + 1 + len(domain)
		if local == "" || !plausibleDomain(domain) {
			continue
		}
		out = append(out, addrHit{addr: strings.ToLower(local + "@" + domain), start: start, end: end})
		from = end
	}
}

func isLocalChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0
}

func isDomainChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// plausibleDomain accepts host names with at least two labels and an
// alphabetic top-level label of two letters or more.
func plausibleDomain(d string) bool {
	dot := strings.LastIndexByte(d, '.')
	if dot <= 0 || dot == len(d)-1 || strings.Contains(d, "..") {
		return false
	}
	tld := d[dot+1:]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		c := tld[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// headerAddresses returns the lower-cased addresses of an address header
// such as To or From. When the list does not parse it falls back to
// scanning the text, so broken headers still yield their addresses.
func headerAddresses(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if list, err := mail.ParseAddressList(v); err == nil {
		out := make([]string, 0, len(list))
		for _, a := range list {
			out = append(out, strings.ToLower(a.Address))
		}
		return out
	}
	var out []string
	for _, h := range scanAddresses(v) {
		out = append(out, h.addr)
	}
	return out
}

// firstAddress returns the first address of an address header, or "".
func firstAddress(v string) string {
	if a := headerAddresses(v); len(a) > 0 {
		return a[0]
	}
	return ""
}

// recipientField reads the address of a report field such as
// "rfc822; <User@Example.org>": the address type is dropped, angle
// brackets removed and the address lower-cased.
func recipientField(v string) string {
	if _, after, ok := strings.Cut(v, ";"); ok {
		v = after
	}
	v = strings.TrimSpace(v)
	// A source route ("@relay.example:user@host") leads to the address.
	if strings.HasPrefix(v, "@") || strings.HasPrefix(v, "<@") {
		if _, after, ok := strings.Cut(v, ":"); ok {
			v = after
		}
	}
	if hits := scanAddresses(v); len(hits) > 0 {
		return hits[0].addr
	}
	v = strings.Trim(v, "<> \t\"")
	if strings.ContainsAny(v, " \t") || v == "" {
		return ""
	}
	return strings.ToLower(v)
}

// localPart returns the part of an address before the "@".
func localPart(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[:i]
	}
	return addr
}
