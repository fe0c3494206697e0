#!/usr/bin/env python3
"""A stand-in for a real Freshsales account, for the client's batch export and
the TUI: serves the contact views, the list, the owners, the contact and its
timeline from tests/fixtures/freshsales, erases the contact on DELETE
/contacts/{id}/forget (it is then 404 and out of the list) and, as Freshsales
does, answers 404 for the crm-server extensions (/capabilities, /users/me,
/export, /forget_preview, the admin routes). Listens on 127.0.0.1, a free
port, printed as "port N"; logs each request to stderr.

usage: freshsales_fixture.py [--activities-status CODE] [--announce-export]
  --announce-export: /capabilities names contact_export, /export still 404s
"""
import argparse
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "freshsales")
PREFIX = "/crm/sales/api"


def load(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


CONTACT = load("contact_with_owner.json")
ACTIVITIES = load("activities.json")
FILTERS = load("filters.json")
VIEW = json.loads(load("contacts_view.json"))
OWNERS = load("owners.json")
CONTACT_ID = json.loads(CONTACT)["contact"]["id"]
FORGOTTEN = set()
NOT_FOUND = b'{"errors":{"code":404,"message":["Resource not found"]}}'
SERVER_ERROR = b'{"errors":{"code":500,"message":["Something went wrong"]}}'


class Handler(BaseHTTPRequestHandler):
    activities_status = 200
    announce_export = False

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))
        sys.stderr.flush()

    def send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def view(self):
        """The list, without the contacts erased since the start."""
        v = dict(VIEW)
        v["contacts"] = [c for c in VIEW["contacts"] if c["id"] not in FORGOTTEN]
        v["meta"] = dict(VIEW["meta"], total=len(v["contacts"]))
        return json.dumps(v).encode()

    def do_DELETE(self):
        path = self.path.split("?", 1)[0]
        m = re.fullmatch(re.escape(PREFIX) + r"/contacts/(\d+)/forget", path)
        if not m or int(m.group(1)) != CONTACT_ID or CONTACT_ID in FORGOTTEN:
            return self.send(404, NOT_FOUND)
        FORGOTTEN.add(CONTACT_ID)
        return self.send(200, b"true")

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        if not path.startswith(PREFIX + "/"):
            return self.send(404, NOT_FOUND)
        path = path[len(PREFIX):]
        if path == "/capabilities" and self.announce_export:
            return self.send(200, b'{"capabilities":["contact_export"]}')
        if path == "/contacts/filters":
            return self.send(200, FILTERS)
        if re.fullmatch(r"/contacts/view/\d+", path):
            return self.send(200, self.view())
        if path == "/selector/owners":
            return self.send(200, OWNERS)
        m = re.fullmatch(r"/contacts/(\d+)(/activities(\.json)?)?", path)
        if not m or int(m.group(1)) != CONTACT_ID or CONTACT_ID in FORGOTTEN:
            return self.send(404, NOT_FOUND)  # /capabilities, /export, others
        if not m.group(2):
            return self.send(200, CONTACT)
        if self.activities_status != 200:
            return self.send(self.activities_status, SERVER_ERROR)
        page = re.search(r"(?:^|&)page=(\d+)", query)
        if page and int(page.group(1)) > 1:
            return self.send(200, b'{"activities":[]}')
        return self.send(200, ACTIVITIES)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities-status", type=int, default=200)
    ap.add_argument("--announce-export", action="store_true")
    args = ap.parse_args()
    Handler.activities_status = args.activities_status
    Handler.announce_export = args.announce_export
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("port %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
