package invoicing

import (
	"bytes"
	"encoding/json"
	"errors"
	"facturo/internal/money"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/shopspring/decimal"
)

// maxBodyBytes bounds the JSON bodies of the product's own routes.
const maxBodyBytes = 1 << 20

// DecodeBody reads a JSON object into dst, refusing malformed JSON, unknown
// fields and values of the wrong type with a 400 that names the field. The
// product's own routes read their bodies with it.
func DecodeBody(e *core.RequestEvent, dst any) error {
	raw, err := io.ReadAll(io.LimitReader(e.Request.Body, maxBodyBytes+1))
	if err != nil {
		return apis.NewBadRequestError("Could not read the request body.", nil)
	}
	if len(raw) > maxBodyBytes {
		return apis.NewBadRequestError("The request body is too large.", nil)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return bodyError(err)
	}
	if dec.More() {
		return apis.NewBadRequestError("Malformed JSON body: unexpected data after the object.", nil)
	}
	return nil
}

func bodyError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var fieldErr *fieldError
	switch {
	case errors.As(err, &fieldErr):
		return apis.NewBadRequestError("Invalid "+fieldErr.field+": "+fieldErr.message+".",
			validation.Errors{fieldErr.field: validation.NewError("validation_invalid", fieldErr.message)})
	case errors.As(err, &typeErr):
		return apis.NewBadRequestError(fmt.Sprintf("Invalid %s: expected %s, got a JSON %s.", typeErr.Field, typeErr.Type, typeErr.Value),
			validation.Errors{typeErr.Field: validation.NewError("validation_type", "wrong type")})
	case errors.As(err, &syntaxErr):
		return apis.NewBadRequestError(fmt.Sprintf("Malformed JSON body at byte %d: %v.", syntaxErr.Offset, syntaxErr), nil)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apis.NewBadRequestError("Unknown field "+field+".",
			validation.Errors{field: validation.NewError("validation_unknown", "unknown field")})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apis.NewBadRequestError("Malformed JSON body: it ends too early.", nil)
	}
	return apis.NewBadRequestError("Malformed JSON body: "+err.Error()+".", nil)
}

// fieldError is a value that has the right JSON type but a wrong content.
type fieldError struct{ field, message string }

func (e *fieldError) Error() string { return e.field + ": " + e.message }

// amountJSON is money given as a JSON number or a decimal string.
type amountJSON struct {
	decimal.Decimal
	set bool
}

func (a *amountJSON) UnmarshalJSON(b []byte) error {
	d, err := money.Parse(strings.Trim(string(b), `"`))
	if err != nil {
		return &fieldError{"amount", err.Error()}
	}
	a.Decimal, a.set = d, true
	return nil
}

// paidOnJSON is a payment's calendar day given as YYYY-MM-DD (a full
// timestamp is accepted too).
type paidOnJSON struct{ time.Time }

func (d *paidOnJSON) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &fieldError{"paid_on", "must be a date such as 2026-11-27"}
	}
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02 15:04:05.000Z", time.DateTime} {
		if t, err := time.Parse(layout, s); err == nil {
			d.Time = t
			return nil
		}
	}
	return &fieldError{"paid_on", "must be a date such as 2026-11-27"}
}

// rejectMalformedJSON answers a JSON request whose body does not parse with a
// 400 that says where it breaks, before any handler (PocketBase's generic
// record routes included) sees it.
func rejectMalformedJSON(e *core.RequestEvent) error {
	switch e.Request.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut:
	default:
		return e.Next()
	}
	if !strings.HasPrefix(e.Request.URL.Path, "/api/") ||
		!strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") || e.Request.Body == nil {
		return e.Next()
	}
	raw, err := io.ReadAll(e.Request.Body)
	if err != nil {
		return apis.NewBadRequestError("Could not read the request body.", nil)
	}
	if len(bytes.TrimSpace(raw)) > 0 && !json.Valid(raw) {
		var v any
		return bodyError(json.Unmarshal(raw, &v))
	}
	if field := hugeNumber(raw); field != "" {
		return apis.NewBadRequestError("Invalid "+field+": the number is out of range.",
			validation.Errors{field: validation.NewError("validation_out_of_range", "the number is out of range")})
	}
	// Hand the handlers a fresh body that, like the router's, can be read
	// more than once.
	body := &router.RereadableReadCloser{ReadCloser: io.NopCloser(bytes.NewReader(raw))}
	defer body.Close()
	e.Request.Body = body
	return e.Next()
}

// hugeNumber names the first field of a JSON body holding a number beyond
// what a float64 holds (1e400): PocketBase would read it as infinity, or
// refuse the whole body without saying which field. Empty when there is
// none.
func hugeNumber(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return ""
	}
	return findHugeNumber(v, "")
}

func findHugeNumber(v any, path string) string {
	switch x := v.(type) {
	case json.Number:
		if f, err := x.Float64(); err != nil || math.IsInf(f, 0) {
			if path == "" {
				return "body"
			}
			return path
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if found := findHugeNumber(x[k], joinPath(path, k)); found != "" {
				return found
			}
		}
	case []any:
		for i, item := range x {
			if found := findHugeNumber(item, joinPath(path, strconv.Itoa(i))); found != "" {
				return found
			}
		}
	}
	return ""
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
