"""Gansu's 14 prefecture-level divisions (地级行政区), with their national division codes
(GB/T 2260). Mines are registered in one of them; `code` is the stable id the API uses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prefecture:
    code: str
    #: the national administrative division code (GB/T 2260)
    division_code: str
    name_zh: str
    name_en: str

    def row(self, order: int) -> dict[str, object]:
        return {
            "code": self.code,
            "divisionCode": self.division_code,
            "nameZh": self.name_zh,
            "nameEn": self.name_en,
            "order": order,
        }


PREFECTURES: tuple[Prefecture, ...] = (
    Prefecture("lanzhou", "620100", "兰州市", "Lanzhou"),
    Prefecture("jiayuguan", "620200", "嘉峪关市", "Jiayuguan"),
    Prefecture("jinchang", "620300", "金昌市", "Jinchang"),
    Prefecture("baiyin", "620400", "白银市", "Baiyin"),
    Prefecture("tianshui", "620500", "天水市", "Tianshui"),
    Prefecture("wuwei", "620600", "武威市", "Wuwei"),
    Prefecture("zhangye", "620700", "张掖市", "Zhangye"),
    Prefecture("pingliang", "620800", "平凉市", "Pingliang"),
    Prefecture("jiuquan", "620900", "酒泉市", "Jiuquan"),
    Prefecture("qingyang", "621000", "庆阳市", "Qingyang"),
    Prefecture("dingxi", "621100", "定西市", "Dingxi"),
    Prefecture("longnan", "621200", "陇南市", "Longnan"),
    Prefecture("linxia", "622900", "临夏回族自治州", "Linxia Hui Autonomous Prefecture"),
    Prefecture("gannan", "623000", "甘南藏族自治州", "Gannan Tibetan Autonomous Prefecture"),
)

BY_CODE = {p.code: p for p in PREFECTURES}
