package sheet

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// Table is one sheet of a workbook of figures: its name, a header row and
// the data rows (numbers stay numbers).
type Table struct {
	Name   string
	Header []string
	Rows   [][]any
}

// WriteTables writes tables as a workbook, one sheet each, in their order.
func WriteTables(w io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	for _, t := range tables {
		if _, err := f.NewSheet(t.Name); err != nil {
			return err
		}
		for i, h := range t.Header {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			if err := f.SetCellValue(t.Name, cell, h); err != nil {
				return err
			}
		}
		for r, row := range t.Rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				if err := f.SetCellValue(t.Name, cell, v); err != nil {
					return err
				}
			}
		}
	}
	if len(tables) > 0 {
		_ = f.DeleteSheet("Sheet1")
	}
	_, err := f.WriteTo(w)
	return err
}
