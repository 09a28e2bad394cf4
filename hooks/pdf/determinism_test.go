package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

func TestRenderIsDeterministic(t *testing.T) {
	for name, inv := range map[string]Invoice{
		"short":        shortInvoice(10),
		"long":         longEnglishInvoice(),
		"professional": professionalInvoice(),
		"logo":         longCustomerInvoice(),
		"factur-x":     facturXInvoice(),
	} {
		first, err := Render(inv)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			again, err := Render(inv)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, again) {
				t.Fatalf("%s: two renders of the same invoice differ", name)
			}
		}
	}
}

// Within one process, state cached at start-up (the prepared fonts) is the
// same for every render; a second process checks that it is also the same
// from one start to the next.
func TestRenderIsDeterministicAcrossProcesses(t *testing.T) {
	if os.Getenv("PDF_RENDER_TO_STDOUT") == "1" {
		doc, err := Render(professionalInvoice())
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.Write(doc)
		os.Exit(0)
	}
	here, err := Render(professionalInvoice())
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRenderIsDeterministicAcrossProcesses$")
	cmd.Env = append(os.Environ(), "PDF_RENDER_TO_STDOUT=1")
	there, err := cmd.Output()
	if err != nil {
		t.Fatalf("rendering in a child process: %v", err)
	}
	if !bytes.Equal(here, there) {
		t.Fatalf("a render in another process differs (%d vs %d bytes)", len(here), len(there))
	}
}

// Renders share the trimmed fonts; concurrent renders must neither disturb
// each other nor the shared bytes.
func TestConcurrentRendersGiveTheSameBytes(t *testing.T) {
	inv := professionalInvoice()
	want, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	const workers = 8
	results := make(chan []byte, workers)
	for range workers {
		go func() {
			doc, err := Render(inv)
			if err != nil {
				doc = nil
			}
			results <- doc
		}()
	}
	for range workers {
		if got := <-results; !bytes.Equal(got, want) {
			t.Fatal("a concurrent render differs from a sequential one")
		}
	}
}
