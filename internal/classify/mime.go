package classify

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// Limits that keep a hostile or broken message from costing more than a
// normal one: every loop below is bounded by the input size and these.
const (
	maxDepth       = 12       // nesting of multiparts and attached messages
	maxParts       = 400      // parts parsed in one message
	maxFields      = 400      // header fields kept per part
	maxFieldBytes  = 16 << 10 // bytes kept of one (unfolded) header field
	maxHeaderBytes = 256 << 10
)

// field is one header field, its value unfolded but not decoded.
type field struct {
	name, value string
}

// header is the header section of a message or a body part, in order.
type header []field

// get returns the first value of the field name, or "".
func (h header) get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// has tells whether the field name is present, even when empty.
func (h header) has(name string) bool {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// all returns every value of the field name.
func (h header) all(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// parseHeader reads a header section from the start of b and returns it
// with the rest of b after the blank line that ends it. It is lenient: a
// leading mbox "From " line is skipped, and the first line that is neither a
// field nor a continuation ends the header (the body starts there), which is
// how a missing blank line is survived. ok is false when not a single field
// was found.
func parseHeader(b []byte) (h header, rest []byte, ok bool) {
	pos := 0
	var (
		name string
		buf  []byte // the value being read, unfolded
		open bool   // a field is being read
	)
	finish := func() {
		if open {
			h = append(h, field{name: name, value: string(buf)})
			open = false
		}
	}
	for pos < len(b) {
		end := bytes.IndexByte(b[pos:], '\n')
		next := len(b)
		if end >= 0 {
			next = pos + end + 1
			end = pos + end
		} else {
			end = len(b)
		}
		line := b[pos:end]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) == 0 {
			finish()
			return h, b[next:], len(h) > 0
		}
		if line[0] == ' ' || line[0] == '\t' {
			// Unfold: a continuation joins the value with one space.
			if t := bytes.TrimSpace(line); open && len(t) > 0 && len(buf) < maxFieldBytes {
				if len(buf) > 0 {
					buf = append(buf, ' ')
				}
				buf = append(buf, t[:min(len(t), maxFieldBytes-len(buf))]...)
			}
			pos = next
			continue
		}
		colon := fieldNameEnd(line)
		if colon < 0 {
			if len(h) == 0 && !open && pos == 0 && bytes.HasPrefix(line, []byte("From ")) {
				pos = next
				continue
			}
			finish()
			return h, b[pos:], len(h) > 0
		}
		finish()
		if pos <= maxHeaderBytes && len(h) < maxFields {
			value := bytes.TrimSpace(line[colon+1:])
			name = string(bytes.TrimRight(line[:colon], " \t"))
			buf = append(buf[:0], value[:min(len(value), maxFieldBytes)]...)
			open = true
		}
		pos = next
	}
	finish()
	return h, nil, len(h) > 0
}

// fieldNameEnd returns the index of the colon that ends a field name at the
// start of line, or -1 when the line is not a header field.
func fieldNameEnd(line []byte) int {
	for i, c := range line {
		switch {
		case c == ':':
			if i == 0 {
				return -1
			}
			return i
		case c == ' ' || c == '\t':
			// "Subject : x" is tolerated; "two words: x" is not.
			rest := bytes.TrimLeft(line[i:], " \t")
			if len(rest) > 0 && rest[0] == ':' {
				return i + len(line[i:]) - len(rest)
			}
			return -1
		case c < 33 || c > 126:
			return -1
		}
	}
	return -1
}

// part is one entity of a message: its header, its body as transmitted, and
// its children (the parts of a multipart, or the message carried by a
// message/rfc822 or text/rfc822-headers part).
type part struct {
	header    header
	mediaType string // lower-case type/subtype, text/plain when absent
	params    map[string]string
	body      []byte
	parts     []*part
	embedded  bool // a message carried inside another: returned or forwarded
}

// parser builds the part tree while counting parts against maxParts.
type parser struct {
	count int
}

// parseMessage parses a whole message. ok is false when the input does not
// start with a header section at all.
func parseMessage(raw []byte) (*part, bool) {
	var p parser
	h, body, ok := parseHeader(raw)
	if !ok {
		return &part{mediaType: "text/plain", body: raw}, false
	}
	return p.entity(h, body, 0), true
}

// entity makes a part of a parsed header and its body, descending into
// multiparts and attached messages until the limits are reached.
func (p *parser) entity(h header, body []byte, depth int) *part {
	p.count++
	e := &part{header: h, body: body}
	e.mediaType, e.params = mediaType(h.get("Content-Type"))
	if depth >= maxDepth || p.count >= maxParts {
		return e
	}
	switch {
	case strings.HasPrefix(e.mediaType, "multipart/"):
		boundary := e.params["boundary"]
		parts := splitMultipart(body, boundary)
		if len(parts) == 0 {
			// The boundary is missing, or the body uses another one than
			// the header declares: take the one the body starts with.
			if guess := guessBoundary(body); guess != "" && guess != boundary {
				parts = splitMultipart(body, guess)
			}
		}
		if len(parts) == 0 {
			e.mediaType = "text/plain"
			return e
		}
		for _, b := range parts {
			if p.count >= maxParts {
				break
			}
			ch, rest, ok := parseHeader(b)
			if !ok {
				// A part with no header is text/plain by default (RFC 2046),
				// and a blank first line means exactly that.
				ch, rest = nil, trimLeadingNewline(b)
			}
			e.parts = append(e.parts, p.entity(ch, rest, depth+1))
		}
	case isEmbeddedMessage(e.mediaType):
		inner := decodeTransfer(h.get("Content-Transfer-Encoding"), body)
		ch, rest, ok := parseHeader(bytes.TrimLeft(inner, "\r\n"))
		if ok {
			c := p.entity(ch, rest, depth+1)
			c.embedded = true
			e.parts = append(e.parts, c)
		}
	}
	return e
}

// isEmbeddedMessage tells whether a media type carries another message or
// its header: the original in bounces, reports and forwards.
func isEmbeddedMessage(mt string) bool {
	switch mt {
	case "message/rfc822", "message/global", "text/rfc822-headers",
		"message/rfc822-headers", "message/global-headers", "message/partial":
		return true
	}
	return false
}

// trimLeadingNewline drops one line break at the start of b.
func trimLeadingNewline(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("\r\n")) {
		return b[2:]
	}
	if len(b) > 0 && b[0] == '\n' {
		return b[1:]
	}
	return b
}

// guessBoundary finds the boundary of a multipart whose Content-Type lost
// it, or names another than the body uses: the first line that starts
// with "--" and is not itself a close delimiter.
func guessBoundary(body []byte) string {
	limit := min(len(body), 4096)
	for _, line := range bytes.Split(body[:limit], []byte("\n")) {
		line = bytes.TrimRight(line, "\r \t")
		if len(line) > 3 && bytes.HasPrefix(line, []byte("--")) && !bytes.HasSuffix(line, []byte("--")) {
			return string(line[2:])
		}
	}
	return ""
}

// splitMultipart returns the bodies of the parts of a multipart body. It
// tolerates a missing close delimiter (the last part runs to the end) and
// both CRLF and LF line ends; the preamble and epilogue are dropped.
func splitMultipart(body []byte, boundary string) [][]byte {
	if boundary == "" {
		return nil
	}
	delim := []byte("--" + boundary)
	var out [][]byte
	start := -1 // start of the current part's content
	pos := 0
	for pos <= len(body) {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		at := pos + i
		after := at + len(delim)
		if at > 0 && body[at-1] != '\n' {
			pos = after
			continue
		}
		closing := bytes.HasPrefix(body[after:], []byte("--"))
		// The delimiter line may carry trailing white space; anything else
		// means a longer boundary that merely starts with this one.
		eol := after
		if closing {
			eol += 2
		}
		for eol < len(body) && (body[eol] == ' ' || body[eol] == '\t') {
			eol++
		}
		if eol < len(body) && body[eol] != '\r' && body[eol] != '\n' {
			pos = after
			continue
		}
		if start >= 0 {
			out = append(out, trimTrailingNewline(body[start:at]))
		}
		if closing {
			return out
		}
		nl := bytes.IndexByte(body[eol:], '\n')
		if nl < 0 {
			return out
		}
		start = eol + nl + 1
		pos = start
	}
	if start >= 0 && start <= len(body) {
		out = append(out, body[start:])
	}
	return out
}

// trimTrailingNewline drops the line break that belongs to the next
// delimiter (RFC 2046: the CRLF before "--boundary" is part of it).
func trimTrailingNewline(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// mediaType parses a Content-Type value leniently: the type is lower-cased,
// defaults to text/plain, and parameters survive syntax errors that make
// mime.ParseMediaType give up (duplicates, stray semicolons, bad quoting).
func mediaType(v string) (string, map[string]string) {
	if v == "" {
		return "text/plain", map[string]string{}
	}
	if mt, params, err := mime.ParseMediaType(v); err == nil {
		if !strings.Contains(mt, "/") {
			mt = "text/plain"
		}
		return mt, params
	}
	segs := splitParams(v)
	mt := strings.ToLower(strings.TrimSpace(segs[0]))
	if i := strings.IndexAny(mt, " \t("); i >= 0 {
		mt = mt[:i]
	}
	if !strings.Contains(mt, "/") {
		mt = "text/plain"
	}
	params := map[string]string{}
	for _, s := range segs[1:] {
		k, val, ok := strings.Cut(s, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		k = strings.TrimSuffix(k, "*")
		val = strings.TrimSpace(val)
		if len(val) >= 2 && val[0] == '"' {
			if j := strings.IndexByte(val[1:], '"'); j >= 0 {
				val = val[1 : j+1]
			} else {
				val = val[1:]
			}
		}
		if _, seen := params[k]; !seen && k != "" {
			params[k] = val
		}
	}
	return mt, params
}

// splitParams splits a structured header value on semicolons outside
// quoted strings.
func splitParams(v string) []string {
	var out []string
	quoted := false
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			quoted = !quoted
		case '\\':
			if quoted {
				i++
			}
		case ';':
			if !quoted {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[min(start, len(v)):])
}

// decodeTransfer undoes a Content-Transfer-Encoding. Unknown encodings and
// 7bit/8bit/binary return the body as it is.
func decodeTransfer(cte string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return decodeBase64(body)
	case "quoted-printable":
		return decodeQuotedPrintable(body)
	}
	return body
}

// decodeBase64 decodes base64 while skipping anything outside the alphabet
// (line breaks, spaces, junk) and stopping at padding, so a damaged body
// still yields what it can.
func decodeBase64(body []byte) []byte {
	clean := make([]byte, 0, len(body))
	for _, c := range body {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

// decodeQuotedPrintable decodes quoted-printable leniently: an "=" that
// does not start a valid escape or soft line break is kept as it is.
func decodeQuotedPrintable(body []byte) []byte {
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+2 < len(body) && isHex(body[i+1]) && isHex(body[i+2]) {
			out = append(out, unhex(body[i+1])<<4|unhex(body[i+2]))
			i += 2
			continue
		}
		// Soft line break: "=" then optional white space then a line end.
		j := i + 1
		for j < len(body) && (body[j] == ' ' || body[j] == '\t') {
			j++
		}
		if j < len(body) && body[j] == '\r' {
			j++
		}
		if j < len(body) && body[j] == '\n' {
			i = j
			continue
		}
		if j == len(body) {
			break
		}
		out = append(out, c)
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// toUTF8 converts text in a declared charset to valid UTF-8. Unknown or
// broken charsets never fail: valid UTF-8 is kept, otherwise the bytes are
// read as Windows-1252, and undecodable sequences become U+FFFD.
func toUTF8(charset string, b []byte) string {
	cs := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if isPlainASCII(b) && !strings.HasPrefix(cs, "utf-16") && !strings.HasPrefix(cs, "utf-32") && !strings.HasPrefix(cs, "utf-7") {
		return string(b)
	}
	if cs == "" && bytes.Contains(b, []byte("\x1b$")) {
		// Undeclared JIS: Japanese mail systems write reports so.
		cs = "iso-2022-jp"
	}
	switch cs {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "unknown-8bit", "x-unknown", "default":
		if utf8.Valid(b) {
			return string(b)
		}
		cs = "windows-1252"
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		if utf8.Valid(b) {
			return string(b)
		}
		enc = charmap.Windows1252
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// isPlainASCII tells whether b is 7-bit without escape sequences, so that
// it reads the same in every ASCII-compatible charset.
func isPlainASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 || c == 0x1b {
			return false
		}
	}
	return true
}

// wordDecoder decodes RFC 2047 encoded words in any charset x/text knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: charsetReader}

// charsetReader converts an encoded word's charset for wordDecoder; an
// unknown charset passes the bytes through, to be repaired afterwards.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(strings.ToLower(strings.TrimSpace(charset)))
	if err != nil {
		return input, nil
	}
	return enc.NewDecoder().Reader(input), nil
}

// decodeHeader decodes the encoded words of a header value into UTF-8.
// A value that fails to decode is returned with raw 8-bit bytes repaired.
func decodeHeader(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			return strings.ToValidUTF8(d, "\uFFFD")
		}
	}
	if isPlainASCII([]byte(v)) {
		return v
	}
	return toUTF8("", []byte(v))
}

// text returns the decoded text of a leaf part as UTF-8 with LF line ends.
func (p *part) text() string {
	b := decodeTransfer(p.header.get("Content-Transfer-Encoding"), p.body)
	s := toUTF8(p.params["charset"], b)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

// filename returns the decoded file name of a part, from
// Content-Disposition or else the Content-Type name parameter.
func (p *part) filename() string {
	name := ""
	if cd := p.header.get("Content-Disposition"); cd != "" {
		_, params := mediaType("x/" + cd)
		name = params["filename"]
	}
	if name == "" {
		name = p.params["name"]
	}
	return decodeHeader(name)
}

// walk calls fn for p and every part under it, depth first, not descending
// into parts for which fn returns false.
func (p *part) walk(fn func(*part) bool) {
	if !fn(p) {
		return
	}
	for _, c := range p.parts {
		c.walk(fn)
	}
}
