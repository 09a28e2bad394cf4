package pdfdoc

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
)

// The encoders below write PDF's syntax for numbers, names and strings.

// appendFixed appends v rounded to the given number of decimals (at most
// four), without trailing zeros. Content streams are mostly numbers: unlike
// strconv.AppendFloat with a fixed precision, this writes "45.5" rather
// than "45.50", and it is a little faster.
func appendFixed(b []byte, v float64, decimals int) []byte {
	scale := [...]int64{1, 10, 100, 1000, 10000}[decimals]
	n := int64(math.Round(v * float64(scale)))
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/scale, 10)
	frac := n % scale
	if frac == 0 {
		return b
	}
	b = append(b, '.')
	for scale /= 10; frac != 0; scale /= 10 {
		b = append(b, byte('0'+frac/scale))
		frac %= scale
	}
	return b
}

// appendPt appends a length in millimetres as points, to the hundredth of a
// point (a 280th of a millimetre).
func appendPt(b []byte, mm float64) []byte {
	return appendFixed(b, mm*ptPerMM, 2)
}

// appendY appends the PDF ordinate, from the bottom of the page, of y
// millimetres from its top.
func appendY(b []byte, y float64) []byte {
	return appendFixed(b, pageHeightPt-y*ptPerMM, 2)
}

// appendName writes s as the body of a PDF name, escaping what a name
// cannot hold as #xx.
func appendName(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < '!' || c > '~' || c == '#' || c == '/' || c == '%' ||
			c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}':
			b = fmt.Appendf(b, "#%02X", c)
		default:
			b = append(b, c)
		}
	}
	return b
}

const hexDigits = "0123456789ABCDEF"

// appendText writes s as a PDF text string: literal when it is printable
// ASCII, otherwise UTF-16BE with a byte-order mark.
func appendText(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			ascii = false
			break
		}
	}
	if ascii {
		b = append(b, '(')
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '(' || c == ')' || c == '\\' {
				b = append(b, '\\')
			}
			b = append(b, s[i])
		}
		return append(b, ')')
	}
	b = append(b, "<FEFF"...)
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, hexDigits[u>>12], hexDigits[u>>8&15], hexDigits[u>>4&15], hexDigits[u&15])
	}
	return append(b, '>')
}
