package invoicing

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// recordBodyLimits are the largest bodies PocketBase's record routes take
// for a collection, far below the router's 32 MB default: PocketBase reads
// and parses a record's body before it checks who may write it, so a guest
// could make it read 32 MB per request. The issuer's profile carries its
// logo (at most 2 MB); the VERI*FACTU settings a certificate (64 KB);
// every other record, the largest invoice lines (2 MB) and then some.
var recordBodyLimits = map[string]int64{
	Issuer:               3 << 20,
	"verifactu_settings": 1 << 20,
}

const defaultRecordBodyLimit = 5 << 20

// limitRecordBodies refuses a record body declared larger than its
// collection's limit before reading it, and cuts one that turns out larger.
func limitRecordBodies(e *core.RequestEvent) error {
	switch e.Request.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut:
	default:
		return e.Next()
	}
	rest, ok := strings.CutPrefix(e.Request.URL.Path, "/api/collections/")
	if !ok {
		return e.Next()
	}
	name, tail, _ := strings.Cut(rest, "/")
	if !strings.HasPrefix(tail, "records") {
		return e.Next()
	}
	limit := int64(defaultRecordBodyLimit)
	if c, err := e.App.FindCachedCollectionByNameOrId(name); err == nil {
		if l, ok := recordBodyLimits[c.Name]; ok {
			limit = l
		}
	}
	if e.Request.ContentLength > limit {
		return apis.NewApiError(http.StatusRequestEntityTooLarge,
			fmt.Sprintf("The request body is larger than the %d MB a record of %s takes.", limit>>20, name), nil)
	}
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, limit)
	return e.Next()
}
