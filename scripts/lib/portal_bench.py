"""Measures the portal for scripts/bench-portal: signs in 32 sessions (the demo's
accounts, round robin), then for each page runs wrk with 32 connections, every
request carrying one of the sessions' cookies, and prints p50/p99 and requests
per second; then the portal's resident memory after the load and at idle, and
its start-up time (from the log: process start to "Server started").

Then an assistant's save → answer, as they live it: 200 visits recorded one after
another through the visit page (the POST, timesheet's answer, the page it lands on),
each timed from the submit to the answer on the page.

usage: portal_bench.py <portal URL> <accounts.json> <seconds> <portal pid> <portal log> <asysta-admin> <ordering URL>
"""
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

base, accounts_file, seconds, pid, log, admin, ordering = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
accounts = json.load(open(accounts_file))["accounts"]


def signed_in(account):
    """An opener holding a signed-in session of `account`, and its cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/logowanie").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "login": account["login"], "haslo": account["password"], "dalej": "/start"}).encode()
    opener.open(base + "/logowanie", form).read()
    return opener, next(c.value for c in jar if c.name in ("asysta", "__Host-asysta"))


def session(account):
    return signed_in(account)[1]


def cookies_for(login, count=32):
    account = next(a for a in accounts if a["login"] == login)
    return [session(account) for _ in range(count)]


LUA = """
local cookies = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, {["Cookie"] = "asysta=" .. cookies[(n %% #cookies) + 1]})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f\\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
"""


def measure(path, cookies):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ",".join('"%s"' % c for c in cookies))
    output = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", script.name, base + path],
                            capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    requests, errors, p50, p99, rate = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", output).groups()
    return int(requests), int(errors), float(p50), float(p99), float(rate)


def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


idle_before = rss()
pages = [
    ("/logowanie", "sign-in page, anonymous", None),
    ("/deklaracja-dostepnosci", "accessibility statement", "operator"),
    ("/kody-aktywacyjne", "letter form (no service call)", "operator"),
    ("/start", "participant's home (ordering ×2, timesheet ×2)", "uczestnik"),
    ("/start", "operator's home (eligibility + ordering)", "operator"),
    ("/start", "NGO staff's home (ordering: NGOs, assistants)", "organizacja"),
    ("/karta?miesiac=2022-05", "monthly card (timesheet + ordering)", "opiekun"),
    ("/wpisy", "NGO's entries and answers (timesheet + ordering)", "organizacja"),
    ("/wizyty", "assistant's visits (ordering)", "asystent"),
]
print(f"portal, wrk -t2 -c32 -d{seconds}s, 32 signed-in sessions per page\n")
print(f"{'page':52} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
for path, label, login in pages:
    cookies = cookies_for(login) if login else ["none"]
    requests, errors, p50, p99, rate = measure(path, cookies)
    print(f"{label + ' ' + path:52} {rate:8.0f} {p50:8.2f} {p99:8.2f} {errors:7}", flush=True)
peak = rss()
time.sleep(5)
print(f"\nresident memory: {idle_before:.1f} MiB idle before the load, {peak:.1f} MiB after it")
started = [json.loads(line) for line in open(log) if line.startswith("{")]
first, ready = started[0]["time"], next(l["time"] for l in started if "Server started" in l["message"])
def seconds_of(t):
    return time.mktime(time.strptime(t[:19], "%Y-%m-%dT%H:%M:%S")) + float("0." + t[20:23])
print(f"start-up (first log line to listening, migrations and the seed accounts included): {seconds_of(ready) - seconds_of(first):.2f} s")


def api(method, url, token, body=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


# 200 half-hour visits of the participant, two a day from 5 May, assigned to the demo assistant.
submissions = 200
coordinator = subprocess.run([admin, "token", "--role", "coordinator"], capture_output=True, text=True, check=True).stdout.strip()
participant = next(a for a in accounts if a["login"] == "uczestnik")["participant"]
assistant = next(a for a in accounts if a["login"] == "asystent")
first_day = time.mktime((2022, 5, 5, 12, 0, 0, 0, 0, -1))
orders = []
for n in range(submissions):
    day = time.strftime("%Y-%m-%d", time.localtime(first_day + (n // 2) * 86400))
    start = "08:00" if n % 2 == 0 else "10:00"
    order = api("POST", f"{ordering}/orders", coordinator, {
        "participantID": participant, "date": day, "start": start, "end": start[:2] + ":30", "activity": "errands",
        "place": "ul. Legnicka 12, Wrocław", "requiredSkills": []})
    api("POST", f"{ordering}/orders/{order['orderID']}/assignment", coordinator, {"providerID": assistant["provider"], "assistantID": assistant["assistant"]})
    orders.append((order["orderID"], start, start[:2] + ":30"))
opener, _ = signed_in(assistant)
latencies, unanswered = [], 0
for order_id, start, end in orders:
    page = opener.open(f"{base}/wizyty/{order_id}").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "od": start, "do": end, "rodzaj": "errands", "dojazd": "0", "bilety": "0", "ochrona": "0"})
    started = time.monotonic()
    answer = opener.open(f"{base}/wizyty/{order_id}", form.encode()).read().decode()
    latencies.append((time.monotonic() - started) * 1000)
    unanswered += "Przyjęta:" not in answer
latencies.sort()
def percentile(p):
    return latencies[min(len(latencies) - 1, int(round(p / 100 * len(latencies) + 0.5)) - 1)]
print(f"\nassistant's save → answer on the page, {submissions} visits one after another: "
      f"p50 {percentile(50):.0f} ms, p99 {percentile(99):.0f} ms, max {latencies[-1]:.0f} ms; without the answer on the page: {unanswered}")
