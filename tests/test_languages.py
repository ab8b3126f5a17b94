"""Every page in four languages: URL prefixes, <html lang dir>, the switcher, hreflang
alternates, the right-to-left stylesheet, the remembered choice, and the per-request language
of the routes outside the prefixes (riskcalc/languages.py)."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from riskcalc.languages import (
    accept_language,
    in_accept_language,
    language_links,
    localized_path,
    query_language,
    supported_language,
)

PREFIXES = {"en": "/", "es": "/es/", "zh-hans": "/zh-hans/", "ar": "/ar/"}


def html_tag(page: str) -> str:
    found = re.search(r"<html[^>]*>", page)
    assert found is not None
    return found.group(0)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "prefix"), PREFIXES.items())
def test_each_language_has_its_home_page_with_lang_and_direction(
    client: Client, language: str, prefix: str
) -> None:
    response = client.get(prefix)

    assert response.status_code == 200
    assert response["Content-Language"] == language
    direction = "rtl" if language == "ar" else "ltr"
    assert f'lang="{language}" dir="{direction}"' in html_tag(response.content.decode())


@pytest.mark.django_db
def test_arabic_pages_load_bootstraps_right_to_left_stylesheet(client: Client) -> None:
    arabic = client.get("/ar/learn/").content.decode()
    english = client.get("/learn/").content.decode()

    assert "bootstrap.rtl.min" in arabic and "bootstrap.min" not in arabic
    assert "bootstrap.min" in english and "bootstrap.rtl.min" not in english


@pytest.mark.django_db
def test_every_page_lists_its_versions_in_every_language_as_hreflang_alternates(
    client: Client,
) -> None:
    page = client.get("/es/calculators/margin/?exchange=binance").content.decode()

    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page))
    assert alternates == {
        "en": "http://testserver/calculators/margin/?exchange=binance",
        "x-default": "http://testserver/calculators/margin/?exchange=binance",
        "es": "http://testserver/es/calculators/margin/?exchange=binance",
        "zh-hans": "http://testserver/zh-hans/calculators/margin/?exchange=binance",
        "ar": "http://testserver/ar/calculators/margin/?exchange=binance",
    }


@pytest.mark.django_db
def test_switcher_links_the_same_page_in_each_language_named_in_that_language(
    client: Client,
) -> None:
    page = client.get("/zh-hans/learn/").content.decode()

    switcher = re.search(r'<ul class="navbar-nav language-switcher.*?</ul>', page, re.S)
    assert switcher is not None
    links = re.findall(
        r'<a [^>]*href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)"[^>]*>([^<]+)</a>',
        switcher.group(0),
    )
    assert links == [
        ("/learn/", "en", "en", "English"),
        ("/es/learn/", "es", "es", "Español"),
        ("/zh-hans/learn/", "zh-hans", "zh-hans", "简体中文"),
        ("/ar/learn/", "ar", "ar", "العربية"),
    ]
    assert 'hreflang="zh-hans" lang="zh-hans" dir="ltr" aria-current="true"' in switcher.group(0)


@pytest.mark.django_db
def test_home_at_root_sends_a_reader_who_chose_another_language_to_its_home(
    client: Client,
) -> None:
    client.cookies["django_language"] = "ar"

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/ar/"
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_home_at_root_stays_english_without_a_choice_or_with_english_chosen(
    client: Client,
) -> None:
    assert client.get("/").status_code == 200
    client.cookies["django_language"] = "en"
    assert client.get("/").status_code == 200
    client.cookies["django_language"] = "klingon"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_english_pages_stay_english_whatever_the_browser_asks(client: Client) -> None:
    response = client.get("/learn/", headers={"Accept-Language": "es"})

    assert response["Content-Language"] == "en"


def test_api_and_embed_routes_have_no_language_prefix(client: Client) -> None:
    assert client.get("/es/api/v1/openapi.json").status_code == 404
    assert client.get("/es/embed.js").status_code == 404


@pytest.mark.parametrize(
    ("code", "expected"),
    [("es", "es"), ("es-MX", "es"), ("zh-Hans", "zh-hans"), ("AR", "ar"), ("de", None), ("", None)],
)
def test_supported_language_maps_variants_to_the_sites_languages(
    code: str, expected: str | None
) -> None:
    assert supported_language(code) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("de-DE,de;q=0.9,ar;q=0.5", "ar"),
        ("fr", "en"),
        ("", "en"),
        ("*", "en"),
    ],
)
def test_accept_language_picks_the_first_language_the_site_speaks(
    header: str, expected: str
) -> None:
    request = RequestFactory().get("/api/v1/margin", headers={"Accept-Language": header})

    assert accept_language(request) == expected


def test_accept_language_ignores_the_language_cookie() -> None:
    request = RequestFactory().get("/api/v1/margin")
    request.COOKIES["django_language"] = "es"

    assert accept_language(request) == "en"


def test_query_language_reads_lang_and_falls_back_to_english() -> None:
    assert query_language({"lang": "ar"}) == "ar"
    assert query_language({"lang": "zh-CN"}) == "zh-hans"
    assert query_language({"lang": "xx"}) == "en"
    assert query_language({}) == "en"


def test_in_accept_language_runs_the_view_in_that_language_and_varies_on_it() -> None:
    @in_accept_language
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(translation.get_language())

    request = RequestFactory().get("/api/v1/margin", headers={"Accept-Language": "zh-CN"})
    response = view(request)

    assert response.content == b"zh-hans"
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" in response["Vary"]


def test_localized_path_prefixes_an_english_page_path_and_keeps_the_query() -> None:
    with translation.override("es"):
        assert localized_path("/learn/margin/") == "/es/learn/margin/"
        assert localized_path("/calculators/pnl/?side=long#maths") == (
            "/es/calculators/pnl/?side=long#maths"
        )
        assert localized_path("/api/v1/pnl") == "/api/v1/pnl"
    assert localized_path("/learn/margin/", "ar") == "/ar/learn/margin/"
    with translation.override("en"):
        assert localized_path("/learn/margin/") == "/learn/margin/"


def test_language_links_are_absolute_for_hreflang() -> None:
    request = RequestFactory().get("/learn/")

    with translation.override("en"):
        links = language_links(request)

    assert [link.absolute_url for link in links] == [
        "http://testserver/learn/",
        "http://testserver/es/learn/",
        "http://testserver/zh-hans/learn/",
        "http://testserver/ar/learn/",
    ]
    assert [link.bidi for link in links] == [False, False, False, True]


def test_api_answers_in_the_accept_language_language_and_varies_on_it(client: Client) -> None:
    response = client.get("/api/v1/margin", headers={"Accept-Language": "es-ES,es;q=0.9"})

    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]


API_ERRORS = {
    "es": ("«Precio» debe ser mayor que 0", "Campo desconocido. Campos conocidos: "),
    "zh-hans": ("“价格”必须大于 0", "未知字段。可用字段："),
    "ar": ("يجب أن تكون قيمة «السعر» أكبر من 0", "حقل غير معروف. الحقول المعروفة: "),
}


@pytest.mark.parametrize(("language", "messages"), API_ERRORS.items())
def test_api_errors_are_in_the_accept_language_language_under_english_field_names(
    client: Client, language: str, messages: tuple[str, str]
) -> None:
    out_of_range, unknown = messages
    query = {"price": "0", "quantity": "1", "leverage": "20"}

    bad_price = client.get("/api/v1/margin", query, headers={"Accept-Language": language})
    bad_name = client.get(
        "/api/v1/margin", {**query, "colour": "red"}, headers={"Accept-Language": language}
    )

    assert bad_price.status_code == bad_name.status_code == 400
    assert bad_price.json()["errors"]["price"][0].startswith(out_of_range)
    assert bad_name.json()["errors"]["colour"][0].startswith(unknown)
    assert "quantity, position_value, price" in bad_name.json()["errors"]["colour"][0]


def test_api_404_names_the_endpoints_in_the_accept_language_language(client: Client) -> None:
    response = client.get("/api/v1/nowhere", headers={"Accept-Language": "es"})

    assert response.status_code == 404
    assert response.json()["errors"]["__all__"][0].startswith(
        "No hay ningún endpoint de la API en /api/v1/nowhere."
    )


def test_embed_takes_its_language_from_lang(client: Client) -> None:
    arabic = client.get("/embed/margin/", {"lang": "ar"})
    default = client.get("/embed/margin/")

    assert 'lang="ar" dir="rtl"' in html_tag(arabic.content.decode())
    assert 'lang="en" dir="ltr"' in html_tag(default.content.decode())


def test_figures_follow_the_readers_number_convention() -> None:
    from decimal import Decimal

    from riskcalc.templatetags.riskcalc import num

    with translation.override("es"):
        assert num(Decimal("1234567.891"), 2) == "1.234.567,89"
    with translation.override("ar"):
        assert num(Decimal("1234567.891"), 2) == "1,234,567.89"
    with translation.override("zh-hans"):
        assert num(Decimal("1234567.891"), 2) == "1,234,567.89"


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("es", "El servidor no ha podido leer esta petición"),
        ("zh-hans", "服务器无法读取此请求"),
        ("ar", "تعذّر على الخادم قراءة هذا الطلب"),
    ],
)
def test_a_request_the_server_cannot_read_is_answered_in_the_pages_language(
    client: Client, language: str, heading: str
) -> None:
    response = client.get(f"/{language}/calculators/", headers={"Host": "unknown.example"})

    assert response.status_code == 400
    assert f"<h1>{heading}</h1>" in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()
