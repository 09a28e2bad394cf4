// Package plaintext checks the text people type (names, addresses, line
// descriptions, notes) for characters that must never be stored: control
// characters, which break documents, CSV files and e-mail headers;
// bidirectional overrides, which make a text read differently from what it
// says (an IBAN or an amount shown reversed); and, in a single-line field,
// line breaks.
package plaintext

import (
	"fmt"
	"unicode/utf8"
)

// Problem says what is wrong with s, or "" when nothing is. A multiline
// field may hold line breaks (LF, or CR LF as browsers send them) and tabs.
func Problem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			if !multiline {
				return fmt.Sprintf("holds a line break or tab (U+%04X); write it on one line", r)
			}
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return fmt.Sprintf("holds a control character (U+%04X)", r)
		case r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return fmt.Sprintf("holds a text-direction mark (U+%04X), which can make it read differently from what it says", r)
		case r == 0x2028 || r == 0x2029:
			if !multiline {
				return fmt.Sprintf("holds a line break (U+%04X); write it on one line", r)
			}
		case r == 0xfeff:
			return "holds an invisible byte order mark (U+FEFF)"
		}
	}
	return ""
}
