package invoicing

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// systemKey marks a save made by this package's own functions. The record
// hooks let only such saves touch system-owned fields (numbers, hashes,
// states), whoever the caller is: REST, the admin dashboard or other Go code.
type systemKey struct{}

func asSystem(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithValue(ctx, systemKey{}, true)
}

func isSystem(ctx context.Context) bool {
	return ctx != nil && ctx.Value(systemKey{}) != nil
}

// saveAsSystem saves r as one of this package's own writes.
func saveAsSystem(app core.App, r *core.Record) error {
	return app.SaveWithContext(asSystem(context.Background()), r)
}

// storedVersion is the record as the database holds it now. Hooks compare
// against it rather than r.Original(), which is blank for a record that was
// created with core.NewRecord and saved again, and stale when another writer
// changed the row since r was loaded.
func storedVersion(app core.App, r *core.Record) (*core.Record, error) {
	if r.IsNew() {
		return nil, nil
	}
	return app.FindRecordById(r.Collection(), r.Id)
}

// changedFields lists the fields among names whose value in r differs from
// stored (or, for a new record, when stored is nil, is not empty).
func changedFields(r, stored *core.Record, names []string) []string {
	var changed []string
	for _, name := range names {
		now := r.GetRaw(name)
		if stored == nil {
			if !isEmptyValue(now) {
				changed = append(changed, name)
			}
			continue
		}
		if !sameValue(stored.GetRaw(name), now) {
			changed = append(changed, name)
		}
	}
	return changed
}

func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case int:
		return x == 0
	case bool:
		return !x
	case types.DateTime:
		return x.IsZero()
	case types.JSONRaw:
		// A form's empty JSON field arrives as null or as an empty string.
		s := strings.TrimSpace(string(x))
		return s == "" || s == "null" || s == `""`
	case []string:
		return len(x) == 0
	}
	return reflect.ValueOf(v).IsZero()
}

// sameValue compares two raw field values; JSON is compared by meaning so
// that a client re-indenting unchanged JSON is not taken for a change.
func sameValue(a, b any) bool {
	ja, aIsJSON := a.(types.JSONRaw)
	jb, bIsJSON := b.(types.JSONRaw)
	if aIsJSON || bIsJSON {
		return sameJSON(ja, jb)
	}
	if isEmptyValue(a) && isEmptyValue(b) {
		return true
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func sameJSON(a, b types.JSONRaw) bool {
	var va, vb any
	if isEmptyValue(a) || isEmptyValue(b) {
		return isEmptyValue(a) == isEmptyValue(b)
	}
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(va, vb)
}
