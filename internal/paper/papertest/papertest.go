// Package papertest reads a PDF back the way a person would see it, for
// tests: its text (poppler's pdftotext) and how much of its first page is
// inked (poppler's pdftoppm).
package papertest

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/paper"
)

// Fonts loads the fonts CI installs; without them, or without poppler, the
// test skips — except in CI (CI set), where it fails.
func Fonts(t testing.TB) *paper.Fonts {
	t.Helper()
	f, err := paper.LoadFonts("", "")
	if err == nil {
		_, err = exec.LookPath("pdftoppm")
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return f
}

// Text is the text poppler extracts from a PDF, with white space removed
// (pdftotext breaks lines where a form wraps them).
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	return strings.Join(strings.Fields(pdftotext(t, pdf)), "")
}

// Pages is the text of each page of pdf, white space aside.
func Pages(t testing.TB, pdf []byte) []string {
	t.Helper()
	pages := strings.Split(strings.TrimRight(pdftotext(t, pdf), "\f"), "\f") // pdftotext ends each page with a form feed
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(p), "")
	}
	return pages
}

func pdftotext(t testing.TB, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// Contains fails for every value missing from the text of pdf (white space
// aside).
func Contains(t testing.TB, pdf []byte, values ...string) {
	t.Helper()
	text := Text(t, pdf)
	for _, v := range values {
		if !strings.Contains(text, strings.Join(strings.Fields(v), "")) {
			t.Errorf("the PDF's text lacks %q", v)
		}
	}
}

// Lacks fails for every value found in the text of pdf (white space aside).
func Lacks(t testing.TB, pdf []byte, values ...string) {
	t.Helper()
	text := Text(t, pdf)
	for _, v := range values {
		if strings.Contains(text, strings.Join(strings.Fields(v), "")) {
			t.Errorf("the PDF's text has %q", v)
		}
	}
}

// NotBlank renders page 1 at 50 dpi and fails unless at least 1% of its
// pixels are inked (not white): a page of a form is several percent.
func NotBlank(t testing.TB, pdf []byte) float64 {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	fh, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	share := inked(img)
	if share < 0.01 {
		t.Errorf("page 1 is blank: %.4f of its pixels are inked", share)
	}
	return share
}

func inked(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xE000 || g < 0xE000 || bl < 0xE000 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

// WritePage renders page n of pdf at dpi to the PNG file path (the README's
// pictures).
func WritePage(t testing.TB, pdf []byte, n, dpi int, path string) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	page := strconv.Itoa(n)
	out := strings.TrimSuffix(path, ".png")
	if b, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-f", page, "-l", page, "-singlefile", in, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
}
