"""An NGO integrator's first day, with clients openapi-python-client generated from
the documents the services serve (scripts/api-tests makes them): a coordinator
places and assigns an order in ordering, the NGO gets a key, signs and submits an
entry to timesheet over HTTPS, and reads its answer in the entry's history.

Environment: ORDERING_URL, TIMESHEET_URL, the tokens COORDINATOR_TOKEN,
OPERATOR_TOKEN and PROVIDER_TOKEN (of PROVIDER), PARTICIPANT (with a grant) and
ASSISTANT (of PROVIDER); the generated packages ordering_client and
timesheet_client on PYTHONPATH.
"""
import datetime
import hashlib
import hmac
import os
import sys
import time
import uuid
from zoneinfo import ZoneInfo

import httpx
from ordering_client import AuthenticatedClient as OrderingClient
from ordering_client.api.orders import assign_order, place_order
from ordering_client.models import Assignment, Order, PlaceOrder
from ordering_client.models.activity import Activity
from timesheet_client import AuthenticatedClient as TimesheetClient
from timesheet_client.api.ngo import submit_entry
from timesheet_client.api.operator import get_entry_history, register_signing_key
from timesheet_client.models import SigningKey, SubmissionQueued, TimesheetEntrySubmitted, TimesheetEntrySubmittedDataV1
from timesheet_client.models.common_activity_category import CommonActivityCategory
from timesheet_client.models.timesheet_entry_submitted_data_v1_action import TimesheetEntrySubmittedDataV1Action

env = os.environ
provider, participant, assistant = env["PROVIDER"], env["PARTICIPANT"], env["ASSISTANT"]
warsaw = ZoneInfo("Europe/Warsaw")


def expect(condition, message):
    if not condition:
        sys.exit(f"generated client: {message}")


# A coordinator orders an hour on a July afternoon and assigns the NGO's assistant.
ordering = OrderingClient(base_url=env["ORDERING_URL"], token=env["COORDINATOR_TOKEN"], raise_on_unexpected_status=True)
day = datetime.date(2022, 7, 14)
placed = place_order.sync_detailed(client=ordering, body=PlaceOrder(
    participant_id=participant, date=day.isoformat(), start="15:00", end="16:00", activity=Activity.MOBILITY, place="ul. Strzegomska 6, Wrocław"))
expect(placed.status_code == 201 and isinstance(placed.parsed, Order), f"placing the order: {placed.status_code} {placed.content!r}")
order = placed.parsed
assigned = assign_order.sync_detailed(client=ordering, order_id=order.order_id, body=Assignment(provider_id=provider, assistant_id=assistant))
expect(assigned.status_code == 200, f"assigning the order: {assigned.status_code} {assigned.content!r}")

# MOPS gives the NGO a key; the NGO builds its entry with the generated model.
timesheet_operator = TimesheetClient(base_url=env["TIMESHEET_URL"], token=env["OPERATOR_TOKEN"], raise_on_unexpected_status=True)
key = register_signing_key.sync(client=timesheet_operator, provider_id=provider)
expect(isinstance(key, SigningKey), f"issuing a key: {key!r}")
entry_id = f"GEN/{uuid.uuid4().hex[:12]}"
ngo = TimesheetClient(base_url=env["TIMESHEET_URL"], token=env["PROVIDER_TOKEN"], raise_on_unexpected_status=True)


def submit(sequence):
    """One version of the entry, built with the generated model and signed over the exact
    bytes the client sends: the JSON httpx makes of the model."""
    entry = TimesheetEntrySubmitted(
        specversion="1.0", id=str(uuid.uuid4()), source=f"/providers/{provider}", type_="asysta.timesheet.TimesheetEntrySubmitted.v1",
        time=datetime.datetime.now(datetime.timezone.utc),
        data=TimesheetEntrySubmittedDataV1(
            provider_id=provider, entry_id=entry_id, sequence=sequence, action=TimesheetEntrySubmittedDataV1Action.SUBMIT,
            assistant_id=assistant, order_id=order.order_id, participant_id=participant,
            start=datetime.datetime(2022, 7, 14, 15, 0, tzinfo=warsaw), end=datetime.datetime(2022, 7, 14, 16, 0, tzinfo=warsaw),
            activity=CommonActivityCategory.MOBILITY))
    sent = httpx.Request("POST", env["TIMESHEET_URL"], json=entry.to_dict()).content
    signature = hmac.new(bytes.fromhex(key.secret_hex), sent, hashlib.sha256).hexdigest()
    queued = submit_entry.sync_detailed(client=ngo, body=entry, asysta_signature=f"keyId={key.key_id},alg=hmac-sha256,sig={signature}")
    expect(queued.status_code == 202 and isinstance(queued.parsed, SubmissionQueued), f"submitting: {queued.status_code} {queued.content!r}")


def answer(sequence):
    """The answer to that version, from the entry's history (None until there is one)."""
    for _ in range(120):
        history = get_entry_history.sync_detailed(client=ngo, provider_id=provider, entry_id=entry_id)
        versions = [v for v in (history.parsed.versions if history.status_code == 200 and history.parsed else []) if v.sequence == sequence]
        if versions and versions[-1].outcome:
            return versions[-1], history.content
        time.sleep(0.5)
    sys.exit(f"generated client: entry {entry_id} version {sequence} was not answered within a minute")


# Timesheet learns the order and then its assignment from ordering's events a moment
# later; an NGO told `unknown-order` or `order-not-assigned-to-sender` that soon sends
# the entry again with the next sequence, as the guide says.
for sequence in range(1, 31):
    submit(sequence)
    version, content = answer(sequence)
    if version.code in ("unknown-order", "order-not-assigned-to-sender"):
        time.sleep(1)
        continue
    expect(str(version.outcome.value) == "accepted" and version.minutes == 60, f"the answer: {content!r}")
    print(f"generated client: order {order.order_id} placed and assigned, entry {entry_id} submitted (version {sequence}) and accepted for {version.minutes} minutes")
    sys.exit(0)
sys.exit(f"generated client: timesheet never learned order {order.order_id}")
