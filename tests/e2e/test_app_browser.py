"""The running app in headless Chromium: pick the demo's public chat entry point, see its
blast radius drawn, follow an attack path, and find no element injected by hostile names.

Screenshots land in ``tests/e2e/artifacts/`` (kept out of git); the README's copies in
``docs/images/`` come from them.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

import airgraph
from tests.e2e.conftest import ARTIFACTS, Served
from tests.unit.app.estate import HOSTILE_ENTRY, HOSTILE_TOOL

pytestmark = pytest.mark.timeout(300)

_INJECTED = "img[src='x'], a[href^='javascript'], [onerror]"
_INJECTED_SCRIPTS = ("return [...document.querySelectorAll('script')]"
                     ".filter(s => s.textContent.trim().startsWith('alert(')).length")


def assert_clean(driver: object) -> None:
    """No element from the hostile markup in the current document."""
    from selenium.webdriver.common.by import By

    injected = driver.find_elements(By.CSS_SELECTOR, _INJECTED)
    assert not injected, [e.get_attribute("outerHTML") for e in injected]
    assert driver.execute_script(_INJECTED_SCRIPTS) == 0


def wait(driver: object, condition: object, timeout: float = 60) -> object:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(condition)


def metric_values(driver: object) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    out = {}
    for m in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stMetric']"):
        label = m.find_element(By.CSS_SELECTOR, "[data-testid='stMetricLabel']").text
        out[label] = m.find_element(By.CSS_SELECTOR, "[data-testid='stMetricValue']").text
    return out


def graph_frame(driver: object) -> object:
    """Wait for the graph's iframe and its vis-network to settle; return the iframe."""
    from selenium.webdriver.common.by import By

    frame = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "iframe"))
    driver.switch_to.frame(frame)
    try:
        wait(driver, lambda d: d.execute_script(
            "return typeof network !== 'undefined' && network !== null "
            "&& document.querySelector('canvas') !== null"))
        time.sleep(4)  # physics stabilises, then the layout is final
        assert_clean(driver)
    finally:
        driver.switch_to.default_content()
    return frame


def pick(driver: object, label: str, text: str) -> None:
    """Choose the option of selectbox ``label`` containing ``text``, as a user would: open
    it, type, and click the option once the list shows it."""
    from selenium.webdriver.common.by import By

    box = wait(driver, lambda d: d.find_element(
        By.XPATH, f"//div[@data-testid='stSelectbox'][.//label//*[text()='{label}']]"))
    field = box.find_element(By.CSS_SELECTOR, "input")
    field.click()
    field.send_keys(text)
    option = wait(driver, lambda d: next((o for o in d.find_elements(
        By.CSS_SELECTOR, "[role='option']") if text in o.text), None))
    option.click()


def test_blast_radius_of_the_public_chat(served: Served, browser: object) -> None:
    with airgraph.open(served.store, snapshot=1) as g:
        expected = g.blast_radius("ep:web-chat")
    browser.get(f"{served.base}/blast-radius?snapshot=1")  # the demo alone, for the README
    wait(browser, lambda d: "Influenced" in metric_values(d))
    pick(browser, "Start node", "web-chat")
    wait(browser, lambda d: "node=ep%3Aweb-chat" in d.current_url
         or "node=ep:web-chat" in d.current_url)
    wait(browser, lambda d: metric_values(d).get("Influenced") == str(len(expected.influenced)))
    m = metric_values(browser)
    assert m["Exposed stores"] == str(len(expected.exposed))
    assert m["Exfiltration"] == str(len(expected.exfiltration))
    assert "snapshot=1" in browser.current_url  # the pick kept the rest of the selection
    browser.execute_script("document.activeElement.blur()")  # focus off the picker
    graph_frame(browser)
    browser.save_screenshot(str(ARTIFACTS / "blast-radius.png"))


def test_attack_path_view(served: Served, browser: object) -> None:
    browser.get(f"{served.base}/paths?from=ep%3Aweb-chat&to=any+restricted+store&snapshot=1")
    wait(browser, lambda d: "Most likely path" in metric_values(d))
    graph_frame(browser)
    browser.save_screenshot(str(ARTIFACTS / "attack-path.png"))


def test_hostile_names_inject_nothing(served: Served, browser: object) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.get(f"{served.base}/blast-radius?node={quote(HOSTILE_ENTRY, safe='')}")
    wait(browser, lambda d: "Influenced" in metric_values(d))
    assert_clean(browser)
    assert HOSTILE_TOOL in browser.page_source or "mcp:evil" in browser.page_source
    frame = graph_frame(browser)
    browser.switch_to.frame(frame)
    try:  # hover the hostile tool: its tooltip shows the markup as text, with no children
        x, y = browser.execute_script(
            "const n = nodes.get().find(n => n.title.includes('alert(4)'));"
            "const p = network.canvasToDOM(network.getPositions([n.id])[n.id]);"
            "return [p.x, p.y];")
        canvas = browser.find_element(By.CSS_SELECTOR, "canvas")
        origin = browser.execute_script("const r = arguments[0].getBoundingClientRect();"
                                        "return [r.width / 2, r.height / 2];", canvas)
        ActionChains(browser).move_to_element_with_offset(
            canvas, int(x - origin[0]), int(y - origin[1])).perform()
        tip = wait(browser, lambda d: next((t for t in d.find_elements(
            By.CSS_SELECTOR, ".vis-tooltip") if t.is_displayed()), None), timeout=20)
        assert "<script>alert(4)</script>" in tip.get_attribute("innerText")
        assert not tip.find_elements(By.CSS_SELECTOR, ":not(br)")  # innerText makes <br>s
        browser.save_screenshot(str(ARTIFACTS / "hostile-tooltip.png"))
    finally:
        browser.switch_to.default_content()
    browser.get(f"{served.base}/inventory?node={quote(HOSTILE_TOOL, safe='')}")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stDataFrame']"))
    assert_clean(browser)


@pytest.mark.parametrize("path", ["/", "/overview?assume=worst", "/blast-radius", "/paths",
                                  "/chokepoints", "/findings", "/inventory", "/snapshots",
                                  "/cypher"])
def test_every_url_path_is_a_page(served: Served, browser: object, path: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served.base + path)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "h1"))
    time.sleep(1)
    assert "Page not found" not in browser.find_element(By.TAG_NAME, "body").text
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid='stException']")
    if path == "/":
        wait(browser, lambda d: "/overview" in d.current_url)
    if "assume=worst" in path:
        assert "assume=worst" in browser.current_url
