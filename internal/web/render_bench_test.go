package web

import (
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// BenchmarkRender renders the portal's sign-in page: the shared look, the
// portal's frame and the page, in Spanish.
func BenchmarkRender(b *testing.B) {
	area := Area{Path: "/portal", Templates: "portal"}
	data := map[string]any{"Lang": "es", "Title": "Entrar", "CSRF": "x", "Next": "/portal/", "Email": "ana@alfa.example"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e := &core.RequestEvent{}
		e.Request = httptest.NewRequest("GET", "/portal/login", nil)
		e.Response = httptest.NewRecorder()
		if err := area.Render(e, 200, "login.html", "es", data); err != nil {
			b.Fatal(err)
		}
	}
}
