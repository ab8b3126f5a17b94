"""The calculator forms: number parsing in both modes, limits as HTML attributes, core errors on
the right field, exchange presets."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from riskcalc.calc.limits import LIMITS
from riskcalc.calculators.adl import AdlForm
from riskcalc.calculators.liquidation import LiquidationForm
from riskcalc.calculators.margin import MarginForm
from riskcalc.calculators.pnl import PnlForm
from riskcalc.calculators.position_size import PositionSizeForm
from riskcalc.fields import parse_decimal_localized, parse_decimal_strict

BYBIT_19700 = {
    "side": "long",
    "entry_price": "20000",
    "quantity": "1",
    "leverage": "50",
    "maintenance_margin_rate": "0.005",
    "mm_basis": "entry",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1\u202f234.5", "1234.5"),
        ("1'234.5", "1234.5"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1,5", "1.5"),
        ("0,005", "0.005"),
        ("1234,567", "1234.567"),
        ("12,3456", "12.3456"),
        ("1.234", "1.234"),
        ("-1,5", "-1.5"),
        ("\u22121,5", "-1.5"),
        ("+20000", "20000"),
        (".5", "0.5"),
        ("1e-3", "0.001"),
        ("  19700  ", "19700"),
    ],
)
def test_localized_parsing_reads_common_notations(text: str, expected: str) -> None:
    assert parse_decimal_localized(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1,234", "12,345", "123,456", "-1,234"])
def test_single_comma_before_three_digits_is_ambiguous(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_decimal_localized(text)
    assert caught.value.code == "ambiguous"
    assert "1.234" in caught.value.messages[0] or "345" in caught.value.messages[0]


@pytest.mark.parametrize("text", ["1.234", "20.000", "123.456", "-1.234"])
def test_on_a_spanish_page_a_single_dot_before_three_digits_is_ambiguous(text: str) -> None:
    # Spanish groups thousands with dots (20.000) and writes decimals with a comma.
    with translation.override("es"), pytest.raises(ValidationError) as caught:
        parse_decimal_localized(text)

    assert caught.value.code == "ambiguous"
    integer, fraction = text.split(".")
    assert (
        f"escribe {integer}{fraction}, o {integer},{fraction} con coma decimal"
        in (caught.value.messages[0])
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.5", "1.5"), ("0.005", "0.005"), ("1.234.567", "1234567"), ("1.234,5", "1234.5")],
)
def test_on_a_spanish_page_an_unambiguous_dot_is_read_as_elsewhere(
    text: str, expected: str
) -> None:
    with translation.override("es"):
        assert parse_decimal_localized(text) == Decimal(expected)


def test_a_spanish_calculator_asks_for_an_ambiguous_entry_price_to_be_written_plainly(
    client: Client,
) -> None:
    query = "side=long&entry_price=20.000&quantity=0.5&leverage=20"
    page = client.get(f"/es/calculators/liquidation/?{query}").content.decode()

    error = re.search(r'<p id="error_1_id_entry_price">(.*?)</p>', page, re.S)
    assert error is not None
    assert "20000" in error.group(1) and "20,000" in error.group(1)


@pytest.mark.parametrize(
    "text",
    [
        "1,23,456",
        "12 34",
        "1.234,567.8",
        "1,234.567,8",
        "1 234.567,8",
        "abc",
        "1..2",
        "1,",
        "--1",
        "1e",
        "0x10",
        "١٢٣",
        "NaN",
        "-Infinity",
        "inf",
        "sNaN",
        "1" * 100,
    ],
)
def test_localized_parsing_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_decimal_localized(text)


@pytest.mark.parametrize("text", ["1,5", "1 234", "1,234.5", "NaN", "Infinity", "1e", "0x1"])
def test_strict_parsing_accepts_only_a_point(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_decimal_strict(text)


def test_strict_parsing_reads_plain_and_exponent_notation() -> None:
    assert parse_decimal_strict("19700.5") == Decimal("19700.5")
    assert parse_decimal_strict("-0.25") == Decimal("-0.25")
    assert parse_decimal_strict("2E+3") == Decimal(2000)


def test_read_as_echoes_values_typed_with_separators() -> None:
    form = LiquidationForm({**BYBIT_19700, "entry_price": "20.000,0", "quantity": "1"})
    assert form.is_valid(), form.errors
    assert form.read_as == {"entry_price": Decimal("20000.0")}


def test_strict_form_rejects_a_decimal_comma() -> None:
    form = LiquidationForm({**BYBIT_19700, "entry_price": "20000,5"}, strict=True)
    assert not form.is_valid()
    assert "entry_price" in form.errors


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", Decimal("NaN"), Decimal("Infinity")])
def test_non_finite_numbers_are_rejected_with_a_clear_message(value: object) -> None:
    form = LiquidationForm({**BYBIT_19700, "entry_price": value}, strict=True)
    assert not form.is_valid()
    assert form.errors["entry_price"] == ["Enter a finite number (not NaN or infinity)."]


@pytest.mark.parametrize("value", [True, 1.5, ["1"], {"a": 1}])
def test_non_number_types_are_rejected(value: object) -> None:
    form = LiquidationForm({**BYBIT_19700, "quantity": value}, strict=True)
    assert not form.is_valid()
    assert "quantity" in form.errors


def test_required_number_left_empty_is_reported() -> None:
    form = LiquidationForm({**BYBIT_19700, "entry_price": "  "})
    assert not form.is_valid()
    assert form.errors["entry_price"] == ["This field is required."]


def test_negative_zero_is_read_as_zero() -> None:
    form = LiquidationForm({**BYBIT_19700, "extra_margin": "-0"}, strict=True)
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["extra_margin"]) == "0"


def test_values_are_never_floats() -> None:
    form = LiquidationForm({**BYBIT_19700, "entry_price": "20000.1"}, strict=True)
    assert form.is_valid(), form.errors
    assert all(not isinstance(v, float) for v in form.cleaned_data.values())


@pytest.mark.parametrize("name", ["entry_price", "leverage", "maintenance_margin_rate", "fee_rate"])
def test_limits_are_mirrored_as_html_attributes(name: str) -> None:
    html = str(LiquidationForm()[name])
    limit = LIMITS[name]
    assert f'min="{limit.minimum.normalize():f}"' in html
    assert f'max="{limit.maximum.normalize():f}"' in html
    assert 'step="any"' in html
    assert 'inputmode="decimal"' in html


def test_values_outside_limits_get_field_errors() -> None:
    form = LiquidationForm({**BYBIT_19700, "leverage": "1001", "entry_price": "0"})
    assert not form.is_valid()
    assert form.errors["leverage"] == ["Leverage must be at least 1 and at most 1,000."]
    assert form.errors["entry_price"] == [
        "Entry price must be greater than 0 and at most 1,000,000,000,000."
    ]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("leverage", "1e-30", "Leverage must be at least 1 and at most 1,000."),
        ("leverage", "0", "Leverage must be at least 1 and at most 1,000."),
        (
            "entry_price",
            "1e-30",
            "Entry price must be at least 0.000000000000000001 and at most 1,000,000,000,000.",
        ),
        (
            "maintenance_margin_rate",
            "1e-30",
            "Maintenance margin rate must be 0 or between 0.000000000000000001 and 0.99.",
        ),
        (
            "funding_paid",
            "-1e-30",
            "Funding paid must be 0 or at least 0.000000000000000001 in size, and between "
            "-1,000,000,000,000,000 and 1,000,000,000,000,000.",
        ),
    ],
)
def test_a_number_too_small_to_take_names_the_range_the_field_really_takes(
    field: str, typed: str, message: str
) -> None:
    form = LiquidationForm({**BYBIT_19700, field: typed})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_valid_form_carries_the_core_result() -> None:
    form = LiquidationForm(BYBIT_19700)
    assert form.is_valid(), form.errors
    assert form.result.liquidation_price == Decimal(19700)
    assert form.result.bankruptcy_price == Decimal(19600)


def test_input_error_from_the_core_lands_on_its_field() -> None:
    data = {**BYBIT_19700, "margin_mode": "cross"}
    del data["leverage"]
    form = LiquidationForm(data)
    assert not form.is_valid()
    assert list(form.errors) == ["wallet_balance"]
    assert "wallet balance" in form.errors["wallet_balance"][0]


def test_cross_field_core_error_is_a_form_error() -> None:
    form = LiquidationForm({**BYBIT_19700, "position_margin": "400"})
    assert not form.is_valid()
    assert form.non_field_errors() == ["Give either the leverage or the position margin, not both."]


def test_unknown_exchange_lists_the_valid_ones_by_name() -> None:
    form = LiquidationForm({**BYBIT_19700, "exchange": "ftx"})
    assert not form.is_valid()
    message = form.errors["exchange"][0]
    assert "Binance USDS-M" in message and "Bybit" in message and "binance_usdm" not in message


def test_unknown_symbol_lists_the_valid_ones() -> None:
    form = LiquidationForm({**BYBIT_19700, "exchange": "binance_usdm", "symbol": "BTCUSTD"})
    assert not form.is_valid()
    assert "BTCUSDT" in form.errors["symbol"][0]


def test_symbol_error_never_offers_a_symbol_without_a_tier_table() -> None:
    # OKX's BTCUSD has a confirmed leverage cap but no tier table: offering it in the error
    # led to "There is no tier table for BTCUSD on OKX" (issue 12, item 4).
    form = LiquidationForm({**BYBIT_19700, "exchange": "okx", "symbol": "BTCUSDX"})
    assert not form.is_valid()
    assert not re.search(r"\bBTCUSD\b", form.errors["symbol"][0])


def test_a_snapshot_older_than_30_days_is_used_with_a_dated_warning() -> None:
    data = {k: v for k, v in BYBIT_19700.items() if k != "maintenance_margin_rate"}
    form = LiquidationForm({**data, "exchange": "binance_usdm", "symbol": "BTCUSDT"})
    assert form.is_valid(), form.errors
    stale = [w for w in form.warnings if w.code == "tier_table_stale"]
    assert len(stale) == 1
    assert "snapshot 2024-10-24" in stale[0].message and "days old" in stale[0].message


def test_symbol_in_lower_case_selects_the_exchanges_table() -> None:
    data = {k: v for k, v in BYBIT_19700.items() if k != "maintenance_margin_rate"}
    form = LiquidationForm({**data, "exchange": "bybit", "symbol": "btcusdt"})
    assert form.is_valid(), form.errors
    assert form.tier_table is not None and form.tier_table.symbol == "BTCUSDT"
    assert form.cleaned_data["symbol"] == "BTCUSDT"


def test_symbol_suggestions_are_the_chosen_exchanges_symbols_only() -> None:
    assert LiquidationForm({"exchange": "bybit"}).symbol_choices == ("BTCUSDT",)
    assert "BTC" in LiquidationForm({"exchange": "hyperliquid"}).symbol_choices
    assert "BTCUSDT" not in LiquidationForm({"exchange": "hyperliquid"}).symbol_choices
    assert LiquidationForm({}).symbol_choices == ()
    assert LiquidationForm({"exchange": "nope"}).symbol_choices == ()


def test_symbol_without_exchange_asks_for_the_exchange() -> None:
    form = LiquidationForm({**BYBIT_19700, "symbol": "BTCUSDT"})
    assert not form.is_valid()
    assert "exchange" in form.errors


def test_presets_fill_tiers_and_basis_from_the_profile() -> None:
    data = {
        k: v for k, v in BYBIT_19700.items() if k not in {"maintenance_margin_rate", "mm_basis"}
    }
    form = LiquidationForm({**data, "exchange": "binance_usdm", "symbol": "BTCUSDT"})
    assert form.is_valid(), form.errors
    assert form.tier_table is not None and form.tier_table.symbol == "BTCUSDT"
    assert form.result.tier.number == 1
    assert form.result.maintenance_margin_rate == Decimal("0.004")
    assert {"maintenance_margin_rate", "mm_basis"} <= form.preset_fields
    assert form.inputs["mm_basis"] == "mark"


def test_explicit_values_win_over_presets() -> None:
    form = LiquidationForm({**BYBIT_19700, "exchange": "binance_usdm", "symbol": "BTCUSDT"})
    assert form.is_valid(), form.errors
    assert form.tier_table is None
    assert form.result.liquidation_price == Decimal(19700)
    assert "maintenance_margin_rate" not in form.preset_fields


def test_profile_entry_basis_reproduces_mexc_example() -> None:
    form = LiquidationForm(
        {
            "side": "long",
            "entry_price": "50000",
            "quantity": "0.1",
            "leverage": "25",
            "maintenance_margin_rate": "0.004",
            "exchange": "mexc",
        }
    )
    assert form.is_valid(), form.errors
    assert form.result.liquidation_price == Decimal(48200)
    assert "mm_basis" in form.preset_fields


def test_tier_leverage_cap_is_checked_against_the_table() -> None:
    form = LiquidationForm(
        {
            "side": "long",
            "entry_price": "100000",
            "quantity": "1",
            "leverage": "125",
            "exchange": "binance_usdm",
            "symbol": "BTCUSDT",
        }
    )
    assert not form.is_valid()
    assert "at most 100×" in form.errors["leverage"][0]


def test_confirmed_leverage_cap_applies_without_a_tier_table() -> None:
    form = LiquidationForm({**BYBIT_19700, "exchange": "bitmex", "symbol": "ADAUSDT"})
    assert not form.is_valid()
    assert "at most 33.33×" in form.errors["leverage"][0]


def test_exchange_counting_the_fee_requires_a_fee_rate() -> None:
    form = LiquidationForm({**BYBIT_19700, "exchange": "okx"})
    assert not form.is_valid()
    assert "fee" in form.errors["fee_rate"][0]


def test_margin_mode_not_offered_by_the_exchange_is_rejected() -> None:
    data = {**BYBIT_19700, "exchange": "bybit", "margin_mode": "cross", "wallet_balance": "1000"}
    del data["leverage"]
    form = LiquidationForm(data)
    assert not form.is_valid()
    assert "isolated" in form.errors["margin_mode"][0]


def test_forms_do_not_share_field_state() -> None:
    first, second = LiquidationForm(strict=True), LiquidationForm()
    first.fields["entry_price"].widget.attrs["class"] = "changed"
    assert first.fields["entry_price"].strict is True
    assert second.fields["entry_price"].strict is False
    assert "class" not in second.fields["entry_price"].widget.attrs
    assert LiquidationForm.base_fields["entry_price"].strict is False


def test_list_fields_exist_only_when_asked_for() -> None:
    assert "tiers" not in MarginForm().fields
    assert "tiers" in MarginForm(lists=True).fields
    assert "population" not in AdlForm(strict=True).fields
    # Pages take the ADL population as text instead (see test_adl_page_population_*).


def test_margin_form_uses_the_exchange_tier_table() -> None:
    form = MarginForm(
        {
            "exchange": "binance_usdm",
            "symbol": "BTCUSDT",
            "quantity": "1",
            "price": "60000",
            "leverage": "20",
            "wallet_balance": "5000",
        }
    )
    assert form.is_valid(), form.errors
    assert form.result.maintenance.tier.number == 2
    assert form.result.max_leverage == Decimal(100)
    assert form.result.initial_margin == Decimal(3000)
    assert form.result.margin_ratio == Decimal("0.05")
    assert {"maintenance_margin_rate", "maintenance_amount"} <= form.preset_fields


def test_margin_form_tiers_and_rate_are_exclusive() -> None:
    form = MarginForm(
        {
            "quantity": Decimal(1),
            "price": Decimal(1),
            "maintenance_margin_rate": Decimal("0.01"),
            "tiers": [{"cap": None, "maintenance_margin_rate": Decimal("0.01")}],
        },
        strict=True,
        lists=True,
    )
    assert not form.is_valid()
    assert form.non_field_errors()


def test_margin_form_reports_bad_tier_rows_by_item() -> None:
    form = MarginForm(
        {
            "quantity": Decimal(1),
            "price": Decimal(1),
            "tiers": [{"cap": "100", "maintenance_margin_rate": "2"}],
        },
        strict=True,
        lists=True,
    )
    assert not form.is_valid()
    assert form.errors["tiers"][0].startswith("Item 1, maintenance_margin_rate:")


def test_position_size_form_reproduces_schwab() -> None:
    form = PositionSizeForm(
        {
            "side": "long",
            "account_balance": "78.500",
            "risk_fraction": "0,01",
            "entry_price": "30",
            "stop_price": "29",
            "lot_step": "1",
        }
    )
    assert not form.is_valid()  # "78.500" is 78.5 (a lone point is decimal) -> risk too small
    form = PositionSizeForm(
        {
            "side": "long",
            "account_balance": "78 500",
            "risk_fraction": "0,01",
            "entry_price": "30",
            "stop_price": "29",
            "lot_step": "1",
        }
    )
    assert form.is_valid(), form.errors
    assert form.result.quantity == Decimal(785)
    assert form.read_as == {"account_balance": Decimal(78500), "risk_fraction": Decimal("0.01")}


def test_position_size_stop_on_the_wrong_side_is_a_stop_price_error() -> None:
    form = PositionSizeForm(
        {
            "side": "long",
            "account_balance": "1000",
            "risk_fraction": "0.01",
            "entry_price": "30",
            "stop_price": "31",
        }
    )
    assert not form.is_valid()
    assert form.errors["stop_price"] == ["Stop must be below entry for a long."]


def test_pnl_form_maps_the_core_roe_error_to_target_roe() -> None:
    form = PnlForm(
        {
            "side": "long",
            "entry_price": "100",
            "exit_price": "110",
            "quantity": "1",
            "leverage": "2",
            "target_roe": "-3",
        }
    )
    assert not form.is_valid()
    assert "target_roe" in form.errors


def test_pnl_form_needs_exactly_one_of_exit_and_mark() -> None:
    base = {"side": "long", "entry_price": "100", "quantity": "1"}
    assert "exit_price" in PnlForm(base).errors
    both = PnlForm({**base, "exit_price": "1", "mark_price": "1"})
    assert both.non_field_errors()


def test_adl_form_collateral_choice_is_a_cross_field_error() -> None:
    form = AdlForm(
        {
            "side": "long",
            "entry_price": "100",
            "mark_price": "110",
            "quantity": "1",
            "leverage": "10",
            "margin": "10",
        }
    )
    assert not form.is_valid()
    assert "exactly one of leverage, margin or wallet balance" in form.non_field_errors()[0]


def test_adl_form_without_population_warns_instead_of_ranking() -> None:
    form = AdlForm(
        {
            "side": "long",
            "entry_price": "100",
            "mark_price": "110",
            "quantity": "1",
            "leverage": "10",
        }
    )
    assert form.is_valid(), form.errors
    assert form.result.ranking is None
    assert "no_population" in [w.code for w in form.warnings]


ADL_PAGE = {
    "side": "long",
    "entry_price": "100",
    "mark_price": "110",
    "quantity": "1",
    "leverage": "10",
    "method": "bitmex",
}


def test_adl_page_population_is_text_parsed_into_the_same_list() -> None:
    form = AdlForm({**ADL_PAGE, "population": "0.5:2\r\n-0.1 : 3; 2.5:1, 0.05\t4"})
    assert form.is_valid(), form.errors
    assert form.inputs["population"] == [
        {"score": Decimal("0.5"), "quantity": Decimal("2")},
        {"score": Decimal("-0.1"), "quantity": Decimal("3")},
        {"score": Decimal("2.5"), "quantity": Decimal("1")},
        {"score": Decimal("0.05"), "quantity": Decimal("4")},
    ]
    assert form.result.ranking is not None and form.result.lights is not None
    assert "no_population" not in [w.code for w in form.warnings]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.5:2\nabc", 'Entry 2 ("abc"): write it as score:quantity'),
        (
            "0.5:2\n0.3:0",
            'Entry 2 ("0.3:0"), quantity: Quantity must be greater than 0 and at most '
            "1,000,000,000,000.",
        ),
        ("0.5:2\n0.3:x", 'Entry 2 ("0.3:x"), quantity: Enter a number'),
        ("1:2:3", 'Entry 1 ("1:2:3"): write it as score:quantity'),
        ("\n".join(["0.1:1"] * 101), "Give at most 100 entries here (you gave 101)"),
    ],
)
def test_adl_page_population_errors_name_the_entry(text: str, message: str) -> None:
    form = AdlForm({**ADL_PAGE, "population": text})
    assert not form.is_valid()
    assert message in " ".join(form.errors["population"])


@pytest.mark.parametrize(
    ("form_class", "data"),
    [
        (LiquidationForm, {**BYBIT_19700, "entry_price": "20 000,5"}),
        (MarginForm, {"quantity": "1,5", "price": "20000", "exchange": "binance"}),
        (
            AdlForm,
            {
                "side": "long",
                "entry_price": "9500",
                "mark_price": "10000",
                "quantity": "1",
                "leverage": "10",
                "population": "0.35:2\n0.1:5",
            },
        ),
    ],
)
def test_forms_for_htmx_partials_share_fields_and_clean_alike(
    form_class: type[LiquidationForm], data: dict[str, str]
) -> None:
    own = form_class(data)
    first, second = form_class(data, shared_fields=True), form_class(data, shared_fields=True)
    assert list(first.fields) == list(own.fields)
    shared = [name for name in first.fields if name != "population"]  # ADL's own copy
    assert all(first.fields[n] is second.fields[n] for n in shared)
    assert all(first.fields[n] is not own.fields[n] for n in shared)
    assert own.is_valid() == first.is_valid() == second.is_valid()
    assert (own.cleaned_data, own.errors, own.read_as) == (
        first.cleaned_data,
        first.errors,
        first.read_as,
    )
    assert own.result == first.result
