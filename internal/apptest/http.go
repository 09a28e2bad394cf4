package apptest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// Response is what Call received.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Call makes one request to a test server, as the person whose auth token
// is given (none when empty), with a JSON body when body is not empty.
func Call(t testing.TB, method, url, token, body string) Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{res.StatusCode, res.Header, b}
}
