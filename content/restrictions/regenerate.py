"""Rebuild restrictions.csv and jurisdictions.csv from the research files beside this script.

Usage (from the repository root of any clone; standard library only)::

    uv run python content/restrictions/regenerate.py

It reads ``research/jurisdictions.csv`` (the team's research file, with its notes in
``research/jurisdictions.md``) and ``research/iso_3166-1.csv`` (country names and alpha-3
codes), and writes ``restrictions.csv`` and ``jurisdictions.csv`` next to itself, or into
``--out-dir``. The output depends on nothing but those files, so running it on an unchanged
clone reproduces the committed data byte for byte (tests/content checks this).

The research CSV has no confidence column, so this script adds one from what
``jurisdictions.md`` states about each source; PROVENANCE.md explains every rule. It also
adds the subject kind (exchange or regulator, from the section of jurisdictions.md the
subject appears in), the instrument a leverage figure applies to (transcribed from the
row's note) and a stable key per row. The research columns are copied unchanged.

"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESEARCH_DIR = HERE / "research"
# Debian iso-codes 4.15.0, iso_3166-1.json, reduced to three columns (PROVENANCE.md).
ISO_3166_1 = RESEARCH_DIR / "iso_3166-1.csv"
# When the research rows were copied and labelled; every row of research/jurisdictions.csv
# carries it as its ``reviewed_on``.
TRANSCRIBED_ON = "2026-11-21"
RESEARCH_COLUMNS = [
    "iso_code",
    "jurisdiction",
    "subject",
    "product",
    "restriction",
    "max_leverage",
    "source_url",
    "source_date",
    "note",
]
# research/rechecked.csv: facts found when re-checking, labelled by whoever read the source.
RECHECKED_COLUMNS = [
    *RESEARCH_COLUMNS,
    "instrument",
    "confidence",
    "confidence_basis",
    "reviewed_on",
]
OUTPUT_COLUMNS = [
    "key",
    *RESEARCH_COLUMNS,
    "subject_kind",
    "instrument",
    "confidence",
    "confidence_basis",
    "reviewed_on",
]

# jurisdictions.md section 1 covers exchanges; every other subject is a regulator (section 2).
EXCHANGES = {
    "MEXC",
    "Binance",
    "Bybit",
    "OKX",
    "Bitget",
    "BitMEX",
    "KuCoin",
    "Kraken",
    "Coinbase",
    "PrimeXBT",
}

# Names for codes that are not ISO 3166-1 countries, from jurisdictions.md section 4.
NON_COUNTRY_NAMES = {
    "CA-ON": ("Ontario (Canada)", "subdivision"),
    "CA-QC": ("Quebec (Canada)", "subdivision"),
    "UA-43": ("Crimea (Ukraine)", "subdivision"),
    "UA-40": ("Sevastopol (Ukraine)", "subdivision"),
    "UA-14": ("Donetsk (Ukraine)", "subdivision"),
    "UA-09": ("Luhansk (Ukraine)", "subdivision"),
    "UA-65": ("Kherson (Ukraine)", "subdivision"),
    "UA-23": ("Zaporizhzhia (Ukraine)", "subdivision"),
    "AE-DU": ("Dubai (UAE)", "subdivision"),
    "EU": ("European Union / EEA", "region"),
    "ZZ": ("Global (exchange-wide; not a jurisdiction)", "global"),
}


@dataclass(frozen=True)
class ConfidenceRule:
    """Rows of ``subject`` citing ``source_url`` (optionally one product and leverage)."""

    subject: str
    source_url: str
    confidence: str
    basis: str
    product: str | None = None
    restriction: str | None = None
    max_leverage: str | None = None
    iso_code: str | None = None
    # Set when the row was checked again after transcription (RESEARCH_LOG.md says how).
    reviewed_on: str | None = None

    def matches(self, row: dict[str, str]) -> bool:
        return (
            row["subject"] == self.subject
            and row["source_url"] == self.source_url
            and (self.product is None or row["product"] == self.product)
            and (self.restriction is None or row["restriction"] == self.restriction)
            and (self.max_leverage is None or row["max_leverage"] == self.max_leverage)
            and (self.iso_code is None or row["iso_code"] == self.iso_code)
        )


MEXC_LEARN = "https://www.alookzone.com/learn/article/mexc-futures-guide-leverage-trading-strategies-risk-management/1"
THE_BLOCK_FIU = "https://www.theblock.co/post/269551/indias-financial-intelligence-unit-issues-compliance-notices-to-offshore-crypto-exchanges-including-binance-kraken"
MACOBSERVER = "https://www.macobserver.com/news/south-korea-blocks-14-unregistered-foreign-crypto-apps-on-apples-app-store/"
LAICRYPTO = (
    "https://laicrypto.xyz/korean-regulator-bans-poloniex-kucoin-mexc-in-google-play/13562/crypto"
)
BYBIT_EXCERPT = "UNVERIFIED-URL: Bybit event T&C (Spanish-language excerpt; URL not known)"
COINTELEGRAPH_IT = (
    "https://it.cointelegraph.com/news/malaysia-securities-regulator-bybit-halt-operations"
)
BLOCKHEAD = "https://blockhead.co/2025/05/30/thailand-implements-long-promised-crackdown-on-major-crypto-exchanges"
MCCARTHY = "https://www.mccarthy.ca/en/insights/blogs/techlex/osc-issues-orders-against-foreign-crypto-trading-platforms-kucoin-and-bybit"
MEXCREVIEW = "https://mexcreview.com/en/features/futures-500x-leverage"
MONDAQ_MY = "https://www.mondaq.com:443/fin-tech/1116142/securities-commission-takes-enforcement-actions-against-binance"
KWIKNEWS = (
    "https://www.kwiknews.com.my/2023/12/01/philippines-to-block-access-to-crypto-giant-binance/"
)
AMEIS_UK = (
    "https://www.ameiscorp.com/post/uk-cryptoassets-now-in-the-scope-of-financial-promotion-rules"
)
COINTELEGRAPH_JP = "https://cointelegraph.com.cach3.com/news/japanese-regulator-officially-proposes-cutting-crypto-margin-trading-leverage-cap/amp.html"
MONDOVISIONE = "https://mondovisione.com/media-and-resources/news/federal-court-orders-bitmex-to-pay-100-million-for-illegally-operating-a-crypto"
FXPLUS = "https://www.fxplus.com.au/single-post/20-254mr-asic-product-intervention-order-strengthens-cfd-protections"
COINBASE_HELP = "https://help.coinbase.com/en/international-exchange/margin-requirements/how-much-leverage-is-available-to-me-if-i-am-eligible-to-trade-perpetual-futures"
KRAKEN_FUTURES = "https://support.kraken.com/hc/en-us/articles/360023786632-Kraken-Futures-eligibility-and-availability"
KRAKEN_MARGIN = "https://support.kraken.com/hc/en-us/articles/4402532394260-Client-eligibility-for-margin-trading-services-"
BITMEX_HK = "https://www.bitmex.com/bitmex-hk-restricted-jurisdiction-policy"
BITMEX_TOS_2019 = "https://www.theblock.co/linked/13944/bitmex-updates-terms-of-service-modifies-access-conditions-to-exclude-citizens-of-the-u-s-and-quebec"
BITMEX_2019_08 = "https://cryptonewz.pages.dev/crypto-news-coindesk.com/id/markets/2019/08/19/bitmex-to-block-users-in-hong-kong-bermuda-and-seychelles"
BITGET_WM = "https://www.bitget.com/support/articles/12560603797806"
BITGET_CN = "https://bitget.cloud/support/articles/4410146011289-The-Process-of-Clearing-and-Refunding-Existing-Chinese-Mainland-Users-Engaged-in-Spot-and-Futures"
REVAIN = "https://revain.org/ru/exchanges/okex/review-9895e930-36e1-4808-9475-edcd5a7eb3a1"
PRIMEXBT_HELP = "https://primexbt.help/zh-CN/articles/8583030-restricted-jurisdictions"
DATAWALLET = "https://datawallet.com/ar/crypto/mexc-available-countries"
OKX_AU = "https://www.okx.com/help/terms-of-service-australia"
BINANCE_CA = "https://runthechain.news/binance-exits-canada-blames-regulatory-tension/"
CRYPTONOMIST = "https://cryptonomist.ch/2021/08/06/binance-chiude-future-hong-kong/"
LIVEMINT = "https://www.livemint.com/market/cryptocurrency/crypto-exchange-binance-halts-new-hong-kong-futures-accounts/amp-11628245388866.html"
ZA_REPORT = "https://www.cryptoimprovementfund.io/binance-has-imposed-restrictions-on-users-from-south-africa/"
MACKHAL = "https://mackhal.com/17184.html"
KRAKEN_GEO_RU = "https://support.kraken.com/hc/ru/articles/360001368823"

H, M, L = "high", "medium", "low"


def rule(subject: str, url: str, confidence: str, basis: str, **only: str) -> ConfidenceRule:
    return ConfidenceRule(subject, url, confidence, basis, **only)


RECHECKED_ON = "2026-12-05"


# First matching rule wins. Every row must match one rule and every rule must match a row.
CONFIDENCE_RULES = [
    # 1.1 MEXC
    rule(
        "MEXC",
        MEXC_LEARN,
        "unverified",
        "§1.1 and §5: the list ends with \"and others\" and must be checked against MEXC's Copy Trading Service Agreement (2025-12-25). Re-checked: the agreement's stored text shows no country clause and no MEXC page with this list was found (RESEARCH_LOG.md 1, 5, 16)",
        product="copy_trading",
        restriction="blocked",
        reviewed_on=RECHECKED_ON,
    ),
    rule(
        "MEXC",
        MEXC_LEARN,
        "unrated",
        "§1.1 copy-trading leverage: no label given",
        product="copy_trading",
        restriction="leverage_cap",
    ),
    rule("MEXC", MEXC_LEARN, M, "§1.0 MEXC row (M): 500x confirmed", max_leverage="500"),
    rule(
        "MEXC",
        MEXC_LEARN,
        M,
        "§1.0 MEXC row (M): 300x stated by the same MEXC Learn article",
        max_leverage="300",
    ),
    rule(
        "MEXC",
        "https://www.mexc.co/fil-PH/announcements/article/maximum-leverage-adjusted-for-adausd-avaxusd-dogeusd-linkusd-ltcusd-solusd-suiusd-and-xrpusd-futures-aug-22-2025-17827791529604",
        M,
        "§1.0 MEXC row (M)",
    ),
    rule(
        "MEXC",
        "https://www.alookzone.com/bg-BG/announcements/article/adjustment-to-maximum-leverage-for-fusdt-futures-jun-18-2025-14-17827791524967",
        "unrated",
        "§1.1 copy-trading leverage: no label given",
    ),
    rule(
        "MEXC",
        "https://www.mexc.com/support/articles/10435446316825",
        L,
        'Read again: MEXC\'s own help page gives copy-trade leverage as "5-200x, typically", varying by pair; the page is undated, so L (jurisdictions.md, Read this first; RESEARCH_LOG.md 16)',
        reviewed_on=RECHECKED_ON,
    ),
    rule("MEXC", DATAWALLET, L, "§1.1 general MEXC restrictions (L)"),
    rule("MEXC", THE_BLOCK_FIU, M, "§1.1 India (M)"),
    rule("MEXC", MACOBSERVER, M, "§1.1 South Korea (M)"),
    rule("MEXC", LAICRYPTO, L, "§1.1 Japan (L)"),
    # 1.2 Binance
    rule(
        "Binance",
        "https://chainbulletin.com/u-s-customers-to-be-blocked-from-trading-on-binance-com/",
        M,
        "§1.2 US all (M)",
    ),
    rule(
        "Binance",
        "https://www.scmp.com/news/world/united-states-canada/article/3215049/crypto-exchange-binance-and-ceo-changpeng-zhao-sued-us-regulator?utm_source=rss_feed",
        M,
        "§1.2 US derivatives (M)",
    ),
    rule("Binance", CRYPTONOMIST, M, "§1.2 DE, IT, NL (M)"),
    rule("Binance", LIVEMINT, M, "§1.2 HK (M)"),
    rule(
        "Binance",
        "https://germainebdc.com/2021/09/22/binance-to-discontinue-cryptocurrency-futures-and-options-in-australia/",
        M,
        "§1.2 AU 2021 (M)",
    ),
    rule(
        "Binance",
        "https://www.itnews.com.au/news/asic-cancels-financial-service-license-for-binance-australia-derivatives-593121",
        M,
        "§1.2 AU 2023 (M)",
    ),
    rule(
        "Binance",
        "https://news.yahoo.com/brazil-regulators-block-binance-offering-163332582.html",
        M,
        "§1.2 BR (M)",
    ),
    rule(
        "Binance",
        "https://cryptoviga.com/binance-to-cease-crypto-futures-and-derivatives-in-australia/",
        M,
        "§1.2 BR (M)",
    ),
    rule("Binance", ZA_REPORT, L, "§1.2 ZA (L)"),
    rule("Binance", BINANCE_CA, M, "§1.2 CA (M)"),
    rule(
        "Binance",
        "https://www.digitalmarketnews.com/binance-exits-canada/",
        M,
        "§1.2 CA row, Ontario exit (M)",
    ),
    rule("Binance", MONDAQ_MY, M, "§1.2 MY (M)"),
    rule("Binance", KWIKNEWS, M, "§1.2 PH (M)"),
    rule("Binance", THE_BLOCK_FIU, M, "§1.2 IN (M)"),
    rule(
        "Binance",
        "https://www.binance.com/en/support/faq/360033162192",
        H,
        "§1.0 Binance row (H): 125x confirmed on Binance's FAQ",
    ),
    rule(
        "Binance",
        "https://www.sanopell.com/what-is-the-maximum-leverage-available-on-binance-futures-125x-100x-75x/",
        "unrated",
        "§1.0 Binance row is H, but it cites this figure to a page it calls secondary; the H is not lifted onto it",
    ),
    # 1.3 Bybit
    rule(
        "Bybit",
        BYBIT_EXCERPT,
        "unverified",
        "§1.3 (L): excerpt seen without a URL; verify against Bybit's Terms of Service. Re-checked: the stored excerpt still has no URL and the stored Terms of Service copies show no list (RESEARCH_LOG.md 14, 19)",
        reviewed_on=RECHECKED_ON,
    ),
    rule(
        "Bybit",
        "https://www.theblock.co/amp/linked/97527/uk-fca-warning-bybit-before-crypto-derivatives-exchange-announced-ceasing-services-in-country",
        M,
        "§1.3 UK (M)",
    ),
    rule(
        "Bybit",
        "https://www.theblock.co/post/252526/bybit-suspends-services-uk-after-ceo-ben-zhou-said-exit-likely",
        M,
        "§1.3 UK (M)",
    ),
    rule("Bybit", MCCARTHY, M, "§1.3 Ontario (M)"),
    rule(
        "Bybit",
        COINTELEGRAPH_IT,
        L,
        "§1.3 France (M/L, one source: the lower); same article as Malaysia",
    ),
    rule("Bybit", BLOCKHEAD, M, "§1.3 Thailand (M)"),
    rule(
        "Bybit",
        "https://zippfeed.com/a/bybit-rolls-out-service-limits-for-eea-users-under-mica",
        L,
        "§1.3 EEA (L)",
    ),
    rule("Bybit", "https://affiliatesbybit.com/da/about-mica", L, "§1.3 EEA (L)"),
    rule(
        "Bybit",
        "https://www.kdj.com/Cryptocurrency-Encyclopedia/Contract/maximum-leverage-bybit-contracts.html",
        "conflicting",
        "§1.0 Bybit row: conflict (100x vs 200x), unresolved (L/M)",
    ),
    rule(
        "Bybit",
        MEXCREVIEW,
        "conflicting",
        "§1.0 Bybit row: conflict (100x vs 200x), unresolved; 200x only on an affiliate site",
    ),
    # 1.4 OKX
    rule("OKX", "https://claimsjournal.com/news/national/2025/02/25/329137.htm", M, "§1.4 US (M)"),
    rule("OKX", "https://aws.okx.com/pt-br/help/terms-of-service-us", H, "§1.4 US, OKX US ToS (H)"),
    rule(
        "OKX",
        "https://bitdegree.org/crypto/news/crypto-exchange-okx-is-set-to-end-offering-its-services-in-canada",
        M,
        "§1.4 Canada (M)",
    ),
    rule("OKX", OKX_AU, H, "§1.4 Australia (H)"),
    rule("OKX", "https://hk.okx.com/zh-hans/help/okx-hk-trading-rules", H, "§1.4 Hong Kong (H)"),
    rule(
        "OKX",
        "https://www.ouyizh.blue/en-ae/help/terms-of-service-okx-singapore",
        M,
        "§1.4 Singapore (H/M, mirror domain, one source: the lower)",
    ),
    rule("OKX", BLOCKHEAD, M, "§1.4 Thailand (M)"),
    rule(
        "OKX",
        REVAIN,
        "outdated",
        "§1.4 historical OKEx-era list (L); superseded for Hong Kong by OKX's Terms of Service of 2024-02-23 (residents registered from 2023-05-15 are served by OKX HK; RESEARCH_LOG.md 18)",
        iso_code="HK",
        reviewed_on=RECHECKED_ON,
    ),
    rule("OKX", REVAIN, L, "§1.4 historical OKEx-era list (L)"),
    rule(
        "OKX",
        "https://www.okx.com/support/hc/en-us/articles/10722087776781",
        H,
        "§1.0 OKX row (H): 125x confirmed",
    ),
    rule(
        "OKX",
        "https://www.okx.com/es-la/help/okx-to-adjust-position-tiers-of-margins-2023-11-14",
        H,
        "§1.0 OKX row (H): spot margin 5x",
    ),
    # 1.5 Bitget
    rule("Bitget", BITGET_WM, H, "§1.5 Wealth Management agreement list (H for that agreement)"),
    rule("Bitget", BITGET_CN, H, "§1.5 Mainland China (H)"),
    rule(
        "Bitget",
        "https://www.binance.com/bg/square/post/1751391",
        L,
        "§1.5 Hong Kong (L/M, one source: the lower)",
    ),
    rule("Bitget", LAICRYPTO, L, "§1.5 Japan (L)"),
    rule(
        "Bitget",
        "https://www.bitget.com/en/support/articles/12560603775439",
        "outdated",
        "§1.0 Bitget row: 125x outdated, BTCUSDT tier 1 raised to 150x on 2025-09-26",
    ),
    rule(
        "Bitget",
        "https://www.bitgetapp.com/support/articles/12560603838668",
        H,
        "§1.0 Bitget row (H): 150x from 2025-09-26",
    ),
    # 1.6 BitMEX
    rule("BitMEX", BITMEX_TOS_2019, M, "§1.6 ToS update 2019 (M)"),
    rule("BitMEX", BITMEX_2019_08, M, "§1.6 added 2019-08-19 (M)"),
    rule("BitMEX", "https://s146.com/7016.html", L, "§1.6 Japan (L)"),
    rule("BitMEX", MONDOVISIONE, M, "§1.6 US enforcement (M)"),
    rule("BitMEX", BITMEX_HK, H, "§1.6 BitMEX HK Restricted Jurisdiction Policy (H)"),
    rule(
        "BitMEX",
        "https://blog.bitmex.com/important-changes-to-bitcoin-usd-swap-funding",
        H,
        "§1.0 BitMEX row (H/M/L): 100x XBTUSD confirmed on BitMEX's blog (H)",
    ),
    rule(
        "BitMEX",
        MACKHAL,
        L,
        "§1.0 BitMEX row (H/M/L): these figures are only in a secondary source (L)",
    ),
    rule(
        "BitMEX",
        "https://www.cryptoninjas.net/2021/12/15/bitmex-lists-linear-perpetual-contracts-for-ada-bnb-ftm-and-shib/",
        M,
        "§1.0 BitMEX row (H/M/L): CryptoNinjas citing BitMEX (M)",
    ),
    # 1.7 KuCoin
    rule("KuCoin", MCCARTHY, M, "§1.7 Ontario and §1.0 KuCoin row (M)"),
    rule(
        "KuCoin",
        "https://coinsurges.com/kucoin-exits-us-market-pays-300m-fine-for-unlicensed-operations",
        M,
        "§1.7 US (M)",
    ),
    rule(
        "KuCoin",
        "https://u.today/kucoin-to-ban-all-chinese-users-by-the-end-of-2021",
        M,
        "§1.7 Mainland China (M)",
    ),
    rule(
        "KuCoin",
        "https://kucoin.com/announcement/important-notice-to-users-in-australia-kucoin-leveraged-tokens-and-earn-structured-products",
        H,
        "§1.7 Australia (H)",
    ),
    rule("KuCoin", MACOBSERVER, M, "§1.7 gives no label; §1.1 labels this same source M"),
    rule("KuCoin", THE_BLOCK_FIU, M, "§1.7 gives no label; §1.1 labels this same source M"),
    rule("KuCoin", LAICRYPTO, L, "§1.7 gives no label; §1.1 labels this same source L"),
    # 1.8 Kraken
    rule("Kraken", KRAKEN_FUTURES, H, "§1.8 Kraken Futures eligibility (H)"),
    rule(
        "Kraken",
        "https://support.kraken.com/hc/en-us/articles/15755255974548-Futures-Trading-Competitions-eligibility",
        H,
        "§1.8 Australia (H)",
    ),
    rule("Kraken", KRAKEN_MARGIN, H, "§1.8 Margin (H)"),
    rule(
        "Kraken",
        KRAKEN_GEO_RU,
        "unrated",
        "§1.8 no-service list (undated Russian-language page): no label given",
    ),
    rule(
        "Kraken",
        "https://support.kraken.com/hc/en-us/articles/360001368823-Geographic-Restrictions-Can-I-use-Kraken-if-I-m-from-",
        "unrated",
        "§1.8 2018 version listing Japan: no label given",
    ),
    rule("Kraken", THE_BLOCK_FIU, M, "§1.8 gives no label; §1.1 labels this same source M"),
    rule(
        "Kraken", MEXCREVIEW, "unverified", "§1.0 Kraken row (L): not verified on any Kraken page"
    ),
    # Coinbase
    rule(
        "Coinbase",
        COINBASE_HELP,
        "conflicting",
        "§1.0 Coinbase row (M) and §5: 10x vs 20x on two versions of the page, latest unknown",
    ),
    rule(
        "Coinbase",
        "https://msoid.followin.io/en/feed/18467369",
        "unrated",
        "§1.0 Coinbase row is M, but it cites this launch to a page it calls secondary; the M is not lifted onto it",
    ),
    # 1.9 PrimeXBT
    rule("PrimeXBT", PRIMEXBT_HELP, H, "§1.9 restricted list (H)"),
    rule(
        "PrimeXBT",
        "https://www.dailyforex.com/forex-brokers/primexbt-review/leverage",
        L,
        "§1.0 PrimeXBT row (L)",
    ),
    rule(
        "PrimeXBT",
        "https://www.bestcryptoexchanges.com/cs/review/primexbt-crypto-futures/",
        L,
        "§1.0 PrimeXBT row (L)",
    ),
    # 2 Regulators
    rule(
        "ESMA",
        "http://tbtmap.cn/cslm/omfgk3/201806/t20180612_2148502.html",
        H,
        "§2 EU ESMA row (H/M over two sources in order): the decision text (H)",
    ),
    rule(
        "ESMA",
        "https://www.regulationtomorrow.com/eu/esma-renews-restriction-on-cfds-for-further-three-months-from-may/",
        M,
        "§2 EU ESMA row (H/M over two sources in order): the renewal report (M)",
    ),
    rule("ESMA", "https://ebhforex.com/faq/esma-regulations-qa/", M, "§2 EU ESMA non-renewal (M)"),
    rule(
        "FCA",
        "https://www.cityam.com/fca-bans-sales-of-crypto-derivatives-to-retail-consumers/",
        M,
        "§2 UK FCA ban (M)",
    ),
    rule("FCA", AMEIS_UK, M, "§2 UK FCA PS23/6 (M)"),
    rule(
        "FCA",
        "https://www.finextra.com/newsarticle/37241/fca-warns-consumers-about-crypto-investing-amid-bitcoin-wild-ride",
        M,
        "§2 UK FCA registration (M)",
    ),
    rule(
        "CFTC",
        "https://www.skadden.com/en/insights/publications/2020/04/cftc-clarifies-meaning-of-actual-delivery",
        H,
        "§2 US CFTC actual delivery (H)",
    ),
    rule(
        "CFTC",
        "https://www.govinfo.gov/content/pkg/FR-2020-06-24/html/2020-11827.htm",
        H,
        "§2 US CFTC actual delivery (H)",
    ),
    rule("CFTC", MONDOVISIONE, M, "§2 US CFTC/DOJ enforcement (M)"),
    rule("ASIC", FXPLUS, H, "§2 Australia ASIC (H)"),
    rule(
        "ASIC",
        "https://asic.gov.au./about-asic/news-centre/find-a-media-release/2022-releases/22-082mr-asic-s-cfd-product-intervention-order-extended-for-five-years",
        H,
        "§2 Australia ASIC (H)",
    ),
    rule("FSA", COINTELEGRAPH_JP, M, "§2 Japan FSA (M)"),
    rule(
        "FSA",
        "https://mofo.com/resources/insights/200423-japanese-cryptocurrency-update",
        M,
        "§2 Japan FSA (M)",
    ),
    rule("JVCEA", COINTELEGRAPH_JP, M, "§2 Japan FSA (JVCEA) (M)"),
    rule(
        "SFC",
        "https://www.ifec.org.hk/sites/web/en/financial-products/fintech/ico-bitcoin/new-vatp-regime.page",
        H,
        "§2 Hong Kong SFC VATP (H)",
    ),
    rule(
        "SFC/HKMA",
        "https://legalink.ch/groups/newsletter-articles/sfc-and-hkma-issue-joint-circular-on-intermediaries-virtual-asset-related-activities/2722",
        M,
        "§2 Hong Kong SFC/HKMA (M)",
    ),
    rule(
        "SFC",
        "https://cointelegraph.com/news/hong-kong-sfc-crypto-margin-perps-framework",
        M,
        "§2 Hong Kong SFC perpetuals (M)",
    ),
    rule(
        "MAS",
        "https://www.bnnbloomberg.ca/singapore-plans-more-rules-to-curb-retail-crypto-speculation-1.2002490",
        M,
        "§2 Singapore MAS (M)",
    ),
    rule(
        "CSA",
        "https://www.ameiscorp.com/post/ca-unregistered-ctps-csa-toughens-pru-requisite",
        M,
        "§2 Canada CSA (M)",
    ),
    rule(
        "CSA",
        "https://nortonrosefulbright.com/en/knowledge/publications/51ce0786/canadian-securities-regulators-introduce-additional-requirements-for-crypto-asset-trading-platforms",
        M,
        "§2 Canada CSA (M)",
    ),
    rule("OSC", MCCARTHY, M, "§2 Canada (ON) OSC (M)"),
    rule("FSC/KoFIU", MACOBSERVER, M, "§2 South Korea (M)"),
    rule(
        "FSC/FSS",
        "https://koreajoongangdaily.joins.com/news/2025-07-30/business/finance/Koreas-financial-watchdog-expresses-concern-over-crypto-lending-and-margin-trading-services/2364954",
        M,
        "§2 South Korea (M)",
    ),
    rule(
        "CMB (SPK)",
        "https://morogluarseven.com/news-and-publications/requirement-for-crypto-asset-service-providers-to-apply-to-the-cmb-by-2-august-2024",
        M,
        "§2 Turkey (M)",
    ),
    rule("CMB (SPK)", "https://pekin.com.tr/?p=2863", M, "§2 Turkey (M)"),
    rule("CVM", "https://dev.portaldobitcoin.com/?p=57293", M, "§2 Brazil (M)"),
    rule("FIU-IND", THE_BLOCK_FIU, M, "§2 India (M)"),
    rule("Securities Commission Malaysia", MONDAQ_MY, M, "§2 Malaysia (M)"),
    rule("SEC Thailand", BLOCKHEAD, M, "§2 Thailand (M)"),
    rule("SEC Philippines", KWIKNEWS, M, "§2 Philippines (M)"),
    rule(
        "VARA",
        "https://rulebooks.vara.ae/entiresection/274",
        H,
        "§2 Dubai VARA row (H / L over its sources in order): the rulebook (H)",
    ),
    rule(
        "VARA",
        "https://mercation.com/news/dubai-vara-approves-crypto-derivatives-trading",
        L,
        "§2 Dubai VARA row (H / L) and §5: the 5:1 cap comes from secondary reporting only (L)",
    ),
]

# What each leverage figure applies to, transcribed from the row's note (keyed by row key
# fields: subject, product, max_leverage, source URL).
INSTRUMENTS = {
    ("MEXC", "futures", "500", MEXC_LEARN): "BTCUSDT and ETHUSDT (USDT-M)",
    ("MEXC", "futures", "300", MEXC_LEARN): "SOLUSDT, XRPUSDT, DOGEUSDT and ADAUSDT (USDT-M)",
    (
        "MEXC",
        "futures",
        "100",
        "https://www.mexc.co/fil-PH/announcements/article/maximum-leverage-adjusted-for-adausd-avaxusd-dogeusd-linkusd-ltcusd-solusd-suiusd-and-xrpusd-futures-aug-22-2025-17827791529604",
    ): "ADAUSD, AVAXUSD, DOGEUSD, LINKUSD, LTCUSD, SOLUSD, SUIUSD and XRPUSD (coin-margined), after 2025-08-22",
    ("MEXC", "copy_trading", "", MEXC_LEARN): "Copy trading: 300x and 500x not supported",
    (
        "MEXC",
        "copy_trading",
        "75",
        "https://www.alookzone.com/bg-BG/announcements/article/adjustment-to-maximum-leverage-for-fusdt-futures-jun-18-2025-14-17827791524967",
    ): "FUSDT copy trading, before 2025-06-18 (50x after)",
    (
        "MEXC",
        "copy_trading",
        "200",
        "https://www.mexc.com/support/articles/10435446316825",
    ): "Copy trading, typically 5-200x depending on pair",
    (
        "Binance",
        "futures",
        "125",
        "https://www.binance.com/en/support/faq/360033162192",
    ): "Crypto perpetuals; BTCUSDT up to 50,000 USDT notional (ETHUSDT 100x)",
    (
        "Binance",
        "futures",
        "20",
        "https://www.sanopell.com/what-is-the-maximum-leverage-available-on-binance-futures-125x-100x-75x/",
    ): "Futures accounts younger than 60 days, from 2021-07-27",
    (
        "Bybit",
        "futures",
        "100",
        "https://www.kdj.com/Cryptocurrency-Encyclopedia/Contract/maximum-leverage-bybit-contracts.html",
    ): "Major USDT-margined and inverse contracts",
    ("Bybit", "futures", "200", MEXCREVIEW): "Maximum, contracts not named",
    (
        "OKX",
        "futures",
        "125",
        "https://www.okx.com/support/hc/en-us/articles/10722087776781",
    ): "BTCUSD futures, tier 1",
    (
        "OKX",
        "margin",
        "5",
        "https://www.okx.com/es-la/help/okx-to-adjust-position-tiers-of-margins-2023-11-14",
    ): "Spot margin, tier 1 (e.g. 1INCH/USDT, AAVE/USDT)",
    (
        "Bitget",
        "futures",
        "125",
        "https://www.bitget.com/en/support/articles/12560603775439",
    ): "USDT-M futures",
    (
        "Bitget",
        "futures",
        "150",
        "https://www.bitgetapp.com/support/articles/12560603838668",
    ): "BTCUSDT perpetual, tier 1 (0-200,000 USDT), from 2025-09-26",
    (
        "BitMEX",
        "futures",
        "100",
        "https://blog.bitmex.com/important-changes-to-bitcoin-usd-swap-funding",
    ): "XBTUSD",
    ("BitMEX", "futures", "50", MACKHAL): "XRP and BCH",
    ("BitMEX", "futures", "33.33", MACKHAL): "ADA",
    ("BitMEX", "futures", "20", MACKHAL): "AVAX and SHIB",
    (
        "BitMEX",
        "futures",
        "33.33",
        "https://www.cryptoninjas.net/2021/12/15/bitmex-lists-linear-perpetual-contracts-for-ada-bnb-ftm-and-shib/",
    ): "ADA-USDT linear perpetual, at listing (3% initial margin)",
    ("KuCoin", "futures", "100", MCCARTHY): "Margin and perpetual futures, as described in 2022",
    ("Kraken", "futures", "50", MEXCREVIEW): "Futures, contracts not named",
    (
        "Coinbase",
        "futures",
        "10",
        COINBASE_HELP,
    ): "Perpetual futures, Coinbase International (one page version)",
    (
        "Coinbase",
        "futures",
        "20",
        COINBASE_HELP,
    ): "Perpetual futures, Coinbase International (a newer page version)",
    (
        "PrimeXBT",
        "futures",
        "100",
        "https://www.dailyforex.com/forex-brokers/primexbt-review/leverage",
    ): "Cryptocurrency instruments",
    (
        "PrimeXBT",
        "futures",
        "100",
        "https://www.bestcryptoexchanges.com/cs/review/primexbt-crypto-futures/",
    ): "Cryptocurrency pairs",
    (
        "ESMA",
        "derivatives",
        "2",
        "http://tbtmap.cn/cslm/omfgk3/201806/t20180612_2148502.html",
    ): "Retail CFDs on cryptocurrencies",
    ("ASIC", "derivatives", "2", FXPLUS): "Retail CFDs referencing crypto-assets, from 2021-03-29",
    (
        "ASIC",
        "derivatives",
        "2",
        "https://asic.gov.au./about-asic/news-centre/find-a-media-release/2022-releases/22-082mr-asic-s-cfd-product-intervention-order-extended-for-five-years",
    ): "Retail CFDs referencing crypto-assets, extended to 2027-05-23",
    ("FSA", "margin", "2", COINTELEGRAPH_JP): "Crypto margin trading",
    (
        "JVCEA",
        "margin",
        "4",
        COINTELEGRAPH_JP,
    ): "Crypto margin trading (historical self-regulatory cap)",
    (
        "VARA",
        "derivatives",
        "5",
        "https://mercation.com/news/dubai-vara-approves-crypto-derivatives-trading",
    ): "Retail exchange-traded derivatives",
}


def row_key(row: dict[str, str]) -> str:
    """A stable id for a research row: readable prefix plus a hash of its identifying fields."""
    identity = "|".join(
        row[c]
        for c in ("iso_code", "subject", "product", "restriction", "max_leverage", "source_url")
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()[:10]
    subject = "".join(ch for ch in row["subject"].lower() if ch.isalnum())
    return f"{row['iso_code'].lower()}-{subject}-{row['product']}-{digest}"


def jurisdiction_rows(
    rows: list[dict[str, str]], research_rows: list[dict[str, str]]
) -> list[dict[str, str]]:
    with ISO_3166_1.open(newline="", encoding="utf-8") as handle:
        countries = {c["alpha_2"]: c for c in csv.DictReader(handle)}
    out = []
    for code in sorted({r["iso_code"] for r in rows}):
        if code in NON_COUNTRY_NAMES:
            name, kind = NON_COUNTRY_NAMES[code]
            alpha3 = ""
        else:
            country = countries[code]
            # The research file's wording of the first row, e.g. "Hong Kong SAR"; ISO's name
            # for a code only a re-checked row uses.
            name = next(
                (r["jurisdiction"] for r in research_rows if r["iso_code"] == code),
                country["name"],
            )
            kind, alpha3 = "country", country["alpha_3"]
        out.append({"code": code, "name": name, "kind": kind, "iso_alpha3": alpha3})
    return out


def read_csv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == columns, (path.name, reader.fieldnames)
        return list(reader)


def research_facts(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The research file's rows, labelled by ``CONFIDENCE_RULES``."""
    used: Counter[int] = Counter()
    out = []
    for row in rows:
        index, matched = next((i, r) for i, r in enumerate(CONFIDENCE_RULES) if r.matches(row))
        used[index] += 1
        instrument = ""
        if row["restriction"] == "leverage_cap":
            instrument = INSTRUMENTS[
                (row["subject"], row["product"], row["max_leverage"], row["source_url"])
            ]
        out.append(
            {
                "key": row_key(row),
                **row,
                "subject_kind": subject_kind(row["subject"]),
                "instrument": instrument,
                "confidence": matched.confidence,
                "confidence_basis": matched.basis,
                "reviewed_on": matched.reviewed_on or TRANSCRIBED_ON,
            }
        )
    unused = [CONFIDENCE_RULES[i] for i in range(len(CONFIDENCE_RULES)) if not used[i]]
    if unused:
        raise SystemExit(f"rules that match no row: {unused}")
    return out


def rechecked_facts(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Facts found when the research was checked again; each row carries its own label."""
    out = []
    for row in rows:
        if row["restriction"] == "leverage_cap" and not row["instrument"]:
            raise SystemExit(f"a re-checked leverage cap has no instrument: {row}")
        out.append({"key": row_key(row), **row, "subject_kind": subject_kind(row["subject"])})
    return out


def subject_kind(subject: str) -> str:
    return "exchange" if subject in EXCHANGES else "regulator"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=HERE, help="where to write the CSVs")
    args = parser.parse_args(argv)

    research = read_csv(RESEARCH_DIR / "jurisdictions.csv", RESEARCH_COLUMNS)
    rechecked = read_csv(RESEARCH_DIR / "rechecked.csv", RECHECKED_COLUMNS)
    out = research_facts(research) + rechecked_facts(rechecked)
    keys = Counter(r["key"] for r in out)
    if max(keys.values()) > 1:
        raise SystemExit(f"duplicate keys: {[k for k, n in keys.items() if n > 1]}")

    with (args.out_dir / "restrictions.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    jurisdictions = jurisdiction_rows(out, research)
    with (args.out_dir / "jurisdictions.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["code", "name", "kind", "iso_alpha3"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(jurisdictions)
    print(f"{len(out)} restriction rows, {len(jurisdictions)} jurisdictions")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
