// Package seal computes a record's content hash: a SHA-256 over the values
// of chosen fields, each written in one canonical form, so that any later
// change to one of them, through the application or straight in the
// database, is seen when the hash is computed again.
package seal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Hash is the content hash of r over fields, in that order. Each field
// enters as its name, its canonical value and a newline: JSON re-encoded
// with sorted keys and its numbers as written, numbers in their shortest
// exact form, dates in PocketBase's stored form, text as it is.
func Hash(r *core.Record, fields []string) string {
	h := sha256.New()
	for _, name := range fields {
		h.Write([]byte(name))
		h.Write([]byte{'='})
		h.Write([]byte(Canonical(r, name)))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Canonical is the form in which a field's value enters the hash.
func Canonical(r *core.Record, name string) string {
	switch v := r.GetRaw(name).(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case types.DateTime:
		return v.String()
	case types.JSONRaw:
		return canonicalJSON(v)
	case []string:
		return strings.Join(v, ",")
	default:
		return r.GetString(name)
	}
}

// canonicalJSON re-encodes JSON with sorted object keys, no insignificant
// space and numbers exactly as written; an empty value and JSON null are
// the same, and text that is not JSON enters as it is.
func canonicalJSON(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return ""
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return s
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return s
	}
	return strings.TrimSuffix(out.String(), "\n")
}
