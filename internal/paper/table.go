package paper

// cell is one box of a ruled row. A label is printed shaded and centred, as
// the form's printed text; a value is what the record fills in.
type cell struct {
	w      float64 // millimetres; 0: what the row has left
	text   string
	label  bool
	center bool
	// sign is a line printed at the bottom right of the box, after at
	// least ink blank lines: a signature, seal or date block left for ink.
	sign string
	ink  int
}

func label(w float64, s string) cell { return cell{w: w, text: s, label: true} }
func value(w float64, s string) cell { return cell{w: w, text: s} }

// boxLine is one printed line of a cell.
type boxLine struct {
	s     string
	right bool
}

func (d *doc) cellLines(c cell) []boxLine {
	var out []boxLine
	if c.text != "" {
		for _, l := range d.wrap(c.text, c.w-2*padding) {
			out = append(out, boxLine{s: l})
		}
	}
	if c.sign != "" {
		for range c.ink {
			out = append(out, boxLine{})
		}
		for _, l := range d.wrap(c.sign, c.w-2*padding) {
			out = append(out, boxLine{s: l, right: true})
		}
	}
	return out
}

// row draws cells side by side, as tall as the tallest. A row taller than
// the room left on the page goes on the next; one taller than a whole page
// is split across pages, each part with its labels.
func (d *doc) row(cells ...cell) {
	lines, n := d.layout(cells)
	lh := d.lineHeight()
	for {
		fit := int((bottom - d.y() - 2*padding) / lh)
		if fit >= n {
			d.drawRow(cells, lines, n)
			return
		}
		if n*2 <= int((bottom-margin)/lh) || fit < 3 {
			d.newPage() // a row that fits on a fresh page is not split
			if fit = int((bottom - d.y() - 2*padding) / lh); fit >= n {
				d.drawRow(cells, lines, n)
				return
			}
		}
		part := make([][]boxLine, len(cells))
		for i := range lines {
			if cells[i].label {
				part[i] = lines[i] // the label on every part
				continue
			}
			k := min(fit, len(lines[i]))
			part[i], lines[i] = lines[i][:k], lines[i][k:]
		}
		d.drawRow(cells, part, fit)
		d.newPage()
		n = 1
		for i := range lines {
			n = max(n, len(lines[i]))
		}
	}
}

// layout gives a row's cells their widths and lines, and the row's height
// in lines.
func (d *doc) layout(cells []cell) ([][]boxLine, int) {
	used := d.indent
	for _, c := range cells {
		used += c.w
	}
	lines := make([][]boxLine, len(cells))
	n := 1
	for i := range cells {
		if cells[i].w == 0 {
			cells[i].w = margin + contentW - margin - used
		}
		lines[i] = d.cellLines(cells[i])
		n = max(n, len(lines[i]))
	}
	return lines, n
}

// tableHead draws a table's header row, and again at the top of every
// page the table goes on to, until endTable: a long list read on its third
// page still says what each column is.
func (d *doc) tableHead(cells ...cell) {
	// Never a header alone at a page's foot: room for it and a row of two
	// lines, or both go on the next page.
	_, n := d.layout(cells)
	lh := d.lineHeight()
	d.room(float64(n+2)*lh + 4*padding)
	d.row(cells...)
	d.head = cells
}

func (d *doc) endTable() { d.head = nil }

// group draws rows under one label spanning them all (品牌基本情况 of
// 附件2 and 附件3); the group is kept on one page.
func (d *doc) group(w float64, title string, rows ...[]cell) {
	lh := d.lineHeight()
	total := 0.0
	d.indent = w
	for _, r := range rows {
		_, n := d.layout(r)
		total += float64(n)*lh + 2*padding
	}
	d.room(total)
	y0 := d.y()
	for _, r := range rows {
		d.row(r...)
	}
	d.indent = 0
	end := d.y()
	d.pdf.SetY(y0)
	d.drawRow([]cell{label(w, title)}, [][]boxLine{d.cellLines(label(w, title))}, 0, end-y0)
	d.pdf.SetY(end)
}

func (d *doc) drawRow(cells []cell, lines [][]boxLine, n int, height ...float64) {
	lh := d.lineHeight()
	h := float64(n)*lh + 2*padding
	if len(height) > 0 {
		h, n = height[0], len(lines[0])
	}
	x, y := margin+d.indent, d.y()
	for i, c := range cells {
		style := "D"
		if c.label {
			d.pdf.SetFillColor(242, 242, 242)
			style = "FD"
		}
		d.pdf.Rect(x, y, c.w, h, style)
		top := y + padding
		if c.label || c.center || len(lines[i]) < n && c.sign == "" {
			top = y + (h-float64(len(lines[i]))*lh)/2 // short text sits in the middle
		}
		for j, l := range lines[i] {
			if j >= n {
				break
			}
			lx := x + padding
			switch {
			case l.right:
				lx = x + c.w - padding - d.width(l.s)
			case c.label || c.center:
				lx = x + (c.w-d.width(l.s))/2
			}
			d.text(lx, top+float64(j)*lh+lh*0.72, l.s)
		}
		x += c.w
	}
	d.pdf.SetY(y + h)
}
