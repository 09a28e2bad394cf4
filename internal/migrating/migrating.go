// Package migrating tells whether a schema migration of the product is
// running. The schema of the collections that hold the invoices and their
// history may change only in a migration (reviewed, versioned, run once);
// the record hooks that refuse other schema changes ask this package.
package migrating

import (
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
)

var running atomic.Int32

// Wrap marks fn, a migration's up or down step, as a migration while it runs.
func Wrap(fn func(core.App) error) func(core.App) error {
	if fn == nil {
		return nil
	}
	return func(app core.App) error {
		running.Add(1)
		defer running.Add(-1)
		return fn(app)
	}
}

// InProgress tells whether a migration step is running. Migrations run when
// the server starts, before it serves, or from the migrate command; no
// request is served while one runs.
func InProgress() bool { return running.Load() > 0 }
