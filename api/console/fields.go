package console

import (
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// field is one form field for templates/partial_fields.html: the value typed and
// the API's message for it, by the API's field name.
type field struct{ Name, Label, Kind, Hint, Value, Error string }

func fieldOf(values, errs map[string]string, name, label, kind, hint string) field {
	return field{Name: name, Label: label, Kind: kind, Hint: hint, Value: values[name], Error: errs[name]}
}

// The template functions of the holder's and the public's pages, added here
// so those pages keep to their own files.
func init() {
	funcs["fieldOf"] = fieldOf
	funcs["publicNav"] = publicNav
	funcs["brandStatus"] = workflows.BrandStatusLabel
	funcs["brandType"] = func(t string) string { return form.BrandType(t).Label() }
}

// publicNav is the header's navigation for someone not signed in.
func publicNav() []navItem {
	return []navItem{{"公示", "/public/notices"}, {"品牌目录", "/public/brands"}, {"公告", "/public/announcements"},
		{"举报", "/public/report"}, {"持有单位注册", "/register"}, {"登录", "/login"}}
}
