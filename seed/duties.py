"""Every responsibility sentence of 二(二), one Duty per assigned task, with its department(s).

`text_zh` is the document's own words for the task. Where 二(二) names a kind of department
(金融监管部门) that more than one of the 18 could be, the named regulator is linked on the
clause and the others as inferred, with the reason.
"""

from __future__ import annotations

from seed.model import Assignment, Basis, Duty, Metric


def _by_clause(department: str, clause: str) -> Assignment:
    return Assignment(department, Basis.CLAUSE, clause)


THREE_RATES = (
    Metric("mining_recovery_rate", "开采回采率", "mining recovery rate"),
    Metric("processing_recovery_rate", "选矿回收率", "ore-dressing recovery rate"),
    Metric("comprehensive_utilization_rate", "综合利用率", "comprehensive utilization rate"),
)

OTHER_DEPARTMENTS_REASON = "二(二)未为该部门单列职责，适用“其他相关部门”兜底条款"

DUTIES: tuple[Duty, ...] = (
    Duty(
        "nr_three_rates",
        "矿山“三率”监管",
        'Supervision of the mines\' "three rates"',
        "自然资源部门负责矿山“三率”（开采回采率、选矿回收率、综合利用率）监管",
        "二(二)2",
        (_by_clause("natural_resources", "二(二)2"),),
        THREE_RATES,
    ),
    Duty(
        "nr_geo_environment_reclamation",
        "矿山地质环境保护与土地复垦方案执行情况监管",
        "Supervision of how mine geo-environment protection and land reclamation plans are carried out",
        "矿山地质环境保护与土地复垦方案等执行情况的监管",
        "二(二)2",
        (_by_clause("natural_resources", "二(二)2"),),
    ),
    Duty(
        "nr_pboc_financing_library",
        "建立甘肃省绿色矿山投融资项目库",
        "Building the Gansu green-mine investment and financing project library",
        "与人民银行甘肃省分行协同建立甘肃省绿色矿山投融资项目库",
        "二(二)2",
        (_by_clause("natural_resources", "二(二)2"), _by_clause("pboc_gansu", "二(二)2")),
    ),
    Duty(
        "dr_energy_monitoring",
        "重点用能矿山企业纳入全省能耗监测平台管理",
        "Bringing energy-intensive mining enterprises under the provincial energy-use monitoring platform",
        "发展改革部门负责将重点用能矿山企业纳入全省能耗监测平台管理",
        "二(二)3",
        (_by_clause("development_reform", "二(二)3"),),
    ),
    Duty(
        "dr_energy_conservation_review",
        "新上项目节能审查",
        "Energy-conservation review of new projects",
        "新上项目严格履行节能审查制度",
        "二(二)3",
        (_by_clause("development_reform", "二(二)3"),),
    ),
    Duty(
        "st_high_tech_certification",
        "指导矿山企业高新技术企业认定",
        "Guiding mining enterprises through high-tech enterprise certification",
        "科技部门负责指导矿山企业开展高新技术企业认定工作",
        "二(二)4",
        (_by_clause("science_technology", "二(二)4"),),
    ),
    Duty(
        "it_gold_mine_energy_saving",
        "指导黄金矿山企业节约能源",
        "Guiding gold-mining enterprises in energy saving",
        "工信部门负责指导黄金矿山企业节约能源",
        "二(二)5",
        (_by_clause("industry_it", "二(二)5"),),
    ),
    Duty(
        "it_gold_mine_new_technology",
        "引导黄金矿山企业推广新技术、新设备应用",
        "Encouraging gold-mining enterprises to adopt new technology and equipment",
        "引导黄金矿山企业推广新技术、新设备应用",
        "二(二)5",
        (_by_clause("industry_it", "二(二)5"),),
    ),
    Duty(
        "fin_evaluation_funding",
        "绿色矿山评估认定工作经费保障",
        "Funding the evaluation and recognition of green mines",
        "财政部门负责绿色矿山评估认定工作经费保障",
        "二(二)6",
        (_by_clause("finance", "二(二)6"),),
    ),
    Duty(
        "ee_ecological_supervision",
        "矿山生态环境监督",
        "Supervision of the mines' ecological environment",
        "生态环境部门负责矿山生态环境监督",
        "二(二)7",
        (_by_clause("ecology_environment", "二(二)7"),),
    ),
    Duty(
        "ee_pollution_control",
        "矿山污染防治监管",
        "Supervision of pollution prevention and control at mines",
        "污染防治监管",
        "二(二)7",
        (_by_clause("ecology_environment", "二(二)7"),),
    ),
    Duty(
        "wr_soil_water_conservation",
        "矿区水土保持监督管理",
        "Supervision of soil and water conservation in mining areas",
        "水利部门负责矿区水土保持的监督管理",
        "二(二)8",
        (_by_clause("water_resources", "二(二)8"),),
    ),
    Duty(
        "em_work_safety",
        "矿山安全生产监督管理",
        "Supervision of work safety at mines",
        "应急管理部门负责矿山安全生产的监督管理",
        "二(二)9",
        (_by_clause("emergency_management", "二(二)9"),),
    ),
    Duty(
        "fg_forest_land_restoration",
        "临时占用林地到期后植被恢复监管",
        "Supervision of revegetation when a temporary use of forest land expires",
        "林草部门负责临时占用林地到期后植被恢复",
        "二(二)10",
        (_by_clause("forestry_grassland", "二(二)10"),),
    ),
    Duty(
        "fg_grassland_restoration",
        "矿山附属工程临时占用草地到期后植被恢复监管",
        "Supervision of revegetation when ancillary mine works' temporary use of grassland expires",
        "矿山开发附属工程临时占用草地到期后植被恢复的监管",
        "二(二)10",
        (_by_clause("forestry_grassland", "二(二)10"),),
    ),
    Duty(
        "mr_local_standards",
        "协调指导绿色矿山建设地方标准制修订",
        "Coordinating the drafting and revision of local green-mine standards",
        "市场监管部门负责协调指导绿色矿山建设地方标准的制修订工作",
        "二(二)11",
        (_by_clause("market_regulation", "二(二)11"),),
    ),
    Duty(
        "tax_incentives",
        "落实相关税收优惠政策",
        "Applying the relevant tax incentives",
        "税务部门负责落实相关税收优惠政策",
        "二(二)12",
        (_by_clause("taxation", "二(二)12"),),
    ),
    Duty(
        "fr_green_finance_policy",
        "制定完善绿色金融政策，支持矿山企业绿色发展",
        "Making green-finance policy that supports the green development of mining enterprises",
        "金融监管部门负责制定完善绿色金融政策，支持矿山企业绿色发展",
        "二(二)13",
        (
            _by_clause("financial_regulation", "二(二)13"),
            Assignment(
                "financial_affairs",
                Basis.INFERRED,
                "二(二)13",
                "“金融监管部门”未点名；省委金融办统筹全省金融工作，参与制定绿色金融政策",
            ),
            Assignment(
                "pboc_gansu",
                Basis.INFERRED,
                "二(二)13",
                "“金融监管部门”未点名；人民银行甘肃省分行负责绿色金融政策的落地与再贷款工具",
            ),
        ),
    ),
    Duty(
        "sr_listing_financing",
        "支持绿色矿山企业境内上市融资",
        "Supporting qualified green-mine enterprises in listing and raising capital in China",
        "证监部门负责支持符合条件的绿色矿山企业在境内上市融资",
        "二(二)14",
        (_by_clause("securities_regulation", "二(二)14"),),
    ),
    Duty(
        "other_departments",
        "其他相关部门依职能落实绿色矿山建设相关工作",
        "Other departments carry out related work within their own remits",
        "其他相关部门依据自身职能职责，结合绿色矿山建设要求，落实好相关工作",
        "二(二)15",
        tuple(
            Assignment(code, Basis.INFERRED, "二(二)15", OTHER_DEPARTMENTS_REASON)
            for code in ("audit", "financial_affairs", "business_environment", "energy")
        ),
    ),
)
