"""The working mechanism itself: joint meeting, numeric rules and targets, procedures, registers,
the four work requirements and the five attributes of a green mine."""

from __future__ import annotations

from seed.model import (
    AgendaItem,
    JointMeeting,
    Principle,
    Procedure,
    ProcedureStep,
    Register,
    Rule,
    WorkRequirement,
)

NATURAL_RESOURCES = "natural_resources"

JOINT_MEETING = JointMeeting(
    code="joint_meeting",
    name_zh="绿色矿山建设联席会议",
    name_en="Joint meeting on green-mine construction",
    convener=NATURAL_RESOURCES,
    clause="二(一)",
    attendance_zh="其他绿色矿山共建部门指定专人参加",
    agenda=(
        AgendaItem(
            1,
            "按工作职责交流绿色矿山建设若干措施落实情况",
            "Exchange, duty by duty, on how the green-mine measures are being carried out",
        ),
        AgendaItem(2, "通报绿色矿山违法违规问题", "Report violations by green mines"),
        AgendaItem(
            3, "安排绿色矿山遴选和核查抽查", "Arrange the selection, verification and spot checks"
        ),
        AgendaItem(
            4,
            "研究确定依法实施联合惩戒相关事宜",
            "Decide on joint disciplinary measures under the law",
        ),
    ),
)

RULES: tuple[Rule, ...] = (
    Rule(
        "new_mine_verification_within",
        "deadline",
        "新建矿山正式投产后1年内应通过绿色矿山核查验收",
        "A new mine must pass green-mine verification within 1 year of formal production",
        "一",
        value=1,
        unit="year",
        stage="NEW",
    ),
    Rule(
        "upgrade_within_contract_term",
        "deadline",
        "改扩建、生产矿山按合同要求的时限内完成绿色矿山建设任务",
        "Reconstructed, expanded and producing mines finish green-mine construction within the "
        "term their contract sets",
        "一",
        unit="contract term",
        stage="RECONSTRUCTION_EXPANSION",
    ),
    Rule(
        "target_2028_large",
        "target",
        "到2028年底，全省持证在产的90％大型矿山要达到绿色矿山标准要求",
        "By the end of 2028, 90% of licensed producing large mines meet the green-mine standard",
        "一",
        value=0.9,
        unit="share",
        scale="LARGE",
        year=2028,
        due="2028-12-31",
    ),
    Rule(
        "target_2028_medium",
        "target",
        "到2028年底，全省持证在产的80％中型矿山要达到绿色矿山标准要求",
        "By the end of 2028, 80% of licensed producing medium mines meet the green-mine standard",
        "一",
        value=0.8,
        unit="share",
        scale="MEDIUM",
        year=2028,
        due="2028-12-31",
    ),
    Rule(
        "small_mines_reference",
        "guidance",
        "小型矿山参照绿色矿山标准加强管理",
        "Small mines are managed with the green-mine standard as a reference",
        "一",
        scale="SMALL",
    ),
    Rule(
        "yearly_spot_check_share",
        "minimum_share",
        "每年抽取不低于10%的绿色矿山纳入随机抽查名单",
        "Each year at least 10% of listed green mines are drawn for random spot checks",
        "二(三)2",
        value=0.1,
        unit="share per year",
    ),
    Rule(
        "rectification_max_months",
        "deadline",
        "整改期限原则上不超过6个月",
        "A rectification period is, in principle, at most 6 months",
        "二(三)2",
        value=6,
        unit="month",
    ),
    Rule(
        "notice_without_objection_lists",
        "condition",
        "公示无异议的按程序纳入省级绿色矿山名录",
        "A mine whose public notice draws no objection is put on the provincial list",
        "二(三)1",
    ),
    Rule(
        "recheck_keeps_listing",
        "condition",
        "期满完成整改经复核满足绿色矿山建设标准的，可保留名录",
        "A mine that finishes rectification in time and passes the re-check stays on the list",
        "二(三)2",
    ),
    Rule(
        "overdue_or_failed_rectification_removes",
        "condition",
        "经复核超期未完成整改或整改不满足绿色矿山建设标准的，按程序移出绿色矿山名录",
        "A mine whose rectification is overdue or fails the re-check is removed from the list",
        "二(三)2",
    ),
)

WORK_REQUIREMENTS: tuple[WorkRequirement, ...] = (
    WorkRequirement(1, "明确目标与责任", "Clear targets and responsibilities", "三(一)"),
    WorkRequirement(
        2, "严格监督管理与评估", "Strict supervision, management and evaluation", "三(二)"
    ),
    WorkRequirement(3, "加强宣传教育与培训", "Publicity, education and training", "三(三)"),
    WorkRequirement(
        4, "动态管理与持续改进", "Dynamic management and continuous improvement", "三(四)"
    ),
)

REPORTING_DEPARTMENT = "发现问题的共建部门"
COMPETENT_DEPARTMENT = "职能部门"

PROCEDURES: tuple[Procedure, ...] = (
    Procedure(
        "listing",
        "绿色矿山遴选与纳入名录",
        "Selection and listing of green mines",
        "二(三)1",
        (
            ProcedureStep(
                1, "通过第三方评估", "The mine passes a third-party evaluation", None, "矿山企业"
            ),
            ProcedureStep(
                2,
                "省自然资源厅会同其他绿色矿山共建部门开展抽查核查",
                "Natural Resources, with the co-building departments, spot-checks and verifies it",
                NATURAL_RESOURCES,
                "省自然资源厅",
            ),
            ProcedureStep(
                3,
                "确认后向社会公示",
                "Once confirmed, a public notice",
                NATURAL_RESOURCES,
                "省自然资源厅",
            ),
            ProcedureStep(
                4,
                "公示无异议的按程序纳入省级绿色矿山名录",
                "With no objection to the notice, the mine is put on the provincial list",
                NATURAL_RESOURCES,
                "省自然资源厅",
            ),
        ),
    ),
    Procedure(
        "spot_check",
        "年度随机抽查与限期整改",
        "Yearly random spot checks and rectification",
        "二(三)2",
        (
            ProcedureStep(
                1,
                "每年抽取不低于10%的绿色矿山纳入随机抽查名单",
                "Each year at least 10% of listed mines are drawn for the random spot-check list",
                NATURAL_RESOURCES,
                "省自然资源厅",
            ),
            ProcedureStep(
                2,
                "严格按照评价指标对绿色矿山开展实地核查",
                "On-site checks against the evaluation indicators",
                NATURAL_RESOURCES,
                "省自然资源厅会同共建部门",
            ),
            ProcedureStep(
                3,
                "不符合标准但能够限期整改的，明确整改期限及措施要求，整改期限原则上不超过6个月",
                "A fixable failure gets a rectification period (at most 6 months) and measures",
                NATURAL_RESOURCES,
                "省自然资源厅",
            ),
            ProcedureStep(
                4,
                "期满复核：满足标准的保留名录；超期未完成整改或整改不满足标准的移出名录",
                "Re-check when due: passed keeps the listing; overdue or failed removes it",
                NATURAL_RESOURCES,
                "省自然资源厅",
            ),
        ),
    ),
    Procedure(
        "referral",
        "违法违规问题反馈与线索移送",
        "Reporting problems and referring leads on violations",
        "二(四)",
        (
            ProcedureStep(
                1,
                "共建部门结合各自职责范围，及时反馈省自然资源厅，并提出处理意见建议",
                "The department that found the problem reports it to Natural Resources with a "
                "recommendation on how to handle it",
                None,
                REPORTING_DEPARTMENT,
            ),
            ProcedureStep(
                2,
                "省自然资源厅根据反馈情况及“联席会议”意见，确定是否将涉及的绿色矿山移出名录",
                "Natural Resources decides on removal from the list, on the feedback and the "
                "joint meeting's opinion",
                NATURAL_RESOURCES,
                "省自然资源厅",
            ),
            ProcedureStep(
                3,
                "发现违法违规线索的，及时移交职能部门依法处理",
                "Leads on illegal acts are handed to the competent department to deal with "
                "under the law",
                None,
                COMPETENT_DEPARTMENT,
            ),
            ProcedureStep(
                4,
                "相关部门将涉企行政处罚信息统一归集至国家企业信用信息公示系统，记于企业名下并向社会公示",
                "Administrative penalties are entered in the national enterprise credit "
                "information publicity system, under the company's name, and published",
                None,
                "作出处罚的相关部门",
            ),
        ),
    ),
)

REGISTERS: tuple[Register, ...] = (
    Register(
        "provincial_green_mine_list",
        "省级绿色矿山名录",
        "Provincial green-mine list",
        "二(三)1",
        (NATURAL_RESOURCES,),
    ),
    Register(
        "random_spot_check_list",
        "随机抽查名单",
        "Random spot-check list",
        "二(三)2",
        (NATURAL_RESOURCES,),
    ),
    Register(
        "green_mine_financing_library",
        "甘肃省绿色矿山投融资项目库",
        "Gansu green-mine investment and financing project library",
        "二(二)2",
        (NATURAL_RESOURCES, "pboc_gansu"),
    ),
    Register(
        "energy_monitoring_platform",
        "全省能耗监测平台",
        "Provincial energy-use monitoring platform",
        "二(二)3",
        ("development_reform",),
    ),
    Register(
        "national_credit_publicity_system",
        "国家企业信用信息公示系统",
        "National enterprise credit information publicity system",
        "二(四)",
        external=True,
    ),
    Register(
        "mining_rights_abnormal_list",
        "矿业权人勘查开采信息公示异常名录",
        "Abnormal list of mining-rights holders' exploration and mining information",
        "二(四)9",
        external=True,
    ),
)

PRINCIPLES: tuple[Principle, ...] = (
    Principle("ecological_environment", "矿区环境生态化", "ecological mining-area environment"),
    Principle("scientific_mining", "开采方式科学化", "scientific mining methods"),
    Principle("efficient_utilization", "资源利用高效化", "efficient use of resources"),
    Principle("standardized_management", "企业管理规范化", "standardized enterprise management"),
    Principle("harmonious_community", "矿区社区和谐化", "harmonious mine communities"),
)
