package taxes

import (
	"encoding/json"
	"testing"
)

func TestLineErrorsFormats(t *testing.T) {
	errs := LineErrors{
		{Line: 2, Field: "quantity", Message: "must not be zero"},
		{Line: 3, Message: "must be a JSON object"},
	}
	const wantText = "line 2, quantity: must not be zero; line 3: must be a JSON object"
	if got := errs.Error(); got != wantText {
		t.Errorf("Error() = %q, want %q", got, wantText)
	}
	// The JSON is what a hook can put in an HTTP 400 body as is.
	const wantJSON = `[{"line":2,"field":"quantity","message":"must not be zero"},{"line":3,"message":"must be a JSON object"}]`
	got, err := json.Marshal(errs)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != wantJSON {
		t.Errorf("JSON = %s, want %s", got, wantJSON)
	}
}
