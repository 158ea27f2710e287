#!/usr/bin/env python3
"""An example docgate plugin in Python (docs/plugins.md).

{% shout text %} renders TEXT!, a Markdown line that starts with "!! " becomes
bold capitals, a check reports FIXME as an error, and `docgate shout WORDS`
prints the words in capitals.

    [plugins.shout]
    command = "python3 /path/to/shout.py"
"""
import json
import sys


def main():
    hook = sys.argv[1] if len(sys.argv) > 1 else ""
    if hook == "command":
        print(" ".join(sys.argv[2:]).upper())
        return 0
    request = json.load(sys.stdin)
    if hook == "supports":
        reply = {"protocol": 1, "hooks": ["preprocess", "tag", "check"], "tags": ["shout"]}
    elif hook == "tag":
        reply = {"text": request["args"].strip().upper() + "!"}
    elif hook == "preprocess":
        lines = []
        for line in request["markdown"].split("\n"):
            if line.startswith("!! "):
                line = "**" + line[3:].upper() + "**"
            lines.append(line)
        reply = {"markdown": "\n".join(lines)}
    elif hook == "check":
        findings = []
        for page in request["pages"]:
            with open(page["file"], encoding="utf-8") as f:
                for number, line in enumerate(f, start=1):
                    column = line.find("FIXME")
                    if column >= 0:
                        findings.append({
                            "rule": "fixme", "severity": "error", "file": page["file"],
                            "line": number, "column": column + 1,
                            "message": "FIXME: this page is not finished",
                        })
        reply = {"findings": findings}
    else:
        print(f"shout.py: unknown hook {hook!r}", file=sys.stderr)
        return 2
    json.dump(reply, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
