package ui

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Args are the values of a message's named placeholders: "{n}" in the
// catalogue is written as Args{"n": 3}.
type Args map[string]any

// Money is an amount a message states, written as lang writes money.
type Money struct {
	Amount   decimal.Decimal
	Currency string
}

// Tf is T with every {name} of the text replaced by its value in args. A
// value that is itself an *Error is written in lang too, so that a message
// can hold another ("row 3: {problem}"); a whole number is grouped by
// thousands as lang writes it, a time is written as lang writes a date.
func Tf(lang, key string, args Args) string {
	text := T(lang, key)
	if len(args) == 0 {
		return text
	}
	pairs := make([]string, 0, 2*len(args))
	for name, v := range args {
		var s string
		switch v := v.(type) {
		case *Error:
			s = v.In(lang)
		case string:
			s = v
		case int:
			s = FormatDecimal(lang, decimal.NewFromInt(int64(v)))
		case int64:
			s = FormatDecimal(lang, decimal.NewFromInt(v))
		case decimal.Decimal:
			s = FormatDecimal(lang, v)
		case time.Time:
			s = FormatDate(lang, v)
		case Money:
			s = FormatMoney(lang, v.Amount, v.Currency)
		default:
			s = fmt.Sprint(v)
		}
		pairs = append(pairs, "{"+name+"}", s)
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// Error is a problem meant for a person, kept as its catalogue key and the
// values of its placeholders rather than as a sentence: whoever shows it
// writes it in the reader's language (In, or Message for any error). It
// satisfies PocketBase's safe-error interfaces (Code, Params), so an API
// error built from it keeps its key for clients that translate.
type Error struct {
	Key  string
	Args Args
}

// Errorf is the Error of key with args (nil when there are none).
func Errorf(key string, args Args) *Error { return &Error{Key: key, Args: args} }

// In is the message in lang.
func (e *Error) In(lang string) string { return Tf(lang, e.Key, e.Args) }

// Error is the message in English, for logs and for readers with no
// language of their own.
func (e *Error) Error() string { return e.In(FallbackLang) }

// Code is the message's catalogue key.
func (e *Error) Code() string { return e.Key }

// Params are the message's placeholder values.
func (e *Error) Params() map[string]any { return e.Args }

// keyedError is an error that names its catalogue key and placeholder
// values: an *Error, or a library's own error type that keeps them (the
// tax id checker's, say) without depending on this package.
type keyedError interface {
	error
	Code() string
	Params() map[string]any
}

// Message is err in lang when it is (or wraps) an error that names a key of
// the catalogue, and its own text otherwise.
func Message(lang string, err error) string {
	if text, ok := Translated(lang, err); ok {
		return text
	}
	return err.Error()
}

// withRawData is an error that keeps what it was made of: PocketBase's API
// errors keep the errors of their fields so.
type withRawData interface {
	error
	RawData() any
}

// Translated is err in lang, when it is (or wraps) an error that names a
// key of the catalogue, or an API error one of whose fields' errors does
// (the first by field name); ok is false for any other error.
func Translated(lang string, err error) (text string, ok bool) {
	var k keyedError
	if errors.As(err, &k) && Has(k.Code()) {
		return Tf(lang, k.Code(), k.Params()), true
	}
	var api withRawData
	if !errors.As(err, &api) {
		return "", false
	}
	raw := reflect.ValueOf(api.RawData())
	if raw.Kind() == reflect.Map && raw.Type().Key().Kind() == reflect.String {
		fields := raw.MapKeys()
		slices.SortFunc(fields, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, field := range fields {
			if inner, isErr := raw.MapIndex(field).Interface().(error); isErr {
				if text, ok := Translated(lang, inner); ok {
					return text, true
				}
			}
		}
		return "", false
	}
	if inner, isErr := api.RawData().(error); isErr && inner != error(api) {
		return Translated(lang, inner)
	}
	return "", false
}

// Keyed tells whether err is (or wraps) an error that names a key of the
// catalogue, which Message writes in the reader's language.
func Keyed(err error) bool {
	var k keyedError
	return errors.As(err, &k) && Has(k.Code())
}

// Has tells whether key is in the catalogue.
func Has(key string) bool {
	_, ok := loadCatalogs()[FallbackLang][key]
	return ok
}
