"""What each page type says about itself: titles (strong) and labels or phrases (weak).

Titles come from the document catalogue (domain.md §2). Matching is on NFKC text with all
whitespace removed, so OCR spacing ("入 伍 登 记 表") does not matter; titles also match fuzzily
on the top lines of a page, where OCR of large print still drops or swaps a character.
"""

TITLES: dict[str, tuple[str, ...]] = {
    "enlistment": (
        "应征公民入伍登记表", "入伍登记表", "应征青年登记表", "应征公民登记表",
        "应征公民入伍批准书", "入伍批准书", "入伍通知书", "应征入伍通知书",
    ),
    "discharge": (
        "义务兵退出现役登记表", "士官退出现役登记表", "士兵退出现役登记表", "退出现役登记表",
        "退伍军人登记表", "退伍义务兵登记表", "志愿兵退出现役登记表", "复员军人登记表",
        "义务兵退伍证", "退伍证", "复员证", "退出现役证",
    ),
    "placement": (
        "安置介绍信", "安排工作介绍信", "退伍军人安置介绍信", "退役士兵安置介绍信",
        "分配工作介绍信", "报到介绍信", "介绍信存根", "介绍信", "存根",
    ),
    "termination": (
        "解除劳动合同证明书", "终止劳动合同证明书", "解除(终止)劳动合同证明书", "解除（终止）劳动合同证明书",
        "解除劳动关系证明", "解除劳动合同通知书", "解除劳动关系协议书", "离职证明",
        "作除名处理的决定", "除名处理的决定", "除名决定", "开除处分的决定", "开除决定", "自动离职处理决定",
    ),
    "id_card": ("居民身份证", "中华人民共和国居民身份证", "常住人口登记卡", "居民户口簿", "户口簿"),
    "contribution": (
        "参保缴费明细", "个人缴费明细", "缴费明细", "参保缴费证明", "参保证明", "个人权益记录",
        "个人账户对账单", "养老保险手册",
    ),
    "subsidy_voucher": (
        "生活补助费发放花名册", "生活补助费发放表", "生活补助发放表", "生活费发放表", "补助金领取凭证",
        "经济补助金领取凭证", "生活补助费领取凭证", "发放花名册",
    ),
    "political_review": (
        "无犯罪记录证明", "违法犯罪记录查询证明", "政治审查表", "政治考核表", "政审表",
    ),
}

PHRASES: dict[str, tuple[str, ...]] = {
    "enlistment": ("批准入伍", "接兵部队", "征兵办公室", "应征入伍", "体检结论", "武装部", "批准你于", "服现役"),
    "discharge": (
        "退出现役时间", "退伍时间", "退出现役原因", "部队意见", "安置方式", "服役年限", "部别", "军衔",
        "服役期间奖惩", "安置部门意见", "发证机关",
    ),
    "placement": ("兹介绍", "前往单位", "安排工作", "此致", "敬礼", "前往你单位", "到你单位报到", "开具日期", "人数", "事由"),
    "termination": (
        "劳动合同期限", "工作岗位", "工作年限", "经济补偿", "劳动合同", "解除劳动", "终止", "清算组", "旷工", "改制", "报到上岗",
        "人事档案", "签收",
    ),
    "id_card": ("签发机关", "有效期限", "公民身份号码", "住址", "民族", "出生", "曾用名", "户主", "户口专用章"),
    "contribution": (
        "费款所属期", "缴费基数", "首次参保", "视同缴费", "缴费月数", "单位缴费", "个人缴费", "参保状态",
        "养老保险", "已到账", "欠费",
    ),
    "subsidy_voucher": ("领款人", "所属期间", "标准", "月数", "金额", "合计", "大写", "发放日期", "款项"),
    "political_review": ("犯罪记录", "经查询", "派出所", "本证明用于", "政审", "有效"),
}

TITLE_WEIGHT = 6.0
TOP_BONUS = 2.0  # a title in the top quarter of the page is much more telling
PHRASE_WEIGHT = 1.0
MIN_SCORE = 2.0  # below this the page is "other"
