package imports

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeListsEveryColumn keeps the README's column table, which ERP
// integrators write against, in step with the columns the import reads.
func TestReadmeListsEveryColumn(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range columns {
		row := "| `" + c.name + "` | "
		if !strings.Contains(string(readme), row) {
			t.Errorf("the README's column table has no row for %s", c.name)
			continue
		}
		required := strings.HasPrefix(strings.SplitN(string(readme), row, 2)[1], "yes |")
		if required != c.required {
			t.Errorf("the README says %s is required: %v; the import: %v", c.name, required, c.required)
		}
	}
}
