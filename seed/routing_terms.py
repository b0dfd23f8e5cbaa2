"""The routing vocabulary: how people actually name the problems each department handles.

Written from the duties of 二(二), the 14 removal conditions of 二(四) and the everyday language
of mine supervision in Gansu (complaints to 12345, inspectors' notes, officers' phone calls),
not from any test sentence. Shapes and weight conventions: `seed/routing_vocabulary.py`.
Chinese terms are space-separated; English phrases are separated by '|'.

Review notes: a term that points to several departments is discounted automatically (IDF-like),
so list a word under every department it genuinely concerns rather than guessing one. Everyday
words get a low `domain` so they never route a text on their own.
"""

from __future__ import annotations

from seed.routing_vocabulary import (
    TermGroup,
    TermKind,
    condition,
    department,
    duty,
    merge,
)

OFFICIAL = TermKind.OFFICIAL
ABBREVIATION = TermKind.ABBREVIATION
COLLOQUIAL = TermKind.COLLOQUIAL
CONTEXT = TermKind.CONTEXT

G = TermGroup

CONTEXT_GROUPS: tuple[TermGroup, ...] = (
    G(
        "mines and mining (shows the subject, routes nowhere)",
        (),
        zh="矿 采石场 石料厂 石场 砂石料 砂石厂 采砂场 开采 采场 采区 井下 巷道 坑口 冶炼 选厂 "
        "稀土 萤石 石灰石 废石 露天采场 绿色矿山 矸石 破碎机 球磨机 碎石场 石料场 堆浸",
        en="mine|mines|mining|miner|quarry|ore|colliery|tailings|open pit|open-pit|smelter|"
        "green mine|crusher|crushing plant|gangue|waste rock",
        kind=CONTEXT,
    ),
)

NATURAL_RESOURCES: tuple[TermGroup, ...] = (
    G(
        "the three rates (official)",
        (duty("nr_three_rates"),),
        zh="三率 开采回采率 选矿回收率 综合利用率 三率指标 三率监管",
        kind=OFFICIAL,
    ),
    G(
        "the three rates (synonyms)",
        (duty("nr_three_rates"),),
        zh="回采率 采矿回采率 回收率 选矿回收 综合利用 资源综合利用 共伴生 共伴生矿 伴生矿 "
        "综合回收 贫化率 损失率 矿石损失 开采损失 采矿损失 资源利用率 资源利用效率 "
        "尾矿综合利用 废石综合利用 矿产资源节约 节约集约利用 开发利用方案",
        en="three rates|mining recovery rate|recovery rate|ore recovery|processing recovery|"
        "dressing recovery|beneficiation recovery|comprehensive utilization|"
        "comprehensive utilisation|utilization rate|utilisation rate|ore loss|dilution|"
        "resource efficiency|resource utilization",
    ),
    G(
        "the three rates (how it is said)",
        (duty("nr_three_rates"),),
        zh="采富弃贫 采富丢贫 吃肥丢瘦 采肥丢瘦 挑肥拣瘦 采厚弃薄 采易弃难 丢矿 弃矿 "
        "只采富矿 资源浪费 浪费资源 浪费矿产 浪费矿产资源 低品位矿 贫矿 回采率低 回收率低 "
        "三率不达标 三率达不到",
        en="high-grading|high grading|resource waste|waste of resources|wasting ore|"
        "low recovery|low-grade ore",
        kind=COLLOQUIAL,
    ),
    G(
        "weak hints of the three rates",
        (duty("nr_three_rates", 0.5),),
        zh="品位 利用率 储量 资源储量 动用储量",
        domain=0.5,
    ),
    G(
        "geo-environment protection and land reclamation (official)",
        (duty("nr_geo_environment_reclamation"),),
        zh="矿山地质环境 地质环境保护 土地复垦 复垦方案 矿山地质环境保护与土地复垦方案 "
        "土地复垦方案 地质环境保护与土地复垦方案",
        kind=OFFICIAL,
    ),
    G(
        "geo-environment and reclamation (synonyms)",
        (duty("nr_geo_environment_reclamation"),),
        zh="地质环境 地质环境治理 地质环境恢复治理 恢复治理 治理恢复 矿山环境治理 "
        "矿山环境恢复 复垦 复垦义务 复垦验收 复垦费 复垦保证金 二合一方案 两案合一 "
        "治理恢复基金 地质环境治理恢复基金 土地损毁 损毁土地 挖损 压占 塌陷 地面塌陷 "
        "采空塌陷 塌陷区 沉陷 地面沉降 地裂缝 地质灾害 地灾 地形地貌 地貌景观 "
        "含水层破坏 矿山生态修复 矿山修复 边开采边治理 边采边治 闭坑 闭坑治理 "
        "废弃矿山 历史遗留矿山 矿山地质环境治理",
        en="land reclamation|reclamation|reclaim|rehabilitation plan|land rehabilitation|"
        "mine rehabilitation|mine restoration|geological environment|geo-environment|"
        "subsidence|ground subsidence|sinkhole|ground fissure|geohazard|geological hazard|"
        "aquifer damage|restoration fund|mine closure",
    ),
    G(
        "geo-environment and reclamation (how it is said)",
        (duty("nr_geo_environment_reclamation"),),
        zh="没复垦 不复垦 未复垦 没有复垦 挖了不填 采完不管 采完就跑 露天采坑 采坑 矿坑 "
        "山体破坏 山被挖 挖山 山挖空了 挖空了 千疮百孔 满目疮痍 开膛破肚 破坏山体 "
        "山体裸露 挖得",
        en="open pit left|pit left open",
        kind=COLLOQUIAL,
    ),
    G(
        "cracks (houses and land, or slopes and dams)",
        (duty("nr_geo_environment_reclamation", 0.5), duty("em_work_safety", 0.4)),
        zh="裂缝 开裂 裂了",
        en="crack|cracks|cracked",
        domain=0.25,
    ),
    G(
        "geo-environment, what neighbours notice",
        (duty("nr_geo_environment_reclamation", 0.8),),
        zh="不治理 没治理 没有治理 不恢复 没恢复 没有恢复 也不恢复 大坑 地陷了 地塌了 "
        "房子裂了 房屋开裂 房子开裂 墙裂了 "
        "井水干了 地下水位下降 水位下降",
        en="big hole|houses cracked|cracked houses|wells dried up|water table dropped",
        kind=COLLOQUIAL,
        domain=0.5,
    ),
    G(
        "geo-environment, shared with others",
        (duty("nr_geo_environment_reclamation", 0.6),),
        zh="采空区 滑坡 崩塌 泥石流 生态修复 回填 复绿 含水层",
        en="goaf|landslide|mudslide|ecological restoration|backfill|regreening",
        domain=0.5,
    ),
    G(
        "green-mine investment and financing project library (official)",
        (duty("nr_pboc_financing_library"),),
        zh="投融资项目库 绿色矿山投融资项目库 甘肃省绿色矿山投融资项目库",
        kind=OFFICIAL,
    ),
    G(
        "project library (synonyms)",
        (duty("nr_pboc_financing_library"),),
        zh="项目库 融资项目库 投融资 入库 项目入库 入库申报 申请入库 进项目库 融资项目 "
        "银企对接 融资对接 项目推介 政银企",
        en="project library|financing project library|project pool|project database|"
        "investment and financing|bank-enterprise matchmaking",
    ),
    G(
        "mining licences and rights (Natural Resources)",
        (department("natural_resources", 0.8), condition(1, 0.5)),
        zh="采矿许可证 采矿证 采矿权证 采矿许可 采矿权 矿业权 探矿权 探矿证 勘查许可证 "
        "矿权 采矿权延续 矿权延续",
        en="mining licence|mining license|mining permit|mining right|mining rights|"
        "mining certificate|exploration licence|exploration license|exploration permit",
    ),
    G(
        "the green-mine list and its procedures (Natural Resources)",
        (department("natural_resources", 0.7),),
        zh="绿色矿山名录 名录 移出名录 移出 摘牌 摘帽 取消绿色矿山 遴选 核查 抽查 复核 "
        "实地核查 随机抽查 公示 第三方评估 评估机构 纳入名录 入选 申报绿色矿山 "
        "绿色矿山建设 绿色矿山验收 核查验收 联席会议 整改期限 限期整改 矿管 矿政",
        en="green mine list|green-mine list|delist|delisted|removed from the list|spot check|"
        "verification|third-party evaluation|joint meeting|rectification",
        domain=0.6,
    ),
    G(
        "Natural Resources by name",
        (department("natural_resources"),),
        zh="自然资源厅 自然资源局 自然资源部门 自然资源所 国土局 国土资源局 国土资源厅 "
        "国土所 国土部门 国土 矿管局 矿管办 矿产资源管理",
        en="natural resources department|department of natural resources|land and resources",
        domain=0.5,
    ),
)

DEVELOPMENT_REFORM: tuple[TermGroup, ...] = (
    G(
        "energy-use monitoring platform (official)",
        (duty("dr_energy_monitoring"),),
        zh="能耗监测平台 全省能耗监测平台 重点用能 重点用能单位 重点用能企业 能耗监测 "
        "重点用能矿山企业",
        kind=OFFICIAL,
    ),
    G(
        "energy use (synonyms)",
        (duty("dr_energy_monitoring"),),
        zh="能耗在线监测 能耗数据 能耗 能源消耗 用能 用能数据 能耗上传 能耗接入 接入平台 "
        "标煤 吨标煤 耗标煤 标准煤 综合能耗 能源消费量 能源消费 纳入监测 "
        "能耗超标 能耗双控 能耗总量 能耗强度 高耗能 耗能 耗能大户 用能大户 能耗平台 "
        "能源计量 能源审计 能耗报表",
        en="energy consumption|energy use|energy-use monitoring|energy monitoring|"
        "energy monitoring platform|energy-intensive|key energy-consuming|energy data|"
        "energy intensity",
    ),
    G(
        "energy use, weak",
        (duty("dr_energy_monitoring", 0.4),),
        zh="用电量 耗电 电耗 碳排放 碳达峰 碳中和 双碳",
        en="carbon emissions|carbon peak|electricity use",
        domain=0.5,
    ),
    G(
        "energy-conservation review of new projects (official)",
        (duty("dr_energy_conservation_review"),),
        zh="节能审查 节能审查制度 新上项目 节能审查意见",
        kind=OFFICIAL,
    ),
    G(
        "energy-conservation review (synonyms)",
        (duty("dr_energy_conservation_review"),),
        zh="节能评估 能评 节能报告 节能验收 项目节能 能评手续 节能审批 固定资产投资项目节能审查",
        en="energy conservation review|energy-conservation review|energy-saving review|"
        "energy assessment|energy review",
    ),
    G(
        "new projects and approvals (Development and Reform)",
        (duty("dr_energy_conservation_review", 0.5), department("development_reform", 0.4)),
        zh="立项 项目备案 项目核准 核准 备案 新建项目 新项目 扩建项目 技改项目 投资项目 "
        "固定资产投资 项目审批",
        en="new project|project approval|project filing|investment project",
        domain=0.5,
    ),
    G(
        "energy saving, shared with Industry and IT",
        (duty("dr_energy_conservation_review", 0.5), duty("it_gold_mine_energy_saving", 0.45)),
        zh="节能 节约能源 节能降耗 节能减排",
        en="energy saving|energy conservation|save energy",
        domain=0.5,
    ),
    G(
        "Development and Reform by name",
        (department("development_reform"),),
        zh="发改委 发展改革委 发改局 发改部门 发展改革部门 发改",
        en="development and reform|ndrc",
        domain=0.5,
    ),
)

SCIENCE_TECHNOLOGY: tuple[TermGroup, ...] = (
    G(
        "high-tech enterprise certification",
        (duty("st_high_tech_certification"),),
        zh="高新技术企业认定 高新技术企业 高企 高新企业 高新认定 高企认定 高企申报 "
        "高新技术 高新资质 高新证书 高企资格 高新复审",
        en="high-tech enterprise|high and new technology enterprise|high-tech certification|"
        "hi-tech enterprise|high tech enterprise",
    ),
    G(
        "science and technology, weaker",
        (duty("st_high_tech_certification", 0.6),),
        zh="科技型中小企业 科技型企业 科技创新 科技项目 科技成果 科技成果转化 研发平台 "
        "创新平台 研发中心 技术中心 科技奖励 专利 研发",
        en="technology enterprise|research and development|sci-tech|patent",
        domain=0.5,
    ),
    G(
        "Science and Technology by name",
        (department("science_technology"),),
        zh="科技厅 科技局 科技部门",
        en="science and technology department",
        domain=0.5,
    ),
)

INDUSTRY_IT: tuple[TermGroup, ...] = (
    G(
        "gold mines (Industry and IT's remit)",
        (duty("it_gold_mine_energy_saving", 0.35), duty("it_gold_mine_new_technology", 0.35)),
        zh="黄金矿山 黄金企业 黄金矿山企业 金矿企业 黄金行业 金矿 黄金 金矿山",
        en="gold mine|gold mining|gold miner|gold",
    ),
    G(
        "industrial energy saving",
        (duty("it_gold_mine_energy_saving"),),
        zh="工业节能 节能监察 节能诊断 能效 能效提升 能效标准 高耗能设备 高耗能电机 "
        "电机能效 余热回收 余热利用 节能改造 节能技术改造",
        en="industrial energy efficiency|energy efficiency|energy audit of equipment|"
        "energy-saving retrofit|waste heat recovery",
        domain=0.6,
    ),
    G(
        "new technology and equipment (official)",
        (duty("it_gold_mine_new_technology"),),
        zh="新技术 新设备 推广新技术 新设备应用 新技术推广 推广应用",
        kind=OFFICIAL,
        domain=0.5,
    ),
    G(
        "new technology and equipment (synonyms)",
        (duty("it_gold_mine_new_technology", 0.8),),
        zh="新工艺 新装备 先进技术 先进适用技术 技术改造 技改 设备更新 设备升级 装备升级 "
        "智能化改造 智能矿山 数字矿山 数字化 智能化 两化融合 工业互联网 首台套 "
        "淘汰落后设备 落后设备 落后工艺 淘汰落后 老旧设备 设备老化 明令淘汰 淘汰设备 "
        "淘汰的设备 淘汰类设备 淘汰工艺 国家明令淘汰",
        en="new technology|new equipment|technology upgrade|equipment upgrade|"
        "technical transformation|digitalization|digitalisation|smart mine|automation|"
        "outdated equipment",
        domain=0.6,
    ),
    G(
        "Industry and IT by name",
        (department("industry_it"),),
        zh="工信厅 工信局 工信部门 工业和信息化厅 工业和信息化局 经信委 经信局 工信",
        en="industry and information technology|miit",
        domain=0.5,
    ),
)

FINANCE: tuple[TermGroup, ...] = (
    G(
        "funding of green-mine evaluation (official)",
        (duty("fin_evaluation_funding"),),
        zh="评估认定工作经费 工作经费 经费保障 评估经费 评估认定经费",
        kind=OFFICIAL,
    ),
    G(
        "funding (synonyms)",
        (duty("fin_evaluation_funding"),),
        zh="经费 评估费用 评估费 第三方评估费用 财政资金 财政经费 资金保障 预算 财政预算 "
        "财政补助 补助资金 奖补 奖补资金 奖励资金 以奖代补 财政奖补 拨款 资金拨付 经费不足 "
        "没有经费 没经费 钱谁出 费用谁出 谁出钱 财政 财政支持",
        en="funding|budget|fiscal funds|subsidy|subsidies|evaluation fee|evaluation funding|"
        "grant|grants|who pays",
        domain=0.6,
    ),
    G(
        "interest subsidies (finance pays, banks lend)",
        (duty("fin_evaluation_funding", 0.4), duty("fr_green_finance_policy", 0.6)),
        zh="贴息 贴息贷款 财政贴息 担保贴息",
        en="interest subsidy|subsidised loan|subsidized loan",
        domain=0.6,
    ),
    G(
        "special funds (finance and audit)",
        (duty("fin_evaluation_funding", 0.5), department("audit", 0.3)),
        zh="专项资金 资金使用 资金管理",
        en="special funds|earmarked funds",
        domain=0.5,
    ),
    G(
        "Finance by name",
        (department("finance"),),
        zh="财政厅 财政局 财政部门",
        en="finance department|department of finance",
        domain=0.5,
    ),
)

ECOLOGY_ENVIRONMENT: tuple[TermGroup, ...] = (
    G(
        "ecological supervision (official)",
        (duty("ee_ecological_supervision"),),
        zh="生态环境监督 矿山生态环境 矿山生态环境监督",
        kind=OFFICIAL,
    ),
    G(
        "ecological supervision (synonyms)",
        (duty("ee_ecological_supervision"),),
        zh="生态破坏 破坏生态 生态环境破坏 环境监管 环境执法 生态环境执法 "
        "环保检查 环保执法 环境违法 环保手续 环保整改 生态环境保护 环境监察 破坏环境 "
        "生态环境损害",
        en="ecological damage|environmental supervision|environmental enforcement|"
        "environmental violation|environmental protection|ecological environment",
    ),
    G(
        "environmental problems, said in general",
        (duty("ee_ecological_supervision", 0.7),),
        zh="生态环境问题 环境问题 环保问题 环保不达标 环保不过关",
        en="environmental problem|environmental issues",
        domain=0.6,
    ),
    G(
        "environment, general",
        (duty("ee_ecological_supervision", 0.6), duty("ee_pollution_control", 0.3)),
        zh="环保 环境保护 生态环境 生态 生态保护 环境",
        en="environment|environmental|ecology|ecological",
        domain=0.5,
    ),
    G(
        "pollution prevention and control (official)",
        (duty("ee_pollution_control"),),
        zh="污染防治 污染防治监管 矿山污染防治",
        kind=OFFICIAL,
    ),
    G(
        "pollution (synonyms)",
        (duty("ee_pollution_control"),),
        zh="环境污染 排污 偷排 直排 乱排 漏排 偷偷排放 超标排放 超排 排放超标 污染物 "
        "选矿废水 矿井水 矿坑水 酸性废水 含氰废水 氰化物 氰化 重金属 重金属超标 砷 镉 "
        "汞 六价铬 铅超标 废气 烟尘 固废 固体废物 危废 危险废物 工业固废 废渣 尾渣 "
        "渗滤液 在线监测 自动监测 治污 治污设施 污染治理 环保设施 污水处理 "
        "农田污染 土壤污染 地下水污染 水污染 大气污染 扬尘污染",
        en="pollution|pollute|polluted|polluting|contamination|contaminated|discharge|"
        "effluent|wastewater|waste water|sewage|heavy metal|heavy metals|cyanide|arsenic|"
        "cadmium|mercury|toxic|hazardous waste|solid waste|emission|emissions|leachate|"
        "soil contamination|groundwater contamination|water pollution|air pollution",
    ),
    G(
        "pollution (how the public says it)",
        (duty("ee_pollution_control", 0.8),),
        zh="河水变色 河水发黄 水变黄 水变红 水发黑 黄水 红水 臭水 发臭 死鱼 鱼死了 "
        "水发绿 发绿 发黑 发红 发黄 变绿 变黑 变色 怪味 有味道 一股味 颜色不对 "
        "硫磺味 臭鸡蛋味 酸味 刺鼻味 药味 没有苫盖 未苫盖 苫盖 覆盖不到位 洒水降尘 "
        "鱼都死了 庄稼减产 庄稼死了 庄稼枯死 庄稼被毁 牲畜死亡 羊死了 牛羊死 "
        "黑烟 冒黑烟 冒烟 呛人 刺鼻 异味 臭味 灰尘大 粉尘大 到处是灰 噪音扰民 噪声扰民 "
        "往河里排 排到河里 往沟里排 晚上偷排 夜里偷排",
        en="dead fish|river turned yellow|crops died|livestock died|black smoke|bad smell|"
        "stinks|dusty|noise",
        kind=COLLOQUIAL,
        domain=0.5,
    ),
    G(
        "mine water let out untreated",
        (duty("ee_pollution_control", 0.9),),
        zh="洗矿水 选矿水 尾水 涌水 矿井涌水 矿坑涌水 外排 直接外排 未经处理 不经处理 "
        "没经过处理 排入河道 排进河里 流进河里 流入河道 进了河 排到沟里 尾砂 尾砂水 "
        "监测数据造假 在线监测造假 自动监测造假 篡改监测数据 监测数据 治污设施不运行 "
        "检查时才开 设施不开",
        en="mine water|untreated|discharged untreated|into the river|tailings water",
        kind=COLLOQUIAL,
    ),
    G(
        "coal gangue heaps (burning, leaching, eroding)",
        (duty("ee_pollution_control", 0.7), duty("wr_soil_water_conservation", 0.3)),
        zh="煤矸石 矸石山 矸石堆 煤矸石堆 自燃",
        en="coal gangue|gangue heap|spontaneous combustion",
    ),
    G(
        "muddy water (pollution or sediment)",
        (duty("ee_pollution_control", 0.5), duty("wr_soil_water_conservation", 0.4)),
        zh="变浑 浑了 浑浊 水浑 水变浑",
        en="turbid|cloudy water",
        domain=0.5,
    ),
    G(
        "pollution, everyday words",
        (duty("ee_pollution_control", 0.6),),
        zh="污染 废水 污水 粉尘 扬尘 灰尘 水质 水质超标 饮用水 井水 土壤 "
        "地下水超标 排放 废水超标",
        en="dust|water quality|drinking water|smell|odor|odour",
        domain=0.5,
    ),
    G(
        "noise and vibration (pollution; blasting safety is separate)",
        (duty("ee_pollution_control", 0.8),),
        zh="噪声 噪音 震动 振动 爆破震动 放炮震 睡不着 震碎 震裂 震坏 玻璃震碎 房子震裂",
        en="noise|vibration",
        domain=0.5,
    ),
    G(
        "dead trees and grass (pollution or forestry)",
        (duty("ee_pollution_control", 0.6), duty("fg_forest_land_restoration", 0.4)),
        zh="枯死 死树 树死了 树都死了 草都死了 寸草不生 树都枯了 草都枯了",
        en="trees died|dead trees|vegetation died",
        kind=COLLOQUIAL,
        domain=0.5,
    ),
    G(
        "groundwater (mostly pollution, sometimes the aquifer)",
        (duty("ee_pollution_control", 0.5), duty("nr_geo_environment_reclamation", 0.2)),
        zh="地下水 下游",
        en="groundwater|ground water",
        domain=0.5,
    ),
    G(
        "over the limit (everyday)",
        (duty("ee_pollution_control", 0.35),),
        zh="超标 严重超标 不达标",
        en="exceeds|exceeding|over the limit|above standard",
        domain=0.25,
    ),
    G(
        "environmental impact assessment, discharge permits, zoning (condition 7)",
        (condition(7, 0.9), duty("ee_ecological_supervision", 0.5)),
        zh="环境影响评价 环评 环评手续 环评批复 环评审批 没有环评 未做环评 没做环评 "
        "环评没批 环评未批 环评未批先建 未验先投 环保验收 竣工环保验收 环保三同时 "
        "生态环境分区管控 分区管控 三线一单 环境准入 生态环境准入清单 环境管控单元",
        en="environmental impact assessment|eia|environmental approval|environmental zoning|"
        "zoning control|environmental acceptance",
    ),
    G(
        "discharge permits (condition 7)",
        (condition(7, 0.9), duty("ee_pollution_control", 0.6)),
        zh="排污许可 排污许可证 排污证 排污登记 无证排污 排污许可制度 持证排污 排污许可管理",
        en="discharge permit|pollutant discharge permit|emission permit|pollution permit|"
        "discharge licence|discharge license",
    ),
    G(
        "built before approval (which approval decides)",
        (condition(7, 0.3), duty("ee_ecological_supervision", 0.2)),
        zh="未批先建 先建后批 边建边批 没批就建 没批就开工 未批先占",
        en="built without approval|without approval",
        domain=0.5,
    ),
    G(
        "rectification not done (conditions 7 and 2)",
        (condition(7, 0.35), condition(2, 0.35)),
        zh="未按期整改 整改不到位 逾期未整改 没有整改 不整改 拒不整改 没整改 整改没完成",
        en="not rectified|failed to rectify|did not rectify",
        domain=0.5,
    ),
    G(
        "tailings ponds (condition 8, pollution)",
        (condition(8, 0.6), duty("ee_pollution_control", 0.5), duty("em_work_safety", 0.3)),
        zh="尾矿库 尾矿池 尾矿坑 尾矿堆 尾矿渣",
        en="tailings pond|tailings facility|tailings storage|tailing pond|tailings impoundment",
    ),
    G(
        "tailings pollution checks and facilities (condition 8)",
        (condition(8, 1.0), duty("ee_pollution_control", 0.8)),
        zh="尾矿库污染 尾矿库渗漏 尾矿库污染隐患排查 尾矿库污染防治 尾矿库污染防治设施 "
        "污染隐患排查 污染隐患 尾矿库排查 尾矿水 尾矿废水 尾矿库防渗 防渗 防渗层 防渗膜 "
        "防渗漏 防渗措施 截渗 截渗坝 渗滤 污染防治设施 防治设施 回水池 尾矿库回水",
        en="tailings seepage|tailings leak|tailings pollution|seepage control|liner|"
        "impermeable liner|anti-seepage|pollution control facility|pollution control facilities",
    ),
    G(
        "seepage and leaks (pollution)",
        (duty("ee_pollution_control", 0.6), condition(8, 0.4)),
        zh="渗漏 渗水 外渗 漏水 泄漏 跑冒滴漏",
        en="seepage|seep|leak|leaking|leakage|spill",
        domain=0.5,
    ),
    G(
        "environmental incidents and serious pollution (condition 5)",
        (condition(5, 1.0), duty("ee_pollution_control", 0.6)),
        zh="环境事件 突发环境事件 环境污染事件 污染事件 环境污染事故 污染事故 环境事故 "
        "严重污染 土壤和地下水严重污染 重大污染 水源污染 饮用水源污染",
        en="environmental incident|environmental accident|pollution incident|"
        "pollution accident|serious pollution|severe contamination",
    ),
    G(
        "central environmental inspection (condition 11)",
        (condition(11, 1.0), department("ecology_environment", 0.6)),
        zh="中央环保督察 环保督察 中央生态环境保护督察 生态环境保护督察 督察组 督察通报 "
        "环保督察组 督察反馈 督察整改 回头看",
        en="central environmental inspection|environmental inspection team|"
        "environmental inspection",
    ),
    G(
        "Ecology and Environment by name",
        (department("ecology_environment"),),
        zh="生态环境厅 生态环境局 生态环境部门 环保局 环保厅 环保部门 环保所 环境监察大队 "
        "环保分局 生态环境分局 环境局",
        en="ecology and environment department|environmental protection bureau|epb|"
        "environment bureau",
        domain=0.5,
    ),
    G(
        "environmental taxes (taxation collects, ecology checks)",
        (department("taxation", 0.8), duty("ee_pollution_control", 0.3)),
        zh="环保税 环境保护税",
        en="environmental protection tax|environmental tax",
    ),
)

WATER_RESOURCES: tuple[TermGroup, ...] = (
    G(
        "soil and water conservation (official)",
        (duty("wr_soil_water_conservation"),),
        zh="水土保持 水土保持监督管理 矿区水土保持",
        kind=OFFICIAL,
    ),
    G(
        "soil and water conservation (synonyms)",
        (duty("wr_soil_water_conservation"),),
        zh="水土流失 水土保持方案 水保方案 水土保持设施 水土保持设施验收 水保验收 "
        "水土保持补偿费 水保补偿费 水土保持监测 水保监测 水土保持监理 水保监理 "
        "弃渣 弃土 弃渣场 弃土场 弃渣乱倒 乱堆乱弃 乱堆乱放 渣场 排土场 废石场 废土场 "
        "拦渣坝 挡渣墙 挡土墙 截排水沟 截水沟 排水沟 拦挡 拦挡措施 护坡 "
        "表土剥离 表土 扰动地表 扰动面积 地表扰动 泥沙下泄 泥沙 淤积 河道淤积 "
        "冲沟 水土保持违法 水保违法 水保问题",
        en="soil erosion|soil and water conservation|soil conservation|water and soil loss|"
        "soil and water loss|erosion|eroded|spoil|spoil heap|spoil dump|waste dump|"
        "waste rock dump|dump site|sediment|sedimentation|siltation|retaining wall|"
        "drainage ditch|topsoil",
    ),
    G(
        "soil and water conservation (abbreviations)",
        (duty("wr_soil_water_conservation"),),
        zh="水保 水保站 水保局 水保所",
        kind=ABBREVIATION,
    ),
    G(
        "soil and water loss (how it is said)",
        (duty("wr_soil_water_conservation", 0.8),),
        zh="一下雨 下雨就 雨水冲刷 雨水一冲 冲刷 冲毁 冲下来 冲到河里 冲进河里 泥水 黄泥水 "
        "泥巴水 渣子 渣土 乱倒 乱堆 乱弃 随便倒 到处倒 堆成山 山体裸露 边坡裸露 地表裸露 "
        "裸露 光秃秃 没有拦挡 没拦挡 堵了河道 堵河道 把沟堵了 沟堵了",
        en="washed away|runoff|mud|muddy water|dumped everywhere|bare slopes",
        kind=COLLOQUIAL,
        domain=0.5,
    ),
    G(
        "water administration outside 二(二) (Water Resources by law)",
        (department("water_resources", 0.8),),
        zh="取水许可 取水证 取水 地下水开采 超采地下水 地下水超采 河道采砂 采砂 挖沙 "
        "挖砂 河道 占用河道 防洪 行洪 河湖 水资源 水资源费 水资源税 水利设施",
        en="water abstraction|water withdrawal permit|sand mining|river sand|river channel|"
        "flood control|water resources",
        domain=0.6,
    ),
    G(
        "Water Resources by name",
        (department("water_resources"),),
        zh="水利厅 水利局 水务局 水利部门 水务部门 水利",
        en="water resources department|water resources bureau|water bureau",
        domain=0.5,
    ),
)

EMERGENCY_MANAGEMENT: tuple[TermGroup, ...] = (
    G(
        "work safety (official)",
        (duty("em_work_safety"),),
        zh="安全生产 安全生产监督管理 矿山安全生产 安全生产监管",
        kind=OFFICIAL,
    ),
    G(
        "work-safety licence (condition 1)",
        (duty("em_work_safety"), condition(1, 0.6)),
        zh="安全生产许可证 安全生产许可 安全许可证 安全许可 安全生产许可证书 安全证",
        kind=OFFICIAL,
    ),
    G(
        "work-safety licence (abbreviations)",
        (duty("em_work_safety"), condition(1, 0.6)),
        zh="安许证 安许 安证",
        en="safety licence|safety license|work safety licence|work safety license|"
        "safety permit|safety production licence|safety production license|"
        "safety certificate|safety production permit|work safety permit",
        kind=ABBREVIATION,
    ),
    G(
        "work safety (synonyms)",
        (duty("em_work_safety"),),
        zh="安全隐患 事故隐患 重大隐患 重大事故隐患 安全事故 生产安全事故 安全生产事故 "
        "安全监管 安全检查 安全执法 安全管理 安全设施 安全评价 安评 安全培训 "
        "特种作业 持证上岗 无证上岗 违章作业 违章指挥 三违 超能力生产 超强度生产 "
        "超定员 停产整顿 应急预案 应急救援 矿山救护 救援 非煤矿山 矿难 安全距离 "
        "冒顶 片帮 透水 突水 瓦斯 瓦斯爆炸 瓦斯超限 煤与瓦斯突出 冲击地压 顶板 "
        "通风 通风系统 提升机 炸药 爆破 放炮 民爆 火工品 溃坝 漫坝 垮坝 坝体 "
        "坝体裂缝 浸润线 干滩 排洪 排洪设施 边坡失稳 高陡边坡 采空区塌陷 中毒 窒息 "
        "一氧化碳 被困 井下被困 人员被困 事故 出事故 出事了 伤亡 人员伤亡 死亡 死人 "
        "自救器 防护用品 劳保用品 安全防护 监测监控 人员定位 安全出口 避险 "
        "死了 遇难 受伤 伤人 工亡 砸伤 砸死 安全帽 不戴安全帽 安全设备",
        en="work safety|mine safety|occupational safety|safety hazard|safety hazards|"
        "accident|accidents|fatality|fatalities|fatal|death|deaths|killed|died|injured|"
        "injury|explosion|gas explosion|roof collapse|roof fall|flooding|inrush|"
        "dam failure|dam break|dam collapse|dam breach|overtopping|blasting|explosives|"
        "ventilation|rescue|emergency rescue|trapped|safety inspection|safety training",
    ),
    G(
        "safety, weaker or shared",
        (duty("em_work_safety", 0.6),),
        zh="安全 隐患 隐患排查 危险 险情 火灾 着火 爆炸 边坡 塌方 垮塌 坍塌 倒塌 "
        "采空区 滑坡 尾矿坝",
        en="safety|hazard|danger|dangerous|fire|collapse|slope|unsafe",
        domain=0.5,
    ),
    G(
        "tailings dams (safety first)",
        (duty("em_work_safety", 0.8), condition(8, 0.3)),
        zh="尾矿坝",
        en="tailings dam|tailing dam|dam|dam crack|dam cracking",
    ),
    G(
        "about to collapse (safety)",
        (duty("em_work_safety", 0.9),),
        zh="边坡裂缝 坝体渗水 垮下来 塌下来 要塌了 会塌 快塌了 随时会塌 随时可能垮 危岩 "
        "浮石 滚石 落石",
        en="about to collapse|could collapse|rockfall|unstable slope",
        kind=COLLOQUIAL,
        domain=0.5,
    ),
    G(
        "banned equipment (safety too)",
        (duty("em_work_safety", 0.5),),
        zh="明令淘汰 淘汰设备 淘汰的设备 淘汰类设备 淘汰工艺 国家明令淘汰",
        en="banned equipment|obsolete equipment",
    ),
    G(
        "still producing (with an expired licence, a suspension order...)",
        (duty("em_work_safety", 0.3), condition(1, 0.3)),
        zh="还在生产 照常生产 继续生产 偷偷生产 违法生产 非法生产 带病生产 还在开采 "
        "还在采 照样生产 仍在生产 偷着生产 晚上生产 夜间生产",
        en="still producing|still operating|still running|keeps producing|kept operating",
        kind=COLLOQUIAL,
        domain=0.5,
    ),
    G(
        "major accidents (condition 5)",
        (condition(5, 1.0), duty("em_work_safety", 0.8)),
        zh="较大事故 较大及以上 较大及以上安全生产事故 较大安全事故 重大事故 特大事故 "
        "特别重大事故 重大安全事故 群死群伤 死亡三人 死了三个人 三人死亡 多人死亡 死了好几个",
        en="major accident|serious accident|mass casualty|several killed|three killed|"
        "three dead|multiple fatalities",
    ),
    G(
        "Emergency Management by name",
        (department("emergency_management"),),
        zh="应急厅 应急局 应急管理厅 应急管理局 应急管理部门 应急部门 安监局 安监 "
        "安全监管局 安监部门 矿山安全监察 矿山安监局 矿监局 矿山安全监察局 煤监局 应急",
        en="emergency management|emergency management department|work safety bureau|"
        "mine safety administration",
        domain=0.5,
    ),
)

FORESTRY_GRASSLAND: tuple[TermGroup, ...] = (
    G(
        "temporary use of forest land (official)",
        (duty("fg_forest_land_restoration"),),
        zh="临时占用林地 林地 临时使用林地 占用林地 使用林地",
        kind=OFFICIAL,
    ),
    G(
        "forest land (synonyms)",
        (duty("fg_forest_land_restoration"),),
        zh="林地审批 使用林地审核 林地手续 林地许可 毁林 毁林开矿 毁林采矿 砍树 乱砍 砍伐 "
        "树苗 苗木 成活率 种树 栽树 造林 植树造林 "
        "乱砍滥伐 滥伐 林木 树木 树林 森林 林区 公益林 天然林 森林植被恢复费 林地到期 "
        "占林地 毁坏林地 林地被占 树被砍 树砍了 林子 树林子 砍了树 砍掉 伐树 砍光了",
        en="forest land|forestland|woodland|forest|trees|tree felling|logging|deforestation|"
        "cut down trees",
    ),
    G(
        "revegetation (both forest land and grassland)",
        (duty("fg_forest_land_restoration", 0.7), duty("fg_grassland_restoration", 0.7)),
        zh="植被恢复 恢复植被 植被 植被破坏 植被没恢复 没恢复植被 种草种树 补植 补种 "
        "临时占用 到期后 到期没恢复 到期不恢复",
        en="revegetation|vegetation restoration|restore vegetation|replanting|vegetation|"
        "temporary occupation|temporary use",
    ),
    G(
        "temporary use of grassland by ancillary works (official)",
        (duty("fg_grassland_restoration"),),
        zh="临时占用草地 草地 附属工程 矿山开发附属工程 临时占用草原 占用草地 占用草原",
        kind=OFFICIAL,
    ),
    G(
        "grassland (synonyms)",
        (duty("fg_grassland_restoration"),),
        zh="草原 征占用草原 草原植被 草原恢复 草原破坏 破坏草原 毁草 草场 牧场 草皮 草甸 "
        "草原被占 草场被占 牧民 放牧 天然草原 基本草原 草原植被恢复费",
        en="grassland|grasslands|pasture|pastureland|grazing land|meadow|rangeland|herders",
    ),
    G(
        "ancillary works (roads, pipelines, temporary sites)",
        (duty("fg_grassland_restoration", 0.4), duty("fg_forest_land_restoration", 0.3)),
        zh="运矿道路 矿区道路 临时道路 施工便道 便道 临时设施 临时工棚 输水管线 管线 "
        "输电线路 临时用地",
        en="haul road|access road|temporary road|pipeline|temporary site",
        domain=0.5,
    ),
    G(
        "protected areas (Forestry and Grassland)",
        (department("forestry_grassland", 0.7), condition(6, 0.4)),
        zh="自然保护区 保护区 国家公园 自然保护地 湿地 野生动物 祁连山 祁连山保护区 "
        "风景名胜区 森林公园 地质公园",
        en="nature reserve|protected area|national park|wetland|wildlife|qilian",
    ),
    G(
        "Forestry and Grassland by name",
        (department("forestry_grassland"),),
        zh="林草局 林业局 林业和草原局 林业部门 林草部门 草原站 林业站 草原监理 林业",
        en="forestry and grassland|forestry bureau|forestry administration",
        domain=0.5,
    ),
)

MARKET_REGULATION: tuple[TermGroup, ...] = (
    G(
        "local standards (official)",
        (duty("mr_local_standards"),),
        zh="地方标准 标准制修订 制修订 绿色矿山建设地方标准 地方标准制修订",
        kind=OFFICIAL,
    ),
    G(
        "local standards (synonyms)",
        (duty("mr_local_standards"),),
        zh="地方标准制定 标准修订 修订标准 制定标准 标准制定 标准化 团体标准 行业标准 "
        "标准不统一 标准滞后 标准缺失 没有标准 标准立项 标准编制 标准起草 地标",
        en="local standard|local standards|standard revision|standards drafting|"
        "drafting a standard|standardization|standardisation|db62",
    ),
    G(
        "green-mine standards (market regulation drafts, natural resources applies)",
        (duty("mr_local_standards", 0.6), department("natural_resources", 0.3)),
        zh="绿色矿山标准 绿色矿山建设标准 绿色矿山评价标准 评价标准 评价指标 建设规范",
        en="green mine standard|green-mine standard|evaluation criteria",
    ),
    G(
        "business licence (condition 1)",
        (department("market_regulation", 0.9), condition(1, 0.6)),
        zh="营业执照 执照 工商执照 工商登记 企业登记",
        en="business licence|business license|business registration",
    ),
    G(
        "market regulation outside 二(二)",
        (department("market_regulation", 0.7),),
        zh="特种设备 锅炉 压力容器 起重机械 计量 产品质量 经营异常名录 市场主体",
        en="special equipment|boiler|pressure vessel|metrology|product quality",
        domain=0.5,
    ),
    G(
        "Market Regulation by name",
        (department("market_regulation"),),
        zh="市场监管局 市场监督管理局 市场监管部门 市场监管 工商局 工商 质监局 质监",
        en="market regulation|administration for market regulation|samr",
        domain=0.5,
    ),
)

TAXATION: tuple[TermGroup, ...] = (
    G(
        "tax incentives (official)",
        (duty("tax_incentives"),),
        zh="税收优惠 税收优惠政策 相关税收优惠政策",
        kind=OFFICIAL,
    ),
    G(
        "taxes (synonyms)",
        (duty("tax_incentives"),),
        zh="减税 免税 退税 即征即退 减半征收 资源税 所得税 企业所得税 增值税 税率 "
        "加计扣除 研发费用加计扣除 西部大开发税收优惠 税收减免 减免税 税费减免 享受优惠 "
        "纳税 交税 缴税 报税 税负 税款 税收 税务 税 偷税 逃税 漏税 偷逃税 发票 税务稽查",
        en="tax|taxes|taxation|tax incentive|tax incentives|tax relief|tax break|"
        "tax exemption|tax reduction|resource tax|income tax|vat|value added tax|tax refund|"
        "tax rebate|super deduction",
    ),
    G(
        "tax policies named after what they reward",
        (duty("tax_incentives", 0.5),),
        zh="资源综合利用 综合利用产品 节能环保 环保设备 节能节水 安全生产专用设备",
        en="resource recycling|comprehensive utilization products|comprehensive utilization|"
        "comprehensive utilisation",
        domain=0.5,
    ),
    G(
        "incentives, vague",
        (duty("tax_incentives", 0.4),),
        zh="优惠政策 政策优惠 优惠 减免",
        en="incentive|incentives|preferential policy",
        domain=0.25,
    ),
    G(
        "Taxation by name",
        (department("taxation"),),
        zh="税务局 税务部门 国税 地税 税务机关 税务所",
        en="tax bureau|tax office|tax authority|tax service",
        domain=0.5,
    ),
)

FINANCE_REGULATORS: tuple[TermGroup, ...] = (
    G(
        "green finance policy (official)",
        (duty("fr_green_finance_policy"),),
        zh="绿色金融 绿色金融政策 绿色发展金融",
        kind=OFFICIAL,
    ),
    G(
        "green finance (synonyms)",
        (duty("fr_green_finance_policy"),),
        zh="绿色信贷 绿色贷款 绿色债券 绿色保险 绿色金融产品 金融支持 金融服务 金融产品 "
        "贷款 信贷 授信 放贷 抽贷 断贷 压贷 续贷 不给贷款 贷不到款 贷款难 融资难 "
        "融资贵 银行不贷 银行不给贷 银行贷款 贷款利率 环境污染责任险 安全生产责任险 "
        "保险产品 银行业 保险业",
        en="green finance|green credit|green loan|green loans|green bond|green bonds|"
        "green insurance|bank loan|bank loans|loan|loans|credit|lending|financing|"
        "insurance|banks",
        domain=0.6,
    ),
    G(
        "banks and money, vague",
        (duty("fr_green_finance_policy", 0.5),),
        zh="银行 融资 利率 保险 资金链 资金紧张",
        en="bank|interest rate",
        domain=0.4,
    ),
    G(
        "Financial Regulation by name",
        (department("financial_regulation"),),
        zh="金融监管局 金融监管总局 国家金融监督管理总局 银保监局 银保监 银监局 银监 保监局 "
        "金融监管部门",
        en="financial regulation|financial regulatory administration|cbirc|nfra",
        domain=0.5,
    ),
    G(
        "People's Bank of China Gansu",
        (department("pboc_gansu"),),
        zh="人民银行 人行 央行 人民银行甘肃省分行 人民银行分行 再贷款 支农再贷款 "
        "碳减排支持工具 货币政策工具 征信 信用报告 绿色金融评价",
        en="people's bank|peoples bank|pboc|central bank|relending|re-lending|"
        "carbon emission reduction facility|credit report",
        domain=0.6,
    ),
    G(
        "Financial Affairs Office (local finance)",
        (department("financial_affairs"),),
        zh="金融办 省委金融办 地方金融 地方金融组织 小额贷款公司 小贷公司 融资担保 "
        "担保公司 融资担保公司 非法集资 金融风险 地方金融监管 金融工作",
        en="financial affairs office|local finance|microcredit|micro-loan company|"
        "financing guarantee|illegal fundraising",
        domain=0.6,
    ),
)

SECURITIES: tuple[TermGroup, ...] = (
    G(
        "listing and raising capital in China (official)",
        (duty("sr_listing_financing"),),
        zh="境内上市 上市融资 上市",
        kind=OFFICIAL,
        domain=0.6,
    ),
    G(
        "listing (synonyms)",
        (duty("sr_listing_financing"),),
        zh="首发上市 挂牌 新三板 北交所 科创板 创业板 主板 上市辅导 辅导备案 发行股票 "
        "被否 过会 上会 发审 注册制 上市申请 "
        "股票发行 股权融资 再融资 上市公司 拟上市 上市培育 上市后备 资本市场 证券 "
        "公司债 企业债 发债 债券融资 并购重组 股份制改造",
        en="listing|ipo|initial public offering|stock exchange|stock market|capital market|"
        "securities|shares|equity financing|go public|going public|listed company|"
        "corporate bond",
    ),
    G(
        "Securities Regulation by name",
        (department("securities_regulation"),),
        zh="证监局 证监会 证监部门 甘肃证监局",
        en="csrc|securities regulatory commission|securities regulator",
        domain=0.5,
    ),
)

OTHER_DEPARTMENTS: tuple[TermGroup, ...] = (
    G(
        "audit",
        (department("audit"),),
        zh="审计 审计厅 审计局 审计部门 审计发现 审计整改 审计报告 离任审计 "
        "自然资源资产离任审计 经济责任审计 挪用 截留 套取 虚报冒领 违规使用资金 资金被挪用",
        en="audit|audited|auditor|audit finding|misappropriation|misuse of funds|embezzlement",
    ),
    G(
        "business environment",
        (department("business_environment"),),
        zh="营商环境 营商 营商环境局 营商环境建设局 审批难 审批慢 办事难 办事慢 "
        "跑了好几趟 跑好几趟 来回跑 跑断腿 刁难 推诿 扯皮 吃拿卡要 政务服务 一网通办 "
        "放管服 多头检查 重复检查 检查太多 检查过多 频繁检查 涉企检查 拖欠账款 "
        "拖欠企业账款 政策不兑现 承诺不兑现 12345 政务热线 门难进 脸难看 事难办 "
        "拖欠工程款 拖欠款项 政府欠款 欠款不还 新官不理旧账",
        en="business environment|red tape|approval delays|slow approval|"
        "government services|repeated inspections|too many inspections",
    ),
    G(
        "approvals dragging on (business environment)",
        (department("business_environment", 0.8),),
        zh="审批 审批慢 审批时间长 手续难办 手续太多 手续繁琐 材料太多 办不下来 批不下来 "
        "卡着不批 拖着不办 迟迟不批 一直不批 迟迟不办 效率低 办事效率 跑腿",
        en="approval takes forever|paperwork|bureaucracy|slow service",
        kind=COLLOQUIAL,
        domain=0.5,
    ),
    G(
        "officials not acting (business environment, weaker)",
        (department("business_environment", 0.5),),
        zh="不作为 乱作为 慢作为 没人管 没人理 不管不问 踢皮球",
        en="nobody cares|no one responds|passing the buck",
        kind=COLLOQUIAL,
        domain=0.25,
    ),
    G(
        "energy administration",
        (department("energy"),),
        zh="能源局 能源部门 产能核定 核定产能 核增产能 产能核增 煤矿产能 产能置换 "
        "煤炭保供 电煤 保供 煤炭产量 煤炭行业 煤层气 电力 供电 电网 新能源 光伏 "
        "风电 油气 石油 天然气 储能 电价",
        en="energy administration|energy bureau|coal capacity|production capacity|"
        "coal supply|power supply|solar|wind power|oil and gas|natural gas",
        domain=0.6,
    ),
    G(
        "coal (energy administration, weaker)",
        (department("energy", 0.4),),
        zh="煤炭 产能 煤矿",
        en="coal",
        domain=0.6,
    ),
)

REMOVAL_CONDITION_GROUPS: tuple[TermGroup, ...] = (
    G(
        "licences incomplete, expired or revoked (1)",
        (condition(1, 0.8),),
        zh="证照不齐 证照过期 证件过期 证照 三证 证照不全 证件不全 过期未延续 未及时延续 "
        "没延续 未延续 没有延续 没办延续 被吊销 吊销 许可证过期 执照过期 证过期 过期了 "
        "无证 无证经营 无证生产 证照被吊销",
        en="expired licence|expired license|licence expired|license expired|permit expired|"
        "revoked|licence revoked|license revoked|without a licence|without a license|"
        "unlicensed",
        domain=0.5,
    ),
    G(
        "expiry, everyday",
        (condition(1, 0.5),),
        zh="过期 到期 延续 续期 换证 许可证 证件",
        en="expired|expire|renewal|renew|licence|license|permit",
        domain=0.25,
    ),
    G(
        "penalty not carried out (2)",
        (condition(2, 1.0),),
        zh="行政处罚 处罚决定 执行到位 未执行到位 没执行到位 履行期限 拒不履行 拒不执行 "
        "不履行处罚 罚款不交 不交罚款 没交罚款 拒交罚款 拖着不交 罚款没交 强制执行 "
        "处罚没落实 处罚不落实 责令停产整改 责令改正 拖着不执行 一直不执行 不执行 "
        "处罚不执行 不落实处罚",
        en="administrative penalty|unpaid fine|refused to pay|did not pay the fine|"
        "penalty not enforced|ignored the penalty|not complied|ignored the order",
        domain=0.75,
    ),
    G(
        "penalties, everyday",
        (condition(2, 0.5),),
        zh="处罚 罚款 罚了 被罚 罚单 处罚后",
        en="penalty|penalties|fine|fined",
        domain=0.25,
    ),
    G(
        "closed or not producing (3)",
        (condition(3, 1.0),),
        zh="未正常生产 未正常生产运营 不正常生产 长期停产 半停产 停产停业 停产多年 "
        "停了好几年 关闭 关停 闭矿 关闭矿山 倒闭 破产 人去楼空 烂尾 停工停产 "
        "一直没生产 一直没开工 没有生产 没在生产 不生产了 早就停了",
        en="closed|closure|shut down|shutdown|idle|not operating|not producing|"
        "out of production|bankrupt|abandoned",
    ),
    G(
        "stopped, everyday",
        (condition(3, 0.8),),
        zh="停产 停工 停业 停了 没开工 不开工 荒废 废弃 没人了 撂荒",
        en="stopped|suspended|deserted",
        domain=0.5,
    ),
    G(
        "illegal mining, beyond the boundary, changed method (4)",
        (condition(4, 1.0), department("natural_resources", 0.3)),
        zh="违法开采 非法开采 非法采矿 违法采矿 越界开采 越界 越界采矿 超层越界 超层越界开采 "
        "超范围开采 超出范围 超出矿界 超出矿区范围 无证开采 无证采矿 私挖滥采 私挖乱采 "
        "乱采滥挖 乱挖乱采 盗采 偷采 偷挖 盗挖 擅自改变开采方式 改变开采方式 擅自改变 "
        "露天改地下 地下改露天 开采方式 以采代探 以探代采 矿界 矿区范围 越层 "
        "露天改井下 露天转地下 井下改露天 改成地下开采 改为地下开采 改成露天开采 "
        "改为露天开采 开采方式变了 换了开采方式 超出采矿许可范围 超出许可范围 "
        "超出批准范围 超出矿权范围 超范围 越界了 挖过界 采到别人 挖到别人",
        en="illegal mining|unlicensed mining|mining beyond the boundary|beyond the boundary|"
        "beyond the licensed boundary|outside the licence area|outside the license area|"
        "encroachment|changed the mining method|change of mining method|illegal excavation|"
        "illegal extraction|mining method",
    ),
    G(
        "mining methods (hints of 4 when they change)",
        (condition(4, 0.4),),
        zh="露天开采 地下开采 井工开采 露天 井工",
        en="open-pit mining|underground mining",
        domain=0.5,
    ),
    G(
        "planning and land-use control (6)",
        (condition(6, 1.0), department("natural_resources", 0.4)),
        zh="国土空间规划 空间规划 用途管制 土地用途管制 生态保护红线 红线 永久基本农田 "
        "基本农田 耕地 占用耕地 占耕地 违法占地 非法占地 未批先占 违规用地 违法用地 "
        "乱占耕地 用地手续 没有用地手续 土地审批 禁止开采区 禁采区 限采区 城镇开发边界 "
        "土地性质 农用地",
        en="spatial planning|territorial planning|land use|land-use control|zoning|"
        "red line|ecological red line|farmland|basic farmland|arable land|"
        "illegal land occupation|illegal land use|no-mining zone",
    ),
    G(
        "planning, everyday",
        (condition(6, 0.4),),
        zh="规划 占地",
        en="planning",
        domain=0.25,
    ),
    G(
        "abnormal list of mining-rights holders (9)",
        (condition(9, 1.0), department("natural_resources", 0.3)),
        zh="矿业权人勘查开采信息公示异常名录 勘查开采信息公示 异常名录 矿业权人异常名录 "
        "勘查开采信息 信息公示 年度信息公示 公示异常 列入异常 严重违法名单 "
        "未按时公示 没有公示 没公示 未公示 年报没报 没报年报 未填报",
        en="abnormal list|abnormal operations list|exploration and mining information|"
        "information disclosure|annual disclosure|annual report",
    ),
    G(
        "development and utilisation rated backward (10)",
        (condition(10, 1.0), duty("nr_three_rates", 0.4)),
        zh="落后档次 开发利用水平 开发利用水平评价 划定为落后 划为落后 评为落后 落后水平 "
        "利用水平落后 开发利用落后 档次",
        en="rated backward|backward|lagging level|utilization level|utilisation level",
    ),
    G(
        "backward, everyday",
        (condition(10, 0.4),),
        zh="落后",
        domain=0.25,
    ),
    G(
        "named as a typical case by inspections and audits (11)",
        (condition(11, 1.0),),
        zh="典型案例 警示片 警示教育片 曝光台 督察 巡视 巡视组 巡察 被通报 通报批评 点名通报 "
        "被点名 巡视审计 反面典型",
        en="typical case|warning film|named and shamed|inspection tour|"
        "publicly criticised|publicly criticized",
    ),
    G(
        "NPC law-enforcement checks (11; Natural Resources answers for the mineral law)",
        (condition(11, 1.0), department("natural_resources", 0.6)),
        zh="人大执法检查 全国人大执法检查 执法检查组 矿产资源法执法检查 执法检查 全国人大 "
        "人大常委会",
        en="npc inspection|npc law enforcement inspection|law enforcement inspection|npc",
    ),
    G(
        "inspection tours and audits (11, audit)",
        (condition(11, 0.6), department("audit", 0.6)),
        zh="巡视审计 审计通报 审计署",
        en="audit office|national audit",
    ),
    G(
        "negative public opinion (12)",
        (condition(12, 1.0),),
        zh="舆情 负面舆情 网络舆情 舆论 上了热搜 热搜 网上曝光 媒体曝光 被曝光 曝光 "
        "网上炒作 刷屏 门户网站 新闻报道 被报道 央视曝光 焦点访谈 记者 媒体 自媒体 "
        "微博 抖音 短视频 网上发帖 网上传",
        en="negative publicity|public opinion|went viral|viral|social media|"
        "media exposure|news report|news reports|trending|journalist|reporters",
    ),
    G(
        "emergencies (12, emergency management)",
        (condition(12, 0.6), duty("em_work_safety", 0.4)),
        zh="突发事件 突发",
        en="emergency|sudden incident",
        domain=0.5,
    ),
    G(
        "fraud in the green-mine evaluation (13)",
        (condition(13, 1.0),),
        zh="弄虚作假 造假 作假 假材料 假数据 材料造假 数据造假 评估造假 虚假材料 "
        "虚假数据 伪造 篡改数据 骗取 蒙混过关 糊弄 走过场 花钱买 买来的 评估不真实",
        en="fraud|fraudulent|falsified|falsify|fake data|faked|forged|false materials|cheated",
    ),
    G(
        "evaluation (13, natural resources)",
        (condition(13, 0.4), department("natural_resources", 0.4)),
        zh="绿色矿山评估 评估报告 评估 第三方 评审",
        en="evaluation|assessment report|third party|third-party",
        domain=0.5,
    ),
    G(
        "other violations (14)",
        (condition(14, 0.7), department("natural_resources", 0.3)),
        zh="其他违法违规 违法违规 违法违规行为 不宜继续 不适合继续 不配当绿色矿山 "
        "不够格 名不副实 不配",
        en="other violations|not fit to stay|does not deserve",
        domain=0.5,
    ),
    G(
        "violations, everyday",
        (condition(14, 0.2),),
        zh="违法 违规 违法行为 违规行为",
        en="illegal|violation|violations|breach",
        domain=0.25,
    ),
)

GROUPS: tuple[TermGroup, ...] = (
    *CONTEXT_GROUPS,
    *NATURAL_RESOURCES,
    *DEVELOPMENT_REFORM,
    *SCIENCE_TECHNOLOGY,
    *INDUSTRY_IT,
    *FINANCE,
    *ECOLOGY_ENVIRONMENT,
    *WATER_RESOURCES,
    *EMERGENCY_MANAGEMENT,
    *FORESTRY_GRASSLAND,
    *MARKET_REGULATION,
    *TAXATION,
    *FINANCE_REGULATORS,
    *SECURITIES,
    *OTHER_DEPARTMENTS,
    *REMOVAL_CONDITION_GROUPS,
)

TERMS = merge(GROUPS)
