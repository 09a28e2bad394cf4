package imports_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"facturo/hooks/imports"
	"facturo/internal/apptest"
)

// apiError is PocketBase's error answer.
type apiError struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Data    map[string]struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"data"`
}

// refusal checks a 400 that refuses the file for a reason saying want, and
// returns its message.
func refusal(t *testing.T, what string, status int, body []byte, want string) string {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || status != http.StatusBadRequest || !strings.Contains(strings.ToLower(e.Message), strings.ToLower(want)) {
		t.Fatalf("%s: %d %s", what, status, body)
	}
	if f := e.Data["file"]; f.Code != "import_refused" || f.Message != e.Message {
		t.Errorf("%s: data %+v", what, e.Data)
	}
	return e.Message
}

// TestRefusedFilesAnswer400 : a file that passes a limit is refused with
// 400 and its reason on POST /api/imports, at once when opening the file
// shows it (an XLSX file's parts and shared strings) and with ?wait=1 when
// its rows do; the workspace's upload says the same, and the command
// prints it in its summary and exits 1. Nothing is written.
func TestRefusedFilesAnswer400(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	before := countAll(t, app)

	bomb := sheetBomb(t, 2<<30, 0)
	const sheetReason = "the XLSX file's sheet unzips to more than 500 MB"
	start := time.Now()
	res := upload(t, base+"/api/imports", apptest.Tokens.Staff, "bomb.xlsx", bomb, nil)
	api := refusal(t, "a sheet bomb", res.Status, res.Body, sheetReason)
	if elapsed := time.Since(start); elapsed > refusalTime {
		t.Errorf("the upload was refused in %v", elapsed)
	}
	res = upload(t, base+"/api/imports", apptest.Tokens.Staff, "strings.xlsx", sharedStringsCountBomb(t, 3_000_000), nil)
	refusal(t, "a shared strings bomb", res.Status, res.Body, "more than 524,288 shared strings")

	ref := cellReferenceBomb(t, "ZZZZZZZ2")
	res = upload(t, base+"/api/imports?wait=1", apptest.Tokens.Staff, "ref.xlsx", ref, nil)
	refusal(t, "a far cell, waiting", res.Status, res.Body, `cell reference "ZZZZZZZ2" is not a cell of a sheet`)
	// Without waiting, the rows are read after the answer: the job's
	// summary says it.
	res = upload(t, base+"/api/imports", apptest.Tokens.Staff, "ref.xlsx", ref, nil)
	var started struct{ ID string }
	if err := json.Unmarshal(res.Body, &started); err != nil || res.Status != http.StatusAccepted {
		t.Fatalf("a far cell, not waiting: %d %s", res.Status, res.Body)
	}
	var job imports.JobStatus
	for deadline := time.Now().Add(30 * time.Second); job.Status != imports.JobDone && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		json.Unmarshal(apptest.Call(t, http.MethodGet, base+"/api/imports/"+started.ID, apptest.Tokens.Staff, "").Body, &job)
	}
	if job.Summary == nil || len(job.Summary.Errors) != 1 || !strings.Contains(job.Summary.Errors[0].Message, `"ZZZZZZZ2" is not a cell`) {
		t.Fatalf("the job: %+v", job)
	}

	// The workspace's page posts the file with its token in a header.
	b := apptest.NewBrowser(t, base)
	b.SignIn("/app/login", apptest.StaffEmail, "staff-password-1", "/app/")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", "bomb.xlsx")
	part.Write(bomb)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/app/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-CSRF-Token", b.CSRF("/app/import"))
	page := b.Do(req)
	if workspace := refusal(t, "the workspace", page.Status, []byte(page.Body), sheetReason); workspace != api {
		t.Errorf("the workspace says %q, the API %q", workspace, api)
	}

	stdout, _, err := runCommand(t, writeFile(t, "bomb.xlsx", bomb))
	if err == nil {
		t.Fatal("the command exits 0 on a bomb")
	}
	if s := summaryLine(t, stdout); len(s.Errors) != 1 || sentence(s.Errors[0].Message) != api {
		t.Fatalf("the command's summary: %s", stdout)
	}
	if after := countAll(t, app); !equalCounts(after, before) {
		t.Errorf("written: %v, before %v", after, before)
	}
}

// sentence is a message as PocketBase writes its errors' messages: from a
// capital to a full stop.
func sentence(s string) string {
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestUploadsLargerThanTheLimitAreCut: a body that does not declare its
// length is cut where it passes the limit, and told so.
func TestUploadsLargerThanTheLimitAreCut(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	defer imports.SetMaxUpload(1 << 20)()
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		part, _ := w.CreateFormFile("file", "big.csv")
		part.Write(bytes.Repeat([]byte("x"), 4<<20))
		w.Close()
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/imports?wait=1", pr)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", apptest.Tokens.Staff)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if req.ContentLength > 0 || res.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(got, []byte("larger than 1 MB")) {
		t.Fatalf("a body without a length: %d %s", res.StatusCode, got)
	}
}
