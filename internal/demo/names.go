package demo

// The word lists the generator draws names from. They are plain data: every
// name they make is fictional, built from common words the way Ningbo
// enterprises and people are named.

// industry is a GB/T 4754-2017 division as the demo district has it: how
// common it is, the words its enterprises put in their names, and the
// figures that shape their size.
type industry struct {
	division string
	weight   int      // relative frequency among the district's enterprises
	words    []string // industry words of enterprise names
	perCap   [2]int   // annual revenue per employee, 万元, lowest and highest
	trade    int      // percentage of enterprises in foreign trade
	service  bool     // service trades employ fewer people
	tech     bool     // may hold technology qualifications
}

// industries are weighted toward the manufacturing Beilun is known for:
// moulds, plastics, metal parts, auto parts and electrical goods, with the
// port's trade and logistics beside them.
var industries = []industry{
	{division: "35", weight: 12, words: []string{"模具", "精密模具", "模塑科技", "机械设备", "压铸模具"}, perCap: [2]int{15, 45}, trade: 30, tech: true},
	{division: "29", weight: 11, words: []string{"塑胶", "塑业", "注塑", "塑料制品", "橡塑"}, perCap: [2]int{15, 40}, trade: 30},
	{division: "33", weight: 10, words: []string{"五金", "金属制品", "紧固件", "压铸", "五金工具"}, perCap: [2]int{15, 40}, trade: 30},
	{division: "36", weight: 9, words: []string{"汽配", "汽车部件", "汽车零部件", "车业"}, perCap: [2]int{20, 55}, trade: 30, tech: true},
	{division: "34", weight: 9, words: []string{"机械", "液压", "轴承", "阀门", "气动元件"}, perCap: [2]int{18, 50}, trade: 25, tech: true},
	{division: "38", weight: 8, words: []string{"电器", "电机", "电气", "照明电器", "小家电"}, perCap: [2]int{18, 50}, trade: 35, tech: true},
	{division: "39", weight: 5, words: []string{"电子", "光电科技", "电子科技", "通讯设备"}, perCap: [2]int{20, 60}, trade: 30, tech: true},
	{division: "26", weight: 4, words: []string{"化工", "新材料", "精细化工", "涂料"}, perCap: [2]int{60, 200}, trade: 15, tech: true},
	{division: "40", weight: 2, words: []string{"仪表", "仪器", "智能仪表"}, perCap: [2]int{22, 60}, trade: 20, tech: true},
	{division: "41", weight: 2, words: []string{"日用品", "工艺品", "日用制品"}, perCap: [2]int{15, 40}, trade: 40},
	{division: "17", weight: 2, words: []string{"纺织", "针织", "织造"}, perCap: [2]int{15, 40}, trade: 35},
	{division: "18", weight: 3, words: []string{"服饰", "制衣", "服装"}, perCap: [2]int{10, 30}, trade: 45},
	{division: "24", weight: 3, words: []string{"文具", "玩具", "体育用品", "宠物用品"}, perCap: [2]int{15, 40}, trade: 50},
	{division: "32", weight: 2, words: []string{"铝业", "铜业", "有色金属"}, perCap: [2]int{50, 150}, trade: 15},
	{division: "51", weight: 7, words: []string{"进出口", "贸易", "国际贸易", "商贸"}, perCap: [2]int{80, 300}, trade: 60, service: true},
	{division: "58", weight: 3, words: []string{"国际货运代理", "船务代理", "供应链管理"}, perCap: [2]int{40, 150}, trade: 50, service: true},
	{division: "59", weight: 3, words: []string{"仓储", "物流", "集装箱服务"}, perCap: [2]int{30, 100}, trade: 15, service: true},
	{division: "55", weight: 2, words: []string{"港口服务", "海运", "船舶服务"}, perCap: [2]int{50, 150}, trade: 25, service: true},
	{division: "54", weight: 2, words: []string{"运输", "集装箱运输", "货运"}, perCap: [2]int{20, 60}, trade: 5, service: true},
	{division: "65", weight: 1, words: []string{"信息技术", "软件", "网络科技"}, perCap: [2]int{20, 60}, trade: 5, service: true, tech: true},
	{division: "72", weight: 2, words: []string{"企业管理咨询", "人力资源", "商务咨询"}, perCap: [2]int{15, 40}, trade: 5, service: true},
	{division: "62", weight: 1, words: []string{"餐饮管理", "餐饮"}, perCap: [2]int{8, 20}, trade: 0, service: true},
}

// tradeFirst and tradeSecond make two-character trade names (字号).
var (
	tradeFirst  = []rune("瑞恒金华新宏永鑫盛博佳立海东福兴嘉德润中长宇欣通正明丰泰凯锦众力远祥信合诚汇甬港仑昊")
	tradeSecond = []rune("达丰帆泰成盛通宇源利兴昌隆峰洋顺诚锐鼎翔航晟辉森鸿越晨迪邦拓精工")
)

// namePrefixes are the place words an enterprise name starts with, weighted.
var namePrefixes = []struct {
	text   string
	weight int
}{
	{"宁波", 55},
	{"宁波北仑", 30},
	{"宁波经济技术开发区", 8},
	{"浙江", 7},
}

// surnames are weighted toward the surnames common in Ningbo.
var surnames = []rune("陈王张李林徐周胡俞应邬乐董孙朱毛史竺虞贺郑沈吴杨黄刘叶金蔡邱夏项蒋傅袁谢")

// givenChars make given names of one or two characters.
var givenChars = []rune("伟强军磊洋勇杰涛斌波静丽敏燕芳娟红霞萍华建国明平海峰俊颖婷琳佳浩宇晨文志亮辉鹏飞艳玲雪梅丹超斐")

// mobilePrefixes are the first three digits of mainland mobile numbers.
var mobilePrefixes = []string{
	"130", "131", "132", "133", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "157", "158", "159",
	"177", "180", "181", "182", "183", "186", "187", "188", "189", "199",
}

// Tag vocabulary (企业标签).
const (
	tagHighTech  = "高新技术企业"
	tagTechSME   = "科技型中小企业"
	tagSpecial   = "专精特新"
	tagTrade     = "外贸"
	tagAbove     = "规上企业"
	tagUpgrading = "小升规"
)

// tags is the vocabulary in the order tags are listed on an enterprise.
var tags = []string{tagHighTech, tagTechSME, tagSpecial, tagTrade, tagAbove, tagUpgrading}
