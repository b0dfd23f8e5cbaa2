"""The 18 co-building departments, in the document's order, with the liaison its table names."""

from __future__ import annotations

from seed.model import Department

DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "natural_resources", "甘肃省自然资源厅",
        "Department of Natural Resources of Gansu Province", "省自然资源厅", "自然资源部门", "杨博",
    ),
    Department(
        "development_reform", "甘肃省发展改革委",
        "Development and Reform Commission of Gansu Province", "省发展改革委", "发展改革部门",
        "张丽",
    ),
    Department(
        "science_technology", "甘肃省科技厅",
        "Department of Science and Technology of Gansu Province", "省科技厅", "科技部门", "苏积德",
    ),
    Department(
        "industry_it", "甘肃省工信厅",
        "Department of Industry and Information Technology of Gansu Province", "省工信厅",
        "工信部门", "刘伟",
    ),
    Department(
        "finance", "甘肃省财政厅", "Department of Finance of Gansu Province", "省财政厅", "财政部门",
        "祁帜",
    ),
    Department(
        "ecology_environment", "甘肃省生态环境厅",
        "Department of Ecology and Environment of Gansu Province", "省生态环境厅", "生态环境部门",
        "吴洪仁",
    ),
    Department(
        "water_resources", "甘肃省水利厅", "Department of Water Resources of Gansu Province",
        "省水利厅", "水利部门", "王淑娟",
    ),
    Department(
        "emergency_management", "甘肃省应急厅",
        "Department of Emergency Management of Gansu Province", "省应急厅", "应急管理部门",
        "齐俊德",
    ),
    Department(
        "audit", "甘肃省审计厅", "Audit Office of Gansu Province", "省审计厅", "", "张忠江",
    ),
    Department(
        "financial_affairs", "甘肃省委金融办",
        "Financial Affairs Office of the CPC Gansu Provincial Committee", "省委金融办", "",
        "杨欣和",
    ),
    Department(
        "forestry_grassland", "甘肃省林草局", "Forestry and Grassland Administration of Gansu Province",
        "省林草局", "林草部门", "滕海云",
    ),
    Department(
        "market_regulation", "甘肃省市场监管局",
        "Administration for Market Regulation of Gansu Province", "省市场监管局", "市场监管部门",
        "秦戈",
    ),
    Department(
        "business_environment", "甘肃省营商环境建设局",
        "Business Environment Development Bureau of Gansu Province", "省营商环境建设局", "", "金鑫",
    ),
    Department(
        "energy", "甘肃省能源局", "Energy Administration of Gansu Province", "省能源局", "",
        "张文君",
    ),
    Department(
        "taxation", "甘肃省税务局", "Gansu Provincial Tax Service, State Taxation Administration",
        "省税务局", "税务部门", "达琳",
    ),
    Department(
        "pboc_gansu", "人民银行甘肃省分行", "Gansu Branch of the People's Bank of China",
        "人民银行甘肃省分行", "", "郑周胜",
    ),
    Department(
        "financial_regulation", "甘肃金融监管局",
        "Gansu Office of the National Financial Regulatory Administration", "甘肃金融监管局",
        "金融监管部门", "蔡耀轩",
    ),
    Department(
        "securities_regulation", "甘肃证监局",
        "Gansu Office of the China Securities Regulatory Commission", "甘肃证监局", "证监部门",
        "贾汝明",
    ),
)  # fmt: skip

BY_CODE = {d.code: d for d in DEPARTMENTS}
