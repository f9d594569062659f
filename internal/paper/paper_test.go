package paper_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/paper"
)

// fonts loads the fonts CI installs; without them (or without poppler's
// pdftotext) a test skips, except in CI, where it fails.
func fonts(t testing.TB) *paper.Fonts {
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

// pdfText is the text poppler extracts from a PDF, spaces and line breaks
// removed (pdftotext breaks lines where the form wraps them).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// inkedShare renders page 1 at 50 dpi and returns the share of pixels that
// are not white.
func inkedShare(t *testing.T, pdf []byte) float64 {
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
	return nonWhite(img)
}

func nonWhite(img image.Image) float64 {
	b := img.Bounds()
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xE000 || g < 0xE000 || bl < 0xE000 {
				inked++
			}
		}
	}
	return float64(inked) / float64(b.Dx()*b.Dy())
}

// wantText fails for every value missing from the extracted text.
func wantText(t *testing.T, text string, values ...string) {
	t.Helper()
	for _, v := range values {
		if !strings.Contains(text, strings.Join(strings.Fields(v), "")) {
			t.Errorf("the PDF's text lacks %q", v)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// sample is a complete enterprise 推荐表.
func sample() form.Application {
	return form.Application{
		BrandName: "石林撒尼刺绣", BrandType: "enterprise", Category: "culture_tourism_crafts", CountyCode: "530126",
		ContactName: "李秀英", ContactPhone: "13987654321", UnitName: "石林阿诗玛绣娘服饰有限公司", LegalRepresentative: "毕春梅",
		UnitAddress: "云南省昆明市石林彝族自治县鹿阜街道阿诗玛大道88号", RegistrationPlace: "石林彝族自治县",
		USCC: "91530126MA6K8XQ12N", RegisteredOn: "2016-03-18",
		RegisteredCapitalWan: ptr(500.0), LaborIncomeWan: ptr(3280.5), WorkerAnnualIncomeWan: ptr(4.8), IndustryScaleWan: ptr(6200.0),
		DirectEmployees: ptr(int64(1260)), DrivenEmployment: ptr(int64(3400)), DirectPovertyAlleviated: ptr(int64(312)),
		DrivenPovertyAlleviated: ptr(int64(845)), AssociatedEnterprises: ptr(int64(27)), TraineesTwoYears: ptr(int64(1830)),
		HasPatentOrStandard: ptr(true), PatentsStandards: []string{"撒尼刺绣技艺团体标准 T/KMXH 003-2023", "一种刺绣绷架 ZL202120345678.9"},
		Honours:         []string{"云南省非物质文化遗产生产性保护基地", "昆明市就业扶贫车间"},
		DevelopmentPlan: "以撒尼刺绣为核心，三年内建成10个绣娘工坊，带动5000名妇女居家就业。",
		TypicalPersons:  strings.Repeat("毕春梅，撒尼刺绣省级传承人，从艺三十年，培养绣娘两千余人。", 40),
		Commitment:      ptr(true), Trademark: &form.Trademark{Registered: ptr(true), RegistrationNo: "第38215566号"},
		FixedPremises: ptr(true), StandardsLed: ptr(true), IntangibleHeritage: ptr(true), FollowUpService: "建立绣娘档案，定期回访。",
	}
}

var printed = time.Date(2026, 11, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestRecommendationPDFCarriesTheRecord(t *testing.T) {
	f := fonts(t)
	a := sample()
	pdf, err := f.RecommendationPDF(paper.Recommendation{ApplicationID: "A20261130X", Form: a, CountyName: "石林彝族自治县",
		CountyOpinion: "材料齐全，同意推荐。", Printed: printed})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	wantText(t, text, "附件1", "昆明市市级劳务品牌培育入库推荐表", "劳务品牌名称", a.BrandName, a.ContactName, a.ContactPhone, a.UnitName,
		a.LegalRepresentative, a.UnitAddress, a.USCC, a.RegisteredOn, "500（万元）", "3280.5（万元）", "1260（人）", "3400（人）",
		"1830（人次）", "☑ 企业劳务品牌", "☐ 区域公用劳务品牌", "☑ 文旅手工艺类", a.PatentsStandards[0], a.Honours[1], a.DevelopmentPlan,
		"本人承诺，申报表所填内容真实、准确。", "承诺人（机构法人代表）签字：", "材料齐全，同意推荐。", "市人社部门意见",
		"第38215566号", a.FollowUpService)
	if share := inkedShare(t, pdf); share < 0.01 {
		t.Errorf("page 1 is blank: %.4f of its pixels are inked", share)
	}
	if os.Getenv("LB_KEEP_PDF") != "" {
		os.WriteFile(os.Getenv("LB_KEEP_PDF"), pdf, 0o644)
	}
}
