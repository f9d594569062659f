// Command lbopenapi writes the API's OpenAPI document — the one GET
// /openapi.json serves, built from the registered routes — to a file,
// without a running server: the Redocly lint in CI and the generated client
// (api/client, go generate) read it.
//
//	lbopenapi api/openapi.json
package main

import (
	"fmt"
	"os"

	"github.com/kunming-hrss/laborbrand/api"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: lbopenapi FILE")
		os.Exit(2)
	}
	doc, err := api.OpenAPIDocument()
	if err == nil {
		err = os.WriteFile(os.Args[1], doc, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lbopenapi:", err)
		os.Exit(1)
	}
}
