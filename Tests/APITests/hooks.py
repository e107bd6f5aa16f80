"""Schemathesis hooks for scripts/api-tests: ids that exist in the demo edition,
so generated requests get past "no such participant" and the stateful links
(place an order → assign it → rate or cancel it) reach the services' real rules.
Only the ids are replaced; everything else stays as schemathesis made it.

Environment: ASYSTA_API_PARTICIPANTS (granted participants, space-separated),
ASYSTA_API_PROVIDER and ASYSTA_API_ASSISTANTS (that NGO's assistants).
"""
import datetime
import os
import zlib

import schemathesis

PARTICIPANTS = os.environ.get("ASYSTA_API_PARTICIPANTS", "").split()
PROVIDER = os.environ.get("ASYSTA_API_PROVIDER", "")
ASSISTANTS = os.environ.get("ASYSTA_API_ASSISTANTS", "").split()


def pick(choices, body):
    """The same choice for the same body, so a failure replays."""
    return choices[zlib.crc32(repr(sorted(body.items(), key=str)).encode()) % len(choices)]


def is_id(value):
    return isinstance(value, str) and 0 < len(value) <= 128


def is_date(value):
    try:
        datetime.date.fromisoformat(value)
        return isinstance(value, str) and len(value) == 10
    except (TypeError, ValueError):
        return False


@schemathesis.hook
def map_body(ctx, body):
    """Swaps in real ids only where the drawn value was a valid one, so a negative
    case (a wrong type, a bad date) stays as wrong as schemathesis made it."""
    operation = ctx.operation
    if not isinstance(body, dict):
        return body
    if operation.method.upper() == "POST" and operation.path == "/orders" and PARTICIPANTS:
        if is_id(body.get("participantID")):
            body["participantID"] = pick(PARTICIPANTS, body)
        if is_date(body.get("date")):
            # A day of the 2022 edition after the grants start.
            body["date"] = f"2022-{7 + zlib.crc32(body['date'].encode()) % 5:02d}-{1 + zlib.crc32(str(body.get('place')).encode()) % 28:02d}"
    if operation.method.upper() == "POST" and operation.path == "/orders/{orderID}/assignment" and ASSISTANTS:
        if is_id(body.get("providerID")):
            body["providerID"] = PROVIDER
        if is_id(body.get("assistantID")):
            body["assistantID"] = pick(ASSISTANTS, body)
    return body
