package workflows

import "testing"

// A history's notes for people (RULES §5: a revision's line names what it
// moved; 第十五条 a finding's reason; 附件3 a removal's situations). The record
// keeps codes, as the processes have always written them; a person reads
// their names, old steps as well as new ones.
func TestStepNote_ANoteNamesItsCodesInChinese(t *testing.T) {
	for _, c := range []struct{ action, note, want string }{
		{"deadlines.recomputed", "节假日安排更新，期限重新计算：county_review → 2026-09-29；",
			"节假日安排更新，期限重新计算：初审办理期限 → 2026-09-29"},
		{"deadlines.recomputed", "节假日安排更新，期限重新计算：rectification → 2027-01-04；renewal_window → 2026-12-11；objection_ruling:O1 → 2026-10-09",
			"节假日安排更新，期限重新计算：整改期限 → 2027-01-04；延续暂停决定窗口开启 → 2026-12-11；异议裁定期限（O1） → 2026-10-09"},
		{"deadlines.recomputed", "节假日安排更新，期限重新计算：change:C7 → 2026-10-20；report_triage:R2 → 2026-10-21；something_new → 2026-10-22",
			"节假日安排更新，期限重新计算：变更审核意见期限（C7） → 2026-10-20；举报核查处理期限（R2） → 2026-10-21；something_new → 2026-10-22"},
		{"finding.level3", "serious_dishonesty_list", "被列入严重违法失信名单"},
		{"finding.level1", "logo_misuse（来自举报）属实", "不规范使用劳务品牌标识（来自举报）属实"},
		{"finding.level1", "未按时提供相关信息（第十五条（一）），自动下达整改", "未按时提供相关信息（第十五条（一）），自动下达整改"},
		{"removal.reported", "fraud,serious_violation：伪造材料", "以欺骗或其他不正当手段通过劳务品牌认定；发生严重损害消费者权益、出现重大质量问题或安全事故、严重侵犯他人知识产权、严重扰乱市场秩序或其他严重违法行为：伪造材料"},
		{"interview.held", "约谈负责人：county_review → x", "约谈负责人：county_review → x"}, // an officer's words stay as written
	} {
		if got := StepNote(c.action, c.note); got != c.want {
			t.Errorf("StepNote(%q, %q)\n = %q\nwant %q", c.action, c.note, got, c.want)
		}
	}
}

// 第十五条（三）: a renewal is written renewal.decided (the step's kind and
// ".decided"); the history named it by its code.
func TestActionLabel_ARenewalHasItsName(t *testing.T) {
	if got := ActionLabel("renewal.decided"); got != "决定延续暂停" {
		t.Errorf("ActionLabel(renewal.decided) = %q", got)
	}
}

// What a person sees is Chinese: the lines the store writes into a
// record's history beside the processes' steps — a signed scan received
// (第十条, 附件2, 附件3) and a material taken back before 初审 — are named,
// not shown by their codes.
func TestActionLabel_TheStoresOwnHistoryLinesHaveNames(t *testing.T) {
	for action, want := range map[string]string{"signed_form.received": "收到签字件", "attachment.removed": "撤回申报材料"} {
		if got := ActionLabel(action); got != want {
			t.Errorf("ActionLabel(%s) = %q, want %q", action, got, want)
		}
	}
}
