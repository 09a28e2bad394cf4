package inbox

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/internal/classify"
)

// Commands are the package's command-line commands: `mail classify`.
func Commands(app core.App) []*cobra.Command {
	mailCmd := &cobra.Command{Use: "mail", Short: "Inspect inbound mail"}
	mailCmd.AddCommand(&cobra.Command{
		Use:   "classify FILE.eml...",
		Short: "Say how each message would be read: its kind, recipients and what ties it to an invoice",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			failed := 0
			for _, file := range files {
				raw, err := os.ReadFile(file)
				if err != nil {
					fmt.Fprintln(cmd.ErrOrStderr(), err)
					failed++
					continue
				}
				if err := enc.Encode(explain(app, file, raw)); err != nil {
					return err
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d files could not be read", failed)
			}
			return nil
		},
		SilenceUsage: true,
	})
	return []*cobra.Command{mailCmd}
}

// explanation is one line of `mail classify`.
type explanation struct {
	File       string               `json:"file"`
	Kind       classify.Kind        `json:"kind"`
	Recipients []classify.Recipient `json:"recipients"`
	Match      map[string]any       `json:"match"`
}

func explain(app core.App, file string, raw []byte) explanation {
	res, _ := classifyOptions(app).Classify(raw)
	m := findMatch(app, res.Match)
	found := map[string]any{"evidence": res.Match}
	if m.invoice != nil {
		found["invoice"] = m.invoice.Id
		found["number"] = m.invoice.GetString("number")
		found["by"] = m.by
	}
	if m.message != nil {
		found["message"] = m.message.Id
	}
	recipients := res.Recipients
	if recipients == nil {
		recipients = []classify.Recipient{}
	}
	return explanation{File: file, Kind: res.Kind, Recipients: recipients, Match: found}
}
