// Package charts draws the library's figures as bar charts: a Chart is the
// figures to compare, drawn as server-side SVG here (no script, no CDN) and
// as PDF by internal/paper, so the API, the console and the yearly report
// show the same pictures.
package charts

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Chart is horizontal bars, one row per Group; each row has one value per
// Series, drawn side by side or, when Stacked, end to end.
type Chart struct {
	Name    string   `json:"name"` // the file name, without .svg
	Title   string   `json:"title"`
	Unit    string   `json:"unit"` // after each value: 个, 天, %
	Series  []string `json:"series"`
	Groups  []Group  `json:"groups"`
	Stacked bool     `json:"stacked"`
}

// Group is one row of bars.
type Group struct {
	Label  string    `json:"label"`
	Values []float64 `json:"values"`
}

// Palette are the series' colours, in order (distinguishable in print and
// by the colour-blind: blue, orange, grey, red, green).
var Palette = []string{"#2f6eb5", "#e08a1e", "#8c8c8c", "#c0392b", "#3a9d5d", "#7e57c2"}

// Max is the largest bar: the longest stack, or the longest single bar.
func (c Chart) Max() float64 {
	m := 0.0
	for _, g := range c.Groups {
		sum := 0.0
		for _, v := range g.Values {
			if c.Stacked {
				sum += v
			} else {
				m = math.Max(m, v)
			}
		}
		m = math.Max(m, sum)
	}
	return m
}

// Format writes a value with the chart's unit: whole numbers plainly, others
// with one decimal.
func (c Chart) Format(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if v == math.Trunc(v) {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	}
	return s + c.Unit
}

// Shorten cuts label to n characters, its end replaced by "…", when it is
// longer: a label wider than its column would run off the chart's edge
// (a functional zone's name may be 40 characters).
func Shorten(label string, n int) string {
	r := []rune(label)
	if len(r) <= n || n < 1 {
		return label
	}
	return string(r[:n-1]) + "…"
}

// SVG layout, in pixels.
const (
	svgWidth   = 760
	labelRunes = 12 // the characters of 13px CJK text the label column holds
	labelWidth = 170
	valueRoom  = 70
	titleRoom  = 56
	barHeight  = 16
	groupGap   = 10
)

// SVG draws the chart as a standalone SVG document.
func SVG(c Chart) []byte {
	perGroup := barHeight
	if !c.Stacked {
		perGroup = barHeight * max(len(c.Series), 1)
	}
	height := titleRoom + len(c.Groups)*(perGroup+groupGap) + 20
	plot := float64(svgWidth - labelWidth - valueRoom)
	scale := 0.0
	if m := c.Max(); m > 0 {
		scale = plot / m
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" `+
		`font-family="'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif" font-size="13">`+"\n",
		svgWidth, height, svgWidth, height, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title><rect width="100%%" height="100%%" fill="#fff"/>`+"\n", esc(c.Title))
	fmt.Fprintf(&b, `<text x="%d" y="22" font-size="16" font-weight="bold" fill="#222">%s</text>`+"\n", 10, esc(c.Title))
	x := labelWidth
	for i, s := range c.Series { // the legend
		fmt.Fprintf(&b, `<rect x="%d" y="34" width="12" height="12" fill="%s"/><text x="%d" y="45" fill="#333">%s</text>`+"\n",
			x, Palette[i%len(Palette)], x+16, esc(s))
		x += 16 + 14*len([]rune(s)) + 18
	}
	y := titleRoom
	for _, g := range c.Groups {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle" fill="#333"><title>%s</title>%s</text>`+"\n",
			labelWidth-8, y+perGroup/2, esc(g.Label), esc(Shorten(g.Label, labelRunes)))
		bx := float64(labelWidth)
		for i, v := range g.Values {
			w := v * scale
			by := y
			if !c.Stacked {
				bx, by = float64(labelWidth), y+i*barHeight
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s %s：%s</title></rect>`+"\n",
				bx, by, w, barHeight-2, Palette[i%len(Palette)], esc(g.Label), esc(seriesName(c, i)), esc(c.Format(v)))
			if !c.Stacked {
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" dominant-baseline="middle" font-size="11" fill="#555">%s</text>`+"\n",
					bx+w+4, by+barHeight/2, esc(c.Format(v)))
			}
			bx += w
		}
		if c.Stacked {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" dominant-baseline="middle" font-size="11" fill="#555">%s</text>`+"\n",
				bx+4, y+barHeight/2, esc(c.Format(sum(g.Values))))
		}
		y += perGroup + groupGap
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>`+"\n", labelWidth, titleRoom-4, labelWidth, y)
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func seriesName(c Chart, i int) string {
	if i < len(c.Series) {
		return c.Series[i]
	}
	return ""
}

func sum(vs []float64) float64 {
	s := 0.0
	for _, v := range vs {
		s += v
	}
	return s
}

func esc(s string) string { return html.EscapeString(s) }
