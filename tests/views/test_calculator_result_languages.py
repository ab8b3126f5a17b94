"""A calculator result in Spanish, Simplified Chinese and Arabic: the engine's warnings, the
maths' steps, the charts' titles and the tables beside them are in the page's language
(the core marks its sentences with N_, riskcalc/calc/text.py; riskcalc/messages.py shows them),
and the API says its warnings in the ``Accept-Language`` language, English by default."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

# A Binance BTCUSDT long of 40 BTC: above the first tier, so the core warns that it may be
# liquidated in steps.
TIERED = (
    "calculators/liquidation/?side=long&entry_price=60000&quantity=40&leverage=20"
    "&exchange=binance_usdm&symbol=BTCUSDT"
)

PARTIAL_LIQUIDATION = {
    "es": "Las posiciones por encima del primer nivel pueden liquidarse por etapas",
    "zh-hans": "高于第一档的仓位可能被分批强平",
    "ar": "قد تُصفّى المراكز التي تتجاوز الشريحة الأولى على مراحل",
}
LANGUAGES = list(PARTIAL_LIQUIDATION)

MATHS = {
    "es": ("Garantía", "C = margen + margen añadido − financiación pagada", "instantánea del"),
    "zh-hans": ("抵押品", "C = 保证金 + 追加保证金 − 已付资金费", "的快照"),
    "ar": ("الضمان", "C = الهامش + الهامش المضاف − التمويل المدفوع", "لقطة بتاريخ"),
}


def warning(page: str, code: str) -> str:
    found = re.search(rf'data-warning="{code}">(.*?)</li>', page, re.S)
    assert found is not None, code
    return re.sub(r"<[^>]+>", "", found.group(1))


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_engines_warning_on_a_liquidation_result_is_in_the_pages_language(
    client: Client, language: str
) -> None:
    page = client.get(f"/{language}/{TIERED}").content.decode()

    assert PARTIAL_LIQUIDATION[language] in warning(page, "partial_liquidation_possible")


CHARTS = {
    "es": ("Precio de salida", "Quiebra", ",."),
    "zh-hans": ("平仓价格", "破产", ".,"),
    "ar": ("سعر الخروج", "الإفلاس", ".,"),
}


def figure(page: str, name: str) -> dict:
    found = re.search(
        rf'<script id="chart-{name}-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert found is not None, name
    return json.loads(found.group(1))


def steps(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", step)).strip()
        for step in re.findall(r'<li class="calc-step">(.*?)</li>', page, re.S)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_maths_steps_are_named_and_explained_in_the_pages_language(
    client: Client, language: str
) -> None:
    shown = steps(client.get(f"/{language}/{TIERED}").content.decode())
    name, formula, snapshot = MATHS[language]

    collateral = next(step for step in shown if formula in step)
    assert collateral.startswith(name)
    assert any(snapshot in step for step in shown)  # the tier table's date, in words


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_charts_titles_axes_and_labels_are_in_the_pages_language(
    client: Client, language: str
) -> None:
    page = client.get(f"/{language}/{TIERED}").content.decode()
    pnl, ladder = figure(page, "pnl"), figure(page, "ladder")
    axis, level, separators = CHARTS[language]

    assert pnl["layout"]["xaxis"]["title"]["text"] == axis
    assert level in [trace["name"] for trace in ladder["data"]]
    assert pnl["layout"]["separators"] == separators  # decimal mark, then grouping


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pnl_tables_header_and_rows_are_in_the_pages_language(
    client: Client, language: str
) -> None:
    page = client.get(f"/{language}/{TIERED}").content.decode()
    table = re.search(r"<caption>[^<]*</caption>\s*<thead>(.*?)</tbody>", page, re.S)

    assert table is not None
    assert {"es": "Precio de salida", "zh-hans": "平仓价格", "ar": "سعر الخروج"}[language] in (
        table.group(1)
    )
    assert {"es": "pérdida", "zh-hans": "亏损", "ar": "خسارة"}[language] in table.group(1)


@pytest.mark.django_db
def test_a_warnings_figures_follow_the_pages_number_format(client: Client) -> None:
    query = (
        "calculators/position-size/?side=long&account_balance=1000000&risk_fraction=0.05"
        "&entry_price=60000&stop_price=59000&leverage=2"
    )

    spanish = warning(client.get(f"/es/{query}").content.decode(), "capped_by_leverage")
    english = warning(client.get(f"/{query}").content.decode(), "capped_by_leverage")

    assert "a 2× tu saldo financia como máximo 33,333333 unidades" in spanish
    assert "at 2× your balance funds at most 33.333333 units" in english


@pytest.mark.django_db
def test_the_api_says_a_warning_in_the_accept_language_language_and_english_by_default(
    client: Client,
) -> None:
    query = (
        "side=long&entry_price=60000&quantity=40&leverage=20&exchange=binance_usdm&symbol=BTCUSDT"
    )

    english = client.get(f"/api/v1/liquidation?{query}").json()["warnings"]
    spanish = client.get(f"/api/v1/liquidation?{query}", headers={"Accept-Language": "es"})

    said = {w["code"]: w["message"] for w in spanish.json()["warnings"]}
    assert said["partial_liquidation_possible"].startswith(PARTIAL_LIQUIDATION["es"])
    assert {w["code"]: w["message"] for w in english}["partial_liquidation_possible"] == (
        "Positions above the first tier may be liquidated in steps: the exchange first tries "
        "to reduce them to a lower tier."
    )


COMPARE = "calculators/compare/?asset=BTC&side=long&entry_price=60000&quantity=0.5&leverage=20"
WHY_THEY_DIFFER = {
    "es": "es un contrato inverso: el margen y el PnL están en XBT",
    "zh-hans": "是反向合约：保证金和盈亏以 XBT 计",
    "ar": "من نوع العقد العكسي: الهامش والربح والخسارة بعملة XBT",
}
INPUTS_LINE = {
    "es": "Largo, 40 BTC a 60.000,00 USDT, 20×, margen aislado, contrato lineal",
    "zh-hans": "做多 40 BTC，开仓价 60,000.00 USDT，20×",
    "ar": "شراء 40 BTC عند 60,000.00 USDT، 20×",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_compare_says_why_the_figures_differ_in_the_pages_language(
    client: Client, language: str
) -> None:
    page = client.get(f"/{language}/{COMPARE}").content.decode()
    reasons = re.search(r'<ul class="compare-reasons">(.*?)</ul>', page, re.S)

    assert reasons is not None
    assert WHY_THEY_DIFFER[language] in reasons.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_liquidation_results_inputs_line_is_in_the_pages_language(
    client: Client, language: str
) -> None:
    page = client.get(f"/{language}/{TIERED}").content.decode()
    line = re.search(r'<p class="inputs-summary[^>]*>(.*?)</p>', page, re.S)

    assert line is not None
    assert line.group(1).startswith(INPUTS_LINE[language])


@pytest.mark.django_db
def test_the_models_caveat_and_the_figures_notice_are_in_the_pages_language(
    client: Client,
) -> None:
    page = client.get(f"/es/{TIERED}").content.decode()

    assert "Estimación del modelo, no una previsión." in page
    assert "Las cifras siguen las fórmulas publicadas por los exchanges" in page


@pytest.mark.django_db
def test_the_adl_close_price_rule_is_in_the_pages_language(client: Client) -> None:
    page = client.get(
        "/es/calculators/adl/?side=long&entry_price=9750&mark_price=10000&quantity=10"
        "&leverage=10&method=bitmex"
    ).content.decode()

    assert "BitMEX cierra las posiciones desapalancadas al precio de quiebra" in page
