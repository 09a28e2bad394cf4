package invoicing

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// Commands are the package's command-line commands.
func Commands(app core.App) []*cobra.Command {
	return []*cobra.Command{{
		Use:   "verify-chain",
		Short: "Recompute every issued invoice's totals and huella and report the first one that no longer matches",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			report, err := VerifyChain(app)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), report)
			if !report.OK() {
				return errors.New("the huella chain is broken")
			}
			return nil
		},
		SilenceUsage:  true,
		SilenceErrors: true, // the report says what is wrong; main prints the error once
	}}
}
