package sheet

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// notesSheet is the name of the template's sheet of explanations.
const notesSheet = "说明"

// templateNotes are the general notes under the column explanations.
var templateNotes = []string{
	"1. 每行填写一家企业。第一行是表头，列名须与模板一致；列的顺序可以调整，模板以外的列会被忽略。",
	"2. 标“是”的必填列不能为空；同一文件中统一社会信用代码不能重复。",
	"3. 统一社会信用代码、联系电话、网格编码请按文本填写，避免Excel把长数字改成科学计数法。",
	"4. 第2行是虚构的示例，导入前请删除或替换为真实企业。",
	"5. 导出的名单可修改后重新导入；规模、所属社区、所属街道、校验待确认由系统生成，导入时忽略。",
	"6. 有问题的行会列入错误报告，可在报告中直接修改后重新导入。",
}

// WriteTemplate writes the import template: the headers of the import
// columns with one fictional example row and drop-down lists where a column
// takes fixed values, and a second sheet 说明 explaining each column.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), dataSheet); err != nil {
		return fmt.Errorf("sheet: name sheet: %w", err)
	}
	if err := fillTemplate(f); err != nil {
		return fmt.Errorf("sheet: template: %w", err)
	}
	if err := fillNotes(f); err != nil {
		return fmt.Errorf("sheet: template notes: %w", err)
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("sheet: write template: %w", err)
	}
	return nil
}

// fillTemplate writes the data sheet of the template.
func fillTemplate(f *excelize.File) error {
	st := newStyles(f)
	bold, err := st.style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header, example := make([]any, len(columns)), make([]any, len(columns))
	for i, c := range columns {
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(dataSheet, name, name, c.width); err != nil {
			return err
		}
		if c.numFmt != 0 {
			id, err := st.format(c.numFmt)
			if err != nil {
				return err
			}
			if err := f.SetColStyle(dataSheet, name, id); err != nil {
				return err
			}
		}
		header[i], example[i] = c.header, c.example
		if n, err := strconv.ParseFloat(c.example, 64); err == nil && c.numFmt != textFormat {
			example[i] = n // a number cell, as people would type it
		}
		if len(c.choices) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", name, name, excelize.TotalRows)
			if err := dv.SetDropList(c.choices); err != nil {
				return err
			}
			if err := f.AddDataValidation(dataSheet, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetRow(dataSheet, "A1", &header); err != nil {
		return err
	}
	if err := f.SetSheetRow(dataSheet, "A2", &example); err != nil {
		return err
	}
	last, err := excelize.ColumnNumberToName(len(columns))
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(dataSheet, "A1", last+"1", bold); err != nil {
		return err
	}
	return f.SetPanes(dataSheet, frozenHeader())
}

// fillNotes writes the 说明 sheet: one row per import column, then the
// general notes.
func fillNotes(f *excelize.File) error {
	if _, err := f.NewSheet(notesSheet); err != nil {
		return err
	}
	st := newStyles(f)
	bold, err := st.style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := st.style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 18, "B": 10, "C": 70, "D": 30} {
		if err := f.SetColWidth(notesSheet, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(notesSheet, "A1", &[]any{"列名", "必填", "填写说明", "示例"}); err != nil {
		return err
	}
	if err := f.SetCellStyle(notesSheet, "A1", "D1", bold); err != nil {
		return err
	}
	line := 1
	for _, c := range columns {
		line++
		required := ""
		if c.required {
			required = "是"
		}
		if err := f.SetSheetRow(notesSheet, "A"+strconv.Itoa(line), &[]any{c.header, required, c.note, c.example}); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(notesSheet, "A2", "D"+strconv.Itoa(line), wrap); err != nil {
		return err
	}
	line++
	for _, n := range templateNotes {
		line++
		if err := f.SetCellStr(notesSheet, "A"+strconv.Itoa(line), n); err != nil {
			return err
		}
	}
	return nil
}
