package web

import (
	"net/http"
	"strings"
)

// langCookie keeps the chosen language; Chinese is the default.
const langCookie = "qifu_lang"

// langOf returns "en" or "zh" for a request: the cookie, else the API's
// Accept-Language, else Chinese.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		if c.Value == "en" {
			return "en"
		}
		return "zh"
	}
	if isAPI(r) && strings.HasPrefix(r.Header.Get("Accept-Language"), "en") {
		return "en"
	}
	return "zh"
}

// text is the catalog of the UI's words: key → {Chinese, English}.
var text = map[string][2]string{
	"app.name":          {"企服", "qifu"},
	"app.slogan":        {"企业呼叫 · 社区吹哨 · 部门报到", "Enterprises call · communities whistle · departments report in"},
	"nav.home":          {"首页", "Home"},
	"nav.enterprises":   {"企业", "Enterprises"},
	"nav.places":        {"区划与网格", "Regions & grids"},
	"nav.departments":   {"部门", "Departments"},
	"nav.users":         {"用户", "Users"},
	"nav.audit":         {"审计日志", "Audit log"},
	"nav.account":       {"我的账号", "My account"},
	"nav.logout":        {"退出", "Sign out"},
	"lang.switch":       {"English", "中文"},
	"login.title":       {"登录", "Sign in"},
	"login.username":    {"用户名", "Username"},
	"login.password":    {"密码", "Password"},
	"login.submit":      {"登录", "Sign in"},
	"login.demo":        {"演示账号（密码均为 Qifu@2026）", "Demo accounts (password Qifu@2026)"},
	"home.welcome":      {"欢迎", "Welcome"},
	"home.scope":        {"管辖范围", "Scope"},
	"home.enterprises":  {"企业数", "Enterprises"},
	"home.grids":        {"网格数", "Grids"},
	"home.outside":      {"超出 20–50 家标准的网格", "Grids outside the 20–50 norm"},
	"home.unconfirmed":  {"信用代码待确认的企业", "Enterprises with unconfirmed codes"},
	"home.noworker":     {"未指定网格员的网格", "Grids without a worker"},
	"home.departments":  {"联盟部门", "Alliance departments"},
	"home.users":        {"启用的账号", "Active accounts"},
	"home.nothing":      {"您的角色在本模块暂无可办事项。", "Your role has nothing to do in this module yet."},
	"home.myenterprise": {"我的企业", "My enterprise"},
	"home.assigned":     {"我联系的企业", "My enterprises"},
	"home.quick":        {"常用操作", "Quick actions"},
	"ent.list":          {"企业名录", "Enterprise list"},
	"ent.search":        {"名称或信用代码", "Name or credit code"},
	"ent.filter":        {"筛选", "Filter"},
	"ent.reset":         {"重置", "Reset"},
	"colon":             {"：", ": "},
	"ent.all":           {"全部", "All"},
	"ent.region":        {"区域", "Region"},
	"ent.industry":      {"行业", "Industry"},
	"ent.size":          {"规模", "Size"},
	"ent.tag":           {"标签", "Tag"},
	"ent.key":           {"重点企业", "Key enterprise"},
	"ent.key.any":       {"所有重点企业", "Any key level"},
	"ent.foreign":       {"外贸", "Foreign trade"},
	"ent.yes":           {"是", "Yes"},
	"ent.no":            {"否", "No"},
	"ent.unconfirmed":   {"仅看代码待确认", "Only unconfirmed codes"},
	"ent.total":         {"共 %d 家", "%d in all"},
	"ent.code":          {"统一社会信用代码", "Credit code"},
	"ent.name":          {"企业名称", "Name"},
	"ent.legal":         {"法定代表人", "Legal representative"},
	"ent.contact":       {"联系人", "Contact"},
	"ent.phone":         {"联系电话", "Phone"},
	"ent.address":       {"地址", "Address"},
	"ent.grid":          {"网格", "Grid"},
	"ent.employees":     {"从业人员", "Employees"},
	"ent.revenue":       {"营业收入（万元）", "Revenue (10k yuan)"},
	"ent.party":         {"党组织", "Party branch"},
	"ent.tags":          {"标签（用顿号分隔）", "Tags (separated by 、)"},
	"ent.version":       {"版本", "Version"},
	"ent.updated":       {"更新时间", "Updated"},
	"ent.new":           {"登记企业", "Register an enterprise"},
	"ent.edit":          {"编辑", "Edit"},
	"ent.save":          {"保存", "Save"},
	"ent.cancel":        {"取消", "Cancel"},
	"ent.reveal":        {"查看完整联系方式", "Show full contact details"},
	"ent.revealed":      {"完整联系方式（已记录查看）", "Full contact details (this view is audited)"},
	"ent.import":        {"导入", "Import"},
	"ent.export":        {"导出 Excel", "Export to Excel"},
	"ent.template":      {"下载导入模板", "Download the template"},
	"ent.codeflag":      {"代码校验位未通过，待核实", "Check character failed; awaiting confirmation"},
	"ent.notfound":      {"没有符合条件的企业", "No enterprise matches"},
	"ent.saved":         {"已保存", "Saved"},
	"imp.title":         {"导入企业名录", "Import an enterprise list"},
	"imp.file":          {"Excel 文件（.xlsx）", "Excel workbook (.xlsx)"},
	"imp.strict":        {"严格模式：有任何错误行则全部不导入", "Strict: import nothing if any row is bad"},
	"imp.submit":        {"开始导入", "Import"},
	"imp.help":          {"按统一社会信用代码更新或新增；同一文件重复导入不会重复登记。", "Rows are matched by credit code; importing the same file again changes nothing."},
	"imp.result":        {"导入结果", "Import result"},
	"imp.created":       {"新增", "Created"},
	"imp.updated":       {"更新", "Updated"},
	"imp.unchanged":     {"未变化", "Unchanged"},
	"imp.rejected":      {"未导入的行", "Rejected rows"},
	"imp.notapplied":    {"严格模式下发现错误行，未导入任何数据。", "Strict mode found bad rows: nothing was imported."},
	"imp.report":        {"下载错误报告", "Download the error report"},
	"imp.line":          {"行号", "Line"},
	"imp.problems":      {"错误原因", "Problems"},
	"places.title":      {"区划与网格", "Regions and grids"},
	"places.code":       {"代码", "Code"},
	"places.name":       {"名称", "Name"},
	"places.level":      {"层级", "Level"},
	"places.worker":     {"网格员", "Grid worker"},
	"places.load":       {"企业数", "Enterprises"},
	"places.outside":    {"超出标准", "Outside the norm"},
	"places.industrial": {"产业社区", "Industrial community"},
	"places.norm":       {"网格包片制：每个网格 20–50 家企业，一名网格员。", "Each grid holds 20–50 enterprises and has one grid worker."},
	"places.setworker":  {"指定网格员", "Set worker"},
	"places.none":       {"未指定", "None"},
	"dept.title":        {"锋领企服联盟成员部门", "Departments of the service alliance"},
	"dept.code":         {"代码", "Code"},
	"dept.name":         {"部门", "Department"},
	"dept.phone":        {"电话", "Phone"},
	"dept.staff":        {"人员账号", "Staff accounts"},
	"users.title":       {"用户管理", "Users"},
	"users.username":    {"用户名", "Username"},
	"users.name":        {"姓名", "Name"},
	"users.role":        {"角色", "Role"},
	"users.scope":       {"范围", "Scope"},
	"users.phone":       {"手机", "Mobile"},
	"users.status":      {"状态", "Status"},
	"users.active":      {"启用", "Active"},
	"users.disabled":    {"已停用", "Disabled"},
	"users.locked":      {"已锁定", "Locked"},
	"users.new":         {"新增用户", "New user"},
	"users.region":      {"区划代码", "Region code"},
	"users.department":  {"部门", "Department"},
	"users.enterprise":  {"企业 ID", "Enterprise ID"},
	"users.password":    {"初始密码", "Initial password"},
	"users.reset":       {"重置密码", "Reset password"},
	"users.disable":     {"停用", "Disable"},
	"users.enable":      {"启用", "Enable"},
	"users.newpassword": {"新密码", "New password"},
	"audit.title":       {"审计日志", "Audit log"},
	"audit.at":          {"时间", "Time"},
	"audit.actor":       {"操作人", "Actor"},
	"audit.role":        {"角色", "Role"},
	"audit.action":      {"操作", "Action"},
	"audit.target":      {"对象", "Target"},
	"audit.result":      {"结果", "Result"},
	"audit.addr":        {"来源地址", "Client"},
	"audit.detail":      {"详情", "Detail"},
	"audit.verify":      {"校验哈希链", "Verify the chain"},
	"audit.ok":          {"哈希链完整，共校验 %d 条。", "The chain holds: %d entries checked."},
	"audit.broken":      {"哈希链被破坏：%s", "The chain is broken: %s"},
	"audit.export":      {"导出 CSV", "Export CSV"},
	"acct.title":        {"我的账号", "My account"},
	"acct.password":     {"修改密码", "Change password"},
	"acct.current":      {"当前密码", "Current password"},
	"acct.new":          {"新密码", "New password"},
	"acct.tokens":       {"API 令牌", "API tokens"},
	"acct.tokenname":    {"令牌名称", "Token name"},
	"acct.create":       {"创建令牌", "Create token"},
	"acct.revoke":       {"吊销", "Revoke"},
	"acct.revoked":      {"已吊销", "Revoked"},
	"acct.secret":       {"请立即复制令牌，它只显示这一次：", "Copy the token now; it is shown only once:"},
	"acct.changed":      {"密码已修改，请重新登录。", "Password changed; please sign in again."},
	"page.prev":         {"上一页", "Previous"},
	"page.next":         {"下一页", "Next"},
	"page.of":           {"第 %d / %d 页", "Page %d of %d"},
	"err.title":         {"出错了", "Something went wrong"},
	"err.back":          {"返回首页", "Back to the home page"},
	"common.actions":    {"操作", "Actions"},
	"common.none":       {"无", "none"},
}

// translate returns the text of key in lang, or the key itself when the
// catalog lacks it (a test checks every key the templates use).
func translate(lang, key string) string {
	t, ok := text[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

// switchLang answers POST /lang: it sets the language cookie and returns
// to the page the switch was pressed on.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.FormValue("lang")
	if lang != "en" {
		lang = "zh"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies, HttpOnly: true})
	http.Redirect(w, r, safeNext(r.FormValue("back")), http.StatusSeeOther)
	return nil
}
