"""The research page of `baogao serve` in a real headless browser (Debian's chromium through chromedriver).

Two versions are published from texts the tests write, with an audit trail on one document; the browser
searches, filters, opens a document and a diff the way a researcher would.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_release_data import publish, record, serving, texts

pytestmark = pytest.mark.slow

JUNK = "本文由范文网整理，更多精彩请关注公众号"
STAGE, REASON = "advert", "site_promo"
EDITED = "新增的一行：二〇二六年起全面推进城乡融合发展。"


def removal(doc_text: str) -> dict[str, str]:
    """A removal that sat after the text's second line (its context: the end of that line)."""
    second = doc_text.split("\n")[1]
    return {"text": JUNK, "stage": STAGE, "reason": REASON, "before": second[-30:]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """v1 (a 2016, b 2017, c 2018) and v2 (a edited, b gone, d added), served on a free loopback port."""
    corpus = tmp_path_factory.mktemp("research") / "corpus"
    t = texts()
    publish(corpus, [record("a", t[0], removed=[removal(t[0])]), record("b", t[1], year=2017, region="吉州区"),
                     record("c", t[2], year=2018)])  # fmt: skip
    edited = t[0].replace("\n", "\n" + EDITED + "\n", 3)
    publish(corpus, [record("a", edited, removed=[removal(edited)]), record("c", t[2], year=2018),
                     record("d", t[3], year=2019)])  # fmt: skip
    with serving(corpus) as port:
        yield corpus, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless chromium, isolated (fresh profile, no network services of its own)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        pytest.fail(
            "chromium and chromedriver are not installed: run `make browser` (apt-get install chromium chromium-driver)"
        )
    profile = tempfile.mkdtemp(prefix="baogao-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,1000"):  # fmt: skip
        options.add_argument(flag)
    chrome = webdriver.Chrome(options=options, service=Service(driver))
    chrome.set_page_load_timeout(30)
    try:
        yield chrome
    finally:
        chrome.quit()
        shutil.rmtree(profile, ignore_errors=True)


def navigate(chrome, element, action: str) -> None:
    """`element.click()` or `.submit()`, then wait until the browser has left the page (the next one loaded)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = by_css(chrome, "html")[0]
    getattr(element, action)()
    WebDriverWait(chrome, 20).until(expected_conditions.staleness_of(page))


def by_css(chrome, selector: str) -> list:
    from selenium.webdriver.common.by import By

    return chrome.find_elements(By.CSS_SELECTOR, selector)


def unique_word(text: str, others: list[str]) -> str:
    """A 4-character run of Chinese in `text` that none of the other texts contain."""
    for start in range(len(text) - 4):
        word = text[start : start + 4]
        if all("\u4e00" <= ch <= "\u9fff" for ch in word) and not any(word in o for o in others):
            return word
    raise AssertionError("no distinctive word")


def test_search_a_word_and_find_the_document(site, browser):
    _, base = site
    t = texts()
    word = unique_word(t[2], [t[0], t[1], t[3], EDITED])
    browser.get(f"{base}/v2/browse")
    box = by_css(browser, "input[name=q]")[0]
    box.send_keys(word)
    navigate(browser, box, "submit")
    titles = [a.text for a in by_css(browser, ".hit a.title")]
    assert titles == [record("c", t[2])["title"]]
    assert word in by_css(browser, ".hit")[0].text  # the snippet shows the hit
    assert "1 document" in by_css(browser, "#total")[0].text


def test_filter_by_year(site, browser):
    _, base = site
    from selenium.webdriver.support.ui import Select

    browser.get(f"{base}/v1/browse")
    assert len(by_css(browser, ".hit")) == 3
    Select(by_css(browser, "select[name=year]")[0]).select_by_value("2017")
    navigate(browser, by_css(browser, "form.search button")[0], "click")
    hits = by_css(browser, ".hit")
    assert [h.find_element("css selector", "a.title").text for h in hits] == [
        record("b", texts()[1])["title"]
    ]
    assert "2017" in hits[0].text and "2016" not in hits[0].text


def test_open_a_document_and_see_its_removed_junk_highlighted_in_place(site, browser):
    _, base = site
    t = texts()
    browser.get(f"{base}/v1/browse")
    link = next(a for a in by_css(browser, ".hit a.title") if a.text == record("a", t[0])["title"])
    navigate(browser, link, "click")
    marks = by_css(browser, ".doctext mark.removed")
    assert len(marks) == 1
    mark = marks[0]
    assert JUNK in mark.text and f"{STAGE}: {REASON}" in mark.text
    assert mark.get_attribute("data-stage") == STAGE and mark.get_attribute("data-reason") == REASON
    assert mark.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    before = browser.execute_script("return arguments[0].previousSibling.textContent", mark)
    assert before.endswith(t[0].split("\n")[1])  # right after the line it followed in the page
    assert "site_a" in by_css(browser, "#found")[0].text


def test_open_a_diff_and_see_the_changed_text(site, browser):
    _, base = site
    browser.get(f"{base}/v2/diff")
    assert record("b", texts()[1])["title"] in by_css(browser, "#removed")[0].text
    assert record("d", texts()[3])["title"] in by_css(browser, "#added")[0].text
    navigate(browser, by_css(browser, "#changed a.textdiff")[0], "click")
    added = " ".join(e.text for e in by_css(browser, "#textdiff .diff_add"))
    assert EDITED[:20] in added.replace("\n", "")
