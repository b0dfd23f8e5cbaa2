"""The 14 conditions of 二(四) on which a mine is removed from the green-mine list.

Each names the department(s) competent to establish the fact. The document says who decides the
removal (省自然资源厅, on feedback and the joint meeting's opinion) but mostly not who establishes
each fact; where it is silent the link is `inferred`, with the reason in `reason_zh`.
"""

from __future__ import annotations

from seed.model import Assignment, Basis, RemovalCondition


def _clause(department: str, clause: str, reason: str = "") -> Assignment:
    return Assignment(department, Basis.CLAUSE, clause, reason)


def _inferred(department: str, reason: str) -> Assignment:
    return Assignment(department, Basis.INFERRED, "二(四)", reason)


PENALTY_REASON = "作出行政处罚决定的部门掌握处罚履行情况"

REMOVAL_CONDITIONS: tuple[RemovalCondition, ...] = (
    RemovalCondition(
        1,
        "证照不齐、过期未延续或被吊销",
        "Licences missing, expired without renewal, or revoked",
        "《采矿许可证》《安全生产许可证》《营业执照》证照不齐、过期未及时延续或被吊销的;",
        "The mining licence, work-safety licence or business licence is missing, has expired "
        "without timely renewal, or has been revoked.",
        (
            _inferred("natural_resources", "《采矿许可证》由自然资源部门颁发和管理"),
            _inferred("emergency_management", "《安全生产许可证》由应急管理部门颁发和管理"),
            _inferred("market_regulation", "《营业执照》由市场监管部门核发和管理"),
        ),
        ("em_work_safety",),
    ),
    RemovalCondition(
        2,
        "行政处罚未在履行期限内执行到位",
        "Administrative penalty not carried out within its time limit",
        "受到行政处罚后在履行期限内未执行到位的;",
        "An administrative penalty was imposed and not fully carried out within its time limit.",
        tuple(
            _inferred(code, PENALTY_REASON)
            for code in (
                "natural_resources",
                "ecology_environment",
                "water_resources",
                "emergency_management",
                "forestry_grassland",
                "market_regulation",
                "taxation",
            )
        ),
    ),
    RemovalCondition(
        3,
        "关闭或因自身原因未正常生产运营",
        "Closed, or not operating normally for the company's own reasons",
        "关闭、因企业自身原因未正常生产运营的;",
        "The mine has closed, or is not producing and operating normally for reasons of its own.",
        (
            _inferred("natural_resources", "自然资源部门掌握采矿权及矿山生产状态（年度信息公示）"),
            _inferred(
                "emergency_management", "应急管理部门掌握停产停业整顿、关闭矿山等安全监管信息"
            ),
        ),
    ),
    RemovalCondition(
        4,
        "违法开采、越界开采、擅自改变开采方式",
        "Illegal mining, mining beyond the licensed boundary, or changing the mining method without approval",
        "违法开采特别是越界开采、擅自改变开采方式的;",
        "Illegal mining, in particular mining beyond the licensed boundary or changing the mining "
        "method without approval.",
        (_inferred("natural_resources", "矿产资源开采秩序由自然资源部门依法监管和执法"),),
        ("nr_three_rates",),
    ),
    RemovalCondition(
        5,
        "较大及以上安全生产事故或环境事件，土壤和地下水严重污染",
        "A major (or worse) work-safety accident or environmental incident; serious soil or groundwater pollution",
        "发生较大及以上安全生产事故或环境事件的,发生土壤和地下水严重污染的;",
        "A work-safety accident or environmental incident of 'major' grade or above, or serious "
        "pollution of soil and groundwater.",
        (
            _clause("emergency_management", "二(二)9", "应急管理部门负责矿山安全生产的监督管理"),
            _clause(
                "ecology_environment", "二(二)7", "生态环境部门负责矿山生态环境监督、污染防治监管"
            ),
        ),
        ("em_work_safety", "ee_pollution_control", "ee_ecological_supervision"),
    ),
    RemovalCondition(
        6,
        "未落实国土空间规划和用途管制",
        "Territorial spatial planning and land-use control not observed",
        "未落实国土空间规划和用途管制的;",
        "The territorial spatial plan and land-use controls are not observed.",
        (_inferred("natural_resources", "国土空间规划和用途管制由自然资源部门主管"),),
        ("nr_geo_environment_reclamation",),
    ),
    RemovalCondition(
        7,
        "未落实生态环境分区管控、环评、排污许可且未按期整改",
        "Environmental zoning, impact assessment or discharge-permit rules not met and not rectified in time",
        "未落实生态环境分区管控、环境影响评价、排污许可等相关制度要求且未按期整改到位的;",
        "Requirements of environmental zoning control, environmental impact assessment, pollutant "
        "discharge permits and related systems are not met and not rectified on time.",
        (
            _clause(
                "ecology_environment", "二(二)7", "生态环境部门负责矿山生态环境监督、污染防治监管"
            ),
        ),
        ("ee_ecological_supervision", "ee_pollution_control"),
    ),
    RemovalCondition(
        8,
        "未开展尾矿库污染隐患排查或防治设施未建设运行",
        "Tailings-pond pollution hazards not checked, or pollution-control facilities not built or run",
        "未按要求定期开展尾矿库污染隐患排查的或尾矿库污染防治设施未按要求建设运行的;",
        "Regular checks for pollution hazards at the tailings pond are not carried out as required, "
        "or its pollution prevention facilities are not built or operated as required.",
        (
            _clause(
                "ecology_environment", "二(二)7", "生态环境部门负责污染防治监管，含尾矿库污染防治"
            ),
        ),
        ("ee_pollution_control",),
    ),
    RemovalCondition(
        9,
        "列入矿业权人勘查开采信息公示异常名录",
        "Listed in the abnormal list of the mining-rights holders' exploration and mining information",
        "采矿权人被列入矿业权人勘查开采信息公示异常名录的;",
        "The mining-rights holder has been put on the abnormal list of the mining-rights holders' "
        "exploration and mining information publicity system.",
        (_inferred("natural_resources", "矿业权人勘查开采信息公示及异常名录由自然资源部门管理"),),
    ),
    RemovalCondition(
        10,
        "开发利用水平被划定为落后档次",
        "Resource development and utilization rated 'backward'",
        "矿产资源开发利用水平被划定为落后档次的;",
        "The mine's level of mineral resource development and utilization has been rated "
        "'backward'.",
        (_clause("natural_resources", "二(二)2", "开发利用水平由“三率”监管评定"),),
        ("nr_three_rates",),
    ),
    RemovalCondition(
        11,
        "被督察、巡视审计、执法检查作为典型案例通报",
        "Named as a typical case by central inspections, audits or NPC law-enforcement checks",
        "被中央环保督察、巡视审计、全国人大常委会执法检查等作为典型案例通报或纳入各类警示片的;",
        "Named as a typical case, or shown in a warning film, by the central environmental "
        "inspection, inspection tours and audits, or the NPC Standing Committee's law-enforcement "
        "checks.",
        (
            _inferred("ecology_environment", "中央生态环境保护督察的对接部门"),
            _inferred("audit", "巡视审计发现问题由审计部门掌握"),
            _inferred("natural_resources", "全国人大常委会执法检查（矿产资源法等）的对接部门"),
        ),
    ),
    RemovalCondition(
        12,
        "违法违规引发负面舆情",
        "Violations causing negative public opinion on national portal sites",
        "发生突发事件,因企业违法违规在全国门户类网站平台引发负面舆情的;",
        "An emergency occurred and, because of the company's violations, caused negative public "
        "opinion on national portal websites.",
        (
            _inferred("emergency_management", "突发事件的应急处置由应急管理部门牵头"),
            _inferred("natural_resources", "绿色矿山名录管理部门，跟踪涉矿舆情"),
        ),
    ),
    RemovalCondition(
        13,
        "弄虚作假通过绿色矿山评估",
        "Passed the green-mine evaluation by fraud",
        "弄虚作假通过绿色矿山评估的;",
        "The mine passed the green-mine evaluation by falsification or fraud.",
        (_clause("natural_resources", "二(三)1", "省自然资源厅对第三方评估结果开展抽查核查"),),
    ),
    RemovalCondition(
        14,
        "其他不宜继续列入名录的违法违规行为",
        "Other violations that make continued listing inappropriate",
        "其他违法违规行为不宜继续列入名录的。",
        "Other illegal acts or violations that make it inappropriate to keep the mine on the list.",
        (
            _clause(
                "natural_resources",
                "二(四)",
                "省自然资源厅根据反馈情况及联席会议意见确定是否移出名录",
            ),
        ),
    ),
)
