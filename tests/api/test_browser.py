"""End to end in headless Chromium (Debian `chromium` + `chromium-driver`) against a real `regkg serve`.

The five tasks of issue 15 are done from the pages alone, at a desktop (1366 px)
and a phone (390 px) width; each page is checked for one <h1>, no sideways
scrolling and no raw field names or internal codes, and screenshotted into
``screenshots/`` in the clone (kept by CI, ignored by git).
"""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest

from regkg.config import REPO_ROOT
from tests.api.conftest import require_module

CHROMIUM = "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = REPO_ROOT / "screenshots"
WIDTHS = (1366, 390)

#: What a user must never read: field names of the JSON, internal prefixes, raw attribute slugs and scores.
RAW = re.compile(r"\b\w+_(ja|en)\b|\brko:|\bseconds\b|\bsomatic-stem\b|\bips-like\b|\bminimally-manipulated\b|Score \d")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists() or not Path(DRIVER).exists():
        pytest.skip("needs Debian packages: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # to see Content-Security-Policy refusals
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    driver.downloads = downloads
    SCREENSHOTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def use_width(browser, width: int) -> None:
    browser.set_window_size(width, 900)


def check_page(browser, name: str, width: int) -> None:
    """One <h1>, no horizontal scroll, no raw names or codes; then a screenshot."""
    from selenium.webdriver.common.by import By

    assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1, browser.current_url
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    inner = browser.execute_script("return document.documentElement.clientWidth")
    assert scroll <= inner, f"{browser.current_url} scrolls sideways at {width} px: {scroll} > {inner}"
    text = browser.find_element(By.TAG_NAME, "body").text
    found = RAW.search(text)
    assert not found, f"raw name {found.group(0)!r} on {browser.current_url}"
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, 900), 6000))
    browser.save_screenshot(str(SCREENSHOTS / f"{name}-{width}.png"))
    browser.set_window_size(width, 900)


def go(browser, element) -> None:
    """Click (or submit) and wait until the next page has replaced this one, so no old element is read."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    element.click() if element.tag_name in ("a", "button") else element.submit()

    def replaced(_driver) -> bool:
        try:
            page.is_enabled()
        except WebDriverException:  # stale, or (Chromium's race) "Node … does not belong to the document"
            return True
        return False

    WebDriverWait(browser, 30).until(replaced)


def wait_for_download(browser, suffix: str) -> Path:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done = [p for p in browser.downloads.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    pytest.fail(f"the {suffix} download did not arrive")


def clear_downloads(browser) -> None:
    for p in browser.downloads.iterdir():
        p.unlink()


def set_language(browser, server, lang: str) -> None:
    browser.get(f"{server}/?lang={lang}")


def test_page_in_japanese_with_english_toggle(browser, server):
    from selenium.webdriver.common.by import By

    use_width(browser, 1366)
    set_language(browser, server, "ja")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    go(browser, browser.find_element(By.ID, "lang-toggle"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    go(browser, browser.find_element(By.LINK_TEXT, "Modalities"))  # the choice is remembered
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    go(browser, browser.find_element(By.ID, "lang-toggle"))


@pytest.mark.parametrize("width", WIDTHS)
def test_task1_requirements_of_adipose_msc_in_japanese(browser, server, width):
    from selenium.webdriver.common.by import By

    use_width(browser, width)
    set_language(browser, server, "ja")
    browser.get(server + "/ui/modalities")
    check_page(browser, "modalities-ja", width)
    go(browser, browser.find_element(By.LINK_TEXT, "脂肪組織由来幹細胞"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "脂肪組織由来幹細胞"
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "第二種再生医療等技術" in main and "義務" in main
    assert browser.find_elements(By.CSS_SELECTOR, "ul.requirements li a.citation")
    check_page(browser, "task1-adipose-msc-requirements-ja", width)
    go(browser, browser.find_element(By.ID, "modality-checklist"))  # the page's own checklist link works
    assert not browser.find_elements(By.CSS_SELECTOR, "[role=alert]") or "choose one of" in \
        browser.find_element(By.CSS_SELECTOR, "[role=alert]").text


@pytest.mark.parametrize("width", WIDTHS)
def test_task2_class_of_cultured_autologous_chondrocytes(browser, server, width):
    require_module("classify")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    use_width(browser, width)
    set_language(browser, server, "ja")
    browser.get(server + "/ui/classify")
    browser.find_element(By.ID, "kmod").send_keys("軟骨細胞")
    go(browser, browser.find_element(By.CSS_SELECTOR, "#classify-form button"))
    # the modality answered what it implies (cells, somatic cells, cultured); the rest is asked
    assert Select(browser.find_element(By.ID, "attr-processing")).first_selected_option.get_attribute("value") == "cultured"
    assert browser.find_elements(By.CSS_SELECTOR, "#result")  # undecided so far: the deciding questions are listed
    Select(browser.find_element(By.ID, "attr-origin")).select_by_value("autologous")
    Select(browser.find_element(By.ID, "attr-gene_introduced")).select_by_value("false")
    Select(browser.find_element(By.ID, "attr-homologous_use")).select_by_value("true")
    go(browser, browser.find_element(By.CSS_SELECTOR, "#classify-form button"))
    # still open: cultured cells are Class II when they reconstruct or repair the body (施行規則 Art. 3)
    assert "第二種再生医療等技術" in browser.find_element(By.ID, "risk-class").text
    assert "class-" not in browser.find_element(By.ID, "risk-class").text  # outcomes by name, not code
    Select(browser.find_element(By.ID, "attr-purpose")).select_by_value("reconstruction")
    go(browser, browser.find_element(By.CSS_SELECTOR, "#classify-form button"))
    assert "第二種再生医療等技術" in browser.find_element(By.ID, "risk-class").text
    assert "可能性" not in browser.find_element(By.ID, "risk-class").text
    assert browser.find_elements(By.CSS_SELECTOR, "#result a.citation")
    check_page(browser, "task2-classify-chondrocytes-ja", width)
    go(browser, browser.find_element(By.ID, "to-checklist"))
    assert "/ui/checklist" in browser.current_url and browser.find_element(By.ID, "checklist").text


@pytest.mark.parametrize("width", WIDTHS)
def test_task3_class_2_checklist_as_xlsx(browser, server, width):
    require_module("checklist")
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    use_width(browser, width)
    set_language(browser, server, "ja")
    clear_downloads(browser)
    browser.get(server + "/ui/checklist")
    browser.find_element(By.ID, "cmod").send_keys("脂肪組織由来幹細胞")
    Select(browser.find_element(By.ID, "cpath")).select_by_value("asrm-class-2")
    go(browser, browser.find_element(By.CSS_SELECTOR, "#checklist-form button"))
    section = browser.find_element(By.ID, "checklist")
    assert "第二種再生医療等提供計画" in section.text
    headers = [th.get_attribute("textContent") for th in browser.find_elements(By.CSS_SELECTOR, "table.checklist th")]
    assert "項目" in headers and "根拠" in headers
    check_page(browser, "task3-checklist-class2-ja", width)
    browser.find_element(By.CSS_SELECTOR, "a.download[data-format='xlsx']").click()
    path = wait_for_download(browser, ".xlsx")
    book = load_workbook(io.BytesIO(path.read_bytes()))
    cover = " ".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)
    assert "脂肪組織由来幹細胞" in cover and "adipose-derived MSC" in cover


@pytest.mark.parametrize("width", WIDTHS)
def test_task4_english_search_for_the_specially_certified_committee(browser, server, width):
    require_module("search")
    from selenium.webdriver.common.by import By

    use_width(browser, width)
    set_language(browser, server, "en")
    browser.get(server + "/ui/search")
    box = browser.find_element(By.ID, "sq")
    box.send_keys("specially certified committee")
    go(browser, box)
    assert re.search(r"\d+–\d+ of \d+ results", browser.find_element(By.ID, "hit-count").text)
    assert browser.find_elements(By.CSS_SELECTOR, "ol.hits li")
    assert browser.find_elements(By.CSS_SELECTOR, ".facets li")
    hits = browser.find_element(By.CSS_SELECTOR, "ol.hits").text
    assert "特定認定再生医療等委員会" in hits
    check_page(browser, "task4-search-en", width)
    set_language(browser, server, "ja")


@pytest.mark.parametrize("width", WIDTHS)
def test_task5_sparql_query_downloaded_as_csv(browser, server, width):
    from selenium.webdriver.common.by import By

    use_width(browser, width)
    clear_downloads(browser)
    browser.get(server + "/ui/sparql?example=modalities")
    assert "rko:Modality" in browser.find_element(By.ID, "query").get_attribute("value")
    go(browser, browser.find_element(By.CSS_SELECTOR, "#sparql-form button"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")) > 10
    browser.find_element(By.ID, "download-csv").click()
    content = wait_for_download(browser, ".csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and b"modality" in content.splitlines()[0]
    assert len(content.splitlines()) > 10


@pytest.mark.parametrize("path", ["/", "/ui/documents", "/ui/classify", "/ui/checklist", "/ui/search?q=造腫瘍性",
                                  "/ui/modalities/ips-derived-cells", "/ui/queries/modality-risk-class?modality=MSC",
                                  "/no/such/page"])
def test_every_page_fits_a_phone(browser, server, path):
    use_width(browser, 390)
    set_language(browser, server, "ja")
    browser.get(server + path)
    check_page(browser, "page" + re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).rstrip("-"), 390)


@pytest.mark.parametrize("path, rendered", [("/docs", ".swagger-ui .opblock"), ("/redoc", "[data-section-id]")])
def test_api_docs_render_offline_under_their_policy(browser, server, path, rendered):
    """The docs' assets come from this server, and the page's Content-Security-Policy (no CDN) refuses nothing
    the page needs: only decorative images from elsewhere (ReDoc's cdn.redoc.ly logo) are refused, by design."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    use_width(browser, 1366)
    browser.get_log("browser")  # drop earlier pages' messages
    browser.get(server + path)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, rendered))
    assert "/checklist" in browser.find_element(By.TAG_NAME, "body").text
    refused = [e["message"] for e in browser.get_log("browser")
               if "Content Security Policy" in e["message"] and "Loading the image" not in e["message"]]
    assert not refused, refused
    browser.save_screenshot(str(SCREENSHOTS / f"docs{path.replace('/', '-')}-1366.png"))


def test_ask_a_question_and_open_a_citation(browser, server):
    require_module("ask")
    from selenium.webdriver.common.by import By

    use_width(browser, 1366)
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("ES細胞を用いる再生医療等のリスク分類は？")
    go(browser, box)
    answer = browser.find_element(By.CSS_SELECTOR, "#answer .answer")
    assert answer.text
    go(browser, browser.find_element(By.CSS_SELECTOR, "#answer a.citation"))
    assert browser.find_element(By.TAG_NAME, "h1").text and "/id/" in browser.current_url
