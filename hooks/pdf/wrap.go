package pdf

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"facturo/internal/pdfdoc"
)

// splitLines breaks s into lines no wider than w millimetres in font at
// fontHeight millimetres. A line ends at a line break, or else after the
// last space that keeps it within w, the space itself being dropped; a word
// longer than a line is cut where it reaches w. Widths are summed in the
// font's integer thousandths of an em, so that wrapping does not depend on
// floating-point rounding.
func splitLines(s string, font *pdfdoc.Font, fontHeight, w float64) []string {
	s = strings.TrimRight(s, "\n")
	limit := int(math.Ceil(w * 1000 / fontHeight))
	lines := make([]string, 0, 1+len(s)/64)
	// start is where the current line begins; space and afterSpace are
	// around its last space, or -1.
	start, space, afterSpace, width := 0, -1, -1, 0
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if c != '\n' {
			width += font.RuneWidth(c)
		}
		if unicode.IsSpace(c) {
			space, afterSpace = i, i+size
		}
		if c != '\n' && width <= limit {
			i += size
			continue
		}
		switch {
		case space >= 0:
			lines = append(lines, s[start:space])
			i = afterSpace
		case i == start:
			// Not even one character fits: it takes a line of its own.
			i += size
			lines = append(lines, s[start:i])
		default:
			lines = append(lines, s[start:i])
		}
		start, space, afterSpace, width = i, -1, -1, 0
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}
