package imports

import (
	"errors"
	"io"
	"testing"
)

// endless gives as many bytes as are asked, and counts them.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestPartsStopAtTheirLimits: whatever a part declares, its reading stops
// one byte past its own limit, the workbook's or a token's, not a buffer
// later.
func TestPartsStopAtTheirLimits(t *testing.T) {
	for _, c := range []struct {
		name            string
		limit, unzipped int64
		token           int64
		want            string
	}{
		{"part", 1000, 0, maxTokenBytes, "unzips to more than 0 MB"},
		{"workbook", maxSheetBytes, maxUnzippedBytes - 500, maxTokenBytes, "unzips to more than 500 MB in all"},
		{"token", maxSheetBytes, 0, 100, "in one piece"},
	} {
		src := &endless{}
		wb := &workbook{unzipped: c.unzipped}
		p := &part{wb: wb, rc: io.NopCloser(src), name: "sheet", limit: c.limit, token: c.token}
		_, err := io.Copy(io.Discard, p)
		var fe *fileError
		if !errors.As(err, &fe) || !fe.limit || !contains(fe.Error(), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
		if allowed := min(c.limit, maxUnzippedBytes-c.unzipped, c.token); src.n != allowed+1 {
			t.Errorf("%s: read %d bytes for a limit of %d", c.name, src.n, allowed)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
