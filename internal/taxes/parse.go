package taxes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// JSON keys of a line.
const (
	fieldDescription  = "description"
	fieldQuantity     = "quantity"
	fieldUnitPrice    = "unit_price"
	fieldDiscount     = "discount"
	fieldVAT          = "vat"
	fieldVATExemption = "vat_exemption"
	fieldSurcharge    = "surcharge"
	fieldWithholding  = "withholding"
)

// knownFields is the set of keys a line may have; any other key is an error,
// because a misspelt "discont" must not silently mean "no discount".
var knownFields = map[string]bool{
	fieldDescription: true, fieldQuantity: true, fieldUnitPrice: true, fieldDiscount: true,
	fieldVAT: true, fieldVATExemption: true, fieldSurcharge: true, fieldWithholding: true,
}

// Bounds on any number in a line. They are far beyond real invoices; their
// job is to reject inputs such as 1e-999999 or 0.30000000000000004 (float
// noise from a client) before any arithmetic, which would otherwise build
// enormous integers or carry garbage into the totals.
const (
	maxDecimals  = 12 // digits after the decimal point
	maxIntDigits = 12 // digits before it: |x| < 10^12
)

// numberLimit is the exclusive bound on the absolute value of a number.
var numberLimit = decimal.New(1, maxIntDigits)

// decimalText is what a number written as a JSON string must look like:
// "12.50", "-3", "0.335". No exponent, no thousands separator, no comma.
var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// ParseLines decodes and validates the JSON lines array of an invoice.
//
// On success every line satisfies the product rules and its rates are the
// canonical table values. Otherwise the error is a LineErrors listing every
// problem in every line, ErrNoLines for an empty array, or a plain error when
// raw is not a well-formed JSON array.
func ParseLines(raw []byte) ([]Line, error) {
	elems, err := splitArray(raw)
	if err != nil {
		return nil, err
	}
	if len(elems) == 0 {
		return nil, ErrNoLines
	}
	lines := make([]Line, len(elems))
	var errs LineErrors
	for i, elem := range elems {
		c := collector{line: i + 1}
		lines[i] = parseLine(elem, &c)
		errs = append(errs, c.errs...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return lines, nil
}

// splitArray checks that raw is one well-formed JSON array and returns its elements undecoded.
func splitArray(raw []byte) ([]json.RawMessage, error) {
	var elems []json.RawMessage
	err := json.Unmarshal(raw, &elems)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return nil, errors.New("lines: must be a JSON array")
	case err != nil:
		return nil, fmt.Errorf("lines: malformed JSON: %w", err)
	case elems == nil:
		// Unmarshal accepts null into a slice; an invoice must still send an array.
		return nil, errors.New("lines: must be a JSON array")
	}
	return elems, nil
}

// parseLine decodes one array element and applies the line rules to it.
func parseLine(raw json.RawMessage, c *collector) Line {
	fields, ok := decodeObject(raw, c)
	if !ok {
		return Line{}
	}
	return validate(lineInput{
		description:  readString(fields, fieldDescription, c),
		quantity:     readDecimal(fields, fieldQuantity, c),
		unitPrice:    readDecimal(fields, fieldUnitPrice, c),
		discount:     readDecimal(fields, fieldDiscount, c),
		vat:          readDecimal(fields, fieldVAT, c),
		vatExemption: readString(fields, fieldVATExemption, c),
		surcharge:    readDecimal(fields, fieldSurcharge, c),
		withholding:  readDecimal(fields, fieldWithholding, c),
	}, c)
}

// decodeObject reads a line object key by key, reporting unknown and
// duplicate keys, and returns the values of the known ones.
func decodeObject(raw json.RawMessage, c *collector) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	// UseNumber keeps numbers as their JSON text (json.Number) so that no
	// amount ever passes through float64.
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		c.add("", "line.err.json", nil, "must be a JSON object")
		return nil, false
	}
	fields := make(map[string]any, len(knownFields))
	// Streaming the keys, rather than unmarshalling into a map, is what lets
	// us see duplicates: with {"quantity": 1, "quantity": -1} a map would
	// silently keep the last one.
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			// Unreachable in practice: splitArray already checked the syntax.
			c.add("", "line.err.json", nil, "malformed JSON: %v", err)
			return nil, false
		}
		key, _ := tok.(string)
		var value any
		if err := dec.Decode(&value); err != nil {
			c.add(key, "line.err.json", nil, "malformed JSON: %v", err)
			return nil, false
		}
		_, seen := fields[key]
		switch {
		case !knownFields[key]:
			c.add(key, "line.err.unknown_field", nil, "unknown field")
		case seen:
			c.add(key, "line.err.duplicate_field", nil, "duplicate field")
		default:
			fields[key] = value
		}
	}
	return fields, true
}

// numberKey is the catalogue key of one of toDecimal's problems.
func numberKey(problem string) string {
	switch {
	case problem == "out of range":
		return "line.err.too_large"
	case strings.HasPrefix(problem, "at most"):
		return "line.err.decimals"
	}
	return "line.err.number"
}

// readString returns the string field name, or nil when it is absent, null or not a string (reported).
func readString(fields map[string]any, name string, c *collector) *string {
	switch v := fields[name].(type) {
	case nil:
		return nil
	case string:
		return &v
	default:
		c.add(name, "line.err.string", nil, "must be a string")
		return nil
	}
}

// readDecimal returns the numeric field name, or nil when it is absent, null or invalid (reported).
func readDecimal(fields map[string]any, name string, c *collector) *decimal.Decimal {
	v, present := fields[name]
	if !present || v == nil {
		return nil
	}
	d, problem := toDecimal(v)
	if problem != "" {
		c.add(name, numberKey(problem), nil, "%s", problem)
		return nil
	}
	return &d
}

// toDecimal converts a JSON number or decimal string to a decimal, or
// explains why it cannot.
func toDecimal(v any) (decimal.Decimal, string) {
	const wrongType = `must be a number or a decimal string like "12.50"`
	var text string
	switch v := v.(type) {
	case json.Number:
		text = v.String()
	case string:
		if !decimalText.MatchString(v) {
			return decimal.Decimal{}, wrongType
		}
		text = v
	default:
		return decimal.Decimal{}, wrongType
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		// The text is valid number syntax by now, so only an exponent
		// beyond what the library accepts gets here.
		return decimal.Decimal{}, "out of range"
	}
	// Check the exponent before comparing magnitudes: Cmp rescales, and
	// rescaling 1e999999 would build a million-digit integer.
	if d.Exponent() < -maxDecimals {
		return decimal.Decimal{}, fmt.Sprintf("at most %d decimal places", maxDecimals)
	}
	if !d.IsZero() && (d.Exponent() >= maxIntDigits || d.Abs().Cmp(numberLimit) >= 0) {
		return decimal.Decimal{}, "out of range"
	}
	return d, ""
}
