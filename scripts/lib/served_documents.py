"""Loads API documents from their URLs alone, as a tool outside the project would,
and fails on any $ref that does not resolve: to a JSON pointer inside the
document, or to a file fetched relative to the document's URL.

  python3 scripts/lib/served_documents.py URL...
"""
import sys
import urllib.parse
import urllib.request

import yaml
from openapi_spec_validator import validate as validate_openapi


def fetch(url, cache):
    if url not in cache:
        with urllib.request.urlopen(url, timeout=10) as response:
            cache[url] = yaml.safe_load(response.read().decode("utf-8"))
    return cache[url]


def pointer(document, fragment):
    node = document
    for part in fragment.lstrip("/").split("/") if fragment.strip("/") else []:
        part = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def problems(url):
    cache, found, seen, queue = {}, [], set(), [(url, "")]
    while queue:
        base, fragment = queue.pop()
        if (base, fragment) in seen:
            continue
        seen.add((base, fragment))
        try:
            node = pointer(fetch(base, cache), fragment)
        except Exception as error:  # unreachable URL, bad pointer
            found.append(f"{base}#{fragment}: {type(error).__name__}: {error}")
            continue
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                ref = item.get("$ref")
                if isinstance(ref, str):
                    target, _, part = urllib.parse.urljoin(base, ref).partition("#")
                    if urllib.parse.urlparse(target).scheme not in ("http", "https"):
                        found.append(f"{url}: $ref {ref} cannot be fetched from the document's URL")
                    else:
                        queue.append((target, part))
                stack.extend(value for key, value in item.items() if key != "$ref")
    document = cache.get(url)
    if isinstance(document, dict) and "openapi" in document:
        try:
            validate_openapi(document, base_uri=url)
        except Exception as error:
            found.append(f"{url}: not valid OpenAPI: {str(error).splitlines()[0]}")
    return found


def main():
    failures = 0
    for url in sys.argv[1:]:
        found = problems(url)
        failures += len(found)
        for problem in found:
            print(f"FAIL {problem}")
        print(f"{url}: {'every reference resolves' if not found else f'{len(found)} problems'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
