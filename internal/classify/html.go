package classify

import (
	"html"
	"strings"
)

// htmlToText turns an HTML body into plain text for reading, never for
// display as HTML: tags are dropped, block elements become line breaks,
// entities are decoded, and the content of script, style, head and title is
// removed. Quoted history in <blockquote> is dropped too, since a reply's
// own words are what is wanted. It runs in one pass over the input and
// tolerates any malformed markup.
func htmlToText(s string) string {
	return htmlText(s, false)
}

// replyHTMLToText is htmlToText for a reply's body: it also stops at the
// element a mail program opens the quoted message with, since Outlook puts
// the quoted message after its header block rather than inside a
// blockquote.
func replyHTMLToText(s string) string {
	return htmlText(s, true)
}

// quoteContainers are the ids and classes (lower case) of the elements that
// hold quoted history in HTML replies: Gmail's gmail_quote, Outlook's
// appendonsend, divRplyFwdMsg and mail-editor-reference-message-container
// (with the x_ prefix they get when quoted again), Thunderbird's
// moz-cite-prefix, Yahoo's yahoo_quoted, GMX's and Web.de's name="quote",
// Proton's protonmail_quote.
var quoteContainers = []string{
	"gmail_quote", "appendonsend", "divrplyfwdmsg", "mail-editor-reference-message-container",
	"moz-cite-prefix", "yahoo_quoted", `name="quote"`, "protonmail_quote",
}

// isQuoteContainer tells whether a tag's inside text opens quoted history.
func isQuoteContainer(name, tag string) bool {
	switch name {
	case "div", "blockquote", "span", "p", "table", "section":
	default:
		return false
	}
	if !strings.Contains(tag, "=") {
		return false
	}
	lower := lowerASCII(tag)
	for _, m := range quoteContainers {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}

func htmlText(s string, reply bool) string {
	var b strings.Builder
	b.Grow(len(s) / 2)
	skip := ""      // the element whose content is being dropped
	skipDepth := 0  // nesting of that element
	quoteDepth := 0 // nesting of blockquote
	text := 0       // start of the current run of text
	flush := func(end int) {
		if skip == "" && quoteDepth == 0 && end > text {
			b.WriteString(html.UnescapeString(collapseSpace(s[text:end])))
		}
	}
	for i := 0; i < len(s); {
		// A "<" that cannot open a tag is text ("a < b").
		if s[i] != '<' || i+1 < len(s) && !isLetter(s[i+1]) && s[i+1] != '/' && s[i+1] != '!' {
			i++
			continue
		}
		flush(i)
		// Comments and declarations.
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				i = len(s)
			} else {
				i += 4 + end + 3
			}
			text = i
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			i = len(s)
			text = i
			break
		}
		tag := s[i+1 : i+end]
		i += end + 1
		text = i
		name, closing := tagName(tag)
		if reply && skip == "" && !closing && isQuoteContainer(name, tag) {
			text = len(s)
			break
		}
		switch {
		case skip != "":
			if name == skip {
				if closing {
					skipDepth--
					if skipDepth == 0 {
						skip = ""
					}
				} else {
					skipDepth++
				}
			}
		case name == "script" || name == "style" || name == "head" || name == "title":
			if !closing && !strings.HasSuffix(tag, "/") {
				skip, skipDepth = name, 1
			}
		case name == "blockquote":
			if closing {
				if quoteDepth > 0 {
					quoteDepth--
				}
			} else {
				quoteDepth++
			}
		case quoteDepth > 0:
		case name == "br":
			b.WriteByte('\n')
		case lineElement(name):
			// A line of its own, not a paragraph: Gmail writes each line of
			// a reply as a <div>, one after the other.
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
		case blockElement(name):
			b.WriteByte('\n')
		case name == "td" || name == "th":
			if !closing {
				b.WriteByte(' ')
			}
		}
	}
	flush(len(s))
	return tidyLines(b.String())
}

// looksLikeHTML tells whether a text that claims to be plain is an HTML
// document.
func looksLikeHTML(s string) bool {
	head := lowerASCII(strings.TrimSpace(truncateText(s, 512)))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.Contains(head, "<body") && strings.Contains(lowerASCII(s), "</")
}

// tagName returns the lower-case element name of a tag's inside text and
// whether it is a closing tag.
func tagName(tag string) (string, bool) {
	closing := strings.HasPrefix(tag, "/")
	tag = strings.TrimLeft(tag, "/ \t\n")
	end := 0
	for end < len(tag) && (isLetter(tag[end]) || isDigit(tag[end])) {
		end++
	}
	return strings.ToLower(tag[:end]), closing
}

// blockElement tells whether an element breaks the line in rendering, with
// a gap around it as paragraphs have.
func blockElement(name string) bool {
	switch name {
	case "p", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "dl":
		return true
	}
	return false
}

// lineElement tells whether an element starts a new line in rendering,
// with no gap: a div, a table row, a list item.
func lineElement(name string) bool {
	switch name {
	case "div", "tr", "li", "section", "article", "header", "footer", "address", "dt", "dd", "center":
		return true
	}
	return false
}

// collapseSpace turns runs of white space, line breaks included, into one
// space, as HTML rendering does.
func collapseSpace(s string) string {
	if !strings.ContainsAny(s, " \t\r\n") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// tidyLines trims every line, turns non-breaking spaces into spaces and
// keeps at most one blank line in a row.
func tidyLines(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	var b strings.Builder
	blank := 0
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(l)
	}
	return b.String()
}
