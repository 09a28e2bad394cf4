// Command facturo is a self-hosted e-invoicing portal in one binary.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"

	"facturo/hooks"
	_ "facturo/pb_migrations"
)

func main() {
	// Not dev mode under "go run": the README's first command should show the
	// product's messages, not every SQL statement (--dev turns them on).
	app := pocketbase.NewWithConfig(pocketbase.Config{
		DefaultDev:       false,
		DataMaxOpenConns: hooks.DataConnections,
		DataMaxIdleConns: hooks.DataConnections,
	})
	hooks.Register(app)
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
