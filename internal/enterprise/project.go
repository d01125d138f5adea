package enterprise

import (
	"slices"
	"strings"
	"unicode/utf8"

	"qifu/internal/fault"
)

// Project is a key project (重点项目) of an enterprise: an investment the
// district follows, which must have a cadre responsible for it (三个全覆盖).
type Project struct {
	ID           int64
	EnterpriseID int64
	Enterprise   string // its name, for display
	Name         string
	Stage        Stage
	Investment   int64 // yuan
	CadreID      int64 // 0: none yet
	Cadre        string
	Version      int64
}

// Stage is how far a project has come.
type Stage string

// The stages.
const (
	StagePlanned   Stage = "planned"   // 谋划
	StageBuilding  Stage = "building"  // 在建
	StageProducing Stage = "producing" // 投产
)

// Stages are the stages in order.
var Stages = []Stage{StagePlanned, StageBuilding, StageProducing}

// Check normalises a project and refuses what cannot be one, with a message per field.
func (p *Project) Check() error {
	p.Name = strings.TrimSpace(p.Name)
	f := fault.Fields{}
	if p.EnterpriseID == 0 {
		f.Add("credit_code", "请填写项目所属企业", "name the project's enterprise")
	}
	if n := utf8.RuneCountInString(p.Name); n < 2 || n > 60 {
		f.Add("name", "项目名称须为 2 到 60 个字", "a project's name has 2 to 60 characters")
	}
	if !slices.Contains(Stages, p.Stage) {
		f.Add("stage", "请选择项目阶段", "choose the project's stage")
	}
	if p.Investment < 0 || p.Investment > 1_000_000_000_000_00 {
		f.Add("investment", "投资额须在 0 到 1000 亿元之间", "the investment is between 0 and 100 billion yuan")
	}
	return f.Err()
}
