package paper

import (
	"strconv"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/charts"
)

// Report is the city bureau's yearly report: the headline figures, a table
// and the charts of the year.
type Report struct {
	Title, Subtitle string
	Summary         [][2]string // label, figure
	Table           Table
	Charts          []charts.Chart
	Printed         time.Time
}

// Table is a table of figures with a header row; the first column names
// the row.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// ReportPDF prints the report.
func (f *Fonts) ReportPDF(r Report) ([]byte, error) {
	d := f.newDoc(r.Title, r.Printed)
	d.heading(r.Title, 16)
	if r.Subtitle != "" {
		d.size = 9
		d.paragraph(r.Subtitle, true)
		d.size = bodySize
	}
	d.space(2)
	d.section("一、总体情况")
	for _, s := range r.Summary {
		d.row(label(62, s[0]), value(0, s[1]))
	}
	if len(r.Table.Header) > 0 {
		d.space(4)
		d.section("二、" + r.Table.Caption)
		d.size = 9.5
		first := 38.0
		rest := (contentW - first) / float64(len(r.Table.Header)-1)
		var head []cell
		for i, h := range r.Table.Header {
			head = append(head, label(or(i == 0, first, rest), h))
		}
		d.tableHead(head...)
		for _, row := range r.Table.Rows {
			var cells []cell
			for i, v := range row {
				cells = append(cells, cell{w: or(i == 0, first, rest), text: v, center: i > 0})
			}
			d.row(cells...)
		}
		d.endTable()
		d.size = bodySize
	}
	d.space(4)
	d.section("三、图表")
	for _, c := range r.Charts {
		d.chart(c)
	}
	signOff(d, r.Printed)
	return d.bytes()
}

func or(first bool, a, b float64) float64 {
	if first {
		return a
	}
	return b
}

// section writes a numbered heading of the report.
func (d *doc) section(s string) {
	saved := d.size
	d.size = 12
	d.room(3 * d.lineHeight())
	d.paragraph(s, false)
	d.size = saved
	d.space(1)
}

// Chart layout, in millimetres.
const (
	chartLabelW = 46.0
	chartValueW = 20.0
	chartBar    = 4.2
	chartGap    = 2.2
)

// chart draws c as internal/charts draws it in SVG: horizontal bars, a row
// per group, a colour per series, values at the ends.
func (d *doc) chart(c charts.Chart) {
	perGroup := chartBar
	if !c.Stacked {
		perGroup = chartBar * float64(max(len(c.Series), 1))
	}
	lh := d.lineHeight()
	height := 2*lh + float64(len(c.Groups))*(perGroup+chartGap) + 4
	d.room(min(height, bottom-margin))
	d.paragraph(c.Title, false)
	// The legend.
	saved := d.size
	d.size = 8.5
	x, y := margin+chartLabelW, d.y()
	for i, s := range c.Series {
		d.fill(i)
		d.pdf.Rect(x, y+0.8, 3, 3, "F")
		d.text(x+4, y+3.4, s)
		x += 4 + d.width(s) + 6
	}
	d.space(lh)
	plot := contentW - chartLabelW - chartValueW
	scale := 0.0
	if m := c.Max(); m > 0 {
		scale = plot / m
	}
	for _, g := range c.Groups {
		d.room(perGroup + chartGap)
		y := d.y()
		label := d.fitLabel(g.Label, chartLabelW-4)
		d.text(margin+chartLabelW-2-d.width(label), y+perGroup/2+1.2, label)
		d.size = 8.5
		bx := margin + chartLabelW
		total := 0.0
		for i, v := range g.Values {
			w := v * scale
			by := y
			if !c.Stacked {
				bx, by = margin+chartLabelW, y+float64(i)*chartBar
			}
			if w > 0 {
				d.fill(i)
				d.pdf.Rect(bx, by, w, chartBar-0.6, "F")
			}
			if !c.Stacked {
				d.text(bx+w+1.2, by+chartBar/2+1, c.Format(v))
			}
			bx += w
			total += v
		}
		if c.Stacked {
			d.text(bx+1.2, y+chartBar/2+1, c.Format(total))
		}
		d.space(perGroup + chartGap)
	}
	d.pdf.SetDrawColor(150, 150, 150)
	d.pdf.Line(margin+chartLabelW, d.y()-float64(len(c.Groups))*(perGroup+chartGap)-1, margin+chartLabelW, d.y())
	d.pdf.SetDrawColor(0, 0, 0)
	d.size = saved
	d.space(4)
}

// fitLabel is label as it fits in room (mm): in a smaller size down to
// 6.5 pt, then shortened with "…" — a functional zone's name may be 40
// characters, and one running past the page's edge loses its beginning
// unseen. It leaves d.size at the size it chose.
func (d *doc) fitLabel(label string, room float64) string {
	for d.size > 6.5 && d.width(label) > room {
		d.size -= 0.5
	}
	for n := len([]rune(label)); n > 1 && d.width(label) > room; n-- {
		label = charts.Shorten(label, n-1)
	}
	return label
}

// fill sets the colour of series i (charts.Palette).
func (d *doc) fill(i int) {
	hex := charts.Palette[i%len(charts.Palette)]
	r, _ := strconv.ParseUint(hex[1:3], 16, 8)
	g, _ := strconv.ParseUint(hex[3:5], 16, 8)
	b, _ := strconv.ParseUint(hex[5:7], 16, 8)
	d.pdf.SetFillColor(int(r), int(g), int(b))
}
