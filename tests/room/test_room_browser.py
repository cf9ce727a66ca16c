"""The participant page in a real headless browser (Debian's chromium and chromium-driver
through Selenium): join by the address read back from the rendered QR code, add a card,
vote, set a feeling, lose the room and get it back, and find it all in the document with
the participant named in the history. Loopback only."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from app.analysis.emotion import stage_emotions
from app.resources import resource_path
from app.room.room import open_room
from tests.room.conftest import RoomEnv, start_room, stop_room

CHROMIUM, DRIVER, ZBAR = "/usr/bin/chromium", "/usr/bin/chromedriver", "/usr/bin/zbarimg"
MARKUP = "<b>queue</b> at pick-up: 40 min & no seat"


def _need(path: str) -> None:
    if not Path(path).exists():  # scripts/setup.sh installs them; say so instead of skipping
        raise AssertionError(f"{path} is missing: run scripts/setup.sh (it installs it)")


#: For each element of ``selector``: its text and the characters drawn as the font's
#: missing-glyph box (each character drawn on a canvas in the element's own font and
#: compared with a code point no font has, U+10FFFD).
MISSING = """
const out = [];
const canvas = document.createElement('canvas');
canvas.width = 96; canvas.height = 96;
const ctx = canvas.getContext('2d', {willReadFrequently: true});
function ink(ch, font) {
  ctx.clearRect(0, 0, 96, 96);
  ctx.font = font;
  ctx.fillText(ch, 8, 64);
  return Array.from(ctx.getImageData(0, 0, 96, 96).data).join(',');
}
for (const el of document.querySelectorAll(arguments[0])) {
  const style = getComputedStyle(el);
  const font = `${style.fontWeight} 48px ${style.fontFamily}`;
  const box = ink('\\u{10FFFD}', font);
  const missing = [...el.textContent].filter(
    (ch) => ch.trim() && ch !== '\\u200d' && ink(ch, font) === box);
  out.push([el.textContent, missing.join('')]);
}
return out;
"""


def _fontconfig(folder: Path, *dirs: Path) -> Path:
    """A fontconfig file whose only system fonts are those in ``dirs``."""
    conf = folder / "fonts.conf"
    body = "".join(f"<dir>{d}</dir>" for d in dirs)
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig>{body}<cachedir>{folder / 'cache'}</cachedir>"
                    # the system's rules (sans-serif and its aliases), not its fonts
                    '<include ignore_missing="yes">/etc/fonts/conf.d</include>'

                    "</fontconfig>", encoding="utf-8")
    return conf


def phone_browser(profile: str, env: dict[str, str] | None = None) -> webdriver.Chrome:
    """Headless Debian Chromium as a 390 x 844 phone, with a fresh profile folder (and,
    with ``env``, the environment chromedriver starts it in)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                "--window-size=390,844", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(DRIVER, env=env), options=options)


#: A phone's fonts: a sans face and faces for every script and for emoji, as every phone
#: ships them (DejaVu Sans and Waymark's own fallback faces, the machine's others hidden),
#: so the page is seen as on a phone whatever this machine has installed.
PHONE_FONTS = (Path("/usr/share/fonts/truetype/dejavu"), Path(resource_path("fonts", "fallback")))


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    _need(CHROMIUM)
    _need(DRIVER)
    profile = tempfile.mkdtemp(prefix="waymark-chromium-")
    fonts = tmp_path / "phone-fonts"
    fonts.mkdir()
    conf = _fontconfig(fonts, *PHONE_FONTS)
    driver = phone_browser(profile, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    driver.set_window_size(390, 844)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _until(what: Callable[[], object], timeout: float = 30.0) -> object:
    """Poll ``what`` until it is true; generous, as a loaded 2-core machine runs Chromium,
    the room server and its owner thread side by side (it returns as soon as it holds)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = what()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("the page did not get there in time")


def _qr_address(env: RoomEnv, folder: Path) -> str:
    _need(ZBAR)
    png = folder / "join.png"
    png.write_bytes(env.room.qr_png())
    out = subprocess.run([ZBAR, "--raw", "-q", str(png)], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


def _shot(driver: webdriver.Chrome, name: str) -> None:
    folder = os.environ.get("WAYMARK_SCREENSHOTS")
    if folder:
        driver.save_screenshot(str(Path(folder) / name))


def test_a_phone_joins_by_the_qr_code_adds_votes_feels_and_it_is_in_the_document(
        tmp_path: Path, sample_file: Path, browser: webdriver.Chrome) -> None:
    shutil.copyfile(sample_file, tmp_path / "w.cjm")
    env = start_room(tmp_path / "w.cjm")
    try:
        address = _qr_address(env, tmp_path)
        assert address == env.url  # what the projector's code holds is the join address
        map_id = env.room.host.settings.map_id
        stages = env.doc.data.stages_of(map_id)
        d = browser
        d.get(address)
        d.find_element(By.ID, "name").send_keys("Aiko 相田")
        d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        _until(lambda: d.find_element(By.ID, "tab-add").is_displayed())
        assert d.find_element(By.ID, "check").text == env.room.fingerprint

        # add a card, from the keyboard: Enter in the title field submits
        Select(d.find_element(By.ID, "kind")).select_by_value("pain_point")
        Select(d.find_element(By.ID, "stage")).select_by_value(str(stages[3].id))
        d.find_element(By.ID, "body").send_keys("nobody told us why")
        title = d.find_element(By.ID, "idea")
        title.send_keys(MARKUP)
        title.send_keys(Keys.ENTER)
        card = _until(lambda: next((c for c in env.doc.data.cards.values()
                                    if c.title == MARKUP), None))
        assert card.stage_id == stages[3].id and card.body == "nobody told us why"
        assert card.author == "Aiko 相田" and card.kind.value == "pain_point"
        _until(lambda: "On the map" in d.find_element(By.ID, "notice").text)
        _shot(d, "room-phone.png")

        # vote: the card arrives in the live view; its "+" has a screen-reader label
        d.find_element(By.ID, "tab-vote").click()
        plus = _until(lambda: d.find_element(
            By.CSS_SELECTOR, f'button[aria-label="Add a dot to {MARKUP}"]'))
        assert any(MARKUP == e.text for e in d.find_elements(By.CSS_SELECTOR, ".cards .title"))
        plus.click()
        _until(lambda: env.doc.data.cards[card.id].votes == card.votes + 1)
        _until(lambda: "4 of 5 dots left" in d.find_element(By.ID, "dots-left").text)
        counts = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".cards .count")]
        assert any(c.startswith("1 dot · your dots: 1") for c in counts), counts
        assert not any(c.startswith("1 dots") for c in counts), counts

        # a feeling about the stage
        d.find_element(By.ID, "tab-feel").click()
        d.find_element(By.CSS_SELECTOR, f'label[for="feel-{stages[3].id}--2"]').click()
        _until(lambda: [(f.stage_id, f.score) for f in env.doc.data.feelings.values()]
               == [(stages[3].id, -2)])
        # the stage's point on the curve, and what it rests on: her feeling and the
        # map's own scored cards there
        point = next(s for s in stage_emotions(env.doc.data, map_id)
                     if s.stage_id == stages[3].id)
        cards = point.count - 1
        basis = "1 person" + (f" and {cards} card" + ("s" if cards > 1 else "") if cards else "")
        mean = f"{point.average:+.1f}" if point.average else "0.0"
        _until(lambda: f"On the map: {mean} (±{point.spread or 0:.1f}) from {basis}" in d.find_element(
            By.CSS_SELECTOR, f'fieldset[data-stage="{stages[3].id}"] .muted').text)
        faces = d.execute_script(MISSING, '.choice label span[aria-hidden="true"]')
        assert len(faces) == 5 * len(stages) and all(not m for _f, m in faces), faces[:5]
        _shot(d, "room-phone-feelings.png")

        labels = [s.label for s in env.doc.history()[-3:]]
        assert labels == [f"Add card '{MARKUP[:39]}…' — from Aiko 相田",
                          f"Vote for '{MARKUP[:39]}…' — from Aiko 相田",
                          f"Feeling about '{stages[3].name}': -2 — from Aiko 相田"]

        # accessible at 390 and 320 px: no sideways scrolling, no label wider than its
        # button, big targets, every field labelled
        overflowing = """return [...document.querySelectorAll('button')]
            .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth).map(e => e.textContent)"""
        assert d.execute_script(overflowing) == []
        d.set_window_size(320, 700)
        d.find_element(By.ID, "tab-add").click()
        assert d.execute_script("return document.documentElement.scrollWidth") <= 320
        assert d.execute_script(overflowing) == []
        small = d.execute_script("""return [...document.querySelectorAll('button, select, input:not([type=radio]), .choice label')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.outerHTML)""")
        assert small == []
        unlabelled = d.execute_script("""return [...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && !e.labels.length && !e.getAttribute('aria-label')).map(e => e.id)""")
        assert unlabelled == []
        errors = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []  # no CSP violation, no script error, no request elsewhere

        # the room goes away (laptop asleep): an idea typed meanwhile waits on the phone,
        # and is sent once when the room is back (the same address: it resumes)
        env.call(env.room.stop_serving)
        _until(lambda: "Reconnecting" in d.find_element(By.ID, "status").text)
        title = d.find_element(By.ID, "idea")
        title.send_keys("typed while the room was away")
        title.send_keys(Keys.ENTER)
        _until(lambda: "Saved on this device" in d.find_element(By.ID, "notice").text)
        assert d.execute_script(
            "return JSON.parse(localStorage.getItem(Object.keys(localStorage)"
            ".find(k => k.endsWith(':outbox')))).length") == 1
        env.room = env.call(lambda: open_room(env.doc, env.owner.post, "127.0.0.1"))
        assert env.room.resumed and env.room.url == address
        _until(lambda: any(c.title == "typed while the room was away"
                           for c in env.doc.data.cards.values()), timeout=30)
        _until(lambda: "Connected" in d.find_element(By.ID, "status").text)
        time.sleep(1.0)  # any second sending would have landed by now
        titles = [c.title for c in env.doc.data.cards.values()]
        assert titles.count("typed while the room was away") == 1
        assert titles.count(MARKUP) == 1
    finally:
        stop_room(env)
