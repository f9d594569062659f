package paper

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// The page: A4 portrait, in millimetres.
const (
	pageWidth   = 210.0
	pageHeight  = 297.0
	margin      = 18.0
	contentW    = pageWidth - 2*margin
	footerSpace = 12.0
	bottom      = pageHeight - margin - footerSpace/2
	bodySize    = 10.5 // 五号
	padding     = 1.8
	ptToMM      = 25.4 / 72
)

// doc is one document being drawn: A4 pages of ruled rows, as the scheme's
// forms are, written with the CJK font and, for Latin letters, digits and
// symbols, the Latin one.
type doc struct {
	pdf    *fpdf.Fpdf
	size   float64
	widths map[runeAt]float64
	indent float64 // the rows' left edge, right of a group's label
	// head is the header row of the table being drawn, repeated at the top
	// of each page the table goes on to (tableHead, endTable).
	head []cell
}

type runeAt struct {
	r    rune
	size float64
}

// latin reports whether r is drawn with the Latin font: everything below
// the CJK blocks (U+2E80), where the CJK font has no glyphs.
func latin(r rune) bool { return r < 0x2E80 }

// newDoc starts a document whose pages are numbered in the footer. created
// dates the file, so the same record prints the same bytes.
func (f *Fonts) newDoc(title string, created time.Time) *doc {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(false, margin)
	p.AddUTF8FontFromBytes("cjk", "", f.cjk)
	p.AddUTF8FontFromBytes("latin", "", f.latin)
	p.SetTitle(title, true)
	p.SetCreator("laborbrand", true)
	p.SetProducer("laborbrand (go-pdf/fpdf)", true)
	p.SetCreationDate(created)
	p.SetModificationDate(created)
	d := &doc{pdf: p, size: bodySize, widths: map[runeAt]float64{}}
	p.SetFooterFunc(func() {
		saved := d.size
		d.size = 9
		n := fmt.Sprintf("第 %d 页", p.PageNo())
		d.text((pageWidth-d.width(n))/2, pageHeight-margin/2-2, n)
		d.size = saved
	})
	p.AddPage()
	return d
}

// lineHeight is the distance between two lines at the current size.
func (d *doc) lineHeight() float64 { return d.size * ptToMM * 1.5 }

// width is the printed width of s at the current size.
func (d *doc) width(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += d.runeWidth(r)
	}
	return w
}

func (d *doc) runeWidth(r rune) float64 {
	k := runeAt{r, d.size}
	if w, ok := d.widths[k]; ok {
		return w
	}
	d.useFont(r)
	w := d.pdf.GetStringWidth(string(r))
	d.widths[k] = w
	return w
}

func (d *doc) useFont(r rune) {
	family := "cjk"
	if latin(r) {
		family = "latin"
	}
	d.pdf.SetFont(family, "", d.size)
}

// text draws s with its baseline at y, switching fonts between runs of
// Latin and CJK characters.
func (d *doc) text(x, y float64, s string) {
	rs := []rune(s)
	for start := 0; start < len(rs); {
		end := start + 1
		for end < len(rs) && latin(rs[end]) == latin(rs[start]) {
			end++
		}
		run := string(rs[start:end])
		d.useFont(rs[start])
		d.pdf.Text(x, y, run)
		x += d.width(run)
		start = end
	}
}

// wrap breaks text into lines no wider than w: at its newlines, and then
// wherever a line would overflow — between any two CJK characters, and
// between Latin words when a word fits on a line.
func (d *doc) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		rs := []rune(para)
		line, lineW := 0, 0.0 // start of the current line, its width
		lastSpace := -1
		for i := 0; i < len(rs); i++ {
			cw := d.runeWidth(rs[i])
			if unicode.IsSpace(rs[i]) {
				lastSpace = i
			}
			if lineW+cw > w && i > line && !strings.ContainsRune(noLineStart, rs[i]) {
				cut := i
				if latin(rs[i]) && !unicode.IsSpace(rs[i]) && lastSpace > line {
					cut = lastSpace + 1 // keep a Latin word whole
				}
				out = append(out, strings.TrimRight(string(rs[line:cut]), " "))
				for cut < len(rs) && rs[cut] == ' ' {
					cut++
				}
				line, lineW, lastSpace = cut, 0, -1
				i = cut - 1
				continue
			}
			lineW += cw
		}
		out = append(out, string(rs[line:]))
	}
	return out
}

// noLineStart are the marks a Chinese line never starts with (避头点): they
// stay at the end of the line before, a little past its width.
const noLineStart = "，。、；：？！）》」』”’,.;:?!)"

// y is where the next row starts.
func (d *doc) y() float64 { return d.pdf.GetY() }

func (d *doc) newPage() {
	d.pdf.AddPage()
	d.pdf.SetY(margin)
	if head := d.head; head != nil {
		lines, n := d.layout(head)
		d.drawRow(head, lines, n)
	}
}

// room makes sure h millimetres fit above the bottom margin.
func (d *doc) room(h float64) {
	if d.y()+h > bottom {
		d.newPage()
	}
}

// heading writes a centred title in a larger size.
func (d *doc) heading(s string, size float64) {
	saved := d.size
	d.size = size
	lh := d.lineHeight()
	for _, l := range d.wrap(s, contentW) {
		d.room(lh)
		d.text(margin+(contentW-d.width(l))/2, d.y()+lh*0.75, l)
		d.pdf.SetY(d.y() + lh)
	}
	d.size = saved
	d.pdf.SetY(d.y() + 2)
}

// corner writes a small label at the top left (附件1 …).
func (d *doc) corner(s string) {
	lh := d.lineHeight()
	d.text(margin, d.y()+lh*0.75, s)
	d.pdf.SetY(d.y() + lh)
}

// paragraph writes wrapped text across the page; right aligns it.
func (d *doc) paragraph(s string, right bool) {
	lh := d.lineHeight()
	for _, l := range d.wrap(s, contentW) {
		d.room(lh)
		x := margin
		if right {
			x = margin + contentW - d.width(l)
		}
		d.text(x, d.y()+lh*0.75, l)
		d.pdf.SetY(d.y() + lh)
	}
}

// space moves down by h millimetres.
func (d *doc) space(h float64) { d.pdf.SetY(d.y() + h) }

// bytes is the finished PDF.
func (d *doc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("write PDF: %w", err)
	}
	return b.Bytes(), nil
}
