package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

// scaleRows are n brands admitted in 2025 over the 14 counties, in good
// standing, tagged by prefix so another prefix seeds other brands.
func scaleRows(prefix string, n int) []brandimport.Row {
	tag := usccTag(prefix)
	rows := make([]brandimport.Row, n)
	for i := range rows {
		county := counties[(i+1)%len(counties)]
		rows[i] = brandimport.Row{Name: fmt.Sprintf("规模品牌%s%d", prefix, i+1), UnitName: fmt.Sprintf("规模协会%s%d", prefix, i+1),
			USCC: demo.USCC(fmt.Sprintf("9153%s%s%06d", county[2:], tag, i+1)), BrandType: "regional", Category: "planting_breeding",
			CountyCode: county, AdmittedOn: calendar.Date{Year: 2025, Month: 1, Day: 1}.AddDays((i + 1) % 365)}
	}
	return rows
}

// usccTag folds prefix into two characters a USCC may hold.
func usccTag(prefix string) string {
	var h uint32 = 2166136261
	for _, b := range []byte(prefix) {
		h = (h ^ uint32(b)) * 16777619
	}
	n := uint32(len(uscc.Alphabet))
	return string([]byte{uscc.Alphabet[h%n], uscc.Alphabet[(h/n)%n]})
}

// importAnswer is what lbscale reads of the import's answer.
type importAnswer struct {
	Imported, Already, Recorded int
	Errors                      []brandimport.Problem
	Seconds                     struct{ Check, Start, Record float64 }
}

// importSheet uploads rows as one sheet to POST /api/v1/brands/import.
func importSheet(ctx context.Context, c *apiclient.Client, token string, rows []brandimport.Row) (importAnswer, error) {
	var sheet, body bytes.Buffer
	if err := brandimport.WriteSheet(&sheet, rows); err != nil {
		return importAnswer{}, err
	}
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "lbscale.xlsx")
	if err != nil {
		return importAnswer{}, err
	}
	fw.Write(sheet.Bytes())
	mw.Close()
	r, err := client.Expect(c.ImportBrandsWithBodyWithResponse(ctx, nil, mw.FormDataContentType(), &body, client.Bearer(token)))
	var a importAnswer
	if err != nil {
		return a, fmt.Errorf("import: %w", err)
	}
	return a, json.Unmarshal(r.Body, &a)
}
