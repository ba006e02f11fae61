"""The web page in a real browser (headless Chromium through chromedriver)."""
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs chromium and chromedriver (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              f"--user-data-dir={tmp_path_factory.mktemp('chrome')}", "--window-size=420,900"):
        opts.add_argument(a)
    drv = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield drv
    drv.quit()


def test_judge_a_finding_on_the_page(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(server + "/")
    browser.find_element(By.ID, "text").send_keys("焊工没证在车间焊钢架")
    browser.find_element(By.ID, "industry").send_keys("机械")
    browser.find_element(By.ID, "go").click()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#out .lv")))
    out = browser.find_element(By.ID, "out").text
    assert "重大事故隐患" in out
    assert "第三条第（二）项" in out
    assert "特种作业人员未按照规定经专门的安全作业培训并取得相应资格" in out
    browser.save_screenshot(str(tmp_path / "page.png"))


def test_error_is_shown_in_plain_words(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(server + "/")
    browser.find_element(By.ID, "go").click()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#out .err")))
    assert "不能为空" in browser.find_element(By.ID, "out").text


def test_search_on_the_page(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(server + "/")
    browser.find_element(By.ID, "q").send_keys("速冻")
    browser.find_element(By.ID, "s").click()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#hits li")))
    assert "第十二条第（二）项" in browser.find_element(By.ID, "hits").text
