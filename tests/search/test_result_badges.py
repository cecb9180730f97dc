"""Each search result shows its type; a warning its risk level and, when withdrawn, that it was."""
from __future__ import annotations

import re

from portal.extensions import db
from portal.search import service
from tests.factories import create, warning_data
from tests.feeds.sql_count import count_statements


def result_items(html: str) -> dict[str, str]:
    """The HTML of each result, by the path it links to."""
    listing = html.split('<ol class="item-list search-results"', 1)[1].split("</ol>", 1)[0]
    items = {}
    for chunk in listing.split("<li ")[1:]:
        path = re.search(r'<h3 class="item__title"><a href="([^"]+)"', chunk).group(1)
        items[path] = chunk
    return items


def test_results_show_type_risk_and_withdrawn_status(client, corpus):
    create(warning_data(slug="sua-bot-da-rut", title="Sữa bột pha sẵn đã rút cảnh báo", status="withdrawn",
                        withdrawn_reason="Kết quả kiểm nghiệm lại đạt yêu cầu.", risk_level="high"))
    service.apply_pending()

    items = result_items(client.get("/tim-kiem?q=s%E1%BB%AFa+b%E1%BB%99t").get_data(as_text=True))

    withdrawn = items["/canh-bao/sua-bot-da-rut"]
    assert withdrawn.startswith('class="item item--withdrawn"')
    assert '<span class="badge badge--withdrawn">Đã rút cảnh báo</span>' in withdrawn
    assert 'class="badge badge--high"' in withdrawn and "Cao" in withdrawn
    assert withdrawn.index("badge--withdrawn") < withdrawn.index("badge--high")  # the status comes first

    active = items["/canh-bao/sua-bot-nhiem-chi"]
    assert active.startswith('class="item"')
    assert "badge--withdrawn" not in active
    assert '<span class="badge badge--serious"><span class="visually-hidden">Mức độ rủi ro: </span>Nghiêm trọng</span>' in active
    assert 'badge--kind badge--warning">Cảnh báo sản phẩm<' in active

    sanction = items["/xu-ly-vi-pham/xu-phat-dai-phat"]
    assert 'badge--kind badge--sanction">Kết quả xử lý vi phạm<' in sanction
    assert "Mức độ rủi ro" not in sanction


def test_english_results_label_their_type_and_risk_in_english(client, corpus):
    items = result_items(client.get("/en/search?q=formula").get_data(as_text=True))
    english = items["/en/warnings/lead-in-baby-formula"]
    assert ">Product warnings<" in english
    assert "Risk level: </span>Serious" in english


def test_badges_cost_one_statement_for_the_whole_page(app, client, corpus):
    """Ten warnings on a page cost the same statements as one: one batched query, none per result."""
    for n in range(12):
        create(warning_data(title=f"Máy sấy tóc quá nhiệt mẫu {n}", risk_level=["serious", "high", "low"][n % 3]))
    service.apply_pending()

    def statements(url: str) -> int:
        client.get(url)
        db.session.remove()
        with count_statements() as seen:
            html = client.get(url).get_data(as_text=True)
        return len(seen), html.count("badge--kind badge--warning")

    few, one_warning = statements("/tim-kiem?q=%22n%E1%BB%93i+c%C6%A1m%22")
    many, ten_warnings = statements("/tim-kiem?q=m%C3%A1y+s%E1%BA%A5y+t%C3%B3c")
    assert (one_warning, ten_warnings) == (1, 10)
    assert few == many


def test_the_filter_toggle_says_how_many_filters_are_in_use(client, corpus):
    html = client.get("/tim-kiem?q=chi&type=warning&risk_level=serious&category=food").get_data(as_text=True)
    assert '<details class="filters" data-open-wide>' in html  # folded on phones; the script opens it on desktops
    assert "Loại nội dung và bộ lọc" in html and "(3 đang dùng)" in html
    assert "đang dùng" not in client.get("/tim-kiem?q=chi").get_data(as_text=True)
    english = client.get("/en/search?q=formula&risk_level=serious").get_data(as_text=True)
    assert "Content type and filters" in english and "(1 in use)" in english
