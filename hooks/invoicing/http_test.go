package invoicing_test

import (
	"testing"

	"facturo/internal/apptest"
)

type response struct {
	status int
	body   string
}

// call makes one JSON request with an optional auth token.
func call(t testing.TB, method, url, token, body string) response {
	t.Helper()
	r := apptest.Call(t, method, url, token, body)
	return response{r.Status, string(r.Body)}
}
