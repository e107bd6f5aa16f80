"""The portal in a real browser: headless Chromium through chromium-driver.

Every page, in every state a person meets it (empty, refused with errors, for
each role), gets zero axe-core violations of WCAG 2.1 A and AA, fits a 320 px
wide screen and a 200 % zoom without sideways scrolling, and is saved as a
screenshot. Sign-in, activation with a code from a letter, sign-out and a
denied page are walked with the keyboard alone, in a browser with JavaScript
switched off. Each demo account lands on its own home page. (An expired
session keeping its form is tested in Swift, PortalSessionTests, where the
session's age can be set in the database.)

usage: PORTAL_URL=http://127.0.0.1:8080 ACCOUNTS=.local/portal-accounts.json \
       AXE_SCRIPT=.deps/axe/axe.min.js SCREENSHOTS=.build/browser python3 portal_pages.py
Prints one line per page (its axe result) and exits 1 if anything failed.
"""
import csv
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
import traceback

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["PORTAL_URL"].rstrip("/")
ACCOUNTS = {a["login"]: a for a in json.load(open(os.environ["ACCOUNTS"]))["accounts"]}
SHOTS = os.environ.get("SCREENSHOTS", "browser-screenshots")
os.makedirs(SHOTS, exist_ok=True)
AXE_OPTIONS = json.dumps({"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
# axe.run(document, options), its failure reported instead of a silent timeout.
AXE_RUN = """var done = arguments[arguments.length - 1];
axe.run(document, %s).then(function (r) { done(r); }).catch(function (e) { done({error: String(e)}); });""" % AXE_OPTIONS

failures = []
pages_checked = []
# Every password, code and session token the walk typed or received: none may appear in any log.
secrets_seen = {a["password"] for a in ACCOUNTS.values()}


def browser(javascript=True, width=1280, height=1000):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=pl"]:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    # Debian's chromium and chromium-driver: no download, no network.
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(options=options, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
    driver.set_script_timeout(120)
    return driver


def check(condition, message):
    if not condition:
        failures.append(message)
        print("  ✘ " + message, flush=True)
    return condition


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def fits(driver, width, zoom):
    """No sideways scrolling at this CSS width (a 1280 px window at 200 % zoom is 640 CSS px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": zoom, "mobile": False})
    try:
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        return overflow <= 0
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def audit(driver, name):
    """axe, the layout at 320 px and at 200 %, the language, the screenshots."""
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "pl", f"{name}: lang is not pl")
    check(len(driver.find_elements(By.TAG_NAME, "h1")) == 1, f"{name}: not exactly one h1")
    check(len(driver.find_elements(By.TAG_NAME, "main")) == 1, f"{name}: not exactly one main landmark")
    check("Traceback" not in driver.page_source and "Fatal error" not in driver.page_source, f"{name}: a stack trace on the page")
    axe = Axe(driver, script_url=os.environ["AXE_SCRIPT"])
    axe.inject()
    results = driver.execute_async_script(AXE_RUN)
    if not check("error" not in results, f"{name}: axe could not run: {results.get('error')}"):
        return
    violations = results["violations"]
    check(not violations, f"{name}: axe found {axe.report(violations)}")
    check(fits(driver, 320, 1), f"{name}: scrolls sideways at 320 px")
    check(fits(driver, 640, 2), f"{name}: scrolls sideways at 200 % zoom")
    driver.save_screenshot(f"{SHOTS}/{name}.png")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 320, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    driver.save_screenshot(f"{SHOTS}/{name}-320px.png")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    pages_checked.append((name, driver.current_url.replace(BASE, ""), len(violations), results.get("passes") and len(results["passes"])))
    print(f"  {name:32} {driver.current_url.replace(BASE, ''):34} axe violations: {len(violations)}", flush=True)


def navigating(driver, action):
    """Does `action` (a click, an Enter) and waits for the next page to load."""
    old = driver.find_element(By.TAG_NAME, "html").id

    def replaced(d):
        try:
            return d.find_element(By.TAG_NAME, "html").id != old
        except WebDriverException:  # the page is between documents
            return False

    action()
    WebDriverWait(driver, 30).until(replaced)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def submit(driver):
    navigating(driver, driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click)


def press(driver, element, *keys):
    """Types `keys` into `element`; the last one (Enter) loads the next page."""
    navigating(driver, lambda: element.send_keys(*keys))


def sign_in(driver, login, password=None):
    driver.get(BASE + "/logowanie")
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "haslo").send_keys(password if password is not None else ACCOUNTS[login]["password"])
    submit(driver)
    secrets_seen.update(c["value"] for c in driver.get_cookies() if "asysta" in c["name"])


def sign_out(driver):
    navigating(driver, driver.find_element(By.CSS_SELECTOR, "form.sign-out button").click)


def focused(driver):
    return driver.switch_to.active_element


def tab_to(driver, matches, limit=40, backwards=False):
    """Presses Tab until the focused element matches; the keyboard-only walk."""
    for _ in range(limit):
        (focused(driver)).send_keys(Keys.SHIFT + Keys.TAB if backwards else Keys.TAB)
        element = focused(driver)
        if matches(element):
            return element
    raise AssertionError("Tab never reached the element")


def by_id(identifier):
    return lambda element: element.get_attribute("id") == identifier


def by_text(fragment):
    return lambda element: fragment in (element.text or element.get_attribute("value") or "")


def step(title):
    print("== " + title, flush=True)


def every_page():
    driver = browser()
    try:
        step("pages before sign-in")
        driver.get(BASE + "/")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Logowanie", "/ is not the sign-in page")
        audit(driver, "sign-in")
        sign_in(driver, "operator", "to nie jest hasło operatora")
        check("Nieprawidłowa nazwa użytkownika lub hasło" in text(driver), "a wrong password has no generic message")
        check(driver.title.startswith("Błąd:"), "a refused form's title does not start with 'Błąd:'")
        audit(driver, "sign-in-wrong-password")
        driver.get(BASE + "/aktywacja")
        audit(driver, "activation")
        driver.find_element(By.ID, "kod").send_keys("ABCD")
        driver.find_element(By.ID, "haslo").send_keys("krótkie")
        submit(driver)
        summary = driver.find_elements(By.CSS_SELECTOR, ".error-summary a")
        check([a.get_attribute("href").split("#")[1] for a in summary] == ["kod", "login", "haslo"], "the error summary does not link kod, login, haslo")
        audit(driver, "activation-errors")
        driver.get(BASE + "/deklaracja-dostepnosci")
        for section in ["a11y-status", "a11y-ocena", "a11y-kontakt", "a11y-procedura", "a11y-data-publikacja", "a11y-data-aktualizacja"]:
            check(driver.find_elements(By.ID, section), f"the accessibility statement has no #{section}")
        audit(driver, "accessibility-statement")
        driver.get(BASE + "/tekst-latwy-do-czytania")
        audit(driver, "easy-read")
        driver.get(BASE + "/nie-ma-takiej-strony")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Nie znaleziono strony", "no Polish 404 page")
        audit(driver, "not-found")

        step("each demo account lands on its own home page")
        homes = {
            "operator": "Co możesz zrobić", "koordynator": "Co możesz zrobić", "audytor": "Organizacje realizujące usługę",
            "organizacja": "Asystenci organizacji", "asystent": "Twoja organizacja", "uczestnik": "Godziny asystencji", "opiekun": "Godziny asystencji",
            "asystentka": "Twoja organizacja", "organizacja2": "Asystenci organizacji",
        }
        for login, marker in homes.items():
            sign_in(driver, login)
            check(driver.current_url == BASE + "/start", f"{login} did not land on /start but {driver.current_url}")
            check(ACCOUNTS[login]["displayName"] in driver.find_element(By.TAG_NAME, "h1").text, f"{login}'s home does not greet them")
            check(marker in text(driver), f"{login}'s home lacks '{marker}'")
            if login == "opiekun":
                check("opiekun prawny" in text(driver), "the guardian's header does not say they act as guardian")
            audit(driver, f"home-{login}")
            if login == "operator":
                driver.get(BASE + "/zaproszenia")
                audit(driver, "invite-staff")
                submit(driver)
                audit(driver, "invite-staff-errors")
                driver.find_element(By.ID, "nazwa").send_keys("Agnieszka Dąbrowska")
                driver.find_element(By.ID, "rola-coordinator").click()
                submit(driver)
                invitation = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", text(driver))
                check(invitation, "no code on the invitation page")
                if invitation:
                    secrets_seen.update([invitation.group(0), invitation.group(0).replace("-", "")])
                audit(driver, "invitation-issued")
                driver.get(BASE + "/kody-aktywacyjne")
                audit(driver, "activation-letter-form")
            if login == "organizacja":
                driver.get(BASE + "/zaproszenia")
                audit(driver, "invite-assistant")
            if login == "uczestnik":
                driver.get(BASE + "/zaproszenia")
                check(driver.find_element(By.TAG_NAME, "h1").text == "Brak dostępu", "a participant reached the invitations")
                audit(driver, "forbidden")
            sign_out(driver)
            check(driver.current_url.startswith(BASE + "/logowanie"), f"{login}: sign-out did not return to the sign-in page")
    finally:
        driver.quit()


def letter_code(driver, participant, name, guardian=False):
    """An operator prints a letter for `participant` and reads its code."""
    sign_in(driver, "operator")
    driver.get(BASE + "/kody-aktywacyjne")
    driver.find_element(By.ID, "uczestnik").send_keys(participant)
    driver.find_element(By.ID, "nazwa").send_keys(name)
    driver.find_element(By.ID, "kto-guardian" if guardian else "kto-self").click()
    submit(driver)
    code = driver.find_element(By.CSS_SELECTOR, ".letter .code").text
    secrets_seen.update([code, code.replace("-", "")])
    return code


def keyboard_only():
    """Sign-in, activation, sign-out and a denied page with Tab, typing and Enter; JavaScript off."""
    helper = browser()
    driver = browser(javascript=False)
    try:
        step("the activation letter, printed")
        participant = ACCOUNTS["uczestnik"]["participant"]
        code = letter_code(helper, participant, "Zofia Testowa")
        check(helper.find_element(By.TAG_NAME, "h1").text == "Twój dostęp do Platformy Usług Asystenckich", "the letter has no heading")
        audit(helper, "activation-letter")
        pdf = helper.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False})
        import base64
        data = base64.b64decode(pdf["data"])
        open(f"{SHOTS}/activation-letter.pdf", "wb").write(data)
        check(len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1, "the letter does not print on one A4 page")

        step("keyboard only, no JavaScript: activation")
        driver.get(BASE + "/")
        first = tab_to(driver, lambda e: True, limit=1)
        check(first.get_attribute("class") == "skip-link", "the first Tab does not reach the skip link")
        press(driver, tab_to(driver, by_text("załóż konto kodem aktywacyjnym")), Keys.ENTER)
        check(driver.current_url.startswith(BASE + "/aktywacja"), "Enter on the link did not open the activation page")
        tab_to(driver, by_id("kod")).send_keys(code.lower())
        focused(driver).send_keys(Keys.TAB)
        check(focused(driver).get_attribute("id") == "login", "Tab from the code does not go to the sign-in name")
        login = "zofia." + secrets.token_hex(3)
        focused(driver).send_keys(login)
        focused(driver).send_keys(Keys.TAB, "zielony rower pod lipą", Keys.TAB, "zielony rower pod lipą")
        press(driver, focused(driver), Keys.ENTER)
        check(driver.current_url.startswith(BASE + "/start"), f"activation did not sign in: {driver.current_url}")
        check("Zofia Testowa" in driver.find_element(By.TAG_NAME, "h1").text, "the new account's home does not greet Zofia")

        step("keyboard only: sign-out")
        press(driver, tab_to(driver, by_text("Wyloguj")), Keys.ENTER)
        check(driver.current_url.startswith(BASE + "/logowanie"), "sign-out did not return to the sign-in page")
        check("Wylogowano" in text(driver), "no message after signing out")

        step("keyboard only: the same code a second time")
        driver.get(BASE + "/aktywacja")
        tab_to(driver, by_id("kod")).send_keys(code)
        focused(driver).send_keys(Keys.TAB, login + ".druga", Keys.TAB, "zielony rower pod lipą", Keys.TAB, "zielony rower pod lipą")
        press(driver, focused(driver), Keys.ENTER)
        check("został już użyty" in text(driver), "a used code is not refused with its reason")

        step("keyboard only: sign-in and a denied page")
        driver.get(BASE + "/logowanie")
        tab_to(driver, by_id("login")).send_keys(login)
        focused(driver).send_keys(Keys.TAB, "zielony rower pod lipą")
        press(driver, focused(driver), Keys.ENTER)
        check(driver.current_url == BASE + "/start", "keyboard sign-in did not land on /start")
        driver.get(BASE + "/kody-aktywacyjne")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Brak dostępu", "a participant is not denied the letters page")
        press(driver, tab_to(driver, by_text("Wróć na swoją stronę główną")), Keys.ENTER)
        check(driver.current_url == BASE + "/start", "the denied page's link does not lead home")
        press(driver, tab_to(driver, by_text("Wyloguj")), Keys.ENTER)

    finally:
        driver.quit()
        helper.quit()


def api(method, url, token, body=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def orders_and_visits():
    """A guardian orders a visit and sees it; MOPS assigns it (through ordering's API: its page is issue 20's);
    the assistant, on a 360 px phone, finds it, records it and sees the answer; the guardian's list shows it delivered."""
    step("a guardian orders a visit, the assistant records it")
    guardian = browser()
    phone = browser(width=360, height=800)
    try:
        sign_in(guardian, "opiekun")
        guardian.get(BASE + "/zamowienia/nowe")
        audit(guardian, "order-new")
        submit(guardian)
        check(guardian.title.startswith("Błąd:"), "an empty order form is not refused")
        audit(guardian, "order-new-errors")
        # A day within the assistant's coming week (the demo's day is 4 May 2022) at an hour no earlier run of this
        # walk took (the demo state may be reused).
        # From the 6th: an order starting within the edition's 24-hour notice has no cancel form, which gives the order id.
        day, hour = 6 + secrets.randbelow(5), 7 + secrets.randbelow(13)  # the demo assistant works 07:00–22:00
        for field, value in [("data", f"{day}.05.2022"), ("od", f"{hour}:00"), ("do", f"{hour + 2}:00")]:
            guardian.find_element(By.ID, field).send_keys(value)
        guardian.find_element(By.ID, "rodzaj").send_keys("kultura")
        guardian.find_element(By.ID, "miejsce").send_keys("ul. Legnicka 12, Wrocław")
        submit(guardian)
        check(guardian.current_url.startswith(BASE + "/zamowienia?wynik=zamowiono"), f"the order was not placed: {text(guardian)[:300]}")
        audit(guardian, "orders")
        card = next(c for c in guardian.find_elements(By.CSS_SELECTOR, ".card") if f"{day} maja 2022 r., {hour:02d}:00–{hour + 2:02d}:00" in c.text)
        order_id = card.find_element(By.CSS_SELECTOR, "form.inline").get_attribute("action").split("/")[-2]

        coordinator = admin_token("coordinator")
        assistant = ACCOUNTS["asystent"]
        api("POST", f"{os.environ['ORDERING_URL']}/orders/{order_id}/assignment", coordinator,
            {"providerID": assistant["provider"], "assistantID": assistant["assistant"]})
        guardian.get(BASE + "/zamowienia")
        check("asystent przydzielony" in text(guardian), "the guardian does not see the assignment")

        sign_in(phone, "asystent")
        phone.get(BASE + "/wizyty")
        audit(phone, "visits")
        navigating(phone, phone.find_element(By.CSS_SELECTOR, f'a[href="/wizyty/{order_id}"]').click)
        audit(phone, "visit")
        started = time.monotonic()
        submit(phone)
        elapsed = time.monotonic() - started
        check("Przyjęta: 2 godz." in text(phone), f"the assistant does not see the answer: {text(phone)[:400]}")
        print(f"  save → answer on the page: {elapsed * 1000:.0f} ms", flush=True)
        audit(phone, "visit-answered")
        for _ in range(40):  # ordering hears of the accepted visit through the broker
            guardian.get(BASE + "/zamowienia")
            if "zrealizowana" in text(guardian):
                break
            time.sleep(0.25)
        check("zrealizowana" in text(guardian), "the guardian's list does not show the visit delivered")
        check(guardian.find_elements(By.CSS_SELECTOR, f'a[href="/zamowienia/{order_id}/ocena"]'), "no way to rate the delivered visit")

        step("the guardian's home says what waits for them: the month to confirm, the visit to rate")
        guardian.get(BASE + "/start")
        waiting = guardian.find_element(By.XPATH, "//h2[.='Czeka na Ciebie']/following-sibling::ul[1]").text
        # (The three newest visits to rate: on a reused demo state, later walks' visits may come first.)
        check("Sprawdź i potwierdź wizyty: maj 2022" in waiting and "Oceń wizytę z dnia" in waiting, f"the home page lists: {waiting}")

        step("the guardian rates the visit")
        guardian.get(BASE + f"/zamowienia/{order_id}/ocena")
        audit(guardian, "order-rating")
        submit(guardian)
        check(guardian.title.startswith("Błąd:"), "a rating without scores is not refused")
        audit(guardian, "order-rating-errors")
        for question in ("punctuality", "kindness", "help"):
            guardian.find_element(By.ID, f"{question}-5").click()
        guardian.find_element(By.ID, "komentarz").send_keys("Bardzo pomocna wizyta.")
        submit(guardian)
        check("Dziękujemy za ocenę" in text(guardian), f"the rating was not saved: {text(guardian)[:300]}")
        check(not guardian.find_elements(By.CSS_SELECTOR, f'a[href="/zamowienia/{order_id}/ocena"]'), "a rated visit can be rated again")

        step("the guardian's home: the hours left equal ordering's allowance, the chart says the same")
        hours_left_match(guardian)
        audit(guardian, "home-guardian-after-visit")
    finally:
        guardian.quit()
        phone.quit()


def first_name(name):
    """The first name ("Katarzyna" from "Katarzyna Mazur"), as the pages name people."""
    return name.split()[0]


MONTH_NAMES = ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień"]
MONTHS = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"]


def admin_token(role):
    return subprocess.run([os.environ["ADMIN"], "token", "--role", role], capture_output=True, text=True, check=True).stdout.strip()


def order_visit(guardian, day, month, hour):
    """The guardian orders a two-hour visit on the page and returns its order id."""
    guardian.get(BASE + "/zamowienia/nowe")
    for field, value in [("data", f"{day}.{month:02d}.2022"), ("od", f"{hour}:00"), ("do", f"{hour + 2}:00")]:
        guardian.find_element(By.ID, field).send_keys(value)
    guardian.find_element(By.ID, "rodzaj").send_keys("sprawy")
    place = guardian.find_element(By.ID, "miejsce")
    place.clear()
    place.send_keys("ul. Legnicka 12, Wrocław")
    submit(guardian)
    check(guardian.current_url.startswith(BASE + "/zamowienia?wynik=zamowiono"), f"the order was not placed: {text(guardian)[:300]}")
    label = f"{day} {MONTHS[month - 1]} 2022 r., {hour:02d}:00–{hour + 2:02d}:00"
    card = next(c for c in guardian.find_elements(By.CSS_SELECTOR, ".card") if label in c.text)
    return card.find_element(By.CSS_SELECTOR, "form.inline").get_attribute("action").split("/")[-2]


def order_visit_by_keyboard(driver, day, month, hour, preferred):
    """The same order with Tab, typing and Enter, JavaScript off; returns its order id."""
    driver.get(BASE + "/zamowienia/nowe")
    tab_to(driver, by_id("data"), limit=60).send_keys(f"{day}.{month:02d}.2022")
    for field, value in [("od", f"{hour}:00"), ("do", f"{hour + 2}:00"), ("rodzaj", "sprawy")]:
        focused(driver).send_keys(Keys.TAB)
        check(focused(driver).get_attribute("id") == field, f"Tab does not go to {field}")
        focused(driver).send_keys(value)
    place = tab_to(driver, by_id("miejsce"))
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys("ul. Legnicka 12, Wrocław")
    tab_to(driver, by_id("asystent")).send_keys(preferred)
    press(driver, tab_to(driver, by_text("Zamów")), Keys.ENTER)
    check(driver.current_url.startswith(BASE + "/zamowienia?wynik=zamowiono"), f"the keyboard order was not placed: {text(driver)[:300]}")
    label = f"{day} {MONTHS[month - 1]} 2022 r., {hour:02d}:00–{hour + 2:02d}:00"
    card = next(c for c in driver.find_elements(By.CSS_SELECTOR, ".card") if label in c.text)
    return card.find_element(By.CSS_SELECTOR, "form.inline").get_attribute("action").split("/")[-2]


def confirmation_line(month, provider):
    """Reporting's export of the month: what participants said of the NGO's hours."""
    report = api("GET", f"{os.environ['REPORTING_URL']}/editions/2022/export.json?from={month}&to={month}", admin_token("operator"))
    return next((line for line in report["confirmations"] if line["month"] == month and line["providerID"] == provider), {})


def wait_for(what, condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            check(False, f"waited {seconds} s for {what}")
            return
        time.sleep(0.25)


def a_month_on_the_card():
    """The issue's month: the guardian orders three visits (the third with the keyboard alone, asking for the
    assistant who came), MOPS assigns them (ordering's API), the assistant on a 360 px phone records two (the second,
    and its correction, with the keyboard alone), the NGO sees them; the guardian contests one and confirms the month
    (keyboard only, no JavaScript); the NGO sees the contest and voids the visit (keyboard only); reporting's export
    shows the confirmed and contested hours. Another participant, assistant and NGO reach none of it."""
    step("a month on the card: three orders, two visits recorded")
    guardian = browser()
    phone = browser(width=360, height=800)
    phone_keys = browser(javascript=False, width=360, height=800)
    ngo = browser()
    ngo_keys = browser(javascript=False)
    keyboard = browser(javascript=False)
    other = browser()
    assistant = ACCOUNTS["asystent"]
    provider = assistant["provider"]
    try:
        # A month whose card is still empty (the demo state may be reused by an earlier run), three days in a row;
        # not December, whose late corrections the report would count after the edition's end, outside its range.
        sign_in(guardian, "opiekun")
        month = None
        for candidate in sorted(range(6, 12), key=lambda _: secrets.randbelow(1000)):
            guardian.get(BASE + f"/karta?miesiac=2022-{candidate:02d}")
            if "W tym miesiącu nie ma rozliczonych wizyt" in text(guardian):
                month = candidate
                break
        check(month, "every month of the demo edition already has visits on the guardian's card: start from a fresh state")
        key = f"2022-{month:02d}"
        first = 1 + secrets.randbelow(26)
        days = [first, first + 1, first + 2]
        orders = [order_visit(guardian, days[0], month, 9), order_visit(guardian, days[1], month, 9)]
        coordinator = admin_token("coordinator")

        def assign(order_id):
            api("POST", f"{os.environ['ORDERING_URL']}/orders/{order_id}/assignment", coordinator,
                {"providerID": provider, "assistantID": assistant["assistant"]})
        for order_id in orders:
            assign(order_id)
        # The third time the guardian asks for the assistant who came (keyboard only); the coordinator's suggestions put her first.
        guardian.get(BASE + "/zamowienia/nowe")
        check(first_name(assistant["displayName"]) in guardian.find_element(By.ID, "asystent").text, "the form does not offer the assistant who came")
        audit(guardian, "order-new-preferred")
        sign_in(keyboard, "opiekun")
        orders.append(order_visit_by_keyboard(keyboard, days[2], month, 15, first_name(assistant["displayName"])))
        suggestions = api("GET", f"{os.environ['ORDERING_URL']}/orders/{orders[2]}/suggestions", coordinator)
        check(suggestions and suggestions[0]["assistantID"] == assistant["assistant"] and suggestions[0]["continuity"] == "preferred",
              f"the preferred assistant is not the first suggestion: {suggestions[:2]}")
        assign(orders[2])
        guardian.get(BASE + "/zamowienia")
        check(text(guardian).count("asystent przydzielony") >= 3, "the guardian does not see the three assignments")
        notice = f"Możesz anulować do {days[2] - 1} {MONTHS[month - 1]} 2022 r., 15:00."
        check(notice in text(guardian), "the order does not say until when it may be cancelled (the edition's 24 hours)")

        sign_in(phone, "asystent")
        phone.get(BASE + f"/wizyty/{orders[0]}")
        submit(phone)
        check("Przyjęta: 2 godz." in text(phone), f"the assistant does not see the answer: {text(phone)[:300]}")
        audit(phone, "visit-recorded-with-changes")
        step("the assistant records the second visit and corrects it (it ended at 10:30): keyboard only, 360 px, no JavaScript")
        sign_in(phone_keys, "asystent")
        phone_keys.get(BASE + f"/wizyty/{orders[1]}")
        press(phone_keys, tab_to(phone_keys, by_text("Zapisz wizytę"), limit=60), Keys.ENTER)
        check("Przyjęta: 2 godz." in text(phone_keys), f"the assistant does not see the answer: {text(phone_keys)[:300]}")
        end = tab_to(phone_keys, by_id("do"), limit=60)
        end.send_keys(Keys.CONTROL, "a")
        end.send_keys("10:30")
        press(phone_keys, tab_to(phone_keys, by_text("Zapisz poprawkę")), Keys.ENTER)
        check("Przyjęta: 1 godz. 30 min" in text(phone_keys), f"the correction's answer is not on the page: {text(phone_keys)[:400]}")

        step("the NGO sees the entries with their answers")
        sign_in(ngo, "organizacja")
        ngo.get(BASE + f"/wpisy?miesiac={key}")
        audit(ngo, "entries")
        for order_id in orders[:2]:
            check(f"wizyta-{order_id}" in text(ngo), f"the NGO does not see the entry of order {order_id}")
        check("przyjęta: 2 godz." in text(ngo) and "przyjęta: 1 godz. 30 min" in text(ngo), "the NGO does not see the answers")
        ngo.get(BASE + "/wpisy?miesiac=maj")
        check(ngo.title.startswith("Błąd:") and "na przykład 2022-05" in text(ngo), "a wrong month in the filter is not explained")
        audit(ngo, "entries-errors")

        step("the guardian contests one visit and confirms the month: keyboard only, no JavaScript")
        guardian.get(BASE + f"/karta?miesiac={key}")
        audit(guardian, "card")
        check(text(guardian).count("do potwierdzenia") == 2, f"the card does not show the two visits to confirm: {text(guardian)[:400]}")
        guardian.find_element(By.PARTIAL_LINK_TEXT, "Zgłoś zastrzeżenie").click()
        contest_url = guardian.current_url
        audit(guardian, "card-contest")
        submit(guardian)
        check(guardian.title.startswith("Błąd:") and "Wybierz, co się nie zgadza" in text(guardian), "a contest without a reason is not refused")
        audit(guardian, "card-contest-errors")
        keyboard.get(BASE + f"/karta?miesiac={key}")
        press(keyboard, tab_to(keyboard, by_text("Zgłoś zastrzeżenie"), limit=60), Keys.ENTER)
        check(keyboard.current_url == contest_url, "Enter on the first visit's link did not open its contest form")
        contest_day = f"{days[0]} {MONTHS[month - 1]} 2022 r."
        check(contest_day in text(keyboard), "the contest form does not name the first visit")
        # Tab enters the radio group at its first button; an arrow key moves to (and checks) the next.
        tab_to(keyboard, by_id("powod-absent")).send_keys(Keys.ARROW_DOWN)
        check(focused(keyboard).get_attribute("id") == "powod-shorter" and focused(keyboard).is_selected(), "the arrow did not choose 'shorter'")
        tab_to(keyboard, by_id("komentarz")).send_keys("Asystentka była 30 minut.")
        press(keyboard, tab_to(keyboard, by_text("Wyślij zastrzeżenie")), Keys.ENTER)
        check("Zastrzeżenie wysłane" in text(keyboard), f"the contest was not sent: {text(keyboard)[:300]}")
        check("zgłoszono zastrzeżenie: wizyta była krótsza" in text(keyboard), "the card does not show the contest")
        press(keyboard, tab_to(keyboard, by_text("Potwierdzam wizyty"), limit=80), Keys.ENTER)
        check("Miesiąc jest potwierdzony" in text(keyboard) and "potwierdzona" in text(keyboard), "the month was not confirmed")
        check(not keyboard.find_elements(By.PARTIAL_LINK_TEXT, "Zgłoś zastrzeżenie"), "a confirmed month still offers contests")
        guardian.get(keyboard.current_url)
        audit(guardian, "card-confirmed")

        step("another participant reaches none of it")
        sign_in(other, "uczestnik")
        other.get(contest_url)
        check(other.find_element(By.TAG_NAME, "h1").text == "Nie znaleziono strony", "another participant opened the guardian's visit")
        other.get(BASE + f"/karta?miesiac={key}")
        check("W tym miesiącu nie ma rozliczonych wizyt" in text(other), "another participant sees the guardian's visits")
        other.get(BASE + f"/wizyty/{orders[0]}")
        check(other.find_element(By.TAG_NAME, "h1").text == "Brak dostępu", "a participant opened an assistant's visit page")

        step("another assistant and another NGO's staff reach none of it")
        sign_in(other, "asystentka")
        other.get(BASE + f"/wizyty/{orders[0]}")
        check(other.find_element(By.TAG_NAME, "h1").text == "Nie znaleziono strony", "another assistant opened the visit")
        other.get(BASE + "/wizyty")
        check(orders[0] not in other.page_source, "another assistant's list shows the visit")
        sign_in(other, "organizacja2")
        other.get(BASE + f"/wpisy/wizyta-{orders[0]}")
        check(other.find_element(By.TAG_NAME, "h1").text == "Nie znaleziono strony", "another NGO opened the entry")
        other.get(BASE + f"/wpisy?miesiac={key}")
        check(orders[0] not in other.page_source and "Brak wpisów" in text(other), "another NGO's list shows the entry")

        step("reporting shows the confirmed and contested hours")
        line = {}
        wait_for("reporting to count the card", lambda: (line.update(confirmation_line(key, provider)) or True) and line.get("contestedHours") == "2.00")
        check(line.get("confirmedHours") == "1.50" and line.get("contestedHours") == "2.00", f"reporting's export says {line}")

        step("MOPS sees the contest in the month's summary")
        sign_in(other, "operator")
        other.get(BASE + f"/miesiace?edycja=2022&miesiac={key}")
        check("Zakwestionowane wizyty" in text(other) and contest_day in text(other), f"the month does not list the contest: {text(other)[:600]}")
        audit(other, "month-with-contest")

        step("the NGO sees the contest and voids the visit: keyboard only, no JavaScript")
        ngo.get(BASE + f"/wpisy?miesiac={key}")
        first = ngo.find_element(By.CSS_SELECTOR, ".cards .card")
        check("Wizyta była krótsza: „Asystentka była 30 minut.”" in first.text, f"the contested entry is not first, with the reason: {first.text}")
        ngo.find_element(By.PARTIAL_LINK_TEXT, f"wizyta-{orders[0]}").click()
        audit(ngo, "entry")
        entry_url = ngo.current_url
        sign_in(ngo_keys, "organizacja")
        ngo_keys.get(BASE + f"/wpisy?miesiac={key}")
        press(ngo_keys, tab_to(ngo_keys, by_text(f"Szczegóły wpisu wizyta-{orders[0]}"), limit=60), Keys.ENTER)
        check(ngo_keys.current_url == entry_url, "Enter on the entry's link did not open it")
        press(ngo_keys, tab_to(ngo_keys, by_text("Anuluj wpis"), limit=60), Keys.ENTER)
        check(ngo_keys.title.startswith("Błąd:") and "dlaczego wpis ma być anulowany" in text(ngo_keys), "a void without a reason is not refused")
        tab_to(ngo_keys, by_id("uzasadnienie"), limit=60).send_keys("Uczestnik ma rację: wizyta trwała 30 minut, wpis zastąpi nowy.")
        press(ngo_keys, tab_to(ngo_keys, by_text("Anuluj wpis")), Keys.ENTER)
        check("Stan\nanulowana" in text(ngo_keys), f"the void was not answered: {text(ngo_keys)[:600]}")
        ngo.get(ngo_keys.current_url)
        audit(ngo, "entry-voided")
        wait_for("reporting to see the contest end", lambda: (line.update(confirmation_line(key, provider)) or True) and line.get("contestedHours") == "0.00")
        check(line.get("confirmedHours") == "1.50" and line.get("deliveredHours") == "1.50", f"after the void reporting says {line}")

        step("the operator closes the month after reading its summary: keyboard only, no JavaScript")
        other.get(BASE + f"/miesiace?edycja=2022&miesiac={key}")
        row = other.find_element(By.XPATH, "//tr[th[normalize-space()='Fundacja Promyk Słońca']]").text
        check("1 (1 godz. 30 min)" in row and "Brak otwartych zastrzeżeń" in text(other), f"the summary after the void says: {row}")
        navigating(other, other.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Zamknij miesiąc')]").click)
        check(other.title.startswith("Błąd:") and "Zaznacz, że przeczytałeś podsumowanie" in text(other), "closing without reading is not refused")
        audit(other, "month-close-errors")
        sign_in(keyboard, "operator")
        keyboard.get(BASE + f"/miesiace?edycja=2022&miesiac={key}")
        tab_to(keyboard, by_id("przeczytane-tak"), limit=60).send_keys(Keys.SPACE)
        press(keyboard, tab_to(keyboard, by_text("Zamknij miesiąc")), Keys.ENTER)
        check("Miesiąc zamknięty." in text(keyboard), f"the month was not closed: {text(keyboard)[:300]}")
        other.get(keyboard.current_url)
        audit(other, "month-closed")
        sign_in(other, "audytor")
        other.get(BASE + f"/miesiace?edycja=2022&miesiac={key}")
        check("Miesiąc zamknięty" in text(other) and not other.find_elements(By.ID, "przeczytane-tak"), "the auditor may close the month")

        step("the guardian's card and home after the void")
        guardian.get(BASE + f"/karta?miesiac={key}")
        check(f"{days[0]} {MONTHS[month - 1]} 2022 r." not in text(guardian), "the voided visit is still on the card")
        check(f"{days[1]} {MONTHS[month - 1]} 2022 r., 09:00–10:30" in text(guardian), "the corrected visit is not on the card as corrected")
        hours_left_match(guardian)

        step("the NGO voids the other visit after the close, with a reason: MOPS sees the late correction")
        ngo.get(BASE + f"/wpisy/wizyta-{orders[1]}")
        ngo.find_element(By.ID, "uzasadnienie").send_keys("Wizyta rozliczona omyłkowo: uczestnik był w szpitalu.")
        navigating(ngo, ngo.find_element(By.XPATH, "//button[normalize-space()='Anuluj wpis']").click)
        check("Stan\nanulowana" in text(ngo), f"the late void was not accepted: {text(ngo)[:600]}")

        def corrected():
            other.get(BASE + f"/miesiace?edycja=2022&miesiac={key}")
            row = other.find_elements(By.XPATH, f"//table[caption[contains(., 'Stan miesięcy')]]//tr[th[contains(., '{MONTH_NAMES[month - 1].capitalize()}')]]")
            return row and "zamknięty" in row[0].text and "1 (−1 godz. 30 min)" in row[0].text
        wait_for("reporting to count the late correction", corrected)
        late = other.find_element(By.XPATH, "//table[caption[contains(., 'Od najnowszych')]]//tbody/tr[1]").text
        check("unieważniony wpis" in late and "−1 godz. 30 min" in late and "Fundacja Promyk Słońca" in late,
              f"the late correction is not listed: {late}")
        audit(other, "month-with-corrections")

        step("the auditor downloads the month's settlement: the visit as the month closed, the late void left out")
        link = other.find_element(By.XPATH, f"//a[contains(@href, 'rozliczenie.csv') and contains(@href, 'miesiac={key}')]").get_attribute("href")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in other.get_cookies())
        with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies}), timeout=60) as response:
            check("attachment" in response.headers.get("Content-Disposition", ""), "the settlement does not come as a download")
            settlement = response.read().decode("utf-8-sig")
        line = f"Fundacja Promyk Słońca;{ACCOUNTS['opiekun']['participant']};90;1,50;1;"
        check(line in settlement, f"the settlement does not hold the month's visit as it closed: {settlement[:600]}")
    finally:
        for driver in (guardian, phone, phone_keys, ngo, ngo_keys, keyboard, other):
            driver.quit()


def our_assistants():
    """NGO staff register an assistant with skills and a weekly availability, see the assistant's week, and change
    the availability with the keyboard alone; another NGO cannot open the assistant."""
    step("the NGO's assistants: register one, change the week with the keyboard")
    ngo = browser()
    keys = browser(javascript=False)
    other = browser()
    try:
        sign_in(ngo, "organizacja")
        ngo.get(BASE + "/asystenci")
        audit(ngo, "assistants")
        navigating(ngo, ngo.find_element(By.LINK_TEXT, "Zarejestruj asystenta").click)
        audit(ngo, "assistant-new")
        ngo.find_element(By.ID, "od-1").send_keys("8")
        submit(ngo)
        check(ngo.title.startswith("Błąd:") and "Poniedziałek: wpisz obie godziny" in text(ngo), "a half-filled day is not explained")
        audit(ngo, "assistant-new-errors")
        ngo.find_element(By.ID, "umiejetnosci-first-aid").click()
        ngo.find_element(By.ID, "do-1").send_keys("16:00")
        for field, value in [("od-3", "12:00"), ("do-3", "20:00")]:
            ngo.find_element(By.ID, field).send_keys(value)
        submit(ngo)
        check("Asystent zarejestrowany." in text(ngo) and "Brak przydzielonych wizyt" in text(ngo), f"the assistant was not registered: {text(ngo)[:300]}")
        audit(ngo, "assistant")
        page = ngo.current_url.split("?")[0]

        sign_in(keys, "organizacja")
        keys.get(page)
        field = tab_to(keys, by_id("do-3"), limit=80)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys("21:00")
        press(keys, tab_to(keys, by_text("Zapisz zmiany"), limit=40), Keys.ENTER)
        check("Zapisano zmiany." in text(keys), "the change was not saved")
        keys.get(BASE + "/asystenci")
        check("pierwsza pomoc" in text(keys) and "poniedziałek 08:00–16:00; środa 12:00–21:00" in text(keys), f"the list does not show the new week: {text(keys)[:600]}")

        step("the register of assistants: a qualification recorded with the keyboard alone")
        keys.get(page)
        check("Brak wpisu" in text(keys) or "brak wpisu" in text(keys), "the register does not show the missing qualifications")
        kind = tab_to(keys, by_id("kwalifikacja"), limit=120)
        kind.send_keys("kurs")
        focused(keys).send_keys(Keys.TAB, "5.05.2022")
        press(keys, focused(keys), Keys.ENTER)
        check("Data uzyskania nie może być w przyszłości" in text(keys), f"a future date is not refused next to its field: {text(keys)[:400]}")
        ngo.get(page)
        ngo.find_element(By.CSS_SELECTOR, "#kwalifikacja option[value=first-aid]").click()
        ngo.find_element(By.ID, "uzyskano").send_keys("5.05.2022")
        navigating(ngo, ngo.find_element(By.XPATH, "//button[.='Wpisz do rejestru']").click)
        audit(ngo, "assistant-register-errors")
        field = keys.find_element(By.ID, "uzyskano")
        field.clear()
        field.send_keys("5.02.2022", Keys.TAB, "4.02.2024")
        press(keys, focused(keys), Keys.ENTER)
        check("Kwalifikacja wpisana do rejestru." in text(keys), f"the qualification was not recorded: {text(keys)[:400]}")
        row = keys.find_element(By.XPATH, "//th[.='Kurs pierwszej pomocy']/..").text
        check("5 lutego 2022 r." in row and "4 lutego 2024 r." in row and "ważna" in row, f"the register does not show the course: {row}")
        ngo.get(page)
        audit(ngo, "assistant-register")

        sign_in(other, "organizacja2")
        other.get(page)
        check(other.find_element(By.TAG_NAME, "h1").text == "Nie znaleziono strony", "another NGO opened the assistant")
    finally:
        for driver in (ngo, keys, other):
            driver.quit()


def hours_left_match(guardian):
    """The guardian's home: the hours left equal ordering's allowance, the chart says the same."""
    allowance = api("GET", f"{os.environ['ORDERING_URL']}/participants/{ACCOUNTS['opiekun']['participant']}/allowance", admin_token("operator"))
    guardian.get(BASE + "/start")
    left = guardian.find_element(By.XPATH, "//th[contains(., 'Pozostało')]/following-sibling::td").text
    minutes = allowance["remainingMinutes"]
    expected = f"{minutes // 60} godz." if minutes % 60 == 0 else (f"{minutes // 60} godz. {minutes % 60} min" if minutes >= 60 else f"{minutes} min")
    check(left == expected, f"the home page says {left} left, ordering {expected}")
    chart = guardian.find_element(By.CSS_SELECTOR, "svg.chart")
    check(chart.get_attribute("role") == "img" and expected in guardian.find_element(By.ID, "wykres-opis").get_attribute("textContent"),
          "the chart has no text alternative with the figures")


def pesel(year, month, day):
    """A valid PESEL for a birth day (1900–2099), its serial random so reruns never collide."""
    coded_month = month + (20 if year >= 2000 else 0)
    digits = f"{year % 100:02d}{coded_month:02d}{day:02d}{secrets.randbelow(10000):04d}"
    weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    return digits + str((10 - sum(int(d) * w for d, w in zip(digits, weights)) % 10) % 10)


def scans():
    """A PDF, a PNG and a JPEG as a scanner would make them (their first bytes are what counts)."""
    folder = os.path.join(SHOTS, "scans")
    os.makedirs(folder, exist_ok=True)
    files = {"orzeczenie.pdf": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
             "postanowienie.png": bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + b"\x00" * 64,
             "opiekun.jpg": bytes([0xFF, 0xD8, 0xFF, 0xE0]) + b"\x00" * 64, "notatka.txt": b"to nie jest skan\n"}
    for name, content in files.items():
        open(os.path.join(folder, name), "wb").write(content)
    return {name: os.path.join(folder, name) for name in files}


def fill_application(driver, first, last, number, born, incapacitated=False):
    for field, value in [("imie", first), ("nazwisko", last), ("pesel", number), ("urodzenie", born), ("ulica", "ul. Legnicka 12/4"),
                         ("kod", "54-203"), ("telefon", "600 100 200"), ("wydane", "2.02.2021"), ("godziny", "30")]:
        element = driver.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    if incapacitated and not driver.find_element(By.ID, "ubezwlasnowolniony-tak").is_selected():
        driver.find_element(By.ID, "ubezwlasnowolniony-tak").click()
        driver.find_element(By.ID, "opiekun-imie").send_keys("Halina")
        driver.find_element(By.ID, "opiekun-nazwisko").send_keys(last)
        driver.find_element(By.ID, "opiekun-telefon").send_keys("600 100 300")
    driver.find_element(By.ID, "rodzaj-degree").click()
    driver.find_element(By.CSS_SELECTOR, "#stopien option[value=significant]").click()
    for box in ("bezterminowe-tak", "czynnosci-mobility", "czynnosci-culture"):
        if not driver.find_element(By.ID, box).is_selected():
            driver.find_element(By.ID, box).click()


def mops_applications():
    """A coordinator enters two applications with scans, in a browser without JavaScript: the first, for a person
    under guardianship, is refused for the missing guardianship documents (next to the field, in Polish), corrected
    and accepted; eligibility's decision appears on its page. A scan that is no PDF, JPEG or PNG is refused, and the
    same PESEL again leads to the application already there."""
    step("MOPS: applications entered with their scans")
    files = scans()
    driver = browser(javascript=False)
    viewer = browser()
    try:
        sign_in(viewer, "koordynator")
        viewer.get(BASE + "/wnioski/nowy")
        audit(viewer, "application-new")
        submit(viewer)
        audit(viewer, "application-errors")
        sign_in(driver, "koordynator")
        driver.get(BASE + "/wnioski/nowy")
        submit(driver)
        summary = [a.get_attribute("href").split("#")[1] for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")]
        check(summary[:3] == ["imie", "nazwisko", "pesel"], f"an empty application's errors do not start with the person: {summary}")

        first = pesel(1980, 4, 12)
        fill_application(driver, "Tadeusz", "Opiekuńczy", first, "12.04.1980", incapacitated=True)
        driver.find_element(By.ID, "skan-orzeczenia").send_keys(files["orzeczenie.pdf"])
        driver.find_element(By.ID, "skan-karty").send_keys(files["notatka.txt"])
        submit(driver)
        errors = {a.get_attribute("href").split("#")[1]: a.text for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")}
        check("nie jest PDF" in errors.get("skan-karty", ""), f"a text file passed as a scan: {errors}")
        driver.find_element(By.ID, "skan-orzeczenia").send_keys(files["orzeczenie.pdf"])
        submit(driver)
        errors = {a.get_attribute("href").split("#")[1]: a.text for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")}
        check("postanowienie sądu" in errors.get("skan-postanowienia", ""), f"the missing guardianship documents are not named: {errors}")
        check(driver.find_element(By.ID, "pesel").get_attribute("value") == first, "the refused application lost what was typed")
        driver.find_element(By.ID, "skan-orzeczenia").send_keys(files["orzeczenie.pdf"])
        driver.find_element(By.ID, "skan-karty").send_keys(files["orzeczenie.pdf"])
        driver.find_element(By.ID, "skan-postanowienia").send_keys(files["postanowienie.png"])
        driver.find_element(By.ID, "skan-opiekuna").send_keys(files["opiekun.jpg"])
        submit(driver)
        check("/wnioski/" in driver.current_url and "wynik=przyjeto" in driver.current_url, f"the corrected application was not accepted: {text(driver)[:300]}")
        listed = driver.find_element(By.CSS_SELECTOR, "main ul").text
        check(all(kind in listed for kind in ("Kopia orzeczenia", "Karta zgłoszeniowa", "Postanowienie sądu", "Dokument ustanowienia opiekuna")),
              f"the scans are not listed: {listed}")
        accepted = driver.current_url.split("?")[0]
        def decided():
            driver.get(accepted)
            return "jeszcze nie wydana" not in text(driver)
        wait_for("eligibility's decision on the application", decided)
        check("Przyznanie usługi" in text(driver), f"the guardian's application was not granted: {text(driver)[:400]}")
        viewer.get(accepted)
        audit(viewer, "application")

        second = pesel(1975, 11, 3)
        driver.get(BASE + "/wnioski/nowy")
        fill_application(driver, "Irena", "Samodzielna", second, "3.11.1975")
        driver.find_element(By.ID, "skan-orzeczenia").send_keys(files["orzeczenie.pdf"])
        submit(driver)
        check("wynik=przyjeto" in driver.current_url, f"the second application was not accepted: {text(driver)[:300]}")
        second_url = driver.current_url.split("?")[0]
        def waiting():
            driver.get(second_url)
            return "Czeka na dokumenty: karta zgłoszeniowa" in text(driver)
        wait_for("eligibility to ask for the missing application form", waiting)
        driver.find_element(By.CSS_SELECTOR, "#rodzaj-dokumentu option[value=application-form]").click()
        driver.find_element(By.ID, "plik").send_keys(files["orzeczenie.pdf"])
        submit(driver)
        check("Dokument dołączony" in text(driver), f"the missing document was not attached: {text(driver)[:300]}")
        def granted():
            driver.get(second_url)
            return "Przyznanie usługi" in text(driver)
        wait_for("eligibility to decide again with the form attached", granted)
        driver.get(BASE + "/wnioski/nowy")
        fill_application(driver, "Irena", "Samodzielna", second, "3.11.1975")
        submit(driver)
        check(driver.current_url.split("?")[0] == second_url and "złożyła już wniosek" in text(driver),
              "the same PESEL again did not lead to the application already there")
    finally:
        driver.quit()
        viewer.quit()


def a_statutory_grant():
    """Under the statute from April 2027: a coordinator enters an adult's application with the support-needs score
    and its scan (a score without its day and issuer refused next to those fields first); eligibility grants hours a month; the operator confirms with the keyboard alone and prints the
    letter; the participant's home and MOPS's participant page show the grant month by month."""
    step("the statute: the support-needs score, a monthly grant, the hours month by month")
    files = scans()
    driver = browser()
    keys = browser(javascript=False)
    person = browser()
    try:
        sign_in(driver, "koordynator")
        driver.get(BASE + "/wnioski/nowy")
        fill_application(driver, "Marek", "Ustawowy", pesel(1979, 3, 8), "8.03.1979")
        edition = driver.find_element(By.ID, "edycja")
        edition.clear()
        edition.send_keys("ustawa-2027")
        driver.find_element(By.ID, "punkty").send_keys("86")
        driver.find_element(By.ID, "skan-orzeczenia").send_keys(files["orzeczenie.pdf"])
        submit(driver)
        errors = {a.get_attribute("href").split("#")[1]: a.text for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")}
        check("ocena-data" in errors and "ocena-organ" in errors and "punkty" not in errors,
              f"a score without its day and issuer is not refused next to those fields: {errors}")
        check(driver.find_element(By.ID, "punkty").get_attribute("value") == "86", "the refused form lost the score")
        audit(driver, "application-statute-errors")
        driver.find_element(By.ID, "ocena-data").send_keys("20.11.2021")
        driver.find_element(By.ID, "ocena-organ").send_keys("MZON Wrocław")
        for field in ("skan-orzeczenia", "skan-karty", "skan-oceny"):
            driver.find_element(By.ID, field).send_keys(files["orzeczenie.pdf"])
        submit(driver)
        check("wynik=przyjeto" in driver.current_url, f"the statutory application was not accepted: {text(driver)[:300]}")
        check("Ocena poziomu potrzeby wsparcia" in driver.find_element(By.CSS_SELECTOR, "main ul").text, "the assessment's scan is not listed")
        application = driver.current_url.split("?")[0]

        def granted():
            driver.get(application)
            return "Przyznanie usługi" in text(driver)
        wait_for("eligibility's monthly grant under the statute", granted)
        decision = driver.find_element(By.LINK_TEXT, "zobacz decyzję").get_attribute("href")

        sign_in(keys, "operator")
        keys.get(decision)
        page = text(keys)
        check("30 godz. miesięcznie (razem 1800 godz.)" in page and "przyznano 30 h miesięcznie przez 60 mies." in page,
              f"the decision does not say its hours a month and how: {page[:600]}")
        check("od 1 kwietnia 2027 r. do 31 marca 2032 r." in page, "the grant does not run five years from April 2027")
        participant = keys.find_element(By.XPATH, "//dt[.='Identyfikator uczestnika']/following-sibling::dd").text.split(" ")[0]
        tab_to(keys, by_id("uzasadnienie-zatwierdzenia"), limit=80).send_keys("ocena i orzeczenie sprawdzone")
        press(keys, tab_to(keys, by_text("Zatwierdź decyzję")), Keys.ENTER)
        check("Zatwierdzona przez operatora" in text(keys), f"the keyboard could not confirm the decision: {text(keys)[:300]}")
        driver.get(decision)
        audit(driver, "decision-statute")

        code = letter_code(person, participant, "Marek Ustawowy")
        sign_out(person)
        person.get(BASE + "/aktywacja")
        for field, value in [("kod", code), ("login", "marek." + secrets.token_hex(3)), ("haslo", "zielony rower pod lipą"),
                             ("haslo2", "zielony rower pod lipą")]:
            person.find_element(By.ID, field).send_keys(value)
        submit(person)

        def monthly():
            person.get(BASE + "/start")
            return "Godziny miesiąc po miesiącu" in text(person)
        wait_for("ordering's monthly budget on the participant's home", monthly)
        first = person.find_element(By.CSS_SELECTOR, "#godziny-miesieczne ~ div table tbody tr")
        check(first.text.startswith("Kwiecień 2027 30 godz."), f"the first month is not April 2027 with its 30 hours: {first.text}")
        check("przepadają" in text(person) and "31 marca 2032 r." in text(person), "the home page does not say when unused hours lapse")
        audit(person, "home-statute")

        driver.get(BASE + "/uczestnicy?szukaj=" + participant)
        check("Godziny miesiąc po miesiącu" in text(driver), "MOPS's participant page does not show the months")
        audit(driver, "participant-statute")
    finally:
        for each in (driver, keys, person):
            each.quit()


def mops_decisions():
    """An operator reviews eligibility's queue: filters it to refusals, overrides one into a grant with a
    justification (first refused for missing fields), prints that participant's activation letter, and confirms
    the rest of the list at once with the keyboard alone (no JavaScript). The coordinator reads the queue and may
    print letters; the auditor reads the decision and its audit trail with no form to change anything."""
    step("MOPS: the decisions queue")
    driver = browser()
    keyboard = browser(javascript=False)
    try:
        sign_in(driver, "operator")
        driver.get(BASE + "/decyzje")
        counted = re.search(r"Na liście: (\d+)", text(driver))
        total = int(counted.group(1)) if counted else 0
        check(total >= 2, f"the demo's queue holds {total} decisions awaiting review, not at least two")
        audit(driver, "decisions")
        driver.find_element(By.CSS_SELECTOR, "#wynik option[value=rejected]").click()
        submit(driver)
        rows = driver.find_elements(By.CSS_SELECTOR, "table.figures tbody tr")
        check(rows and all("Odmowa" in row.text for row in rows), "the refusals filter shows something other than refusals")
        audit(driver, "decisions-refusals")
        application = rows[0].find_element(By.TAG_NAME, "a").text
        navigating(driver, rows[0].find_element(By.TAG_NAME, "a").click)
        check(driver.find_element(By.TAG_NAME, "h1").text == f"Decyzja w sprawie wniosku {application}", "the decision's page has another heading")
        check("Nikt jeszcze nie zmieniał tej decyzji" in text(driver), "an automatic decision shows an audit trail")
        audit(driver, "decision")
        decision_url = driver.current_url

        step("MOPS: a refusal overridden with a justification")
        driver.find_element(By.ID, "wynik-zmiany-granted").click()
        navigating(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Zmień decyzję']").click)
        summary = [a.get_attribute("href").split("#")[1] for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")]
        check(summary == ["godziny", "uzasadnienie-zmiany"], f"the override's error summary links {summary}")
        check(driver.find_element(By.ID, "wynik-zmiany-granted").is_selected(), "the refused override lost the chosen outcome")
        audit(driver, "decision-override-errors")
        driver.find_element(By.ID, "godziny").send_keys("120")
        driver.find_element(By.CSS_SELECTOR, "#grupa-zmiany option[value=adult-moderate]").click()
        driver.find_element(By.ID, "uzasadnienie-zmiany").send_keys("Odwołanie uwzględnione: nowe orzeczenie w aktach.")
        navigating(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Zmień decyzję']").click)
        check("Decyzja zmieniona" in text(driver), "no notice after the override")
        trail = driver.find_element(By.CSS_SELECTOR, "table.figures tbody").text
        check("Zmiana decyzji" in trail and "nowe orzeczenie w aktach" in trail and ACCOUNTS["operator"]["displayName"] in trail,
              f"the audit trail does not name the override, its justification and the operator: {trail}")
        check("120 godz." in text(driver) and "Przyznanie usługi" in text(driver), "the overridden decision does not show the grant")
        audit(driver, "decision-overridden")

        step("MOPS: the rest of the queue confirmed at once, keyboard only")
        sign_in(keyboard, "operator")
        keyboard.get(BASE + "/decyzje")
        left = int(re.search(r"Na liście: (\d+)", text(keyboard)).group(1))
        check(left == total - 1, f"after one override the queue holds {left}, not {total - 1}")
        press(keyboard, tab_to(keyboard, by_text("Zatwierdź wszystkie"), limit=200), Keys.ENTER)
        check(keyboard.find_element(By.ID, "uzasadnienie").get_attribute("aria-invalid") == "true", "a bulk confirmation without a justification was not refused")
        tab_to(keyboard, by_id("uzasadnienie"), limit=200).send_keys("Dokumenty sprawdzone z kartami zgłoszeniowymi.")
        started = time.monotonic()
        press(keyboard, tab_to(keyboard, by_text("Zatwierdź wszystkie")), Keys.ENTER)
        elapsed = time.monotonic() - started
        check(f"Zatwierdzono {left} decyz" in text(keyboard), f"no notice of {left} decisions confirmed: {text(keyboard)[:300]}")
        check("Na liście: 0 decyzji" in text(keyboard), "the queue is not empty after confirming all of it")
        print(f"  {left} decisions confirmed from the page in {elapsed * 1000:.0f} ms", flush=True)

        step("MOPS: the activation letter from the decision's page")
        driver.get(decision_url)
        navigating(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Przygotuj pismo z kodem aktywacyjnym").click)
        participant = driver.find_element(By.ID, "uczestnik").get_attribute("value")
        check(bool(participant), "the letter form does not carry the decision's participant")
        driver.find_element(By.ID, "nazwa").send_keys("Halina Odwołańska")
        driver.find_element(By.ID, "kto-self").click()
        # Ordering learns the new grant from eligibility's event a moment later.
        letter = []
        def printed():
            submit(driver)
            found = driver.find_elements(By.CSS_SELECTOR, ".letter .code")
            letter.extend(found)
            return bool(found)
        wait_for("ordering to know the overridden grant, so the letter can be printed", printed)
        if letter:
            secrets_seen.update([letter[0].text, letter[0].text.replace("-", "")])

        step("MOPS: the coordinator and the auditor read, and change nothing")
        sign_out(driver)
        for login in ["koordynator", "audytor"]:
            sign_in(driver, login)
            driver.get(BASE + "/decyzje?stan=wszystkie")
            check("Zatwierdź wszystkie" not in text(driver), f"{login} is offered the bulk confirmation")
            driver.get(decision_url)
            check(not driver.find_elements(By.CSS_SELECTOR, "main form"), f"{login} sees a form on the decision's page")
            check("Zmiana decyzji" in text(driver), f"{login} does not see the audit trail")
            check(bool(driver.find_elements(By.PARTIAL_LINK_TEXT, "Przygotuj pismo")) == (login == "koordynator"),
                  f"{login}: the letter link is shown to the wrong role")
            audit(driver, f"decision-{login}")
            sign_out(driver)
    finally:
        driver.quit()
        keyboard.quit()


def figure(text):
    """A figure as the page writes it ("1 234,50 zł", "89,00") as a number."""
    return float(re.sub(r"[^0-9,\-−]", "", text).replace(",", ".").replace("−", "-") or 0)


MONTH_NAMES = ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień"]


def mops_reports():
    """The operator reads the edition's report (five SVG charts, each with a text alternative and its table) and
    downloads the XLSX through the portal; LibreOffice reads the workbook back and its hours per month and per NGO
    equal the page's. The auditor reads the same page; a coordinator is denied it."""
    step("MOPS: the edition's report and its workbook")
    driver = browser()
    try:
        sign_in(driver, "operator")
        driver.get(BASE + "/raporty")
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.bar-chart")
        check(len(charts) == 5, f"the report has {len(charts)} charts, not 5")
        for chart in charts:
            described = chart.find_element(By.TAG_NAME, "desc").get_attribute("textContent")
            check(chart.get_attribute("role") == "img" and ":" in described, "a chart has no text alternative with its figures")
        audit(driver, "report")
        page = {}
        for section in ("godziny-miesiace", "godziny-organizacje"):
            for row in driver.find_elements(By.CSS_SELECTOR, f"section[aria-labelledby={section}] tbody tr"):
                head = row.find_element(By.TAG_NAME, "th").text
                page[(section, head)] = figure(row.find_elements(By.TAG_NAME, "td")[0].text)
        link = driver.find_element(By.PARTIAL_LINK_TEXT, "Arkusz XLSX").get_attribute("href")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
        with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies}), timeout=60) as response:
            check("attachment" in response.headers.get("Content-Disposition", ""), "the workbook does not come as a download")
            workbook = response.read()
        folder = os.path.join(SHOTS, "workbook")
        os.makedirs(folder, exist_ok=True)
        open(os.path.join(folder, "sprawozdanie.xlsx"), "wb").write(workbook)
        # One CSV per sheet (the 12th token -1), UTF-8, ';', raw cell values.
        subprocess.run(["soffice", "-env:UserInstallation=file://" + os.path.join(folder, "profile"), "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):59,34,76,1,,1033,false,true,false,false,false,-1", "--outdir", folder,
                        os.path.join(folder, "sprawozdanie.xlsx")], check=True, capture_output=True, timeout=180)
        read = {}
        for sheet, section in (("Godziny wg miesięcy", "godziny-miesiace"), ("Godziny wg organizacji", "godziny-organizacje")):
            with open(os.path.join(folder, f"sprawozdanie-{sheet}.csv"), encoding="utf-8-sig", newline="") as file:
                rows = list(csv.reader(file, delimiter=";"))
            for cells in rows[1:]:
                if section == "godziny-miesiace":
                    month = cells[0] if cells[0] == "Razem" else f"{MONTH_NAMES[int(cells[0][5:7]) - 1]} {cells[0][:4]}"
                    read[(section, month)] = float(cells[2])
                else:
                    read[(section, cells[0])] = float(cells[3])
        if check(page and read == page, f"the workbook's hours differ from the page's: {sorted(set(read.items()) ^ set(page.items()))[:6]}"):
            print(f"  {len(read)} figures of the workbook, read back with LibreOffice, equal the page's", flush=True)
        sign_out(driver)
        sign_in(driver, "audytor")
        driver.get(BASE + "/raporty")
        check(len(driver.find_elements(By.CSS_SELECTOR, "svg.bar-chart")) == 5, "the auditor does not see the report")
        sign_out(driver)
        sign_in(driver, "koordynator")
        driver.get(BASE + "/raporty")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Brak dostępu", "a coordinator reached the report")
        sign_out(driver)
    finally:
        driver.quit()


def mops_assignments():
    """A coordinator, with the keyboard alone and no JavaScript, finds the participant, orders a visit for them (a
    missing place refused in Polish first), reads ordering's suggestions with their reasons, looks at the first
    assistant's week (the order drawn where it would go, nothing overlapping) and assigns them; ordering holds the
    assignment. A second order placed from the page is cancelled from its page. An auditor reads the participant's
    hours and nothing else."""
    step("MOPS: a visit ordered for a participant and assigned from a suggestion, keyboard only")
    coordinator = admin_token("coordinator")
    participant = ACCOUNTS["uczestnik"]["participant"]
    driver = browser(javascript=False)
    viewer = browser()
    try:
        sign_in(driver, "koordynator")
        driver.get(BASE + "/uczestnicy")
        tab_to(driver, by_id("szukaj")).send_keys(participant, Keys.ENTER)
        WebDriverWait(driver, 30).until(lambda d: "szukaj=" in d.current_url)
        check("Przyznane godziny" in text(driver), f"the participant's page lacks the grant: {text(driver)[:400]}")
        press(driver, tab_to(driver, by_text("Zamów usługę dla uczestnika"), limit=80), Keys.ENTER)
        check(driver.find_element(By.TAG_NAME, "h1").text == f"Zamów usługę dla uczestnika {participant}", "Enter did not open the order form")
        tab_to(driver, by_id("data"), limit=60).send_keys("6.05.2022")
        for field, value in [("od", "16:00"), ("do", "17:30"), ("rodzaj", "kult")]:
            focused(driver).send_keys(Keys.TAB)
            check(focused(driver).get_attribute("id") == field, f"Tab does not go to {field}")
            focused(driver).send_keys(value)
        place = tab_to(driver, by_id("miejsce"))
        place.send_keys(Keys.CONTROL, "a")
        place.send_keys(Keys.DELETE)
        press(driver, tab_to(driver, by_text("Zamów"), limit=60), Keys.ENTER)
        check(driver.title.startswith("Błąd:") and "Wpisz, gdzie asystent ma przyjść" in text(driver), "an order without a place is not refused")
        check(driver.find_element(By.ID, "od").get_attribute("value") == "16:00", "the refused form lost what was typed")
        tab_to(driver, by_id("miejsce"), limit=60).send_keys("Filharmonia, pl. Wolności 1, Wrocław")
        press(driver, tab_to(driver, by_text("Zamów"), limit=60), Keys.ENTER)
        check("Zamówienie przyjęte" in text(driver), f"the order was not placed: {text(driver)[:300]}")
        order = driver.current_url.split("/przydzielanie/")[1].split("?")[0]
        placed = api("GET", f"{os.environ['ORDERING_URL']}/orders/{order}", coordinator)
        check(placed["participantID"] == participant and placed["start"] == "16:00" and placed["place"].startswith("Filharmonia"),
              f"ordering holds another order: {placed}")
        reasons = driver.find_elements(By.CSS_SELECTOR, ".cards .card")
        check(reasons and all("W dobie wokół wizyty" in card.text for card in reasons), "a suggestion comes without its reason")
        chosen = reasons[0].find_element(By.CSS_SELECTOR, "input[name=asystent]").get_attribute("value") if reasons else None

        step("MOPS: the suggested assistant's week, with the order where it would go")
        press(driver, tab_to(driver, by_text("Tydzień asystenta"), limit=80), Keys.ENTER)
        check(driver.find_element(By.TAG_NAME, "h1").text.startswith("Tydzień asystenta:"), "Enter did not open the assistant's week")
        check("Żadne wizyty tego tygodnia nie nakładają się" in text(driver), f"the suggested assistant's week shows an overlap: {text(driver)[:500]}")
        row = driver.find_element(By.XPATH, "//tr[td[contains(., '16:00–17:30')]]").text
        check("zamówienie, które przydzielasz; mieści się" in row, f"the week does not show the order fitting: {row}")
        check(driver.find_elements(By.CSS_SELECTOR, "svg.week-grid rect[stroke-dasharray='8 5']"), "the grid does not draw the order")
        viewer_url = driver.current_url
        press(driver, tab_to(driver, by_text("Wróć do przydzielania tego zamówienia"), limit=40), Keys.ENTER)
        press(driver, tab_to(driver, lambda e: e.tag_name == "button" and "Przydziel" in (e.get_attribute("textContent") or ""), limit=80), Keys.ENTER)
        check("Asystent przydzielony" in text(driver), f"no notice after assigning: {text(driver)[:200]}")
        assigned = api("GET", f"{os.environ['ORDERING_URL']}/orders/{order}", coordinator)
        check(assigned["status"] == "assigned" and assigned["assistantID"] == chosen, "ordering does not hold the suggested assistant")

        sign_in(viewer, "koordynator")
        viewer.get(BASE + "/przydzielanie?tydzien=2.05.2022")
        audit(viewer, "assignments")
        viewer.get(viewer_url)
        audit(viewer, "assistant-week")
        viewer.get(BASE + "/przydzielanie/" + order)
        check("tydzień asystenta" in text(viewer), "the assigned order does not link the assistant's week")
        viewer.find_element(By.PARTIAL_LINK_TEXT, "tydzień asystenta").click()
        row = viewer.find_element(By.XPATH, "//tr[td[contains(., '16:00–17:30')]]").text
        check("—" in row and "przydzielasz" not in row, f"the assigned visit is not in the assistant's week: {row}")
        viewer.get(BASE + f"/uczestnicy/{participant}/zamowienie")
        audit(viewer, "order-new-for-participant")

        step("MOPS: a second order cancelled from its page")
        viewer.find_element(By.ID, "data").send_keys("7.05.2022")
        viewer.find_element(By.ID, "od").send_keys("10:00")
        viewer.find_element(By.ID, "do").send_keys("11:00")
        viewer.find_element(By.ID, "rodzaj").send_keys("sprawy")
        submit(viewer)
        second = viewer.current_url.split("/przydzielanie/")[1].split("?")[0]
        audit(viewer, "assignment-suggestions")
        driver.get(BASE + "/przydzielanie/" + second)
        press(driver, tab_to(driver, by_text("Anuluj zamówienie"), limit=80), Keys.ENTER)
        check("Zamówienie anulowane" in text(driver) and "Anuluj zamówienie" not in text(driver), f"the order was not cancelled: {text(driver)[:300]}")
        cancelled = api("GET", f"{os.environ['ORDERING_URL']}/orders/{second}", coordinator)
        check(cancelled["status"] == "cancelled", f"ordering holds the order as {cancelled['status']}")
        driver.get(BASE + "/uczestnicy?szukaj=nie-ma-takiego")
        check("Nie ma wniosku ani uczestnika" in text(driver), "an unknown number is not refused in Polish")
        viewer.get(BASE + "/uczestnicy?szukaj=" + participant)
        audit(viewer, "participant-found")

        step("MOPS: an auditor reads the participant's hours, not their orders")
        sign_in(viewer, "audytor")
        viewer.get(BASE + "/uczestnicy?szukaj=" + participant)
        check("Przyznane godziny" in text(viewer) and "Zamówienia" not in text(viewer) and "Zamów" not in text(viewer),
              f"the auditor's view of the participant: {text(viewer)[:400]}")
        audit(viewer, "participant-auditor")
        viewer.get(BASE + f"/uczestnicy/{participant}/zamowienie")
        check(viewer.find_element(By.TAG_NAME, "h1").text == "Brak dostępu", "an auditor reached the order form")
    finally:
        viewer.quit()
        driver.quit()


def mops_operations():
    """A record no consumer can read reaches timesheet's submissions topic (kcat, as an NGO's broken client
    would send it): the operator sees it on the operations page with its reason and payload, and replays it with
    the keyboard alone (no JavaScript); unfixed, it comes back as a new dead letter. A coordinator is denied the page."""
    step("MOPS: a dead letter seen and replayed")
    garbage = '{"specversion": "1.0", "id": "walk-' + secrets.token_hex(4) + '", '
    subprocess.run(["kcat", "-P", "-b", os.environ["KAFKA"], "-t", "asysta.timesheet.submissions", "-k", "walk-broken-client"],
                   input=garbage.encode(), check=True, timeout=30)
    driver = browser()
    keyboard = browser(javascript=False)
    try:
        sign_in(driver, "operator")
        def listed():
            driver.get(BASE + "/operacje")
            return garbage in driver.page_source.replace("&quot;", '"')
        wait_for("timesheet to dead-letter the broken record", listed)
        section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=usluga-timesheet]")
        check("malformed-json" in section.text, f"the dead letter does not show its reason: {section.text[:300]}")
        check(all("Stan: działa" in s.text for s in driver.find_elements(By.CSS_SELECTOR, "main section")), "a service is not shown healthy")
        check("do przetworzenia -" not in text(driver), "a consumer's lag is shown below zero")
        audit(driver, "operations")
        before = {e.get_attribute("id") for e in section.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")}

        sign_in(keyboard, "operator")
        keyboard.get(BASE + "/operacje")
        box = tab_to(keyboard, lambda e: e.get_attribute("type") == "checkbox" and e.get_attribute("id").startswith("timesheet-"), limit=200)
        box.send_keys(Keys.SPACE)
        check(box.is_selected(), "Space did not tick the dead letter")
        replayed = box.get_attribute("id")
        press(keyboard, tab_to(keyboard, by_text("Wyślij ponownie zaznaczone")), Keys.ENTER)
        check("Wysłano ponownie: 1" in text(keyboard), f"no notice of the replay: {text(keyboard)[:300]}")
        def back_again():
            driver.get(BASE + "/operacje")
            now = {e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=usluga-timesheet] input[type=checkbox]")}
            return replayed not in now and len(now - before) == 1
        wait_for("the replayed, still broken record to come back as a new dead letter", back_again)

        step("MOPS: an NGO's signing key issued, its secret shown once")
        driver.get(BASE + "/klucze")
        audit(driver, "signing-keys")
        navigating(driver, driver.find_elements(By.CSS_SELECTOR, "main form.inline button")[0].click)
        codes = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".panel .code")]
        check(len(codes) == 2 and re.fullmatch(r"[0-9a-f]{64}", codes[1] or ""), f"no new key with its secret: {codes}")
        secrets_seen.update(codes[1:])
        audit(driver, "signing-key-issued")
        sign_out(driver)
        sign_in(driver, "koordynator")
        driver.get(BASE + "/operacje")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Brak dostępu" and garbage not in driver.page_source,
              "a coordinator reached the operations page")
    finally:
        driver.quit()
        keyboard.quit()


def no_secret_in_logs():
    """The logs of the portal, the five services, PostgreSQL and the broker hold none of what the walk typed or was given."""
    step("no password, code or token in any log")
    secrets_seen.add("zielony rower pod lipą")
    # run.log is scripts/run's own output, which prints the demo's passwords to the person who started it.
    logs = [os.path.join(os.environ["LOGS"], name) for name in os.listdir(os.environ["LOGS"]) if name.endswith(".log") and name != "run.log"]
    check(any(name.endswith("portal.log") for name in logs), "the portal's log was not found")
    for path in logs:
        content = open(path, encoding="utf-8", errors="replace").read()
        for secret in secrets_seen:
            check(secret not in content, f"{os.path.basename(path)} holds a secret the walk used ({secret[:3]}…)")
    print(f"  {len(secrets_seen)} secrets looked for in {len(logs)} logs", flush=True)


# WALKS=a_month_on_the_card,no_secret_in_logs runs only those (while working on one page).
chosen = os.environ.get("WALKS", "").split(",")
for walk in (every_page, keyboard_only, orders_and_visits, a_month_on_the_card, our_assistants, mops_applications, a_statutory_grant, mops_decisions, mops_reports, mops_assignments, mops_operations, no_secret_in_logs):
    if chosen != [""] and walk.__name__ not in chosen:
        continue
    try:
        walk()
    except Exception:
        failures.append(f"{walk.__name__} stopped: {traceback.format_exc()}")
        print(traceback.format_exc(), flush=True)

print(f"\n{len(pages_checked)} page states checked with axe (WCAG 2.1 A and AA), screenshots in {SHOTS}")
print(f"{sum(1 for p in pages_checked if p[2] == 0)} with zero violations")
if failures:
    print(f"{len(failures)} failure(s):\n" + "\n".join("  - " + f.splitlines()[0] for f in failures))
    sys.exit(1)
