#!/usr/bin/env python3
# make bench, the crmtui side: runs crmtui in a pty of a given size, sends keys,
# reads its per-key timings (CRMTUI_KEYTIMES), counts the bytes it writes.
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import threading
import time

KEYS = {
    "j": b"j",
    "k": b"k",
    "G": b"G",
    "Home": b"g",
    "PgDn": b"\x1b[6~",
    "Redraw": b"\x0c",
    "q": b"q",
    "Enter": b"\r",
    "BackTab": b"\x1b[Z",
}


class Tui:
    """crmtui in a pty; every byte it writes is counted."""

    def __init__(self, exe, url, key, kt_path, rows=24, cols=80):
        self.kt_path = kt_path
        self.kt_lines = []
        self.kt_off = 0
        self.bytes = 0
        self.last_out = time.monotonic()
        self.lock = threading.Lock()
        env = dict(os.environ)
        env.update(
            {
                "CRMTUI_URL": url,
                "CRMTUI_API_KEY": key,
                "CRMTUI_KEYTIMES": kt_path,
                "TERM": "xterm-256color",
                "XDG_CONFIG_HOME": os.path.dirname(kt_path),
                "HOME": os.path.dirname(kt_path),
                "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8",
            }
        )
        env.pop("NO_COLOR", None)
        if os.path.exists(kt_path):
            os.unlink(kt_path)
        self.t_exec = time.time()
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execve(exe, [exe], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.alive = True
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while self.alive:
            r, _, _ = select.select([self.fd], [], [], 0.2)
            if not r:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                break
            if not data:
                break
            with self.lock:
                self.bytes += len(data)
                self.last_out = time.monotonic()

    def _poll_kt(self):
        try:
            with open(self.kt_path, "rb") as f:
                f.seek(self.kt_off)
                data = f.read()
        except FileNotFoundError:
            return
        end = data.rfind(b"\n")
        if end < 0:
            return
        self.kt_off += end + 1
        self.kt_lines += data[: end + 1].decode().splitlines()

    def wait_line(self, prefix, count=1, timeout=20.0):
        """Waits until count lines starting with prefix were written."""
        deadline = time.monotonic() + timeout
        while True:
            self._poll_kt()
            got = [l for l in self.kt_lines if l.startswith(prefix)]
            if len(got) >= count:
                return got
            if time.monotonic() > deadline:
                raise RuntimeError("crmtui wrote no %r line in %.0f s" % (prefix, timeout))
            time.sleep(0.0005)

    def settle(self, quiet=0.015, timeout=3.0):
        """Waits until the terminal has had no output for quiet seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                idle = time.monotonic() - self.last_out
            # quiet means nothing read lately and nothing waiting to be read
            # (the reader thread may be late to take it)
            if idle >= quiet and not select.select([self.fd], [], [], 0)[0]:
                return
            time.sleep(quiet / 3)

    def n_keys(self):
        self._poll_kt()
        return sum(1 for l in self.kt_lines if l.startswith("key "))

    def press(self, name, settle=True):
        """Sends a key; returns ((elapsed, CPU) microseconds to its frame, bytes
        to its frame, bytes until quiet)."""
        n = self.n_keys()
        with self.lock:
            b0 = self.bytes
        os.write(self.fd, KEYS[name])
        line = self.wait_line("key ", n + 1)[n]
        with self.lock:
            b_frame = self.bytes - b0
        if settle:
            self.settle()
        with self.lock:
            b_all = self.bytes - b0
        f = line.split()
        return (int(f[2]), int(f[3])), b_frame, b_all

    def rss_kb(self):
        with open("/proc/%d/status" % self.pid) as f:
            for l in f:
                if l.startswith("VmRSS:"):
                    return int(l.split()[1])
        return -1

    def quit(self):
        os.write(self.fd, KEYS["q"])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.01)
        else:
            os.kill(self.pid, 15)
            os.waitpid(self.pid, 0)
        self.alive = False
        self.reader.join()
        os.close(self.fd)
        self._poll_kt()
        for l in self.kt_lines:
            if l.startswith("connections "):
                return int(l.split()[1])
        return -1


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[i]


def server_conns(port):
    """Client-side ports of the TCP sockets to the server's port now (a closed
    one stays in TIME_WAIT for a minute, so sampling now and then sees all)."""
    seen = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for l in f:
                    p = l.split()
                    lport = int(p[1].split(":")[1], 16)
                    rport = int(p[2].split(":")[1], 16)
                    if rport == port:
                        seen.add(lport)
                    elif lport == port and rport != 0:
                        seen.add(rport)
        except FileNotFoundError:
            pass
    return seen


def view_requests(log):
    with open(log) as f:
        return sum(1 for l in f if " /contacts/view/" in l)


def out(name, value, target):
    print("%s|%s|%s" % (name, value, target), flush=True)


def cmd_first(a):
    """first-screen N: exec to the first frame with rows, N runs."""
    ms, cpu = [], []
    for i in range(int(a.n)):
        t = Tui(a.exe, a.url, a.key, a.kt)
        f = t.wait_line("first-rows")[0].split()
        ms.append((float(f[1]) - t.t_exec) * 1000)
        cpu.append(int(f[2]) / 1000.0)
        t.quit()
    out("first screen, exec to rows, median / slowest of %d" % len(ms),
        "%.1f / %.1f ms" % (pct(ms, 50), max(ms)), "< 100 ms")
    out("first screen, crmtui's CPU time until then (median)", "%.1f ms" % pct(cpu, 50), "-")


def cmd_keys(a):
    """keys LABEL: j/k, PgDn, G timings at 80x24 and the bytes written."""
    t = Tui(a.exe, a.url, a.key, a.kt)
    t.wait_line("first-rows")
    t.settle(0.1)
    res = {"j": [], "k": [], "PgDn": [], "G": []}
    byt = {"j": [], "PgDn": []}
    full = {"j": [], "PgDn": []}
    for _ in range(150):
        us, bf, ba = t.press("j")
        res["j"].append(us)
        byt["j"].append(bf)
        full["j"].append(ba)
    for _ in range(150):
        res["k"].append(t.press("k")[0])
    for _ in range(60):
        us, bf, ba = t.press("PgDn")
        res["PgDn"].append(us)
        byt["PgDn"].append(bf)
        full["PgDn"].append(ba)
    for _ in range(30):
        res["G"].append(t.press("G")[0])
        t.press("Home")
    red = [t.press("Redraw")[2] for _ in range(5)]
    conns = t.quit()
    jk = res["j"] + res["k"]
    lab = a.label
    for name, xs in (("j/k", jk), ("PgDn", res["PgDn"]), ("G", res["G"])):
        wall = [x[0] for x in xs]
        cpu = [x[1] for x in xs]
        out(
            "key %s to flushed frame at %s, p50 / p99 (n=%d)" % (name, lab, len(xs)),
            "%.2f / %.2f ms" % (pct(wall, 50) / 1000, pct(wall, 99) / 1000),
            "p99 < 5 ms",
        )
        out(
            "key %s at %s, crmtui CPU time in it, p50 / p99" % (name, lab),
            "%.2f / %.2f ms" % (pct(cpu, 50) / 1000, pct(cpu, 99) / 1000),
            "-",
        )
    out("connections of that session (j, k, PgDn, G), crmtui's count", "%d" % conns, "1")
    if a.bytes:
        out("bytes per j at 80x24, its frame (median)", "%d" % pct(byt["j"], 50), "<= 200")
        out("bytes per j at 80x24, until 15 ms quiet, median / p90 / max (n=%d)" % len(full["j"]),
            "%d / %d / %d" % (pct(full["j"], 50), pct(full["j"], 90), max(full["j"])), "<= 200")
        out("bytes per PgDn at 80x24 (median, all frames)", "%d" % pct(full["PgDn"], 50), "-")
        out("bytes per full redraw (C-l) at 80x24 (median)", "%d" % pct(red, 50), "-")


def cmd_rss(a):
    """rss PAGES: memory after G, after PgDn to the end, after 1,000 contacts."""
    port = int(a.url.split(":")[2].split("/")[0])
    t = Tui(a.exe, a.url, a.key, a.kt, rows=int(a.rows), cols=80)
    t.wait_line("first-rows")
    t.settle(0.1)
    rss0 = t.rss_kb()
    t.press("G")
    t.settle(0.2)
    rss_g = t.rss_kb()
    t.press("Home")
    t.settle(0.2)
    t0 = time.monotonic()
    n = 0
    log0 = view_requests(a.log)
    for _ in range(int(a.pages)):
        t.press("PgDn", settle=False)
        t.settle(0.03)  # the page's rows arrive before the next PgDn
        n += 1
    scroll_s = time.monotonic() - t0
    pages = view_requests(a.log) - log0
    t.settle(0.2)
    rss_all = t.rss_kb()
    conns = t.quit()
    out("RSS at start (%d rows)" % int(a.rows), "%.1f MB" % (rss0 / 1024), "< 20 MB")
    out("RSS after G", "%.1f MB" % (rss_g / 1024), "< 20 MB")
    out("RSS after %d PgDn to the end (%.0f s, %d list pages fetched)" % (n, scroll_s, pages),
        "%.1f MB" % (rss_all / 1024), "< 20 MB")
    out("connections of the whole-list scroll, crmtui's count", "%d" % conns, "1")

    # a session of 1,000 contacts opened: Enter opens the selected one at once
    # (and focuses the detail), BackTab returns to the list, j moves on
    before = server_conns(port)
    t = Tui(a.exe, a.url, a.key, a.kt, rows=24, cols=120)
    t.wait_line("first-rows")
    t.settle(0.1)
    ports = server_conns(port) - before
    for i in range(1000):
        t.press("Enter", settle=False)
        t.settle(0.01)
        t.press("BackTab", settle=False)
        t.press("j", settle=False)
        if i % 10 == 0:
            ports |= server_conns(port) - before
    t.settle(0.2)
    ports |= server_conns(port) - before
    rss_open = t.rss_kb()
    conns = t.quit()
    out("RSS after opening 1,000 contacts", "%.1f MB" % (rss_open / 1024), "< 20 MB")
    out("connections of that session, crmtui's count", "%d" % conns, "1")
    out("connections of that session, seen at the server's port", "%d" % len(ports), "1")


def cmd_server(a):
    """server: p50/p99 of a list page and of a search, one kept-alive connection."""
    import http.client
    import json
    import urllib.parse

    u = urllib.parse.urlsplit(a.url)
    conn = http.client.HTTPConnection(u.hostname, u.port)
    hdr = {"Authorization": "Token token=" + a.key}

    def get(path):
        t0 = time.perf_counter()
        conn.request("GET", u.path + path, headers=hdr)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError("GET %s: %d" % (path, r.status))
        return (time.perf_counter() - t0) * 1000, body

    views = json.loads(get("/contacts/filters")[1])["filters"]
    all_id = [v["id"] for v in views if v["name"] == "All Contacts"][0]
    cases = [
        ("list page 1 (All Contacts, 25 a page)", "/contacts/view/%d?page=1" % all_id, "p50 < 2 ms"),
        ("list page 2000 (the middle)", "/contacts/view/%d?page=2000" % all_id, "p50 < 2 ms"),
        ("search 'ana'", "/search?q=ana&include=contact", "-"),
        ("search 'maria silva'", "/search?q=maria%20silva&include=contact", "-"),
    ]
    for name, path, target in cases:
        get(path)
        ms = [get(path)[0] for _ in range(int(a.n))]
        out("crm-server %s, p50 / p99 (n=%d)" % (name, len(ms)),
            "%.2f / %.2f ms" % (pct(ms, 50), pct(ms, 99)), target)
    print("VIEW %d" % all_id, file=sys.stderr)


def main():
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("cmd")
    p.add_argument("--exe", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--kt", required=True)
    p.add_argument("--n", default="5")
    p.add_argument("--label", default="")
    p.add_argument("--bytes", action="store_true")
    p.add_argument("--rows", default="44")
    p.add_argument("--pages", default="2500")
    p.add_argument("--log", default="/dev/null")
    a = p.parse_args()
    {"first": cmd_first, "keys": cmd_keys, "rss": cmd_rss, "server": cmd_server}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
