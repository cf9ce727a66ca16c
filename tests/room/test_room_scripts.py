"""The participant page prints every script with the phone's own fonts (issue 15 follow-up).

The page names no web font (its CSP allows none): ``system-ui`` and the platform sans
faces, then the generic ``sans-serif``, so Chromium (and every phone browser) falls back
character by character to whatever installed font covers CJK, Arabic or Devanagari, as
phones ship such fonts. Checked in headless Chromium twice: with a set of system fonts
that covers those scripts (Waymark's own fallback faces, given to Chromium as its only
system fonts) every character of the names, stages and card titles gets a real glyph;
with DejaVu Sans alone they are boxes, which shows the check can see a box at all. The
page is fine as it is; serving fonts to phones is not needed.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from app.model import commands as C
from tests.made import new_document
from tests.room.conftest import start_room, stop_room
from tests.room.test_room_browser import (
    CHROMIUM,
    DRIVER,
    MISSING,
    PHONE_FONTS,
    _fontconfig,
    _need,
    _until,
    phone_browser,
)

NAME = "相田 Aiko · محمد · अनिल"
TITLES = {  # card title by stage index, as people type them
    0: "店頭で受け取り、20分待ち",
    1: "لم يخبرنا أحد لماذا؟",
    2: "पिकअप पर 40 मिनट की कतार",
    3: "배송 조회가 안 돼요 😣",
}
STAGES = {0: "発見", 1: "الشراء", 2: "पिकअप"}
#: Where people's text shows on the vote tab (the status line names the participant).
TEXT = "#map-title, #status, .cards .title, h3"

def _browser(conf: Path, profile: str) -> webdriver.Chrome:
    return phone_browser(profile, env={**os.environ, "FONTCONFIG_FILE": str(conf)})


@pytest.fixture
def workshop(tmp_path: Path) -> Iterator:
    # Qt objects an earlier GUI test left for the cycle collector are collected here, on
    # the GUI thread, not by a collection the room's threads happen to trigger
    gc.collect()
    path = tmp_path / "scripts.cjm"
    with new_document(path, "sample") as doc:
        map_id = doc.data.ordered_maps()[0].id
        stages = doc.data.stages_of(map_id)
        doc.execute(C.UpdateMap(map_id, {"title": "顧客の旅 · رحلة العميل · ग्राहक यात्रा"}))
        for index, name in STAGES.items():
            doc.execute(C.UpdateStage(stages[index].id, {"name": name}))
        for index, title in TITLES.items():
            card = doc.data.cards_of(map_id)
            first = next(c for c in card if c.stage_id == stages[index].id)
            doc.execute(C.UpdateCard(first.id, {"title": title}))
    env = start_room(path)
    try:
        yield env
    finally:
        stop_room(env)


def _vote_tab(driver: webdriver.Chrome, url: str) -> list[list[str]]:
    driver.get(url)
    driver.find_element(By.ID, "name").send_keys(NAME)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _until(lambda: driver.find_element(By.ID, "tab-vote").is_displayed())
    driver.find_element(By.ID, "tab-vote").click()
    _until(lambda: any(TITLES[1] == e.text
                       for e in driver.find_elements(By.CSS_SELECTOR, ".cards .title")))
    return driver.execute_script(MISSING, TEXT)


def test_names_stages_and_titles_in_every_script_print_with_the_phones_fonts(
        workshop, tmp_path: Path) -> None:
    _need(CHROMIUM)
    _need(DRIVER)
    results = {}
    for name, dirs in (("phone", PHONE_FONTS), ("latin-only", PHONE_FONTS[:1])):
        folder = Path(tempfile.mkdtemp(prefix=f"waymark-fonts-{name}-"))
        profile = tempfile.mkdtemp(prefix="waymark-chromium-")
        driver = _browser(_fontconfig(folder, *dirs), profile)
        try:
            results[name] = _vote_tab(driver, workshop.url)
            shots = os.environ.get("WAYMARK_SCREENSHOTS")
            if shots:
                driver.save_screenshot(str(Path(shots) / f"room-scripts-{name}.png"))
                arabic = driver.find_element(By.XPATH, f'//span[text()="{TITLES[1]}"]')
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", arabic)
                driver.save_screenshot(str(Path(shots) / f"room-scripts-{name}-rtl.png"))
            severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            assert severe == []  # no font request refused by the CSP, no script error
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
    shown = {text for text, _missing in results["phone"]}
    assert set(TITLES.values()) <= shown and set(STAGES.values()) <= shown
    assert any(NAME in text for text in shown)
    # with fonts that cover the scripts, nothing is a box...
    assert [(t, m) for t, m in results["phone"] if m] == []
    # ...and without them (DejaVu Sans has Arabic, not CJK or Devanagari) the same check
    # finds the boxes: it can see one
    boxed = dict(results["latin-only"])
    assert boxed[TITLES[0]] and boxed[TITLES[2]] and boxed[STAGES[0]] and boxed[STAGES[2]]
