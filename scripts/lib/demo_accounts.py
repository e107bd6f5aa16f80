"""Prints the portal's demo accounts (accounts.seed_file) for scripts/run: one
person per role, the participant and the guardian bound to two granted
participants of the demo edition, the NGO staff and the assistant to an NGO
of the demo and one of its assistants; and, so that pages can be seen to keep
people apart, a second assistant of that NGO and staff of another NGO.
Passwords are random, made once per machine; scripts/run prints them.

usage: demo_accounts.py <asysta-admin> <eligibility URL> <ordering URL>
"""
import json
import secrets
import subprocess
import sys
import urllib.request

admin, eligibility, ordering = sys.argv[1:4]
NGO = "fundacja-promyk-slonca"


def get(url):
    token = subprocess.run([admin, "token", "--role", "operator"], check=True, capture_output=True, text=True).stdout.strip()
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


granted = [d["participantID"] for d in get(eligibility + "/decisions?limit=1000")["decisions"] if d.get("grantID")]
assistants = [a["assistantID"] for a in get(f"{ordering}/providers/{NGO}/assistants")]
other_ngo = next((p["providerID"] for p in get(f"{ordering}/providers") if p["providerID"] != NGO), None)
if len(granted) < 2 or len(assistants) < 2 or not other_ngo:
    sys.exit("the demo edition has fewer than two granted participants, fewer than two assistants of " + NGO + " or no other NGO")


def account(label, login, name, role, **bindings):
    return {"label": label, "login": login, "password": secrets.token_urlsafe(12), "displayName": name, "role": role, **bindings}


print(json.dumps({"accounts": [
    account("operator", "operator", "Ewa Nowak", "operator"),
    account("coordinator", "koordynator", "Piotr Zieliński", "coordinator"),
    account("auditor", "audytor", "Marta Wójcik", "auditor"),
    account("NGO staff", "organizacja", "Tomasz Lewandowski", "provider", provider=NGO),
    account("assistant", "asystent", "Katarzyna Mazur", "assistant", provider=NGO, assistant=assistants[0]),
    account("participant", "uczestnik", "Jan Kowalski", "participant", participant=granted[0], actsAs="self"),
    account("guardian", "opiekun", "Maria Kowalska", "participant", participant=granted[1], actsAs="guardian"),
    account("another assistant of the NGO", "asystentka", "Anna Wiśniewska", "assistant", provider=NGO, assistant=assistants[1]),
    account("staff of another NGO", "organizacja2", "Paweł Kamiński", "provider", provider=other_ngo),
]}, indent=2, ensure_ascii=False))
