package classify

import (
	"strings"
)

// findStatus returns the first RFC 3463 enhanced status code in s whose
// class is one of classes (e.g. "45"), such as "5.1.1" or "4.4.7", or "".
// A code must stand alone: "10.5.1.1" or "5.1.1.2" (addresses, versions)
// are not codes.
func findStatus(s, classes string) string {
	code, _ := statusAt(s, classes, 0)
	return code
}

// serverStatus returns the enhanced status code that a server put right
// after its reply code ("550 5.7.1", "550-'5.7.1", "550 #5.1.0") in s,
// else the first code in s. A relay that summarises a failure with its
// own code ("5.1.0 - Unknown address error 550 5.7.1 Access denied")
// quotes the server, whose code is the precise one.
func serverStatus(s, classes string) string {
	first := ""
	for from := 0; from < len(s); {
		code, at := statusAt(s, classes, from)
		if code == "" {
			break
		}
		if first == "" {
			first = code
		}
		before := strings.TrimRight(s[max(0, at-8):at], " -'\"#")
		if n := len(before); n >= 3 && isDigit(before[n-1]) && isDigit(before[n-2]) && strings.IndexByte("245", before[n-3]) >= 0 && (n == 3 || !isDigit(before[n-4]) && before[n-4] != '.') {
			return code
		}
		from = at + len(code)
	}
	return first
}

// statusAt finds the first enhanced status code at or after from, and
// returns it with its offset.
func statusAt(s, classes string, from int) (string, int) {
	for i := from; i+4 < len(s); i++ {
		c := s[i]
		if strings.IndexByte(classes, c) < 0 || s[i+1] != '.' {
			continue
		}
		if i > 0 && (isDigit(s[i-1]) || s[i-1] == '.' || isLetter(s[i-1])) {
			continue
		}
		j := i + 2
		n := digitsAt(s, j)
		if n == 0 || n > 3 || j+n >= len(s) || s[j+n] != '.' {
			continue
		}
		k := j + n + 1
		m := digitsAt(s, k)
		if m == 0 || m > 3 {
			continue
		}
		end := k + m
		if end < len(s) && (isLetter(s[end]) || s[end] == '.' && end+1 < len(s) && isDigit(s[end+1])) {
			continue
		}
		return s[i:end], i
	}
	return "", -1
}

// findReplyCode returns the first SMTP reply code of a failure or success
// in s (e.g. 550), or 0. A code is three digits standing alone, after a
// space or an opening mark and before a space, a hyphen (multi-line
// replies) or the end of the text, so that years, times, addresses, ports
// and sizes are not taken.
func findReplyCode(s string) int {
	code, _ := replyCodeAt(s)
	return code
}

// replyCodeAt returns the first reply code in s and its offset, or 0, -1.
func replyCodeAt(s string) (int, int) {
	for i := 0; i+2 < len(s); i++ {
		c := s[i]
		if c != '2' && c != '4' && c != '5' {
			continue
		}
		if i > 0 && !codeLead(s[i-1]) {
			continue
		}
		if !isDigit(s[i+1]) || !isDigit(s[i+2]) || s[i+1] > '5' {
			continue
		}
		end := i + 3
		if end < len(s) {
			switch s[end] {
			case ' ', '-', '\n', '\t', ')', ']', ',', '"':
			default:
				continue
			}
			// After the hyphen of a multi-line reply comes the reply's
			// text (or a quote of it), not punctuation.
			if end+1 < len(s) && s[end] == '-' && !(isLetter(s[end+1]) || isDigit(s[end+1]) || s[end+1] == ' ' || s[end+1] == '\'' || s[end+1] == '"') {
				continue
			}
		}
		if before := strings.ToLower(s[max(0, i-6):i]); strings.HasSuffix(before, "port ") || strings.HasSuffix(before, "id ") || strings.HasSuffix(before, "size ") {
			continue
		}
		return int(c-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0'), i
	}
	return 0, -1
}

// codeLead tells whether a byte may precede a reply code.
func codeLead(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '#', '(', '<', '[', ';', ':', '"', '=', '\'':
		return true
	}
	return false
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// digitsAt counts the digits at s[i:].
func digitsAt(s string, i int) int {
	n := 0
	for i+n < len(s) && isDigit(s[i+n]) {
		n++
	}
	return n
}

// statusClass returns the class digit of an enhanced status code ('2',
// '4', '5'), or 0.
func statusClass(status string) byte {
	if status == "" {
		return 0
	}
	return status[0]
}

// isGenericStatus tells whether a status code says nothing beyond its
// class ("5.0.0", "4.0.0"), so a more precise one found elsewhere wins.
func isGenericStatus(status string) bool {
	return len(status) == 5 && status[1:] == ".0.0"
}

// lowerASCII lower-cases the ASCII letters of s only, so that offsets in
// the result are offsets in s (strings.ToLower may change the length of
// other characters).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
