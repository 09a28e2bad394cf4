package pb_migrations_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"facturo/internal/apptest"
)

// png is a file the store takes for a PNG image: the signature, then size
// bytes in all.
func png(size int) []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, size-8)...)
}

// lazy gives size bytes of a form without holding them, and counts what is
// read of it.
type lazy struct {
	head, tail string
	size, read int64
}

func (l *lazy) Read(p []byte) (int, error) {
	if l.read >= l.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), l.size-l.read))
	for i := range n {
		at := l.read + int64(i)
		switch {
		case at < int64(len(l.head)):
			p[i] = l.head[at]
		case at >= l.size-int64(len(l.tail)):
			p[i] = l.tail[at-(l.size-int64(len(l.tail)))]
		default:
			p[i] = 0
		}
	}
	l.read += int64(n)
	return n, nil
}

// TestIssuerLogoIsBounded: the logo (PNG or JPEG, 2 MB) is refused through
// the REST API (the admin dashboard's path) when larger, naming the field,
// and a body declared larger than the router allows for the collection is
// refused before it is read.
func TestIssuerLogoIsBounded(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	issuer, err := app.FindFirstRecordByFilter("issuer", "")
	if err != nil {
		t.Fatal(err)
	}
	url := base + "/api/collections/issuer/records/" + issuer.Id
	send := func(logo []byte) (int, string) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		part, _ := w.CreateFormFile("logo", "logo.png")
		part.Write(logo)
		w.Close()
		req, _ := http.NewRequest(http.MethodPatch, url, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", apptest.Tokens.Staff)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := send(png(2 << 20)); status != http.StatusOK {
		t.Fatalf("a logo of 2 MB: %d %s", status, body)
	}
	status, body := send(png(2<<20 + 1))
	var e struct {
		Data map[string]struct{ Code string } `json:"data"`
	}
	json.Unmarshal([]byte(body), &e)
	if status != http.StatusBadRequest || e.Data["logo"].Code != "validation_file_size_limit" {
		t.Fatalf("a logo of 2 MB and a byte: %d %s", status, body)
	}

	// The router allows its 32 MB and the logo's 2 MB for the collection:
	// a body declared larger is answered without being read.
	form := &lazy{head: "--b\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"l.png\"\r\n\r\n\x89PNG\r\n\x1a\n",
		tail: "\r\n--b--\r\n", size: 40 << 20}
	req, _ := http.NewRequest(http.MethodPatch, url, form)
	req.ContentLength = form.size
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	req.Header.Set("Authorization", apptest.Tokens.Staff)
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a body of 40 MB: %d", res.StatusCode)
		}
	} else if !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "broken pipe") {
		t.Fatal(err)
	}
	if form.read > 8<<20 {
		t.Errorf("%d MB of a 40 MB body were read before it was refused", form.read>>20)
	}
}
