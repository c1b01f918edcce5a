"""Label vocabularies (docs/documents.md) — data, read by extract/document.py.

Each key is a *label concept*; the per-type extractors (extract/doctypes/) decide which field a
concept feeds (开具日期 is the placement date on a stub, 发证日期 an issue date, …).

Matching rules (extract/document.py):
- labels are matched on NFKC text, with any whitespace allowed between characters
  ("姓    名", "公民身份 号码"), followed by an optional ":" (full-width colons become ":");
- at one position the longest label wins (批准入伍时间 before 入伍时间, 户主姓名 before 姓名);
- WEAK labels are generic words that also occur inside prose; they count only at the start of
  a line or after a non-Han character ("出生 1975年…" yes, "三月出生，" no);
- every label — including the DISTRACTORS that feed no field — ends the value of the label
  before it on the same line ("姓名 周立新 性别 男 民族 汉").
"""
from __future__ import annotations

LABELS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "本人姓名", "职工姓名", "劳动者姓名", "申请人姓名", "军人姓名", "退役士兵姓名", "领款人姓名"),
    "gender": ("性别",),
    "birth": ("出生年月", "出生日期", "出生年月日", "出生时间", "出生"),
    "id_number": (
        "公民身份号码", "公民身份证号码", "公民身份证号", "身份证号码", "身份证号", "身份号码",
        "居民身份证号码", "社会保障号码", "证件号码", "身份证件号码", "公民身份证件号码", "身份证编号", "身份证",
    ),
    "enlist_date": (
        "批准入伍时间", "批准入伍日期", "入伍批准时间", "入伍时间", "入伍年月", "入伍日期", "入伍年月日",
        "应征入伍时间", "参军时间", "参军日期", "参军年月",
    ),
    "discharge_date": (
        "退出现役时间", "退出现役日期", "退出现役年月", "退伍时间", "退伍日期", "退伍年月",
        "退役时间", "退役日期", "退役年月", "退伍年月日", "复员时间", "复员日期", "复员年月", "退出现役",
    ),
    "service_unit": ("部别", "原部别", "原部队", "部队代号", "服役部队", "所在部队", "原服役部队"),
    "recruit_unit": ("接兵部队", "批准入伍部队", "入伍部队"),
    "approval": (
        "县征兵办公室意见", "县(市)征兵办公室意见", "县(市、区)征兵办公室意见", "征兵办公室意见",
        "县征兵办", "批准入伍意见", "批准机关意见",
    ),
    "dest_unit": ("前往单位", "安置单位", "接收单位", "去向", "分配单位", "安置去向单位"),
    # a bare 日期 is the date the paper was made out (a stub's 日期：2006年3月9日); the longest label
    # wins, so 出生日期 and 解除日期 stay themselves
    "open_date": ("开具日期", "开具时间", "开出日期", "开出时间", "填发日期", "开信日期", "日期"),
    "issue_date": ("发证日期", "签发日期", "出具日期", "填表日期", "制表日期"),
    "employer": ("单位名称", "用人单位", "用人单位名称", "用工单位", "参保单位", "参保单位名称", "缴费单位", "工作单位", "单位"),
    "term_date": (
        "解除日期", "终止日期", "解除(终止)日期", "解除(终止)劳动合同日期", "解除劳动合同日期",
        "终止劳动合同日期", "解除劳动关系日期", "解除劳动关系时间", "解除时间", "终止时间", "终止劳动关系日期",
        "合同解除日期", "离职日期", "离职时间",
    ),
    # a table label printed on two lines, "解除（终止）" over "日期" / "原因": the value decides
    "term_split": ("解除(终止)", "解除/终止"),
    # added for the evidence rules (extract/1.3)
    "former_name": ("曾用名",),
    "military_status": ("兵役状况",),
    "stated_service": ("服役年限", "兵龄", "军龄", "服现役年限"),
    # "安置地及" is the first half of a 安置地及/安置方式 cell read as two lines: the value decides
    "placement_method": ("安置方式", "安置地及安置方式", "安置地及", "安置去向"),
    "report_date": ("报到时间", "报到日期", "到岗时间", "上岗时间", "入职时间", "入职日期", "进厂时间"),
    "payment_item": ("款项", "款项名称", "补助项目", "发放项目"),
    "paid_period": ("所属期间", "所属期", "发放期间", "补助期间"),
    "term_reason": (
        "解除原因", "终止原因", "解除(终止)原因", "解除(终止)劳动合同原因", "解除依据",
        "终止依据", "解除理由", "解除(终止)劳动合同的原因",
    ),
}

# Labels are compositional (a head noun and its modifiers), so a label casefile has never seen can
# still be read by its words: 分配部队 is a unit, 复员日期 a discharge date. A short Han run at the
# start of a line that ends in a colon, or that is the whole cell, and is no known label, gets the
# first concept whose words it holds: one word of the first group and, when there is a second
# group, one of that too. Persons other than the veteran never name his fields.
INFERRED_LABELS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("id_number", ("身份证", "身份号", "证件号"), ()),
    ("enlist_date", ("入伍", "参军", "应征", "入营"), ("时间", "日期", "年月", "时期")),
    ("discharge_date", ("退伍", "复员", "退役", "转业", "退出现役"), ("时间", "日期", "年月", "时期")),
    ("term_date", ("解除", "终止", "离职"), ("时间", "日期", "年月")),
    ("birth", ("出生", "生日", "生年"), ()),
    ("service_unit", ("部队",), ()),
    ("employer", ("单位",), ("用人", "工作", "所在", "名称", "原")),
    ("dest_unit", ("前往", "往", "介绍到", "分配到", "安置到", "派到"), ()),
)
NOT_THE_VETERAN: tuple[str, ...] = (
    "父", "母", "配偶", "妻", "子女", "经办", "介绍人", "户主", "证明人", "联系人", "审核", "批准", "负责",
    "制表", "填表", "签发", "复核", "主管", "代表", "代理", "监护", "担保", "见证", "收件", "送达", "核对",
    "校对", "核实", "登记", "经手", "承办", "出具", "调查", "询问", "记录",
    # the clerks of a tax or payment slip
    "填票", "开票", "制单", "收款", "出纳", "会计", "扣缴",
)
# Column headers of a table of relatives (家庭成员, 主要社会关系): a 姓名 or 工作单位 header on the
# same row as one of these names a relative, never the veteran.
RELATION_HEADERS: tuple[str, ...] = ("称谓", "与本人关系", "关系", "亲属关系")

# A label for the person a paper is about, ending in 人 (被查询人, 申请人, 当事人, 持证人) or 人名称: the
# veteran's name unless the label names someone else (NOT_THE_VETERAN).
PERSON_LABEL_END = ("人", "人名称")  # 申领人, 纳税人名称

# Labels that feed no field; they only end the value of the label before them.
DISTRACTORS: tuple[str, ...] = (
    "户主姓名", "户主或与户主关系", "民族", "籍贯", "出生地", "文化程度", "政治面貌",
    "户口所在地", "户口性质", "户籍所在地", "家庭住址", "住址", "本人简历", "家庭成员", "体检结论",
    "政审结论", "政审意见", "职业", "何单位何职", "入伍地点", "征集地", "何地入伍",
    "职务", "军衔", "衔级", "服役期间奖惩情况", "奖惩情况", "立功受奖", "退出现役原因", "安置地",
    "部队意见", "安置部门意见",
    "乡镇武装部意见", "人数", "事由", "经办人", "批准人", "有效期限", "有效期", "签发机关", "发证机关",
    "编号", "证号", "劳动合同期限", "合同起止时间", "工作岗位", "工种", "在本单位工作年限",
    "本单位工龄", "本单位工作年限", "个人编号", "首次参保时间", "参保状态", "当前参保状态", "缴费状态", "视同缴费月数",
    "实际缴费月数", "累计缴费月数", "费款所属期", "缴费起止年月", "缴费基数", "单位缴费", "个人缴费",
    "打印日期", "验证码", "联系电话", "签收日期", "劳动者签收", "婚姻状况", "服务处所",
    "登记日期", "序号", "领款人签章", "申请日期", "受理编号", "金额", "身高",
    "血型", "宗教信仰", "经济补偿金", "经济补偿", "备注", "月数", "状态", "工作年限", "称谓", "与本人关系", "亲属关系",
    "工作单位及职务", "档案及社会保险关系转移", "团以上单位意见", "接收意见", "领款人",
)

# Generic words: a label only at line start or after a non-Han character.
WEAK: frozenset[str] = frozenset({"单位", "出生", "退出现役", "去向", "安置地", "住址", "月数", "状态", "身份证", "职业", "款项", "金额", "编号", "日期"})

# Seals and signature marks that follow an issuer name.
SEAL_WORDS: tuple[str, ...] = ("章", "印", "公章", "盖章", "签章", "钢印")

# Organisation words a unit name ends with (place + name + one of these, docs/documents.md#unit-names): the
# kinds of every county's employers and offices, not just the units fixtures/ happens to use.
UNIT_SUFFIXES: tuple[str, ...] = (
    "有限责任公司", "股份有限公司", "有限公司", "总公司", "公司", "集团", "总厂", "厂", "矿", "站", "场",
    "局", "所", "院", "校", "学校", "中心", "社", "合作社", "供销社", "委员会", "办公室", "部队",
    "处", "店", "行", "馆", "段", "队", "会", "部", "办", "室", "科", "署", "厅", "委",
    "库", "仓", "园", "港", "台", "窑", "坊", "学", "铺", "楼", "厦", "井", "团", "庄", "号",
)

# Endings of a military unit's name when no 5-digit code is printed (武警临江总队, 临江省军区独立团);
# the service_unit value must end with one of these or UNIT_SUFFIXES.
MILITARY_UNIT_SUFFIXES: tuple[str, ...] = (
    "部队", "军区", "总队", "支队", "大队", "中队", "分队", "团", "师", "旅", "军", "舰", "艇",
)

# Not names even though they are 2–4 Han characters in a name position.
NOT_NAMES: frozenset[str] = frozenset(
    {"同志", "本人", "户主", "无", "空", "签名", "盖章", "男", "女", "汉", "汉族", "照片", "姓名", "你单位",
     "贵单位", "本单位", "我单位", "我公司", "本公司", "各车队", "科室", "领款人", "经办人", "申请人",
     # the roles in which a form names its other persons
     "代办人", "委托人", "受托人", "联系人", "监护人", "承诺人", "担保人", "证明人",
     # who a decision's title may be about without naming him (关于职工擅自离职问题的处理决定)
     "职工", "该职工", "该同志", "员工", "工人", "干部", "退伍军人", "退役士兵",
     # the kinds of paper a title or heading may name where a name is looked for
     "声明", "申明", "证明", "说明", "承诺", "承诺书", "证明书",
     # the bodies a form asks for an opinion (基层工会意见), read before their colon
     "工会", "基层工会", "党支部", "居委会", "村委会"}
)

# Head words that end a label, never a person's name (领取期间, 发放时间, 身份号码 read where a
# name should be, e.g. a list's header row taken for a row).
LABEL_ENDINGS: tuple[str, ...] = (
    "期间", "时间", "日期", "年月", "号码", "单位", "地址", "住址", "情况", "意见", "名称", "原因", "编号",
    "签章", "签名", "签字", "金额", "月数", "标准", "项目", "备注", "序号",
)

# Words that mark the person a letter is about, before their name (兹介绍退伍军人 周立新 同志).
PERSON_CATEGORIES: tuple[str, ...] = (
    "退伍军人", "退役军人", "退役士兵", "退伍士兵", "退伍义务兵", "退伍战士", "转业士官", "复员军人",
    "复员士官", "转业军人", "退伍兵", "职工", "同志",
)
