"""End to end in headless Chromium (Debian `chromium` + `chromium-driver`) against a real `regkg serve`."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.api.conftest import require_module

CHROMIUM = "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


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
                 "--disable-component-update", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    driver.downloads = downloads
    yield driver
    driver.quit()


def test_page_in_japanese_with_english_toggle(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    browser.find_element(By.ID, "lang-toggle").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.LINK_TEXT, "Modalities").click()  # the choice is remembered
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.ID, "lang-toggle").click()


def test_modality_browser_and_entity_page(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server + "/ui/modalities")
    browser.find_element(By.CSS_SELECTOR, "a[href='/ui/modalities/ips-derived-cells']").click()
    assert "第一種" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.CSS_SELECTOR, "a.citation[href^='/id/doc/']").click()
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert not browser.find_elements(By.CSS_SELECTOR, "[role=alert]")  # a real entity page, not an error


def test_sparql_box_runs_a_named_query_example(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/ui/sparql")
    Select(browser.find_element(By.ID, "example")).select_by_value("modalities")  # app.js submits on change
    time.sleep(0.5)
    assert "rko:Modality" in browser.find_element(By.ID, "query").get_attribute("value")
    browser.find_element(By.CSS_SELECTOR, "#sparql-form button").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert len(rows) > 10


def test_ask_a_question_and_open_a_citation(browser, server):
    require_module("ask")
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("ES細胞を用いる再生医療等のリスク分類は？")
    box.submit()
    answer = browser.find_element(By.CSS_SELECTOR, "#answer .answer")
    assert answer.text
    browser.find_element(By.CSS_SELECTOR, "#answer a.citation").click()
    assert browser.find_element(By.TAG_NAME, "h1").text and "/id/" in browser.current_url


def test_build_and_download_a_checklist(browser, server):
    require_module("checklist")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/ui/checklist")
    Select(browser.find_element(By.ID, "cmod")).select_by_value("regkg:modality/ips-derived-cells")
    Select(browser.find_element(By.ID, "cpath")).select_by_index(1)
    browser.find_element(By.CSS_SELECTOR, "#checklist-form button").click()
    assert browser.find_element(By.ID, "checklist").text
    browser.find_element(By.CSS_SELECTOR, "a.download[data-format='xlsx']").click()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        done = [p for p in browser.downloads.iterdir() if p.suffix == ".xlsx"]
        if done:
            assert done[0].read_bytes()[:2] == b"PK"  # an xlsx is a zip
            return
        time.sleep(0.2)
    pytest.fail("the checklist download did not arrive")
