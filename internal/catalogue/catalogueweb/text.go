package catalogueweb

import (
	"qifu/internal/catalogue"
	"qifu/internal/web/core"
)

// Text is the catalog of the catalogue's words: key → {Chinese, English}.
var Text = withNames(core.Catalog{
	"nav.catalogue":       {"服务清单", "Services"},
	"cat.title":           {"服务标准清单", "Catalogue of service standards"},
	"cat.demo":            {"示例数据：本清单按区级服务标准清单的结构（4 类 85 项）编写，供演示使用，不是官方发布的清单。", "Example data: this catalogue is shaped like a district's (85 standards in 4 groups) for the demo; it is not an official catalogue."},
	"cat.demoflag":        {"示例", "example"},
	"cat.search":          {"搜索", "Search"},
	"cat.q":               {"搜索服务，如：融资、招工、消防", "Search, e.g. financing, hiring, fire"},
	"cat.allgroups":       {"全部分类", "All groups"},
	"cat.allmodes":        {"全部方式", "All modes"},
	"cat.showwithdrawn":   {"含已废止", "Include withdrawn"},
	"cat.count":           {"共 %d 项", "%d standards"},
	"cat.none":            {"没有符合条件的服务标准。换个关键词，或清除筛选条件再试。", "No standard matches. Try other words, or clear the filters."},
	"cat.code":            {"编号", "Code"},
	"cat.group":           {"分组", "Group"},
	"cat.name":            {"名称", "Name"},
	"cat.name_en":         {"英文名称", "English name"},
	"cat.gets":            {"企业得到", "What the enterprise gets"},
	"cat.gets_en":         {"英文说明", "In English"},
	"cat.conditions":      {"申请条件", "Conditions"},
	"cat.materials":       {"所需材料", "Materials"},
	"cat.materials_help":  {"每行一项", "one per line"},
	"cat.department":      {"责任部门", "Responsible department"},
	"cat.office":          {"站所代码", "Office code"},
	"cat.providers":       {"协同服务机构", "Co-providers"},
	"cat.promise":         {"承诺时限", "Promised time"},
	"cat.unit_days":       {"工作日", "working days"},
	"cat.unit_hours":      {"工作小时", "working hours"},
	"cat.mode":            {"服务方式", "Delivery"},
	"cat.link":            {"办事链接", "Online service link"},
	"cat.schedule":        {"活动频次", "How often"},
	"cat.category":        {"对应诉求分类", "Appeal category"},
	"cat.from":            {"生效日期", "In force from"},
	"cat.until":           {"废止日期", "Withdrawn on"},
	"cat.inforce":         {"有效", "In force"},
	"cat.notinforce":      {"已废止或未生效", "Withdrawn or not yet in force"},
	"cat.version":         {"第 %d 版", "version %d"},
	"cat.ask":             {"申请此项服务", "Ask for this service"},
	"cat.ask_help":        {"打开诉求表单，责任部门和承诺时限按本标准带出。", "Opens the appeal form with this standard's department and promised time."},
	"cat.online":          {"前往浙江政务服务网办理", "Go to the official online service"},
	"cat.online_help":     {"此事项在一网通办平台在线办理，不需要在这里提交。", "This matter is handled on the official online service, not here."},
	"cat.versions":        {"历史版本", "Versions"},
	"cat.savedby":         {"保存人", "Saved by"},
	"cat.edit":            {"修改（保存为新版本）", "Change (saved as the next version)"},
	"cat.save":            {"保存", "Save"},
	"cat.withdraw":        {"废止", "Withdraw"},
	"cat.withdraw_help":   {"废止后不再向企业提供，已按本标准提出的诉求保留原版本。", "Once withdrawn it is no longer offered; appeals raised under it keep their version."},
	"cat.withdrawn_flash": {"服务标准已废止", "The standard was withdrawn"},
	"cat.new":             {"新增服务标准", "New standard"},
	"cat.export":          {"导出 Excel", "Export to Excel"},
	"cat.import":          {"导入服务标准清单", "Import a catalogue"},
	"cat.import_help":     {"先导出现有清单作为模板，修改后整表导入：新编号新增，已有编号有变化的保存为新版本。任何一行有问题则整表不导入，并列出每行的问题。", "Export the catalogue as the template, edit it and import it whole: new codes are added, changed ones saved as their next version. If any row has a problem nothing is imported and each row's problems are listed."},
	"cat.file":            {"Excel 文件（.xlsx）", "Workbook (.xlsx)"},
	"cat.import_go":       {"导入", "Import"},
	"cat.import_done":     {"已导入：新增 %d 项，更新 %d 项。", "Imported: %d added, %d changed."},
	"cat.import_rejected": {"未导入任何内容。以下各行需要修改，改好后重新导入整个文件：", "Nothing was imported. These rows need changes; fix them and import the whole file again:"},
	"cat.row":             {"行", "Row"},
	"cat.problems":        {"问题", "Problems"},
	"cat.use":             {"服务标准使用情况", "Use of the catalogue"},
	"cat.use_short":       {"使用情况", "Use"},
	"cat.use_requests":    {"申请数", "Requests"},
	"cat.use_closed":      {"已办结", "Closed"},
	"cat.use_ontime":      {"按时办结率", "On time"},
	"cat.use_unused":      {"期间内无人申请的服务标准（%d 项）", "Standards nobody asked for in the period (%d)"},
	"cat.use_none":        {"期间内没有按服务标准提出的诉求。企业可在服务清单中直接申请。", "No appeal was raised under a standard in the period. Enterprises ask from the catalogue."},
	"cat.use_total":       {"期间内按服务标准提出的诉求共 %d 件", "%d appeals raised under standards in the period"},
	"cat.month_from":      {"起始月份", "From month"},
	"cat.month_to":        {"截止月份", "To month"},
	"cat.apply":           {"查询", "Show"},
	"cat.providers_dir":   {"服务机构名录", "Directory of providers"},
	"pv.kind":             {"类别", "Kind"},
	"pv.code":             {"代码", "Code"},
	"pv.contact":          {"联系窗口", "Desk"},
	"pv.phone":            {"电话", "Phone"},
	"pv.address":          {"地址", "Address"},
	"pv.add":              {"添加服务机构", "Add a provider"},
	"pv.none":             {"名录中还没有服务机构。添加群团组织、社会组织、专业机构后，服务标准即可指定协同机构。", "The directory is empty. Add mass and social organisations and professional bodies, then name them on standards."},
	"pv.change":           {"修改", "Change"},
})

// withNames adds the names of the groups, modes and kinds of provider the
// domain keeps (the workbook uses them too) as words "group.x", "mode.x", "pkind.x".
func withNames(c core.Catalog) core.Catalog {
	for k, v := range catalogue.GroupNames {
		c["group."+k] = v
	}
	for k, v := range catalogue.ModeNames {
		c["mode."+string(k)] = v
	}
	for k, v := range catalogue.ProviderKindNames {
		c["pkind."+string(k)] = v
	}
	return c
}
