"""A calculator page in Spanish and Arabic: its field labels, its choices and the result's
headline are in the page's language (riskcalc/fields.py FIELD_LABELS and OPTION_LABELS, the
calculators' summaries); exchange names stay as the exchanges spell them."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

LIQUIDATION = "calculators/liquidation/?side=long&entry_price=60000&quantity=0.5&leverage=20"
MARGIN = "calculators/margin/?price=60000&quantity=0.5&leverage=20"


def label(page: str, field: str) -> str:
    found = re.search(rf'<label for="id_{field}"[^>]*>(.*?)</label>', page, re.S)
    assert found is not None, field
    return re.sub(r"<[^>]+>|\*", "", found.group(1))


def headline(page: str) -> str:
    found = re.search(r"<p id=\"announce\"[^>]*>(.*?)</p>", page, re.S)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
def test_spanish_liquidation_page_labels_its_fields_and_says_its_headline_in_spanish(
    client: Client,
) -> None:
    page = client.get(f"/es/{LIQUIDATION}").content.decode()

    assert label(page, "entry_price") == "Precio de entrada"
    assert label(page, "side") == "Sentido"
    assert '<option value="long" selected>Largo</option>' in page
    assert headline(page).startswith("Liquidación a ")
    assert "por debajo de la entrada: una caída del" in headline(page)


@pytest.mark.django_db
def test_arabic_margin_page_labels_its_fields_and_says_its_headline_in_arabic(
    client: Client,
) -> None:
    page = client.get(f"/ar/{MARGIN}").content.decode()

    assert label(page, "price") == "السعر"
    assert label(page, "quantity") == "الكمية"
    assert headline(page).startswith("الهامش الأولي ")
    assert ">Binance USDS-M</option>" in page


@pytest.mark.django_db
def test_headline_counts_the_inputs_to_fix_in_the_readers_language(client: Client) -> None:
    one = client.get("/es/calculators/margin/?price=x&quantity=1&leverage=20").content.decode()
    two = client.get("/es/calculators/margin/?price=x&quantity=y&leverage=20").content.decode()

    assert headline(one) == "Todavía sin calcular: corrige 1 dato."
    assert headline(two) == "Todavía sin calcular: corrige 2 datos."


@pytest.mark.django_db
def test_english_labels_and_headline_are_unchanged(client: Client) -> None:
    page = client.get(f"/{LIQUIDATION}").content.decode()

    assert label(page, "entry_price") == "Entry price"
    assert headline(page).startswith("Liquidation at ")
    assert "below entry: a fall of" in headline(page)


@pytest.mark.django_db
def test_learn_links_follow_each_pages_language_whichever_was_asked_first(client: Client) -> None:
    spanish = client.get("/es/calculators/pnl/").content.decode()
    english = client.get("/calculators/pnl/").content.decode()

    assert 'href="/es/learn/leverage/"' in spanish
    assert 'href="/learn/leverage/"' in english


FIELD_ERRORS = {
    "es": "«Precio de entrada» debe ser mayor que 0 y como máximo 1.000.000.000.000.",
    "zh-hans": "“开仓价格”必须大于 0 且不大于 1,000,000,000,000。",
    "ar": "يجب أن تكون قيمة «سعر الدخول» أكبر من 0 وألا تتجاوز 1,000,000,000,000.",
}


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p id="error_1_id_{field}"[^>]*>(.*?)</p>', page, re.S)
    assert found is not None, field
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "message"), FIELD_ERRORS.items())
def test_a_field_error_is_one_sentence_in_the_pages_language(
    client: Client, language: str, message: str
) -> None:
    page = client.get(f"/{language}/{LIQUIDATION.replace('60000', '0')}").content.decode()

    assert field_error(page, "entry_price") == message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "rows"),
    [
        ("es", ["0,25 días", "1 día", "3 días"]),
        ("zh-hans", ["0.25 天", "1 天", "3 天"]),
        ("ar", ["0.25 يوم", "يوم واحد", "3 أيام"]),
    ],
)
def test_the_touch_tables_horizons_count_days_with_the_languages_plural_forms(
    client: Client, language: str, rows: list[str]
) -> None:
    page = client.get(f"/{language}/{LIQUIDATION}").content.decode()

    for row in rows:
        assert f"<tr><td>{row}</td>" in page, row


@pytest.mark.django_db
def test_an_arabic_calculator_names_itself_and_its_learn_links_in_arabic(client: Client) -> None:
    page = client.get(f"/ar/{MARGIN}").content.decode()

    assert 'aria-current="page">الهامش</li>' in page
    assert '<h1 class="h2">حاسبة الهامش</h1>' in page
    assert '<a href="/ar/learn/isolated-vs-cross/">الهامش المعزول والهامش المتقاطع</a>' in page
    assert "Margin<" not in page and "Glossary<" not in page


@pytest.mark.django_db
def test_a_deferred_analysis_says_what_it_is_loading_in_the_pages_language(client: Client) -> None:
    page = client.get(f"/es/{MARGIN}", HTTP_HX_REQUEST="true").content.decode()

    assert 'data-analysis-label="los cálculos"' in page
    assert "Cargando los cálculos para estos datos." in page


@pytest.mark.django_db
def test_a_chinese_widget_is_titled_in_chinese(client: Client) -> None:
    page = client.get("/embed/margin/?lang=zh-hans").content.decode()

    assert '<h1 class="embed-title h6">保证金计算器</h1>' in page


CORE_ERRORS = {
    "es": "Una posición aislada solo la respalda su propio margen: da el apalancamiento o el "
    "margen de la posición en lugar del saldo de la billetera (o cambia a cruzado).",
    "zh-hans": "逐仓仓位只由其自身保证金担保：请给出杠杆或仓位保证金，而不是钱包余额（或改用全仓）。",
    "ar": "لا يدعم المركز المعزول إلا هامشه الخاص: أعطِ الرافعة المالية أو هامش المركز بدلًا من "
    "رصيد المحفظة (أو انتقل إلى الوضع المتقاطع).",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "message"), CORE_ERRORS.items())
def test_an_error_of_the_calculator_core_is_said_in_the_pages_language(
    client: Client, language: str, message: str
) -> None:
    # An isolated position with a wallet balance: a value given that the core refuses (a
    # missing one, such as cross margin's wallet balance, is asked for instead).
    page = client.get(f"/{language}/{LIQUIDATION}&wallet_balance=1000").content.decode()

    assert field_error(page, "wallet_balance") == message


@pytest.mark.django_db
def test_a_symbol_error_names_the_exchange_and_symbols_as_they_are_written(
    client: Client,
) -> None:
    page = client.get(f"/zh-hans/{LIQUIDATION}&exchange=bybit&symbol=BTCUSTD").content.decode()

    assert field_error(page, "symbol").startswith(
        "Bybit (Unified Trading Account) 上没有 'BTCUSTD' 的带日期档位表。你是不是要找 BTCUSDT？"
    )
