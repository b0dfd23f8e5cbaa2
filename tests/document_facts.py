"""Facts of the document and of DESIGN.md that tests check the product against."""

DESIGN_CODES = {
    "natural_resources": "甘肃省自然资源厅",
    "development_reform": "甘肃省发展改革委",
    "science_technology": "甘肃省科技厅",
    "industry_it": "甘肃省工信厅",
    "finance": "甘肃省财政厅",
    "ecology_environment": "甘肃省生态环境厅",
    "water_resources": "甘肃省水利厅",
    "emergency_management": "甘肃省应急厅",
    "audit": "甘肃省审计厅",
    "financial_affairs": "甘肃省委金融办",
    "forestry_grassland": "甘肃省林草局",
    "market_regulation": "甘肃省市场监管局",
    "business_environment": "甘肃省营商环境建设局",
    "energy": "甘肃省能源局",
    "taxation": "甘肃省税务局",
    "pboc_gansu": "人民银行甘肃省分行",
    "financial_regulation": "甘肃金融监管局",
    "securities_regulation": "甘肃证监局",
}

LIAISONS = {
    "natural_resources": "杨博", "development_reform": "张丽", "science_technology": "苏积德",
    "industry_it": "刘伟", "finance": "祁帜", "ecology_environment": "吴洪仁",
    "water_resources": "王淑娟", "emergency_management": "齐俊德", "audit": "张忠江",
    "financial_affairs": "杨欣和", "forestry_grassland": "滕海云", "market_regulation": "秦戈",
    "business_environment": "金鑫", "energy": "张文君", "taxation": "达琳",
    "pboc_gansu": "郑周胜", "financial_regulation": "蔡耀轩", "securities_regulation": "贾汝明",
}  # fmt: skip
