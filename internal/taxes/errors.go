package taxes

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoLines is returned by ParseLines for an empty lines array.
var ErrNoLines = errors.New("an invoice needs at least one line")

// LineError is one problem with one field of one invoice line.
type LineError struct {
	Line    int    `json:"line"`            // 1-based position in the lines array
	Field   string `json:"field,omitempty"` // JSON key; empty when the line as a whole is wrong
	Message string `json:"message"`         // in English, as the REST API gives it

	// Key is the problem's key in the product's message catalogue (ui/i18n)
	// and Args the values of its placeholders: the screens write the
	// problem in the reader's language from them.
	Key  string         `json:"-"`
	Args map[string]any `json:"-"`
}

// Error formats the problem as "line 2, quantity: must not be zero".
func (e LineError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, %s: %s", e.Line, e.Field, e.Message)
}

// LineErrors is every problem found in an invoice's lines, in line order.
//
// ParseLines reports all of them at once so that a form can mark every bad
// field in one round trip; callers can marshal it into an HTTP 400 body.
type LineErrors []LineError

// Error joins the individual problems with "; ".
func (es LineErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// collector gathers the problems of one line while it is parsed.
type collector struct {
	line int
	errs LineErrors
}

// add records a problem with field (empty for the whole line): its
// catalogue key with the values of its placeholders, and its English text.
func (c *collector) add(field, key string, keyArgs map[string]any, format string, args ...any) {
	c.errs = append(c.errs, LineError{Line: c.line, Field: field, Message: fmt.Sprintf(format, args...), Key: key, Args: keyArgs})
}

// failed reports whether field already has a problem, so that later checks
// do not pile a second, derived message onto it.
func (c *collector) failed(field string) bool {
	for _, e := range c.errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// required records that a mandatory field is missing, unless the field was
// present but malformed (already reported).
func (c *collector) required(field string) {
	if !c.failed(field) {
		c.add(field, "line.err.required", nil, "required")
	}
}
