"""DataLoaders for mines and what hangs off them, created per request (see `resolvers/loaders.py`):
a page of 100 mines with their prefecture, licences and history costs one round trip per level."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from graph import lifecycle, mines, prefectures, rules, spot_checks
from graph.document import RuleRecord
from graph.engine import Engine
from graph.lifecycle import ObjectionRecord, RectificationRecord
from graph.mine_model import EventBrief, EventRecord, LicenceRecord, MineRecord
from graph.prefectures import PrefectureRecord
from graph.spot_checks import DrawRecord, ResultRecord
from resolvers.loaders import forget, many_each, one_each


@dataclass(frozen=True)
class MineLoaders:
    mine: DataLoader[str, MineRecord | None]
    prefecture: DataLoader[str, PrefectureRecord | None]
    licences: DataLoader[str, list[LicenceRecord]]
    history: DataLoader[str, list[EventRecord]]
    history_briefs: DataLoader[str, list[EventBrief]]
    objections: DataLoader[str, list[ObjectionRecord]]
    rectifications: DataLoader[str, list[RectificationRecord]]
    check_results: DataLoader[str, list[ResultRecord]]
    draw: DataLoader[str, DrawRecord | None]
    draw_results: DataLoader[str, list[ResultRecord]]
    result: DataLoader[str, ResultRecord | None]
    rule: DataLoader[str, RuleRecord | None]

    @classmethod
    def create(cls, engine: Engine) -> MineLoaders:
        return cls(
            mine=one_each(engine, mines.by_licence),
            prefecture=one_each(engine, prefectures.by_code),
            licences=many_each(engine, mines.licences_of),
            history=many_each(engine, lifecycle.history_of),
            history_briefs=many_each(engine, lifecycle.history_briefs_of),
            objections=many_each(engine, lifecycle.objections_of),
            rectifications=many_each(engine, lifecycle.rectifications_of),
            check_results=many_each(engine, spot_checks.results_of_mines),
            draw=one_each(engine, spot_checks.draws_by_id),
            draw_results=many_each(engine, spot_checks.results_of_draws),
            result=one_each(engine, spot_checks.results_by_id),
            rule=one_each(engine, rules.by_code),
        )

    def forget_mine(self, licence: str) -> None:
        """Drop what is cached about a mine after a write changed it."""
        forget(self.mine, licence)
        forget(self.licences, licence)
        forget(self.history, licence)
        forget(self.history_briefs, licence)
        forget(self.objections, licence)
        forget(self.rectifications, licence)
        forget(self.check_results, licence)
