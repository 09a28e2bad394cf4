// Package cli is what the product's commands that end with a JSON summary
// share: the summary on standard output, one line, and a failing exit
// status when it lists problems.
package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

// Summary prints the summary as one JSON line on the command's standard
// output; with problems, it returns an error saying how many, so that the
// command exits non-zero.
func Summary(cmd *cobra.Command, summary any, problems int, what string) error {
	if err := json.NewEncoder(cmd.OutOrStdout()).Encode(summary); err != nil {
		return err
	}
	if problems > 0 {
		return fmt.Errorf("%s has %d problem(s); the summary lists them", what, problems)
	}
	return nil
}
