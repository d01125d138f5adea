package resumption

// The checklists shipped as templates. The prevention checklist is the
// one the service teams brought into the enterprises in 2020: the living
// area and the production area, 2 groups of 8 items (16 in all), from the
// registration of new arrivals to staggered meals.

const (
	basisEpidemic = "《浙江省企业复工疫情防控指南》（2020）"
	basisSafety   = "《中华人民共和国安全生产法》第二十一条、第四十一条"
	basisTyphoon  = "《宁波市防御台风应急预案》"
	basisLabour   = "《中华人民共和国劳动合同法》"
)

// Prevention is the prevention checklist (防疫清单): 2 groups, 16 items.
var Prevention = Checklist{Key: "prevention", Matter: "epidemic", Zh: "企业复工防疫清单", En: "Prevention checklist for restarting", Groups: []Group{
	{Zh: "生活区", En: "Living area", Items: []Item{
		{Key: "arrivals", Zh: "新增人员登记，分类（居家隔离、新增返甬、计划返甬）动态管理", En: "new arrivals registered and followed by class", Weight: 8, Basis: basisEpidemic, Verifier: Grid},
		{Key: "dorm_density", Zh: "宿舍每间不超过规定人数，通风良好", En: "dormitory rooms within the limit and aired", Weight: 6, Basis: basisEpidemic, Verifier: Grid},
		{Key: "dorm_disinfect", Zh: "宿舍、浴室、卫生间每日消毒并记录", En: "dormitories and washrooms disinfected daily, with a log", Weight: 6, Basis: basisEpidemic, Verifier: Self},
		{Key: "canteen_batches", Zh: "食堂用餐分批分桌、同向就座", En: "meals in batches at separate tables", Weight: 7, Basis: basisEpidemic, Verifier: Grid},
		{Key: "waste", Zh: "废弃口罩等垃圾单独收集、单独清运", En: "used masks and waste collected and removed apart", Weight: 6, Basis: basisEpidemic, Verifier: Self},
		{Key: "isolation_room", Zh: "设置临时隔离观察室", En: "a room for temporary isolation", Weight: 7, Basis: basisEpidemic, Verifier: Grid},
		{Key: "closed_area", Zh: "生活区封闭管理，外来人员不进入", En: "the living area closed to visitors", Weight: 5, Basis: basisEpidemic, Verifier: Self},
		{Key: "health_report", Zh: "员工健康状况每日报告", En: "staff health reported daily", Weight: 5, Basis: basisEpidemic, Verifier: Self},
	}},
	{Zh: "生产区", En: "Production area", Items: []Item{
		{Key: "temperature", Zh: "全员进厂体温检测并登记", En: "everyone's temperature taken at the gate and logged", Weight: 8, Basis: basisEpidemic, Verifier: Grid},
		{Key: "site_disinfect", Zh: "厂区、车间全面消毒，每日不少于两次", En: "site and workshops disinfected at least twice a day", Weight: 7, Basis: basisEpidemic, Verifier: Self},
		{Key: "masks", Zh: "员工佩戴口罩，防护物资储备不少于七天", En: "masks worn; protective supplies for at least seven days", Weight: 7, Basis: basisEpidemic, Verifier: Grid},
		{Key: "distance", Zh: "工位间隔不少于一米，减少聚集", En: "work stations a metre apart, no gatherings", Weight: 5, Basis: basisEpidemic, Verifier: Self},
		{Key: "meetings", Zh: "会议视频召开或缩短时间、控制人数", En: "meetings by video, or short and small", Weight: 4, Basis: basisEpidemic, Verifier: Self},
		{Key: "shuttle", Zh: "通勤车辆每趟消毒，乘车登记", En: "shuttles disinfected each trip, riders logged", Weight: 5, Basis: basisEpidemic, Verifier: Self},
		{Key: "plan", Zh: "制定疫情防控方案和应急预案，明确责任人", En: "a prevention plan and an emergency plan with a person in charge", Weight: 8, Basis: basisEpidemic, Verifier: Grid},
		{Key: "contact", Zh: "与属地社区建立联络机制，异常情况及时报告", En: "a contact with the community; anything unusual reported at once", Weight: 6, Basis: basisEpidemic, Verifier: Self},
	}},
}}

// WorkSafety is a work-safety self-check (安全生产自查).
var WorkSafety = Checklist{Key: "work_safety", Matter: "work_safety", Zh: "安全生产自查清单", En: "Work-safety self-check", Groups: []Group{
	{Zh: "责任与制度", En: "Responsibilities", Items: []Item{
		{Key: "duty", Zh: "建立全员安全生产责任制", En: "a safety responsibility for every post", Weight: 10, Basis: basisSafety, Verifier: Department},
		{Key: "training", Zh: "员工岗前安全培训并有记录", En: "pre-job safety training, recorded", Weight: 10, Basis: basisSafety, Verifier: Self},
	}},
	{Zh: "现场", En: "On site", Items: []Item{
		{Key: "exits", Zh: "安全出口、疏散通道畅通", En: "exits and escape routes clear", Weight: 15, Basis: basisSafety, Verifier: Grid},
		{Key: "extinguishers", Zh: "消防器材完好有效", En: "fire extinguishers in order", Weight: 10, Basis: basisSafety, Verifier: Grid},
		{Key: "hazards", Zh: "危险化学品分类存放、专人管理", En: "dangerous chemicals stored apart and kept by a named person", Weight: 15, Basis: basisSafety, Verifier: Department},
		{Key: "equipment", Zh: "特种设备定期检验", En: "special equipment inspected on schedule", Weight: 10, Basis: basisSafety, Verifier: Department},
	}},
}}

// Typhoon is a typhoon-preparedness check (防台检查).
var Typhoon = Checklist{Key: "typhoon", Matter: "flood", Zh: "防台风准备检查清单", En: "Typhoon preparedness check", Groups: []Group{
	{Zh: "防台准备", En: "Preparedness", Items: []Item{
		{Key: "roofs", Zh: "彩钢棚、广告牌、脚手架加固", En: "steel sheds, signs and scaffolds secured", Weight: 10, Basis: basisTyphoon, Verifier: Grid},
		{Key: "drainage", Zh: "排水设施疏通，沙袋等物资到位", En: "drains cleared, sandbags ready", Weight: 10, Basis: basisTyphoon, Verifier: Grid},
		{Key: "low_ground", Zh: "低洼处物资、设备转移", En: "goods and machines moved off low ground", Weight: 10, Basis: basisTyphoon, Verifier: Self},
		{Key: "people", Zh: "工棚、危房人员撤离方案", En: "a plan to move people out of sheds and unsafe buildings", Weight: 10, Basis: basisTyphoon, Verifier: Grid},
		{Key: "duty", Zh: "防台期间值班人员和联系方式", En: "people on duty and their numbers", Weight: 5, Basis: basisTyphoon, Verifier: Self},
	}},
}}

// LegalHealth is a legal health check (法治体检), advice from a lawyer.
var LegalHealth = Checklist{Key: "legal_health", Matter: "labour", Zh: "企业法治体检清单", En: "Legal health check", Groups: []Group{
	{Zh: "用工", En: "Employment", Items: []Item{
		{Key: "contracts", Zh: "劳动合同签订率 100%", En: "every employee under a written contract", Weight: 10, Basis: basisLabour, Verifier: Self},
		{Key: "wages", Zh: "工资按时足额支付，无拖欠", En: "wages paid in full and on time", Weight: 10, Basis: basisLabour, Verifier: Self},
		{Key: "insurance", Zh: "依法缴纳社会保险", En: "social insurance paid as the law requires", Weight: 10, Basis: "《中华人民共和国社会保险法》", Verifier: Self},
	}},
	{Zh: "经营", En: "Business", Items: []Item{
		{Key: "contracts_review", Zh: "重大合同经法律审核", En: "major contracts reviewed by a lawyer", Weight: 5, Basis: "《中华人民共和国民法典》合同编", Verifier: Self},
		{Key: "ip", Zh: "商标、专利等知识产权登记与保护", En: "trademarks and patents registered and protected", Weight: 5, Basis: "《中华人民共和国专利法》《商标法》", Verifier: Self},
	}},
}}

// Templates are the checklists shipped, in the order a campaign offers them.
var Templates = []Checklist{Prevention, WorkSafety, Typhoon, LegalHealth}
