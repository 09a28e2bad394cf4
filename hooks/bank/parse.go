package bank

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Parse reads a statement in whichever format its content is: camt.053
// (XML) or Norma 43 (80-character records starting with an account
// header). The file's name plays no part.
func Parse(content []byte) ([]Movement, []LineError) {
	head := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(head) == 0:
		return nil, []LineError{{Line: 1, Message: "the statement is empty"}}
	case bytes.HasPrefix(head, []byte("<?xml")) || bytes.HasPrefix(head, []byte("<")):
		return ParseCamt053(content)
	case looksLikeNorma43(head):
		return ParseNorma43(content)
	}
	return nil, []LineError{{Line: 1, Message: "this is neither a Norma 43 statement (80-character records starting with an account header, 11) nor an ISO 20022 camt.053 statement (XML)"}}
}

// looksLikeNorma43 tells whether the first record is an 80-character
// account header (11) or file header (00).
func looksLikeNorma43(head []byte) bool {
	first, _, _ := strings.Cut(toUTF8(head), "\n")
	first = strings.TrimRight(first, "\r ")
	return (strings.HasPrefix(first, "11") || strings.HasPrefix(first, "00")) &&
		utf8.RuneCountInString(first) <= norma43RecordLen && utf8.RuneCountInString(first) >= 40
}

// toUTF8 decodes content as Latin-1 (ISO-8859-1) when it is not valid
// UTF-8: Spanish banks still write their statements in it.
func toUTF8(content []byte) string {
	if utf8.Valid(content) {
		return string(content)
	}
	var b strings.Builder
	b.Grow(len(content) + len(content)/8)
	for _, c := range content {
		b.WriteRune(rune(c)) // Latin-1 bytes are the first 256 code points
	}
	return b.String()
}
