"""XLSX files of an evaluation (each home's indicators, score, amount and the formula) and of an award list."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import AwardList, Evaluation, Indicator


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def formula_lines(evaluation: Evaluation) -> list[str]:
    labels = dict(Indicator.choices)
    weights = "，".join(f"{labels[k]} {w}" for k, w in evaluation.weights.items() if w)
    cap = (
        _("单家上限 %(yuan)s 元") % {"yuan": _yuan(evaluation.cap_fen)}
        if evaluation.cap_fen is not None
        else _("无统一上限")
    )
    return [
        _("1. 各项指标以本轮最好的一家为 1：标准值 = 本家数值 ÷ 最高数值（全部为 0 时记 0）。"),
        _("2. 得分 = Σ 权重 × 标准值。权重：%(weights)s。") % {"weights": weights},
        _("3. 经费按得分比例分配；超过上限的按上限拨付，多出部分按得分再分给其余各家，直至无人超限（%(cap)s）。")
        % {"cap": cap},
        _("4. 取整到分（最大余数法）：先按精确份额向下取整，剩余的分按余数从大到小每家补 1 分；")
        + _("余数相同的得分高者优先，再按编号。"),
        _("各家合计 + 未分配 = 经费总额（未分配仅在各家均已达上限或均无得分时出现）。"),
    ]


def evaluation_xlsx(evaluation: Evaluation) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "拨补经费"
    labels = dict(Indicator.choices)
    codes = list(Indicator.values)
    sheet.append([evaluation.title, f"{evaluation.year}", evaluation.owner.name])
    sheet.append([_("经费总额（元）"), _yuan(evaluation.budget_fen), _("状态"), evaluation.get_status_display()])
    sheet.append([])
    header = [
        _("序号"),
        _("职工之家"),
        _("编码"),
        _("所属工会"),
        *[str(labels[c]) for c in codes],
        _("得分"),
        _("精确份额（分）"),
        _("是否封顶"),
        _("拨补金额（分）"),
        _("拨补金额（元）"),
    ]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    homes = list(evaluation.homes.select_related("point", "point__owner").order_by("-amount_fen", "point__name"))
    for i, h in enumerate(homes, 1):
        sheet.append(
            [
                i,
                h.point.name,
                h.point.code,
                h.point.owner.name,
                *[_cell(getattr(h, c)) for c in codes],
                float(h.score),
                h.breakdown.get("exact_fen", ""),
                _("是") if h.breakdown.get("capped") else "",
                h.amount_fen,
                float(_yuan(h.amount_fen)),
            ]
        )
    total = sum(h.amount_fen for h in homes)
    sheet.append([_("合计"), *[""] * (len(header) - 3), total, float(_yuan(total))])
    sheet.append([_("未分配"), *[""] * (len(header) - 3), evaluation.unallocated_fen, ""])
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["D"].width = 22
    formula = book.create_sheet("公式")
    for line in formula_lines(evaluation):
        formula.append([line])
    formula.column_dimensions["A"].width = 120
    detail = book.create_sheet("明细")
    detail.append([_("职工之家"), _("指标"), _("数值"), _("最高"), _("标准值"), _("权重"), _("得分")])
    for h in homes:
        for line in h.breakdown.get("lines", []):
            detail.append(
                [
                    h.point.name,
                    str(labels.get(line["indicator"], line["indicator"])),
                    float(line["value"]),
                    float(line["best"]),
                    float(line["norm"]),
                    float(line["weight"]),
                    float(line["points"]),
                ]
            )
    return _save(book)


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def award_list_xlsx(award_list: AwardList) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "以奖代补"
    sheet.append([award_list.title, f"{award_list.year}", award_list.owner.name])
    sheet.append([_("类别"), _("企业工会"), _("编码"), _("金额（分）"), _("金额（元）")])
    entries = list(award_list.entries.select_related("union").order_by("level", "union__path"))
    for e in entries:
        sheet.append([e.get_level_display(), e.union.name, e.union.code, e.amount_fen, float(_yuan(e.amount_fen))])
    total = sum(e.amount_fen for e in entries)
    sheet.append([_("合计"), f"{len(entries)}", "", total, float(_yuan(total))])
    sheet.column_dimensions["B"].width = 30
    return _save(book)
